/**
 * One request budget per API account, shared by every request in flight, so that concurrent
 * pages and many input items stay inside the provider's limit instead of collecting 429s.
 * Provider-neutral: it reads the common X-RateLimit-* headers and knows nothing of n8n.
 *
 * What servers really send differs, so the budget trusts only what it is told:
 * - Laravel sends Limit and Remaining on every answer, but Reset and Retry-After only on the 429.
 *   What is left is then known, when the window ends is not. When it is spent, one request goes
 *   as a probe: either the window has rolled over (and its answer says so), or its 429 tells how
 *   long to wait. At most one 429 per window, and none of them reaches the user.
 * - Some servers send Reset on every answer: then the budget waits for it instead of probing.
 * - Behind some proxies no rate header arrives at all: then the provider's documented rate (the
 *   policy) paces the requests.
 * - Other processes may use the same account (n8n's queue mode: several workers, one token). Each
 *   keeps its own budget, so each learns its share of the window from how fast Remaining falls
 *   against its own requests, and uses only that share of what is left: the workers do not all
 *   spend the same last requests of a window, and each meets at most one 429 a window.
 */
export interface RateLimitHeaders {
	/** X-RateLimit-Limit: the size of a window. */
	limit?: number;
	remaining?: number;
	/** Epoch milliseconds at which the budget refills. */
	resetAtMs?: number;
}

/** The provider's documented rate, used only while its answers carry no rate headers. */
export interface RatePolicy {
	requests: number;
	perMs: number;
}

/** Handed out when a request starts, returned with its answer. */
export interface RequestTicket {
	/** How many answers with a count had come back when this request started. */
	readonly answersBefore: number;
	/** Its place among the requests this budget started. */
	readonly sequence?: number;
	/** Its place in the pacing (without rate headers): when its answer came, Infinity until then. */
	readonly paced?: PacedRequest;
}

interface PacedRequest {
	startedAt: number;
	answeredAt: number;
}

/**
 * Slack added to a paced window. The window is measured from answers, which come after the server
 * counted the request, so only timer jitter is left to cover: a hundredth of the window, at most
 * a quarter of a second (5 a second: 10 ms; 60 a minute: 250 ms).
 */
function pacingSlackMs(policy: RatePolicy): number {
	return Math.min(250, policy.perMs / 100);
}

/** How many of its own requests a process counts before it reads its share from the fall of Remaining. */
const SHARE_SPAN = 4;

export class RateLimitBudget {
	/** What is left in the current window, as the newest answer said; undefined while unknown. */
	private remaining: number | undefined;

	/** Which answer (by count) told `remaining`. */
	private remainingFromAnswer = 0;

	private answersWithCount = 0;

	/** When the current window ends, where a server said so (Reset on every answer). */
	private resetAtMs: number | undefined;

	/** After a 429: nothing goes before this time. */
	private blockedUntilMs = 0;

	private inFlight = 0;

	/** Whether answers carry rate-limit headers; undefined until the first answer. */
	private withHeaders: boolean | undefined;

	/**
	 * The latest `policy.requests` requests in the order they started, for pacing to the policy when
	 * there are no headers. A request may start once the one `policy.requests` places back was
	 * answered a whole window ago: it was counted by the server before it was answered, so the server
	 * cannot count more than the policy in any window.
	 */
	private paced: PacedRequest[] = [];

	/**
	 * The shortest round trip seen without headers. Until a 429 says otherwise, the window is
	 * measured from an answer less that round trip: exact when round trips are steady (a server
	 * counts each request the same time after it started), one round trip per window faster than
	 * measuring from answers. A round trip shorter than any seen before can let one window count
	 * one request too many; the 429 that follows is waited out like any other and ends the credit
	 * for good, so at most one window of the budget's life is refused.
	 */
	private shortestRoundTripMs = Number.POSITIVE_INFINITY;

	private creditRoundTrip = true;

	private answerWaiters: Array<() => void> = [];

	/** Requests started so far (their sequence numbers). */
	private started = 0;

	/** The share of what is left in a window that this process may use (1: it seems to be alone on the account). */
	private share = 1;

	/** The newest count that the share was measured from: which request it answered, and what it said. */
	private shareFrom: { sequence: number; remaining: number } | undefined;

	/** Wall time of the last request, so that idle budgets can be dropped. */
	lastUsedMs = 0;

	constructor(private readonly policy?: RatePolicy) {}

	/** Whether nothing is in flight or waiting: the budget can be dropped without losing anything that matters. */
	get idle(): boolean {
		return this.inFlight === 0 && this.answerWaiters.length === 0;
	}

