import type { IDataObject, IHttpRequestOptions, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { RateLimitBudget, RatePolicy } from '../../shared/rateLimitBudget';
import { RateLimitBudgets, readRateLimitHeaders, retryAfterMs } from '../../shared/rateLimitBudget';
import { apiError, providerMessage } from './errors';
import type { PayRequestContext, PayRequestRequest, TransportSettings } from './types';
import { DEFAULT_TRANSPORT_SETTINGS } from './types';

export type { PayRequestContext, PayRequestRequest, TransportSettings } from './types';
export { DEFAULT_TRANSPORT_SETTINGS } from './types';

export const CREDENTIAL_TYPE = 'payRequestApi';
export const PER_PAGE_MAX = 100;

/** How often one request is repeated after 429s before the node gives up. */
const MAX_RATE_LIMITED_ATTEMPTS = 6;
/** How often a GET is repeated after a 5xx or a broken connection. */
const MAX_FAILED_READ_RETRIES = 3;
const BACKOFF_BASE_MS = 300;
/** Waiting is measured against wall time; a reset time in the past still waits this little. */
const MIN_WAIT_MS = 50;
/** How often a wait looks whether the execution was stopped. */
const CANCEL_CHECK_MS = 1000;

/**
 * PayRequest's documented rate (60 a minute), which paces requests only while no rate header
 * arrives (a proxy that strips them). Exported so that tests can shorten the minute.
 */
export const RATE_POLICY: RatePolicy = { requests: 60, perMs: 60_000 };

/** Budgets per account (base URL + credential), shared by every run in this n8n process (not across queue-mode workers). */
export const budgets = new RateLimitBudgets();

export type ApiBody = Record<string, unknown>;

export function invoicePath(invoiceId: string, suffix = ''): string {
	return `/v1/invoices/${encodeURIComponent(invoiceId)}${suffix}`;
}

interface ResolvedCredential {
	baseUrl: string;
	secrets: string[];
	budget: RateLimitBudget;
}

/** Hosts on this machine, where plain http (a local emulator, a proxy beside n8n) carries no token across a network. */
function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}

function lowerCaseHeaders(headers: unknown): Record<string, string | string[] | undefined> {
	const result: Record<string, string | string[] | undefined> = {};
	if (typeof headers !== 'object' || headers === null) return result;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		result[key.toLowerCase()] = Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);
	}
	return result;
}

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * The lowest-level message in the cause chain ("socket hang up", "timeout of 1000ms exceeded"):
 * n8n's wrapper error replaces its own message with a generic text that would hide it.
 */
function errorText(error: unknown): string {
	let text = error instanceof Error ? error.message : String(error);
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && message !== '') text = message;
		current = (current as { cause?: unknown }).cause;
	}
	return text;
}

