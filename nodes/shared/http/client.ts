import type { IDataObject, IHttpRequestOptions, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { isLoopbackHost } from './baseUrl';
import { errorCode, errorText, isTimeout, keepMessage, lowerCaseHeaders } from './errorChain';
import type { RateLimitBudget, RateLimitBudgets, RatePolicy } from './rateLimitBudget';
import { readRateLimitHeaders, retryAfterMs } from './rateLimitBudget';
import { SecretRedactor } from './redactor';
import type { ApiBody, ApiContext, ApiFailure, ApiRequest, TransportSettings } from './types';
import { DEFAULT_TRANSPORT_SETTINGS } from './types';

/** What a credential resolves to: where requests go, and what must never be shown. */
export interface ApiAccount {
	baseUrl: string;
	/** The token or secrets of the credential: redacted from everything the node shows. */
	secrets: string[];
}

/**
 * What one provider means, over the kit's client: its name in messages, its credential, its rate,
 * how its answers say they failed. Everything else (budget, waits, retries, redirects, timeouts,
 * redaction, the wording of connection failures) is the kit's.
 */
export interface ProviderProfile {
	/** As users know it, in every message: "PayRequest did not answer …". */
	name: string;
	credentialType: string;
	/** The documented rate: paces requests while no rate header arrives. */
	ratePolicy: RatePolicy;
	/** Budgets per account, shared by every run of this provider in this n8n process. */
	budgets: RateLimitBudgets;
	/** For the description of a wait that is too long: the provider's limit, in words. */
	rateLimitAdvice: string;
	/** For the description of a redirect: what the base URL should be. */
	baseUrlAdvice: string;
	/** Reads and checks the credential; throws an error that names what to fix. */
	account(node: INode, credentials: IDataObject, itemIndex?: number): ApiAccount;
	/** The provider's own words when a 2xx answer says that it failed (an envelope's success: false); undefined otherwise. */
	refusal?(envelope: ApiBody): string | undefined;
	/** A 4xx or 5xx answer as the provider's NodeApiError (the body is already redacted). */
	statusError(node: INode, failure: ApiFailure): NodeApiError;
	/**
	 * Let n8n's helper throw on error statuses instead of returning them. OAuth2 credentials need
	 * it: n8n renews an expired token (and repeats the request once) only when the request throws
	 * on the expired-token status. The thrown answer is read back here like any other.
	 */
	statusErrorsThrow?: boolean;
	/** An error of the credential itself (n8n could not mint a token, say), in the provider's words; undefined for any other failure. */
	credentialFailure?(node: INode, error: unknown, itemIndex?: number): NodeApiError | undefined;
}

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
 * An answer that n8n's helper threw instead of returning (see ProviderProfile.statusErrorsThrow):
 * its status, headers and body, from wherever in the error the HTTP client left them.
 */
export function thrownResponse(error: unknown): { statusCode: number; headers: unknown; body: unknown } | undefined {
	// n8n 2.x keeps the HTTP client's error as `cause`; n8n 1.x keeps it as `errorResponse`.
	const seen = new Set<unknown>();
	const queue: unknown[] = [error];
	let httpCode: number | undefined;
	while (queue.length > 0 && seen.size < 10) {
		const current = queue.shift();
		if (typeof current !== 'object' || current === null || seen.has(current)) continue;
		seen.add(current);
		const { response, cause, errorResponse } = current as { response?: { status?: unknown; headers?: unknown; data?: unknown }; cause?: unknown; errorResponse?: unknown };
		if (typeof response === 'object' && response !== null && typeof response.status === 'number') {
			return { statusCode: response.status, headers: response.headers, body: response.data };
		}
		const code = (current as { httpCode?: unknown }).httpCode;
		if (httpCode === undefined && typeof code === 'string' && /^[1-5]\d\d$/.test(code)) httpCode = Number(code);
		queue.push(cause, errorResponse);
	}
	// The status alone, where the error kept no answer (its headers and body are lost).
	return httpCode === undefined ? undefined : { statusCode: httpCode, headers: {}, body: undefined };
}

interface ResolvedAccount {
	baseUrl: string;
	redactor: SecretRedactor;
	budget: RateLimitBudget;
}

/**
 * Talks to one provider for one node run (or one poll, or one list search): the one place that
 * sends requests. It applies the account's rate budget, waits out 429s, repeats reads that failed
 * on the way, never repeats a write unless the provider surely did not act on it, never follows a
 * redirect, and maps every failure to an n8n error that says what to do and never carries a secret.
 */
export class ApiClient {
	private account: ResolvedAccount | undefined;

	private waitedMs = 0;

	private waitCoveredUntilMs = 0;

	private readonly startedMs = Date.now();

	constructor(
		private readonly context: ApiContext,
		private readonly profile: ProviderProfile,
		private settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS,
	) {}

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

	get logger(): ApiContext['logger'] {
		return this.context.logger;
	}

	/** The workflow's time zone, in which days (how long an invoice is overdue) are counted. */
	get timeZone(): string {
		return this.context.getTimezone();
	}

	private async resolveAccount(itemIndex?: number): Promise<ResolvedAccount> {
		if (this.account) return this.account;
		const { credentialType } = this.profile;
		const credentials = (await this.context.getCredentials(credentialType, itemIndex)) as IDataObject;
		const { baseUrl, secrets } = this.profile.account(this.node, credentials, itemIndex);
		const credentialId = this.node.credentials?.[credentialType]?.id ?? this.node.credentials?.[credentialType]?.name ?? '';
		const budget = this.profile.budgets.get(`${baseUrl} ${credentialId}`, this.profile.ratePolicy);
		this.account = { baseUrl, redactor: new SecretRedactor(secrets), budget };
		return this.account;
	}

	/** Nothing the node shows may carry a secret, not even an error text from below. */
	private redact(text: string): string {
		return this.account ? this.account.redactor.redact(text) : text;
	}

	private redactBody(body: { text: string; parsed?: unknown }): { text: string; parsed?: unknown } {
		return this.account ? this.account.redactor.redactBody(body) : body;
	}

	/** Milliseconds left of the whole run's limit; Infinity without one. */
	private runTimeLeftMs(): number {
		const { wholeRunSeconds } = this.settings;
		return wholeRunSeconds === undefined ? Number.POSITIVE_INFINITY : this.startedMs + wholeRunSeconds * 1000 - Date.now();
	}

	private runTimeSpent(endpoint: string, itemIndex?: number): NodeOperationError {
		const { timeoutSeconds, maxWaitSeconds, wholeRunSeconds } = this.settings;
		const { name } = this.profile;
		return new NodeOperationError(this.node, `${name} did not finish ${endpoint} within the ${wholeRunSeconds} s this run may take`, {
			description:
				maxWaitSeconds > 0
					? `A poll ends within Timeout (${timeoutSeconds} s) + Max Wait (${maxWaitSeconds} s). It saved nothing; the next poll emits what this one missed. If ${name} is often this slow, raise the two options, keeping them together under 45 s (n8n abandons a longer poll).`
					: `${name} is slow or its rate limit is reached; try again in a moment.`,
			itemIndex,
		});
	}

	/** Waits `ms`, counting wall time once even when concurrent requests wait together. */
	private async wait(ms: number, reason: string, endpoint: string, itemIndex?: number): Promise<void> {
		const { name } = this.profile;
		const now = Date.now();
		const until = now + Math.max(ms, MIN_WAIT_MS);
		const added = Math.max(0, until - Math.max(now, this.waitCoveredUntilMs));
		const maxWaitMs = this.settings.maxWaitSeconds * 1000;
		if (maxWaitMs === 0 && ms > MIN_WAIT_MS) {
			// List search in the editor (and Max Wait 0) never waits: it says why it cannot answer now.
			throw new NodeOperationError(this.node, `${name}'s rate limit is reached; try again in ${Math.ceil(ms / 1000)} s`, {
				description: `${this.profile.rateLimitAdvice} Where a node has Max Wait above 0, it waits for the limit instead of stopping.`,
				itemIndex,
			});
		}
		if (this.waitedMs + added > maxWaitMs) {
			throw new NodeOperationError(
				this.node,
				`${name}'s rate limit asks to wait ${Math.ceil(ms / 1000)} s more, which would pass Max Wait (${this.settings.maxWaitSeconds} s)`,
				{
					description: `Waited ${Math.round(this.waitedMs / 1000)} s already. Raise the Max Wait option, send fewer items a run, or run this workflow less often.`,
					itemIndex,
				},
			);
		}
		if (until - now > this.runTimeLeftMs()) throw this.runTimeSpent(endpoint, itemIndex);
		this.waitedMs += added;
		this.waitCoveredUntilMs = Math.max(this.waitCoveredUntilMs, until);
		this.context.logger.debug(`${name}: waiting ${Math.round(ms)} ms (${reason} ${endpoint})`);
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
			throw new NodeOperationError(this.node, `The execution was stopped while waiting for ${this.profile.name}`, { itemIndex });
		}
	}

	/** Sends one request and returns the provider's JSON answer, its envelope checked. */
	async request(request: ApiRequest): Promise<ApiBody> {
		const { baseUrl, budget } = await this.resolveAccount(request.itemIndex);
		const { name } = this.profile;
		const query = request.qs ? `?${new URLSearchParams(Object.entries(request.qs).map(([k, v]) => [k, String(v)] as [string, string]))}` : '';
		const endpoint = `${request.method} ${request.path}${query}`;
		// n8n's helpers change the options they are given (headers, body, auth): every attempt gets its own.
		const optionsFor = (timeout: number): IHttpRequestOptions => ({
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs ? { ...request.qs } : undefined,
			headers: { Accept: 'application/json', ...(request.body ? { 'Content-Type': 'application/json' } : {}) },
			body: request.body ? (JSON.parse(JSON.stringify(request.body)) as IDataObject) : undefined,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: !this.profile.statusErrorsThrow,
			// A redirect is never followed: it would turn a POST into a GET of another page, or send
			// the request (and the token) elsewhere. It becomes an error that names where it points.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout,
		});
		const isRead = request.method === 'GET';
		let rateLimitedAttempts = 0;
		let failedReadRetries = 0;

		for (;;) {
			const budgetDelay = budget.delayBeforeNextRequest(Date.now());
			if (budgetDelay > 0) {
				await this.wait(budgetDelay, 'rate budget spent, before', endpoint, request.itemIndex);
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
			const timeoutMs = Math.min(this.settings.timeoutSeconds * 1000, timeLeftMs);
			const options = optionsFor(timeoutMs);

			const ticket = budget.requestStarted();
			let response: { statusCode: number; headers: unknown; body: unknown };
			try {
				response = await this.context.helpers.httpRequestWithAuthentication.call(this.context, this.profile.credentialType, options);
			} catch (error) {
				// n8n could not mint a token: nothing reached the API, whatever status the token endpoint gave.
				const ofCredential = this.profile.credentialFailure?.(this.node, error, request.itemIndex);
				if (ofCredential) {
					budget.requestFinished(ticket, {});
					throw ofCredential;
				}
				const answered = thrownResponse(error);
				if (answered) {
					response = answered;
				} else {
					budget.requestFinished(ticket, {});
					// A stopped execution: say so, without the HTTP client's error (it carries the request headers).
					if (errorCode(error) === 'ERR_CANCELED') this.throwIfCancelled(request.itemIndex);
					if (isRead && !isTimeout(error) && failedReadRetries < MAX_FAILED_READ_RETRIES) {
						await this.wait(BACKOFF_BASE_MS * 2 ** failedReadRetries++, 'connection failed, repeating', endpoint, request.itemIndex);
						continue;
					}
					throw this.connectionError(error, endpoint, request, timeoutMs);
				}
			}
			const headers = lowerCaseHeaders(response.headers);
			budget.requestFinished(ticket, readRateLimitHeaders(headers, Date.now()));
			const status = response.statusCode;
			const body = this.parseBody(response.body);

			if (status === 429 && ++rateLimitedAttempts < MAX_RATE_LIMITED_ATTEMPTS) {
				// Without Retry-After (a proxy stripped it), a whole documented window surely ends the one that is spent.
				const waitMs = retryAfterMs(headers, Date.now()) ?? this.profile.ratePolicy.perMs;
				budget.exhaustedUntil(Date.now() + waitMs);
				await this.wait(waitMs, `429 from ${name}, repeating`, endpoint, request.itemIndex);
				continue;
			}
			if (status >= 500 && isRead && failedReadRetries < MAX_FAILED_READ_RETRIES) {
				await this.wait(BACKOFF_BASE_MS * 2 ** failedReadRetries++, `HTTP ${status}, repeating`, endpoint, request.itemIndex);
				continue;
			}
			if (status >= 300 && status < 400) throw this.redirectError(status, headers.location, endpoint, request);
			if (status >= 400) {
				const shown = this.redactBody(body);
				throw this.profile.statusError(this.node, {
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

	/**
	 * Downloads a signed link that the provider handed out (a PDF on a file host): through n8n's
	 * client, but without the credential, so the token never reaches that host. Not counted in the
	 * provider's rate budget, which is the API's, not the file host's.
	 */
	async fetchUnauthenticated(url: string, itemIndex?: number): Promise<Buffer> {
		const { name } = this.profile;
		let parsed: URL | undefined;
		try {
			parsed = new URL(url);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))) {
			throw new NodeOperationError(this.node, `${name} gave a file link that is not an https address: "${url.slice(0, 100)}"`, { itemIndex });
		}
		let response: { statusCode: number; body: unknown };
		try {
			response = await this.context.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: this.settings.timeoutSeconds * 1000,
			});
		} catch (error) {
			throw this.connectionError(error, `GET ${parsed.origin}${parsed.pathname}`, { method: 'GET', path: parsed.pathname, itemIndex }, this.settings.timeoutSeconds * 1000);
		}
		if (response.statusCode >= 400) {
			const message = `The file link from ${name} answered HTTP ${response.statusCode}`;
			const error = new NodeApiError(this.node, { status: response.statusCode } as JsonObject, {
				message,
				description: 'Signed links expire: run the node again for a fresh one.',
				httpCode: String(response.statusCode),
				itemIndex,
			});
			throw keepMessage(error, message);
		}
		const body = response.body;
		return Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
	}

	private parseBody(raw: unknown): { text: string; parsed?: unknown } {
		if (typeof raw !== 'string') return { text: '', parsed: raw };
		try {
			return { text: raw, parsed: raw.trim() === '' ? undefined : JSON.parse(raw) };
		} catch {
			return { text: raw };
		}
	}

	private envelope(body: { text: string; parsed?: unknown }, endpoint: string, request: ApiRequest): ApiBody {
		const { name } = this.profile;
		const parsed = body.parsed;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			const what =
				body.text.trim() === '' ? 'an empty body' : parsed === undefined ? 'a body that is not JSON' : 'JSON that is not an object';
			throw this.badResponse(`${name} answered ${endpoint} with ${what}`, body.text, request);
		}
		const envelope = parsed as ApiBody;
		const refusal = this.profile.refusal?.(envelope);
		if (refusal !== undefined) {
			// The provider said what happened, so this is its refusal, not a lost answer.
			const message = this.redact(`${name} refused ${endpoint}: ${refusal}`);
			const shown = this.redactBody(body);
			const error = new NodeApiError(this.node, { body: (shown.parsed ?? shown.text) as JsonObject }, {
				message,
				description: `${name} answered that the request failed, and nothing was done. Correct what the message names and run again.`,
				itemIndex: request.itemIndex,
			});
			throw keepMessage(error, message);
		}
		return envelope;
	}

	private redirectError(status: number, location: string | string[] | undefined, endpoint: string, request: ApiRequest): NodeApiError {
		const { name } = this.profile;
		const raw = Array.isArray(location) ? location[0] : location;
		let target = raw ?? '';
		try {
			// A relative Location is relative to the request; a user:password part is never shown.
			const url = new URL(target, `${this.account?.baseUrl ?? 'https://invalid.invalid'}/`);
			url.username = '';
			url.password = '';
			target = url.href;
		} catch {
			target = target.slice(0, 200);
		}
		target = this.redact(target);
		const message = target
			? `${name} redirected ${endpoint} to ${target}: set the Base URL to that address`
			: `${name} answered ${endpoint} with a redirect (HTTP ${status}) that names no address`;
		const error = new NodeApiError(this.node, { status, location: target } as JsonObject, {
			message,
			description: `The request was not repeated at the new address: ${this.profile.baseUrlAdvice}`,
			httpCode: String(status),
			itemIndex: request.itemIndex,
		});
		return keepMessage(error, message);
	}

	private badResponse(message: string, text: string, request: ApiRequest): NodeApiError {
		const { name } = this.profile;
		// Redacted before it is cut short, so a token across the cut cannot leave half of itself.
		const redacted = this.redact(text);
		const shown = redacted.length > 300 ? `${redacted.slice(0, 300)}…` : redacted;
		const effect = request.effectIfAnswerLost ? ` ${request.effectIfAnswerLost}; check ${name} before retrying.` : '';
		// An unreadable answer to a write most likely means it was done: the headline says so.
		const headline = this.redact(request.effectIfAnswerLost ? `${message}. ${request.effectIfAnswerLost}; check before retrying` : message);
		const error = new NodeApiError(this.node, { body: shown }, {
			message: headline,
			description: `The answer could not be read, so nothing was taken from it.${effect} If this keeps happening, check the Base URL (a proxy may be answering instead of ${name}).`,
			itemIndex: request.itemIndex,
		});
		return keepMessage(error, headline);
	}

	/** Checks the shape of what an endpoint returned, naming the endpoint when it is wrong. */
	expectShape<T>(value: unknown, check: (v: unknown) => v is T, what: string, request: ApiRequest): T {
		if (check(value)) return value;
		throw this.badResponse(`${this.profile.name}'s answer to ${request.method} ${request.path} has no ${what}`, JSON.stringify(value ?? null), request);
	}

	private connectionError(error: unknown, endpoint: string, request: ApiRequest, timeoutMs: number): NodeApiError {
		const { name } = this.profile;
		const code = errorCode(error);
		const timedOut = isTimeout(error);
		const effect = request.effectIfAnswerLost ? `${request.effectIfAnswerLost}; check ${name} before retrying, so it is not done twice.` : '';
		const failure = timedOut
			? `${name} did not answer ${endpoint} within ${Math.round(timeoutMs / 100) / 10} s`
			: `The connection to ${name} failed during ${endpoint}${code ? ` (${code})` : ''}`;
		// For a write the headline itself says what may have happened: it is what users read.
		const message = request.effectIfAnswerLost ? `${failure}. ${request.effectIfAnswerLost}; check before retrying` : failure;
		const description = [
			effect,
			timedOut
				? `Raise the Timeout option if ${name} is slow, or try again later.`
				: `Check the Base URL in the credential and that ${name} is reachable from n8n. ${this.redact(errorText(error))}`,
		]
			.filter(Boolean)
			.join(' ');
		const nodeError = new NodeApiError(this.node, { code: code ?? 'UNKNOWN' }, { message, description, itemIndex: request.itemIndex });
		return keepMessage(nodeError, message);
	}
}
