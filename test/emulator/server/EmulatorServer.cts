// The HTTP server under every provider emulator: it listens on loopback, records each request,
// injects latency and faults, and keeps a fixed-window rate limit per token. A provider's emulator
// extends it with its routes (dispatch) and its state; tests drive both directly.
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { createPrng, type Random } from '../seed.cjs';

const DEFAULT_WINDOW_MS = 60_000;
const MAX_BODY_BYTES = 1_000_000;
// setTimeout's ceiling; a longer fault delay just waits for the socket to close.
const MAX_TIMER_MS = 2_147_483_647;

export interface RecordedRequest {
	method: string;
	/** The path as sent, still percent-encoded, without the query string. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body is JSON, the raw text when it is not, undefined when empty. */
	body: unknown;
	rawBody: string;
	/** The status sent; 0 when the socket was dropped or the request never got an answer. */
	status: number;
	/** Wall-clock arrival time (ms since epoch), not the emulator clock. */
	at: number;
	/** The rate-limit window (numbered from 1 per token, in order) this request fell in; undefined when not rate-limited. */
	rateWindow?: number;
}

export interface Fault {
	status?: number;
	body?: string;
	headers?: Record<string, string>;
	delayMs?: number;
	drop?: 'before' | 'after';
}

/**
 * Which rate headers go out:
 * - 'laravel' (default, as PayRequest's Laravel throttle): X-RateLimit-Limit and -Remaining on every
 *   answer; Retry-After and X-RateLimit-Reset only on the 429.
 * - 'reset-always': Limit, Remaining and Reset on every answer (other APIs).
 * - 'none': no rate header at all, not even on the 429 (a proxy that strips them).
 */
export type RateHeaderMode = 'laravel' | 'reset-always' | 'none';

export interface RateLimitOptions {
	perMinute: number;
	burst: number;
	windowMs?: number;
	headers?: RateHeaderMode;
}



export type RequestMatcher = (req: { method: string; path: string }) => boolean;


export interface ApiResponse {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** Sent as it is instead of `body` as JSON (a PDF, say); its Content-Type goes in `headers`. */
	raw?: Buffer;
}

export interface ParsedRequest {
	method: string;
	path: string;
	searchParams: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	bodyTooLarge: boolean;
	/** The log entry of this request, which learns the rate window that counted it. */
	record: RecordedRequest;
}


interface RateWindow {
	/** Wall-clock ms when this window ends. */
	end: number;
	/** Requests let through in this window (429s are not counted). */
	count: number;
	/** Requests this window allows: burst or perMinute, see takeRateLimit. */
	limit: number;
	/** 1 for the token's first window, then counting up. */
	index: number;
}

interface QueuedFault {
	remaining: number;
	fault: Fault;
	match?: RequestMatcher;
}

interface RandomFault {
	rate: number;
	faults: Fault[];
	random: Random;
	match?: RequestMatcher;
}


function splitRequestTarget(target: string): { path: string; queryString: string } {
	let pathAndQuery = target;
	// Absolute-form targets (as proxies send them) keep only path and query.
	if (/^https?:\/\//i.test(pathAndQuery)) {
		try {
			const url = new URL(pathAndQuery);
			pathAndQuery = url.pathname + url.search;
		} catch {
			pathAndQuery = '/';
		}
	}
	const queryStart = pathAndQuery.indexOf('?');
	if (queryStart === -1) return { path: pathAndQuery, queryString: '' };
	return { path: pathAndQuery.slice(0, queryStart), queryString: pathAndQuery.slice(queryStart + 1) };
}

function bodyForLog(rawBody: string): unknown {
	if (rawBody === '') return undefined;
	try {
		return JSON.parse(rawBody);
	} catch {
		return rawBody;
	}
}


function readRequestBody(req: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('Request aborted'));
		});
	});
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
	return { status, body, headers };
}


export abstract class EmulatorServer {
	readonly requests: RecordedRequest[] = [];

	private queuedFaults: QueuedFault[] = [];
	private randomFault: RandomFault | undefined;
	protected rateLimit: Required<RateLimitOptions> | false = false;
	private readonly rateWindows = new Map<string, RateWindow>();
	private latencyMs = 0;

	private server: http.Server | undefined;
	protected listeningUrl: string | undefined;
	private readonly sockets = new Set<Socket>();
	private readonly pendingSleeps = new Set<() => void>();

	/**
	 * @param basePath what the base URL ends in (PayRequest's '/api'; '' where the API is at the root)
	 * @param defaultRateHeaders which rate headers a rate limit sends unless it says otherwise
	 */
	constructor(
		private readonly basePath: string,
		private readonly defaultRateHeaders: RateHeaderMode,
	) {}

	/** Answers one request that got past faults and latency: the provider's routes. */
	protected abstract dispatch(request: ParsedRequest): ApiResponse;

