/**
 * The nodes' clock in tests: Date (and Date.now) set to a moment and running on from there in real
 * time, while every timer stays real (HTTP, sleeps, retries and rate windows run as usual). The
 * emulators keep clocks of their own (today, created_at): a test sets both to the same moment.
 */
const REAL_TIMERS = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;

/** The nodes' clock reads `at` now (then runs on in real time). */
export function setNodeClock(at: number | string | Date): void {
	const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
	if (!Number.isFinite(ms)) throw new Error(`Not a moment: ${String(at)}`);
	jest.useFakeTimers({ advanceTimers: true, doNotFake: [...REAL_TIMERS], now: ms });
}

let followed: number | undefined;

/**
 * The nodes' clock to an emulator's moment, when the test moved that clock since the last call;
 * else the nodes' clock runs on (a wait for a rate limit must pass on it too).
 */
export function followClock(emulatorMs: number): void {
	if (emulatorMs === followed) return;
	setNodeClock(emulatorMs);
	followed = emulatorMs;
}

/** The real clock again. */
export function restoreNodeClock(): void {
	followed = undefined;
	jest.useRealTimers();
}
