/**
 * Return All benchmark. Load this module only after N8N_USER_FOLDER and N8N_LOG_LEVEL are set
 * (bench/run.cts does): it loads n8n-core through the engine harness.
 *
 * A  our node, Get Many with Return All, through n8n-core's WorkflowExecute (runNode);
 * B  the same list the way n8n's HTTP Request node paginates it: one request after another
 *    through n8n-core's own `requestWithAuthenticationPaginated` helper, with the options the
 *    HTTP Request node (V3) builds for "Update a Parameter in Each Request" and a completion
 *    expression, inside the same engine;
 * C  a plain axios loop, no n8n, with the same paging and concurrency as A: the floor.
 */
import axios from 'axios';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IRequestOptions, PaginationOptions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import type { RateLimitOptions } from '../test/emulator/PayRequestEmulator.cjs';
import { PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import type { TestCredential } from '../test/engine/harness.cjs';
import { registerNodeType, runNode } from '../test/engine/harness.cjs';

const TOKEN = 'test-token-rw';
const PER_PAGE = 100;
/** The node's default Max Concurrency; C uses the same. */
const CONCURRENCY = 4;

// ---- measuring ----

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export interface Measurement {
	wallMs: number;
	/** Requests the emulator received during the run. */
	requests: number;
	/** Requests answered 429. */
	rateLimited: number;
	items: number;
	/** Highest heapUsed seen during the run, above the heap after a GC just before it. */
	peakHeapMb: number;
	/** Highest resident set size of the whole process seen during the run. */
	peakRssMb: number;
}

const MB = 1024 * 1024;

/** Runs `work` once against `emulator`, sampling memory every 5 ms; checks what it returned. */
async function measure(emulator: PayRequestEmulator, work: () => Promise<number[]>): Promise<Measurement> {
	const expectedIds = emulator.listInvoices().map((invoice) => invoice.id);
	collectGarbage();
	emulator.clearRequests();
	const baseHeap = process.memoryUsage().heapUsed;
	let peakHeap = baseHeap;
	let peakRss = process.memoryUsage().rss;
	const sample = () => {
		const usage = process.memoryUsage();
		peakHeap = Math.max(peakHeap, usage.heapUsed);
		peakRss = Math.max(peakRss, usage.rss);
	};
	const sampler = setInterval(sample, 5);
	const started = process.hrtime.bigint();
	let ids: number[];
	try {
		ids = await work();
	} finally {
		clearInterval(sampler);
	}
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	sample();
	// A benchmark of a wrong answer is worthless: every invoice once, in the API's order.
	if (ids.length !== expectedIds.length || ids.some((id, index) => id !== expectedIds[index])) {
		throw new Error(`Expected ${expectedIds.length} invoices in order, got ${ids.length} (first difference at ${ids.findIndex((id, index) => id !== expectedIds[index])})`);
	}
	return {
		wallMs,
		requests: emulator.requests.length,
		rateLimited: emulator.requests.filter((request) => request.status === 429).length,
		items: ids.length,
		peakHeapMb: (peakHeap - baseHeap) / MB,
		peakRssMb: peakRss / MB,
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((left, right) => left - right);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---- A: our node ----

async function ourNodeReturnAll(credential: TestCredential, maxConcurrency?: number): Promise<number[]> {
	const { items, error } = await runNode({
		credential,
		// Simplify off, as README: Performance states its figures (the harness no longer turns it off).
		parameters: {
			resource: 'invoice',
			operation: 'getAll',
			returnAll: true,
			simple: false,
			options: maxConcurrency === undefined ? {} : { maxConcurrency },
		},
	});
	if (error) throw new Error(`Our node failed: ${error.message} ${error.description ?? ''}`);
	return items.map((item) => Number(item.json.id));
}

// ---- B: the HTTP Request node's pagination, in the same engine ----

/**
 * What the HTTP Request node (V3) does for GET {baseUrl}/v1/invoices?per_page=100 with a
 * predefined credential, response format autodetect, Pagination "Update a Parameter in Each
 * Request" (page = {{ $pageCount + 1 }}) and "Complete When: Other" with
 * {{ $response.body.data.current_page >= $response.body.data.last_page }}. It outputs one item
 * per invoice, as that node followed by a Split Out on data.data would.
 */
class HttpRequestPagination implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HTTP Request (pagination)',
		name: 'httpRequestPagination',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'HTTP Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'payRequestApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credential = await this.getCredentials<{ baseUrl: string }>('payRequestApi');
		const requestOptions: IRequestOptions = {
			headers: { accept: 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7' },
			method: 'GET',
			uri: `${credential.baseUrl.replace(/\/+$/, '')}/v1/invoices`,
			qs: { per_page: PER_PAGE },
			gzip: true,
			rejectUnauthorized: true,
			followRedirect: true,
			followAllRedirects: true,
			resolveWithFullResponse: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: 300_000,
			encoding: null,
			json: false,
			useStream: true,
		};
		const completion = '$response.body.data.current_page >= $response.body.data.last_page';
		const pagination: PaginationOptions = {
			continue: `={{ !(${completion}) || ($response.statusCode < 200 || $response.statusCode >= 300) }}`,
			request: { qs: { page: '={{ $pageCount + 1 }}' } },
			requestInterval: 0,
		};
		const responses = (await this.helpers.requestWithAuthenticationPaginated.call(this, requestOptions, 0, pagination, 'payRequestApi')) as Array<{
			body: { data?: { data?: IDataObject[] } };
		}>;
		const invoices = responses.flatMap((response) => response.body.data?.data ?? []);
		return [invoices.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

const HTTP_REQUEST_TYPE = 'bench.httpRequestPagination';
registerNodeType(HTTP_REQUEST_TYPE, new HttpRequestPagination());

async function httpRequestNodeReturnAll(credential: TestCredential): Promise<number[]> {
	const { items, error } = await runNode({ credential, nodeType: HTTP_REQUEST_TYPE, parameters: {} });
	if (error) throw new Error(`HTTP Request pagination failed: ${error.message}`);
	return items.map((item) => Number(item.json.id));
}

// ---- C: a plain loop, no n8n ----

async function rawLoopReturnAll(credential: TestCredential, concurrency: number): Promise<number[]> {
	const client = axios.create({
		baseURL: credential.baseUrl,
		headers: { Authorization: `Bearer ${credential.accessToken}`, Accept: 'application/json' },
	});
	type Paginator = { data: Array<{ id: number }>; last_page: number };
	const fetchPage = async (page: number) =>
		(await client.get<{ data: Paginator }>('/v1/invoices', { params: { page, per_page: PER_PAGE } })).data.data;
	const first = await fetchPage(1);
	const rest: Paginator[] = new Array(Math.max(0, first.last_page - 1));
	let next = 2;
	const worker = async () => {
		while (next <= first.last_page) {
			const page = next++;
			rest[page - 2] = await fetchPage(page);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return [first, ...rest].flatMap((paginator) => paginator.data.map((invoice) => invoice.id));
}

// ---- the benchmarks ----

async function startEmulator(invoices: number, latencyMs: number, rateLimit: RateLimitOptions | false) {
	const emulator = new PayRequestEmulator({ seed: { invoices, customers: 25 }, latencyMs, rateLimit });
	const baseUrl = await emulator.listen();
	const credential: TestCredential = { accessToken: TOKEN, baseUrl };
	return { emulator, credential };
}

export interface ReturnAllVariant {
	key: 'A' | 'B' | 'C';
	label: string;
	/** Median over the repetitions. */
	wallMs: number;
	runsMs: number[];
	requests: number;
	rateLimited: number;
	items: number;
	/** Highest over the repetitions. */
	peakHeapMb: number;
	peakRssMb: number;
}

export interface ReturnAllReport {
	invoices: number;
	latencyMs: number;
	concurrency: number;
	repetitions: number;
	expectedRequests: number;
	variants: ReturnAllVariant[];
}

export interface ReturnAllOptions {
	invoices?: number;
	latencyMs?: number;
	repetitions?: number;
}

/** A, B and C against one emulator with latency and no rate limit, after a warm-up of each. */
export async function benchReturnAll(options: ReturnAllOptions = {}): Promise<ReturnAllReport> {
	const invoices = options.invoices ?? 10_000;
	const latencyMs = options.latencyMs ?? 100;
	const repetitions = Math.max(1, options.repetitions ?? 3);
	const variants: Array<{ key: ReturnAllVariant['key']; label: string; run: (credential: TestCredential) => Promise<number[]> }> = [
		{ key: 'A', label: `A. PayRequest node, Return All (Max Concurrency ${CONCURRENCY})`, run: (credential) => ourNodeReturnAll(credential) },
		{ key: 'B', label: 'B. HTTP Request node pagination (sequential)', run: (credential) => httpRequestNodeReturnAll(credential) },
		{ key: 'C', label: `C. plain axios loop (concurrency ${CONCURRENCY})`, run: (credential) => rawLoopReturnAll(credential, CONCURRENCY) },
	];

	// Warm-up: JIT, module loading and n8n-core's first-use setup are not what is measured.
	const warmUp = await startEmulator(500, 0, false);
	try {
		for (const variant of variants) await measure(warmUp.emulator, () => variant.run(warmUp.credential));
	} finally {
		await warmUp.emulator.close();
	}

	const { emulator, credential } = await startEmulator(invoices, latencyMs, false);
	const measurements = new Map<string, Measurement[]>(variants.map((variant) => [variant.key, []]));
	try {
		// Interleaved, so that drift of the machine hits every variant alike.
		for (let repetition = 0; repetition < repetitions; repetition++) {
			for (const variant of variants) {
				measurements.get(variant.key)!.push(await measure(emulator, () => variant.run(credential)));
			}
		}
	} finally {
		await emulator.close();
	}
	return {
		invoices,
		latencyMs,
		concurrency: CONCURRENCY,
		repetitions,
		expectedRequests: Math.ceil(invoices / PER_PAGE),
		variants: variants.map((variant) => {
			const runs = measurements.get(variant.key)!;
			return {
				key: variant.key,
				label: variant.label,
				wallMs: median(runs.map((run) => run.wallMs)),
				runsMs: runs.map((run) => run.wallMs),
				requests: Math.max(...runs.map((run) => run.requests)),
				rateLimited: Math.max(...runs.map((run) => run.rateLimited)),
				items: runs[0].items,
				peakHeapMb: Math.max(...runs.map((run) => run.peakHeapMb)),
				peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
			};
		}),
	};
}

/**
 * The least time PayRequestEmulator's rate limit lets `requests` requests take, for a client that
 * knows its windows exactly and costs nothing itself. The emulator's model: a fixed window per
 * token opens with the first request it lets through and lasts windowMs; it allows `burst` (when
 * higher) if the previous window let fewer than perMinute through, else perMinute; a request is
 * counted when it is dispatched, after the injected latency. So the first window opens at
 * `latencyMs`, each later one at the earliest when the one before ends, and the last request can
 * be let through no earlier than the opening of the window it falls in.
 */
export function forcedByRateLimit(requests: number, limit: RateLimitOptions, latencyMs: number): { ms: number; windows: number[] } {
	const windowMs = limit.windowMs ?? 60_000;
	const windows: number[] = [];
	let left = requests;
	let previousCount = 0;
	while (left > 0) {
		const allowed = previousCount < limit.perMinute ? Math.max(limit.perMinute, limit.burst) : limit.perMinute;
		const count = Math.min(allowed, left);
		windows.push(count);
		left -= count;
		previousCount = count;
	}
	return { ms: latencyMs + (windows.length - 1) * windowMs, windows };
}

export interface RateLimitedReport {
	invoices: number;
	latencyMs: number;
	limit: Required<RateLimitOptions>;
	concurrency: number;
	expectedRequests: number;
	measurement: Measurement;
	/** The least time the emulator's limit lets these requests take: see forcedByRateLimit. */
	forcedMs: number;
	/** How many requests each window of that fastest schedule lets through. */
	forcedWindows: number[];
	/** measure() checked it: every invoice once, in the API's order. */
	everyInvoiceOnce: boolean;
	/** The most 429 answers the emulator sent in any one of its rate windows. */
	most429InAWindow: number;
}

export interface RateLimitedOptions {
	invoices?: number;
	latencyMs?: number;
	limit?: RateLimitOptions;
}

/**
 * A alone with PayRequest's documented limits on, in one of the emulator's header modes: every
 * invoice once, near the forced time; no 429 where Reset comes on every answer, at most one a
 * window (the probe) under Laravel's headers.
 */
export async function benchRateLimited(options: RateLimitedOptions = {}): Promise<RateLimitedReport> {
	const invoices = options.invoices ?? 15_000;
	const latencyMs = options.latencyMs ?? 100;
	const limit: Required<RateLimitOptions> = { perMinute: 60, burst: 100, windowMs: 60_000, headers: 'laravel', ...options.limit };
	const { emulator, credential } = await startEmulator(invoices, latencyMs, limit);
	try {
		// measure() throws unless every invoice came back once, in order.
		const measurement = await measure(emulator, () => ourNodeReturnAll(credential));
		const expectedRequests = Math.ceil(invoices / PER_PAGE);
		const forced = forcedByRateLimit(expectedRequests, limit, latencyMs);
		return {
			invoices,
			latencyMs,
			limit,
			concurrency: CONCURRENCY,
			expectedRequests,
			measurement,
			forcedMs: forced.ms,
			forcedWindows: forced.windows,
			everyInvoiceOnce: true,
			most429InAWindow: Math.max(
				0,
				...[...new Set(emulator.requests.map((request) => request.rateWindow))].map(
					(window) => emulator.requests.filter((request) => request.rateWindow === window && request.status === 429).length,
				),
			),
		};
	} finally {
		await emulator.close();
	}
}