	/** Rate headers sent while no rate limit is set; none unless the provider always sends some. */
	protected unlimitedRateHeaders(): Record<string, string> {
		return {};
	}


	get baseUrl(): string {
		if (!this.listeningUrl) throw new Error('The emulator is not listening; call listen() first');
		return this.listeningUrl;
	}

	listen(port = 0, host = '127.0.0.1'): Promise<string> {
		if (this.server) return Promise.reject(new Error('The emulator is already listening'));
		const server = http.createServer((req, res) => {
			void this.handleRequest(req, res);
		});
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		server.on('clientError', (_error, socket: Socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			else socket.destroy();
		});
		this.server = server;
		return new Promise((resolve, reject) => {
			const onError = (error: Error) => {
				this.server = undefined;
				reject(error);
			};
			server.once('error', onError);
			server.listen(port, host, () => {
				server.off('error', onError);
				const address = server.address() as AddressInfo;
				// A wildcard bind is reached through loopback.
				const reachableHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
				const hostPart = reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost;
				this.listeningUrl = `http://${hostPart}:${address.port}${this.basePath}`;
				resolve(this.listeningUrl);
			});
		});
	}

	/** Stops listening and destroys open sockets, so hung (delayed) requests end at once. */
	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		this.listeningUrl = undefined;
		for (const wakeUp of [...this.pendingSleeps]) wakeUp();
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}


	clearRequests(): void {
		this.requests.length = 0;
	}

	/** The next `count` requests that `match` (all by default) get `fault`; queued rules are tried in the order given. */
	injectFaults(count: number, fault: Fault, match?: RequestMatcher): void {
		if (count > 0) this.queuedFaults.push({ remaining: count, fault, match });
	}

	/** Each matching request gets a fault with probability `rate`, drawn from a PRNG seeded with `seed`; rate 0 turns it off. */
	injectFaultRate(rate: number, faults: Fault[], seed = 1, match?: RequestMatcher): void {
		if (!(rate > 0) || faults.length === 0) {
			this.randomFault = undefined;
			return;
		}
		this.randomFault = { rate: Math.min(1, rate), faults: [...faults], random: createPrng(seed), match };
	}

	clearFaults(): void {
		this.queuedFaults = [];
		this.randomFault = undefined;
	}

	/** Replaces the rate limit and forgets every token's window. */
	setRateLimit(options: RateLimitOptions | false): void {
		this.rateWindows.clear();
		if (options === false) {
			this.rateLimit = false;
			return;
		}
		const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
		if (!(options.perMinute >= 1) || !(options.burst >= 0) || !(windowMs > 0)) {
			throw new Error('Rate limit needs perMinute >= 1, burst >= 0 and windowMs > 0');
		}
		this.rateLimit = {
			perMinute: Math.floor(options.perMinute),
			burst: Math.floor(options.burst),
			windowMs,
			headers: options.headers ?? this.defaultRateHeaders,
		};
	}


	setLatency(ms: number): void {
		if (!(ms >= 0)) throw new Error('Latency must be >= 0 ms');
		this.latencyMs = ms;
	}


	// ---- internals: HTTP ----

	/** Waits `ms`, ending early when the client's socket closes or the emulator closes. */
	protected sleep(ms: number, socket: Socket): Promise<void> {
		return new Promise((resolve) => {
			let timer: NodeJS.Timeout | undefined;
			const wakeUp = () => {
				if (timer) clearTimeout(timer);
				socket.off('close', wakeUp);
				this.pendingSleeps.delete(wakeUp);
				resolve();
			};
			if (ms <= MAX_TIMER_MS) timer = setTimeout(wakeUp, ms);
			socket.on('close', wakeUp);
			this.pendingSleeps.add(wakeUp);
		});
	}

	private takeFault(method: string, path: string): Fault | undefined {
		const request = { method, path };
		for (const queued of this.queuedFaults) {
			if (queued.match && !queued.match(request)) continue;
			queued.remaining--;
			if (queued.remaining <= 0) this.queuedFaults = this.queuedFaults.filter((candidate) => candidate !== queued);
			return queued.fault;
		}
		const randomFault = this.randomFault;
		if (!randomFault || (randomFault.match && !randomFault.match(request))) return undefined;
		if (randomFault.random() >= randomFault.rate) return undefined;
		return randomFault.faults[Math.floor(randomFault.random() * randomFault.faults.length)];
	}

	private async handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const socket = req.socket;
		let record: RecordedRequest | undefined;
		try {
			const body = await readRequestBody(req);
			const method = (req.method ?? 'GET').toUpperCase();
			const { path, queryString } = splitRequestTarget(req.url ?? '/');
			const searchParams = new URLSearchParams(queryString);
			record = {
				method,
				path,
				query: Object.fromEntries(searchParams),
				headers: { ...req.headers },
				body: bodyForLog(body.text),
				rawBody: body.text,
				status: 0,
				at: Date.now(),
			};
			this.requests.push(record);

			if (this.latencyMs > 0) await this.sleep(this.latencyMs, socket);
			if (socket.destroyed) return;

			const fault = this.takeFault(method, path);
			if (fault?.delayMs) {
				await this.sleep(fault.delayMs, socket);
				if (socket.destroyed) return;
			}
			if (fault?.drop === 'before') {
				socket.destroy();
				return;
			}
			if (fault && fault.drop !== 'after' && (fault.status !== undefined || fault.body !== undefined)) {
				this.sendFault(req, res, record, fault);
				return;
			}

			const response = this.dispatch({ method, path, searchParams, headers: req.headers, rawBody: body.text, bodyTooLarge: body.tooLarge, record });
			if (fault?.drop === 'after') {
				// The request was acted on; the client just never hears about it.
				socket.destroy();
				return;
			}
			if (fault?.headers) Object.assign(response.headers, fault.headers);
			this.send(req, res, record, response.status, response.raw ?? JSON.stringify(response.body), response.headers);
		} catch {
			if (socket.destroyed || res.headersSent) return;
			if (record) this.send(req, res, record, 500, JSON.stringify({ message: 'Server Error' }), {});
			else socket.destroy();
		}
	}

	private send(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest, status: number, bodyText: string | Buffer, headers: Record<string, string>): void {
		if (req.socket.destroyed) return;
		record.status = status;
		res.writeHead(status, {
			'Content-Type': 'application/json',
			...headers,
			'Content-Length': String(Buffer.byteLength(bodyText)),
		});
		res.end(bodyText);
	}

	private sendFault(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest, fault: Fault): void {
		const status = fault.status ?? 200;
		const defaultMessage = status === 429 ? 'Too Many Attempts.' : status === 500 ? 'Server Error' : http.STATUS_CODES[status] ?? 'Error';
		const bodyText = fault.body ?? JSON.stringify({ message: defaultMessage });
		// An HTML page (a proxy's error page) is labelled as HTML unless the fault says otherwise.
		const contentType = bodyText.trimStart().startsWith('<') ? 'text/html; charset=UTF-8' : 'application/json';
		this.send(req, res, record, status, bodyText, { 'Content-Type': contentType, ...fault.headers });
	}


	// Rate limit model: a fixed window per token, opened by the token's first request and lasting windowMs.
	// A window lets `burst` requests through when the token's previous window (if it ended less than one
	// window ago) let fewer than `perMinute` through, otherwise `perMinute`: a quiet client may burst, a
	// client that keeps saturating gets the standard rate. 429s and 401s are not counted.
	protected currentWindow(token: string, nowMs: number, store: boolean): RateWindow {
		const options = this.rateLimit as Required<RateLimitOptions>;
		const existing = this.rateWindows.get(token);
		if (existing && nowMs < existing.end) return existing;
		const previousCount = existing && nowMs < existing.end + options.windowMs ? existing.count : 0;
		const limit = previousCount < options.perMinute ? Math.max(options.perMinute, options.burst) : options.perMinute;
		const window = { end: nowMs + options.windowMs, count: 0, limit, index: (existing?.index ?? 0) + 1 };
		if (store) this.rateWindows.set(token, window);
		return window;
	}

	protected rateHeaders(window: RateWindow, tooManyAtMs?: number): Record<string, string> {
		const mode = this.rateLimit ? this.rateLimit.headers : this.defaultRateHeaders;
		if (mode === 'none') return {};
		const headers: Record<string, string> = {
			'X-RateLimit-Limit': String(window.limit),
			'X-RateLimit-Remaining': String(Math.max(0, window.limit - window.count)),
		};
		if (mode === 'reset-always' || tooManyAtMs !== undefined) headers['X-RateLimit-Reset'] = String(Math.ceil(window.end / 1000));
		if (tooManyAtMs !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil((window.end - tooManyAtMs) / 1000)));
		return headers;
	}

	/** Counts the request; undefined when rate limiting is off. */
	protected takeRateLimit(token: string): { headers: Record<string, string>; tooMany: boolean; window: number } | undefined {
		if (!this.rateLimit) return undefined;
		const nowMs = Date.now();
		const window = this.currentWindow(token, nowMs, true);
		if (window.count >= window.limit) return { headers: this.rateHeaders(window, nowMs), tooMany: true, window: window.index };
		window.count++;
		return { headers: this.rateHeaders(window), tooMany: false, window: window.index };
	}

	/** Uncounted responses (unknown route, wrong method) still show the token's current budget. */
	protected withCurrentRateHeaders(token: string | undefined, response: ApiResponse): ApiResponse {
		if (token !== undefined) {
			Object.assign(response.headers, this.rateLimit ? this.rateHeaders(this.currentWindow(token, Date.now(), false)) : this.unlimitedRateHeaders());
		}
		return response;
	}
}