	/** Milliseconds a new request should wait before it goes out; 0 when it may go now. */
	delayBeforeNextRequest(nowMs: number): number {
		if (nowMs < this.blockedUntilMs) return this.blockedUntilMs - nowMs;
		if (this.resetAtMs !== undefined && nowMs >= this.resetAtMs) {
			// The window has rolled over: what is left is unknown until the next answer.
			this.remaining = undefined;
			this.resetAtMs = undefined;
		}
		if (this.withHeaders === false) return Math.max(0, this.pacingDelay(nowMs));
		if (this.remaining === undefined || this.allowance() - this.inFlight > 0) return 0;
		// Spent. Where the server said when the window ends, wait for it; otherwise a probe finds out.
		return this.resetAtMs !== undefined ? this.resetAtMs - nowMs : 0;
	}

	/**
	 * Whether this request must wait for an answer before it goes: while what is left is unknown
	 * (nothing answered yet, or a new window that no answer has described), or while it is spent
	 * and a probe is out, one request goes first and the others wait for its answer. Call it right
	 * after delayBeforeNextRequest gave 0; undefined means the request may go now.
	 */
	answerAwaited(): Promise<void> | undefined {
		if (this.inFlight === 0) return undefined;
		if (this.withHeaders === false) {
			// Paced: the request the window is measured from is still out.
			return this.pacingDelay(Date.now()) < 0 ? new Promise((resolve) => this.answerWaiters.push(resolve)) : undefined;
		}
		if (this.remaining !== undefined && this.allowance() - this.inFlight > 0) return undefined;
		return new Promise((resolve) => this.answerWaiters.push(resolve));
	}

	/**
	 * What this process may spend of what is left: its share, rounded down. With others on the account
	 * half of it: the count is one round trip old, and in that time the others may have spent as much
	 * as they had in flight; so near the end of a window each process has one request out at most.
	 */
	private allowance(): number {
		const others = this.share < 0.95;
		return Math.floor(((this.remaining ?? 0) * this.share) / (others ? 2 : 1));
	}

	/**
	 * Learns the share from two counts: between them the server served `drop` requests, of which
	 * this process started `own` (told by sequence numbers, so answers out of order do not count
	 * twice). Others took the rest. Smoothed, so one odd reading does not swing it.
	 */
	private learnShare(sequence: number | undefined, remaining: number, limit: number | undefined): void {
		if (sequence === undefined) return;
		const from = this.shareFrom;
		if (from && sequence <= from.sequence) return;
		// A higher count is a new window: measure from here. The first count of all, with the window's
		// size, already tells whether others spent part of it: more spent than this process started.
		if (!from || remaining > from.remaining) {
			if (!from && limit !== undefined && limit - remaining > sequence) this.share = Math.max(1 / 16, sequence / (limit - remaining));
			this.shareFrom = { sequence, remaining };
			return;
		}
		const drop = from.remaining - remaining;
		const own = sequence - from.sequence;
		// Over a stretch of several of its own requests: side by side, two answers in a row say nothing of the others.
		if (own < SHARE_SPAN && drop < 2 * SHARE_SPAN) return;
		this.shareFrom = { sequence, remaining };
		const sample = drop <= own ? 1 : own / drop;
		this.share = Math.min(1, Math.max(1 / 16, (this.share + sample) / 2));
	}

	requestStarted(nowMs = Date.now()): RequestTicket {
		this.inFlight++;
		this.lastUsedMs = nowMs;
		const sequence = ++this.started;
		if (!this.policy) return { answersBefore: this.answersWithCount, sequence };
		const paced: PacedRequest = { startedAt: nowMs, answeredAt: Number.POSITIVE_INFINITY };
		this.paced.push(paced);
		if (this.paced.length > this.policy.requests) this.paced.shift();
		return { answersBefore: this.answersWithCount, sequence, paced };
	}