/** Axios says ECONNABORTED with "timeout of N ms exceeded" on the error that carries the code, not on n8n's wrapper. */
function isTimeout(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return true;
		if (code === 'ECONNABORTED' && typeof message === 'string' && /timeout/i.test(message)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * NodeApiError swaps a message that names a common error code (ECONNRESET, ECONNABORTED…) for
 * n8n's generic text, which for a lost write even says to retry at once: keep ours.
 */
function keepMessage<T extends Error>(error: T, message: string): T {
	error.message = message;
	return error;
}

/**
 * Talks to PayRequest for one node run (or one poll, or one list search): the one place that
 * sends requests. It applies the account's rate budget, waits out 429s, repeats reads that
 * failed on the way, never repeats a write unless PayRequest surely did not act on it, and maps
 * every failure to an n8n error that says what to do and never carries the token.
 */
export class PayRequestClient {
	private credential: ResolvedCredential | undefined;

	private waitedMs = 0;

	private waitCoveredUntilMs = 0;

	private readonly startedMs = Date.now();

	constructor(
		private readonly context: PayRequestContext,
		private settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS,
	) {}

	/** Milliseconds left of the whole run's limit; Infinity without one. */
	private runTimeLeftMs(): number {
		const { wholeRunSeconds } = this.settings;
		return wholeRunSeconds === undefined ? Number.POSITIVE_INFINITY : this.startedMs + wholeRunSeconds * 1000 - Date.now();
	}

	private runTimeSpent(endpoint: string, itemIndex?: number): NodeOperationError {
		const { timeoutSeconds, maxWaitSeconds, wholeRunSeconds } = this.settings;
		return new NodeOperationError(this.node, `PayRequest did not finish ${endpoint} within the ${wholeRunSeconds} s this run may take`, {
			description:
				maxWaitSeconds > 0
					? `A poll ends within Timeout (${timeoutSeconds} s) + Max Wait (${maxWaitSeconds} s). It saved nothing; the next poll emits what this one missed. If PayRequest is often this slow, raise the two options, keeping them together under 45 s (n8n abandons a longer poll).`
					: 'PayRequest is slow or its rate limit is reached; try again in a moment.',
			itemIndex,
		});
	}

	/**
	 * Timeout and Max Wait as one item sets them (they may be expressions). The wait already
	 * spent in this run still counts: one node run shares one client and one rate budget.
	 */
	useSettings(settings: TransportSettings): void {
		this.settings = settings;
	}

	get node(): INode {
		return this.context.getNode();
	}

	get logger(): PayRequestContext['logger'] {
		return this.context.logger;
	}

	private async resolveCredential(itemIndex?: number): Promise<ResolvedCredential> {
		if (this.credential) return this.credential;
		const credentials = (await this.context.getCredentials(CREDENTIAL_TYPE, itemIndex)) as IDataObject;
		const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
		let url: URL | undefined;
		try {
			url = new URL(raw);
		} catch {
			url = undefined;
		}
		const forItem = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
			// A user:password@ part is a secret too: it is never shown back.
			const shown = url && (url.username || url.password) ? `${url.protocol}//…@${url.host}${url.pathname}` : raw.slice(0, 100);
			throw new NodeOperationError(
				this.node,
				`The Base URL in the PayRequest API credential is not an http(s) address without a user name or password: "${shown}"${forItem}`,
				{ description: 'Set it to https://payrequest.app/api, or to your sandbox or proxy address.', itemIndex },
			);
		}
		if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
			// Over plain http the token travels readable, and a server that redirects to https drops it.
			throw new NodeOperationError(
				this.node,
				`The Base URL in the PayRequest API credential must start with https:// (it is "${url.origin}")${forItem}`,
				{
					description:
						'Plain http is only allowed for this machine (localhost, 127.0.0.1, ::1): elsewhere the token would travel unencrypted. Set the Base URL to https://payrequest.app/api, or to your proxy’s https address.',
					itemIndex,
				},
			);
		}
		const token = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
		if (token.trim() === '') {
			throw new NodeOperationError(this.node, `The PayRequest API credential has no access token${forItem}`, {
				description: 'Create a token in PayRequest under Settings → API Tokens and paste it into the credential.',
				itemIndex,
			});
		}
		// A space, line break or non-ASCII character inside cannot be a token and cannot go in a header
		// (it would fail as a "connection" error after retries); the token itself is never shown.
		if (/[^\x21-\x7e]/.test(token.trim())) {
			throw new NodeOperationError(
				this.node,
				`The access token in the PayRequest API credential has spaces, line breaks or other characters a token cannot have${forItem}`,
				{ description: 'Copy the token again from PayRequest (Settings → API Tokens) and paste it whole, on one line.', itemIndex },
			);
		}
		const baseUrl = url.href.replace(/\/+$/, '');
		const credentialId = this.node.credentials?.[CREDENTIAL_TYPE]?.id ?? this.node.credentials?.[CREDENTIAL_TYPE]?.name ?? '';
		const budgetKey = `${baseUrl} ${credentialId}`;
		const budget = budgets.get(budgetKey, RATE_POLICY);
		// The token as it may come back: raw, URL-encoded, JSON-escaped, and with Laravel's escaped slashes.
		const jsonEscaped = JSON.stringify(token).slice(1, -1);
		const secrets = [...new Set([token, token.trim(), encodeURIComponent(token.trim()), jsonEscaped, jsonEscaped.replace(/\//g, '\\/')])];
		this.credential = { baseUrl, secrets, budget };
		return this.credential;
	}

	/** Nothing the node shows may carry the token, not even an error text from below. */
	private redact(text: string): string {
		let result = text;
		for (const secret of this.credential?.secrets ?? []) {
			if (secret.length >= 4) result = result.split(secret).join('***');
		}
		return result;
	}

	/** An error body (a proxy echoing headers, an API quoting the token) is redacted before it is shown. */
	private redactBody(body: { text: string; parsed?: unknown }): { text: string; parsed?: unknown } {
		let parsed = body.parsed;
		if (parsed !== undefined) {
			try {
				parsed = JSON.parse(this.redact(JSON.stringify(parsed))) as unknown;
			} catch {
				parsed = undefined;
			}
		}
		return { text: this.redact(body.text), parsed };
	}

	/** Waits `ms`, counting wall time once even when concurrent requests wait together. */
	private async wait(ms: number, reason: string, itemIndex?: number): Promise<void> {
		const now = Date.now();
		const until = now + Math.max(ms, MIN_WAIT_MS);
		const added = Math.max(0, until - Math.max(now, this.waitCoveredUntilMs));
		const maxWaitMs = this.settings.maxWaitSeconds * 1000;
		if (maxWaitMs === 0 && ms > MIN_WAIT_MS) {
			// List search in the editor (and Max Wait 0) never waits: it says why it cannot answer now.
			throw new NodeOperationError(
				this.node,
				`PayRequest's rate limit is reached; try again in ${Math.ceil(ms / 1000)} s`,
				{
					description:
						'PayRequest allows 60 requests a minute for each account, shared by every workflow that uses it. Where a node has Max Wait above 0, it waits for the limit instead of stopping.',
					itemIndex,
				},
			);
		}
		if (this.waitedMs + added > maxWaitMs) {
			throw new NodeOperationError(
				this.node,
				`PayRequest's rate limit asks to wait ${Math.ceil(ms / 1000)} s more, which would pass Max Wait (${this.settings.maxWaitSeconds} s)`,
				{
					description: `Waited ${Math.round(this.waitedMs / 1000)} s already. Raise the Max Wait option, lower Max Concurrency, or run this workflow less often.`,
					itemIndex,
				},
			);
		}
		if (until - now > this.runTimeLeftMs()) throw this.runTimeSpent(reason.replace(/^.*, (before|repeating) /, ''), itemIndex);
		this.waitedMs += added;
		this.waitCoveredUntilMs = Math.max(this.waitCoveredUntilMs, until);
		this.context.logger.debug(`PayRequest: waiting ${Math.round(ms)} ms (${reason})`);
		// In slices, so that stopping the execution also ends a long wait for the rate limit.
		while (Date.now() < until) {
			this.throwIfCancelled(itemIndex);
			await sleep(Math.min(until - Date.now(), CANCEL_CHECK_MS));
		}
		this.throwIfCancelled(itemIndex);
	}

	private cancelSignal(): { aborted: boolean } | undefined {
		const context = this.context as { getExecutionCancelSignal?: () => { aborted: boolean } | undefined };
		return context.getExecutionCancelSignal?.();
	}

	private throwIfCancelled(itemIndex?: number): void {
		if (this.cancelSignal()?.aborted) {
			throw new NodeOperationError(this.node, 'The execution was stopped while waiting for PayRequest', { itemIndex });
		}
	}

	/** Sends one request and returns PayRequest's JSON envelope. */
	async request(request: PayRequestRequest): Promise<ApiBody> {
		const { baseUrl, budget } = await this.resolveCredential(request.itemIndex);
		const query = request.qs ? `?${new URLSearchParams(Object.entries(request.qs).map(([k, v]) => [k, String(v)] as [string, string]))}` : '';
		const endpoint = `${request.method} ${request.path}${query}`;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			headers: { Accept: 'application/json', ...(request.body ? { 'Content-Type': 'application/json' } : {}) },
			body: request.body as IDataObject | undefined,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect is never followed: it would turn a POST into a GET of another page, or send
			// the request (and the token) elsewhere. It becomes an error that names where it points.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		const isRead = request.method === 'GET';
		let rateLimitedAttempts = 0;
		let failedReadRetries = 0;

		for (;;) {
			const budgetDelay = budget.delayBeforeNextRequest(Date.now());
			if (budgetDelay > 0) {
				await this.wait(budgetDelay, `rate budget spent, before ${endpoint}`, request.itemIndex);
				continue;
			}
			// In a new window, the first answer tells what is left before the others go.
			const firstAnswer = budget.answerAwaited();
			if (firstAnswer) {
				await firstAnswer;
				continue;
			}

			// Within the whole run's limit (a poll), the last request gets only the time that is left.
			const timeLeftMs = this.runTimeLeftMs();
			if (timeLeftMs < MIN_WAIT_MS) throw this.runTimeSpent(endpoint, request.itemIndex);
			options.timeout = Math.min(this.settings.timeoutSeconds * 1000, timeLeftMs);
			const ticket = budget.requestStarted();
			let response: { statusCode: number; headers: unknown; body: unknown };
			try {
				response = await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					CREDENTIAL_TYPE,
					options,
				);
			} catch (error) {
				budget.requestFinished(ticket, {});
				// A stopped execution: say so, without the HTTP client's error (it carries the request headers).
				if (errorCode(error) === 'ERR_CANCELED') this.throwIfCancelled(request.itemIndex);
				if (isRead && !isTimeout(error) && failedReadRetries < MAX_FAILED_READ_RETRIES) {
					await this.wait(BACKOFF_BASE_MS * 2 ** failedReadRetries++, `connection failed, repeating ${endpoint}`, request.itemIndex);
					continue;
				}
				throw this.connectionError(error, endpoint, request, options.timeout);
			}
			const headers = lowerCaseHeaders(response.headers);
			budget.requestFinished(ticket, readRateLimitHeaders(headers, Date.now()));
			const status = response.statusCode;
			const body = this.parseBody(response.body);

			if (status === 429 && ++rateLimitedAttempts < MAX_RATE_LIMITED_ATTEMPTS) {
				// Without Retry-After (a proxy stripped it), a whole documented window surely ends the one that is spent.
				const waitMs = retryAfterMs(headers, Date.now()) ?? RATE_POLICY.perMs;
				budget.exhaustedUntil(Date.now() + waitMs);
				await this.wait(waitMs, `429 from PayRequest, repeating ${endpoint}`, request.itemIndex);
				continue;
			}
			if (status >= 500 && isRead && failedReadRetries < MAX_FAILED_READ_RETRIES) {
				await this.wait(BACKOFF_BASE_MS * 2 ** failedReadRetries++, `HTTP ${status}, repeating ${endpoint}`, request.itemIndex);
				continue;
			}
			if (status >= 300 && status < 400) throw this.redirectError(status, headers.location, endpoint, request);
			if (status >= 400) {
				const shown = this.redactBody(body);
				throw apiError(this.node, {
					status,
					method: request.method,
					path: request.path,
					body: shown.parsed ?? shown.text,
					itemIndex: request.itemIndex,
					effectIfAnswerLost: request.effectIfAnswerLost,
				});
			}
			return this.envelope(body, endpoint, request);
		}
	}

	private parseBody(raw: unknown): { text: string; parsed?: unknown } {
		if (typeof raw !== 'string') return { text: '', parsed: raw };
		try {
			return { text: raw, parsed: raw.trim() === '' ? undefined : JSON.parse(raw) };
		} catch {
			return { text: raw };
		}
	}

	private envelope(body: { text: string; parsed?: unknown }, endpoint: string, request: PayRequestRequest): ApiBody {
		const parsed = body.parsed;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			const what =
				body.text.trim() === '' ? 'an empty body' : parsed === undefined ? 'a body that is not JSON' : 'JSON that is not an object';
			throw this.badResponse(`PayRequest answered ${endpoint} with ${what}`, body.text, request);
		}
		const envelope = parsed as ApiBody;
		if (envelope.success === false) {
			// PayRequest said what happened, so this is its refusal, not a lost answer.
			const own = providerMessage(envelope) ?? 'no reason given';
			const message = this.redact(`PayRequest refused ${endpoint}: ${own}`);
			const shown = this.redactBody(body);
			const error = new NodeApiError(this.node, { body: (shown.parsed ?? shown.text) as JsonObject }, {
				message,
				description: 'PayRequest answered that the request failed, and nothing was done. Correct what the message names and run again.',
				itemIndex: request.itemIndex,
			});
			throw keepMessage(error, message);
		}
		return envelope;
	}

	private redirectError(status: number, location: string | string[] | undefined, endpoint: string, request: PayRequestRequest): NodeApiError {
		const raw = Array.isArray(location) ? location[0] : location;
		let target = raw ?? '';
		try {
			// A relative Location is relative to the request; a user:password part is never shown.
			const url = new URL(target, `${this.credential?.baseUrl ?? 'https://payrequest.app/api'}/`);
			url.username = '';
			url.password = '';
			target = url.href;
		} catch {
			target = target.slice(0, 200);
		}
		target = this.redact(target);
		const message = target
			? `PayRequest redirected ${endpoint} to ${target}: set the Base URL to that address`
			: `PayRequest answered ${endpoint} with a redirect (HTTP ${status}) that names no address`;
		const error = new NodeApiError(this.node, { status, location: target } as JsonObject, {
			message,
			description:
				'The request was not repeated at the new address: the Base URL in the PayRequest API credential should be the address the API answers on itself (with https://, ending in /api, without the /v1 part).',
			httpCode: String(status),
			itemIndex: request.itemIndex,
		});
		return keepMessage(error, message);
	}

	private badResponse(message: string, text: string, request: PayRequestRequest): NodeApiError {
		// Redacted before it is cut short, so a token across the cut cannot leave half of itself.
		const redacted = this.redact(text);
		const shown = redacted.length > 300 ? `${redacted.slice(0, 300)}…` : redacted;
		const effect = request.effectIfAnswerLost ? ` ${request.effectIfAnswerLost}; check PayRequest before retrying.` : '';
		// An unreadable answer to a write most likely means it was done: the headline says so.
		// The message may quote PayRequest's own words ("success": false), so it is redacted too.
		const headline = this.redact(request.effectIfAnswerLost ? `${message}. ${request.effectIfAnswerLost}; check before retrying` : message);
		const error = new NodeApiError(this.node, { body: shown }, {
			message: headline,
			description: `The answer could not be read, so nothing was taken from it.${effect} If this keeps happening, check the Base URL (a proxy may be answering instead of PayRequest).`,
			itemIndex: request.itemIndex,
		});
		return keepMessage(error, headline);
	}

	/** Checks the shape of what an endpoint returned, naming the endpoint when it is wrong. */
	expectShape<T>(value: unknown, check: (v: unknown) => v is T, what: string, request: PayRequestRequest): T {
		if (check(value)) return value;
		throw this.badResponse(
			`PayRequest's answer to ${request.method} ${request.path} has no ${what}`,
			JSON.stringify(value ?? null),
			request,
		);
	}

	private connectionError(error: unknown, endpoint: string, request: PayRequestRequest, timeoutMs: number): NodeApiError {
		const code = errorCode(error);
		const timedOut = isTimeout(error);
		const effect = request.effectIfAnswerLost
			? `${request.effectIfAnswerLost}; check PayRequest before retrying, so it is not done twice.`
			: '';
		const failure = timedOut
			? `PayRequest did not answer ${endpoint} within ${Math.round(timeoutMs / 100) / 10} s`
			: `The connection to PayRequest failed during ${endpoint}${code ? ` (${code})` : ''}`;
		// For a write the headline itself says what may have happened: it is what users read.
		const message = request.effectIfAnswerLost ? `${failure}. ${request.effectIfAnswerLost}; check before retrying` : failure;
		const description = [
			effect,
			timedOut
				? 'Raise the Timeout option if PayRequest is slow, or try again later.'
				: `Check the Base URL in the credential and that PayRequest is reachable from n8n. ${this.redact(errorText(error))}`,
		]
			.filter(Boolean)
			.join(' ');
		const nodeError = new NodeApiError(this.node, { code: code ?? 'UNKNOWN' }, {
			message,
			description,
			itemIndex: request.itemIndex,
		});
		return keepMessage(nodeError, message);
	}
}
