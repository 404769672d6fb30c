/**
 * One request budget per API account, shared by every request in flight, so that concurrent
 * pages and many input items stay inside the provider's limit instead of collecting 429s.
 * Provider-neutral: it reads the common X-RateLimit-* headers and knows nothing of n8n.
 */
export interface RateLimitHeaders {
	remaining?: number;
	/** Epoch milliseconds at which the budget refills. */
	resetAtMs?: number;
}

export class RateLimitBudget {
	private remaining: number | undefined;

	private resetAtMs: number | undefined;

	private inFlight = 0;

	/** Whether answers carry rate-limit headers; undefined until the first answer. */
	private limited: boolean | undefined;

	private answerWaiters: Array<() => void> = [];

	/** Milliseconds a new request should wait before it goes out; 0 when it may go now. */
	delayBeforeNextRequest(nowMs: number): number {
		if (this.remaining === undefined || this.resetAtMs === undefined) return 0;
		if (nowMs >= this.resetAtMs) {
			// The window has rolled over: what is left is unknown until the next answer.
			this.remaining = undefined;
			this.resetAtMs = undefined;
			return 0;
		}
		return this.remaining - this.inFlight > 0 ? 0 : this.resetAtMs - nowMs;
	}

	/**
	 * While what is left is unknown (nothing answered yet, or a new window no answer has
	 * described), one request goes first and the others wait for its answer: a window that
	 * allows fewer requests than are ready to go is never overrun. Call it right after
	 * delayBeforeNextRequest gave 0; undefined means the request may go now.
	 */
	answerAwaited(): Promise<void> | undefined {
		if (this.remaining !== undefined || this.inFlight === 0 || this.limited === false) return undefined;
		return new Promise((resolve) => this.answerWaiters.push(resolve));
	}

	requestStarted(): void {
		this.inFlight++;
	}

	/** Call once per started request, with the headers of its answer ({} when there was none). */
	requestFinished(headers: RateLimitHeaders, nowMs = Date.now()): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (headers.remaining !== undefined && headers.resetAtMs !== undefined) {
			this.limited = true;
		}
		// An answer about a window that has already ended (a late one, after the rollover) would
		// only hold back the new window.
		if (headers.remaining !== undefined && headers.resetAtMs !== undefined && headers.resetAtMs > nowMs) {
			const sameWindow = this.resetAtMs !== undefined && headers.resetAtMs <= this.resetAtMs;
			// Answers arrive out of order: within one window the lowest count is the newest truth.
			this.remaining =
				sameWindow && this.remaining !== undefined
					? Math.min(this.remaining, headers.remaining)
					: headers.remaining;
			this.resetAtMs = sameWindow ? this.resetAtMs : headers.resetAtMs;
		}
		this.limited ??= false;
		const waiters = this.answerWaiters;
		this.answerWaiters = [];
		for (const wakeUp of waiters) wakeUp();
	}

	/** A 429 says the budget is spent until the given time, whatever the headers said before. */
	exhaustedUntil(resetAtMs: number): void {
		this.limited = true;
		this.remaining = 0;
		this.resetAtMs = Math.max(resetAtMs, this.resetAtMs ?? 0);
	}
}

type HeaderValue = string | string[] | number | undefined;

function headerNumber(value: HeaderValue): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (text === undefined || text === '') return undefined;
	const parsed = Number(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * X-RateLimit-Reset is an epoch second on most APIs (Laravel, GitHub) and a number of seconds
 * on others; a value that cannot be an epoch is read as seconds from now.
 */
function resetToEpochMs(reset: number, nowMs: number): number {
	return reset > 1e9 ? reset * 1000 : nowMs + reset * 1000;
}

export function readRateLimitHeaders(
	headers: Record<string, HeaderValue>,
	nowMs: number,
): RateLimitHeaders {
	const remaining = headerNumber(headers['x-ratelimit-remaining']);
	const reset = headerNumber(headers['x-ratelimit-reset']);
	return {
		remaining,
		resetAtMs: reset === undefined ? undefined : resetToEpochMs(reset, nowMs),
	};
}

/** How long a 429 asks to wait: Retry-After (seconds or an HTTP date), else the reset header. */
export function retryAfterMs(headers: Record<string, HeaderValue>, nowMs: number): number | undefined {
	const retryAfter = Array.isArray(headers['retry-after'])
		? headers['retry-after'][0]
		: headers['retry-after'];
	if (retryAfter !== undefined && retryAfter !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(String(retryAfter));
		if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
	}
	const { resetAtMs } = readRateLimitHeaders(headers, nowMs);
	return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - nowMs);
}