	/** Call once per started request, with the headers of its answer ({} when there was none). */
	requestFinished(ticket: RequestTicket, headers: RateLimitHeaders, nowMs = Date.now()): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (ticket.paced) {
			ticket.paced.answeredAt = nowMs;
			if (headers.remaining === undefined) this.shortestRoundTripMs = Math.min(this.shortestRoundTripMs, nowMs - ticket.paced.startedAt);
		}
		if (headers.remaining !== undefined) {
			this.withHeaders = true;
			this.answersWithCount++;
			this.learnShare(ticket.sequence, headers.remaining, headers.limit);
			if (ticket.answersBefore >= this.remainingFromAnswer || this.remaining === undefined) {
				// Sent after the answer that told the current count, so served after it: within one
				// window it can only be lower, so a higher count means a new window.
				this.remaining = headers.remaining;
				this.remainingFromAnswer = this.answersWithCount;
			} else {
				// An answer to an older request, arriving late: only a lower count is news.
				this.remaining = Math.min(this.remaining, headers.remaining);
			}
			// A Reset about a window that has already ended (a late answer) would only hold back the new one.
			if (headers.resetAtMs !== undefined && headers.resetAtMs > nowMs) {
				this.resetAtMs = Math.max(headers.resetAtMs, this.resetAtMs ?? 0);
			}
		} else if (this.withHeaders === undefined) {
			this.withHeaders = false;
		}
		const waiters = this.answerWaiters;
		this.answerWaiters = [];
		for (const wakeUp of waiters) wakeUp();
	}

	/**
	 * A 429: the budget is spent until the given time, whatever the headers said before. After
	 * it, what is left is unknown, so the first request of the next window goes alone and its
	 * answer lets the others go concurrently again.
	 */
	exhaustedUntil(untilMs: number): void {
		this.blockedUntilMs = Math.max(this.blockedUntilMs, untilMs);
		this.remaining = undefined;
		this.resetAtMs = undefined;
		if (this.withHeaders === false && this.policy) {
			// Without headers the pacing is what failed (round trips got shorter, or another client shares
			// the account): start it afresh, measured from answers alone from now on.
			this.creditRoundTrip = false;
			const answeredAt = untilMs - this.policy.perMs - pacingSlackMs(this.policy);
			this.paced = Array.from({ length: this.policy.requests }, () => ({ startedAt: answeredAt, answeredAt }));
		}
	}

	/**
	 * Without headers: how long until the next request may start, measured from the answer of the
	 * request `policy.requests` places back (less the round-trip credit while it holds); -1 while
	 * that request is still out (wait for its answer).
	 */
	private pacingDelay(nowMs: number): number {
		if (!this.policy || this.paced.length < this.policy.requests) return 0;
		const oldest = this.paced[this.paced.length - this.policy.requests];
		if (oldest.answeredAt === Number.POSITIVE_INFINITY) return -1;
		// Never earlier than a whole window after the oldest started, whatever the credit.
		const measuredFrom = this.creditRoundTrip && Number.isFinite(this.shortestRoundTripMs) ? Math.max(oldest.startedAt, oldest.answeredAt - this.shortestRoundTripMs) : oldest.answeredAt;
		return Math.max(0, measuredFrom + this.policy.perMs + pacingSlackMs(this.policy) - nowMs);
	}
}

/**
 * Budgets keyed by account, shared by every run in this process. Budgets not used for a while are
 * dropped (their windows have long ended), so the map does not grow with every credential ever used.
 */
export class RateLimitBudgets {
	private readonly budgets = new Map<string, RateLimitBudget>();

	constructor(
		private readonly maxIdleMs = 10 * 60_000,
		private readonly maxBudgets = 500,
	) {}

	get size(): number {
		return this.budgets.size;
	}

	get(key: string, policy: RatePolicy | undefined, nowMs = Date.now()): RateLimitBudget {
		let budget = this.budgets.get(key);
		if (budget) {
			// Most recently used last, so the oldest are first in line to be dropped.
			this.budgets.delete(key);
		} else {
			budget = new RateLimitBudget(policy);
			this.dropIdle(nowMs);
		}
		budget.lastUsedMs = nowMs;
		this.budgets.set(key, budget);
		return budget;
	}

	private dropIdle(nowMs: number): void {
		for (const [key, budget] of this.budgets) {
			const tooMany = this.budgets.size >= this.maxBudgets;
			if (!tooMany && nowMs - budget.lastUsedMs < this.maxIdleMs) break;
			if (budget.idle) this.budgets.delete(key);
		}
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

export function readRateLimitHeaders(headers: Record<string, HeaderValue>, nowMs: number): RateLimitHeaders {
	const remaining = headerNumber(headers['x-ratelimit-remaining']);
	const reset = headerNumber(headers['x-ratelimit-reset']);
	const limit = headerNumber(headers['x-ratelimit-limit']);
	return {
		...(limit !== undefined && limit > 0 ? { limit } : {}),
		remaining,
		resetAtMs: reset === undefined ? undefined : resetToEpochMs(reset, nowMs),
	};
}

/** How long a 429 asks to wait: Retry-After (seconds or an HTTP date), else the reset header. */
export function retryAfterMs(headers: Record<string, HeaderValue>, nowMs: number): number | undefined {
	const retryAfter = Array.isArray(headers['retry-after']) ? headers['retry-after'][0] : headers['retry-after'];
	if (retryAfter !== undefined && retryAfter !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(String(retryAfter));
		if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
	}
	const { resetAtMs } = readRateLimitHeaders(headers, nowMs);
	return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - nowMs);
}
