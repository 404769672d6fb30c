import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { TransportSettings } from '../http/types';

/**
 * Providers deliver again what was not answered in time (Paisr up to 10 times, and anew when asked
 * to): one event must start one execution. A trigger names each event by what identifies it (never
 * by a timestamp, which a retry may carry anew), and the keys of the events emitted are kept in two
 * places, each bounded in count and age:
 * - in this process's memory, per workflow and node: a retry reaches the n8n that took the first
 *   delivery (its main process, or the one webhook process behind a load balancer's affinity);
 * - in the node's static data, for an n8n that keeps what a webhook call wrote there, and for what
 *   the activation hooks record (n8n saves those). n8n 2.41.1 was seen not to keep a webhook call's
 *   change (its webhook path loads the static data for the call and does not write it back), so the
 *   memory is what holds there; README: Webhook retries.
 */
const RECORD_KEY = 'deliveries';
/**
 * How long an event is remembered after it was emitted: longer than the oldest delivery a trigger
 * accepts (72 hours, the Paisr Trigger's window) plus the clock skew it allows, so that a delivery
 * replayed while still in its window is always known.
 */
export const DELIVERY_MEMORY_MS = 73 * 3_600_000;
/** How many events a trigger's static data remembers at most (the oldest go first, with a warning while still in time). */
export const DELIVERY_MEMORY_COUNT = 2_000;

/** Which trigger a delivery came to: its workflow and node (the process memory holds every trigger's deliveries). */
type TriggerContext = Pick<IWebhookFunctions, 'getWorkflow' | 'getNode'>;

/**
 * Fetch Details inside a webhook call: n8n answers the provider only once the call returns, and a
 * provider retries a slow answer. So the fetch gets 1.5 s in all, with no waiting for a rate limit;
 * what cannot finish goes out with `detailsError` instead.
 */
export const DETAILS_TRANSPORT: TransportSettings = { timeoutSeconds: 1.5, maxWaitSeconds: 0, wholeRunSeconds: 1.5 };

/** Deliveries emitted by this process, by workflow, node and key, oldest first (a Map keeps insertion order). */
const emittedHere = new Map<string, number>();
/** How many deliveries this process remembers for all its webhook triggers together. */
const PROCESS_MEMORY_COUNT = 20_000;

/**
 * Whether an event with this key was emitted before (by this process, or as the node's static
 * data says); if not, it is recorded as emitted now. `forgotten` hears how many events still in
 * time had to be forgotten to keep the bounds (a retry of one of those would start again).
 */
export function isRepeatedDelivery(context: TriggerContext, staticData: IDataObject, key: string, nowMs: number, forgotten?: (count: number) => void): boolean {
	const inMemory = `${deliveryScope(context)}\n${key}`;
	const seenAt = emittedHere.get(inMemory);
	const seenHere = seenAt !== undefined && nowMs - seenAt < DELIVERY_MEMORY_MS;
	const record = readRecord(staticData, nowMs);
	if (seenHere || record.has(key)) return true;
	rememberDeliveries(context, staticData, [[key, nowMs]], nowMs, forgotten);
	return false;
}

/**
 * Records events known to be emitted already, each with when it was (an activation hook reading
 * the provider's log of what it delivered, for example): in the process's memory and in the node's
 * static data, within both bounds.
 */
export function rememberDeliveries(context: TriggerContext, staticData: IDataObject, emitted: Array<[key: string, atMs: number]>, nowMs: number, forgotten?: (count: number) => void): void {
	const scope = deliveryScope(context);
	const fresh = emitted.filter(([, at]) => nowMs - at < DELIVERY_MEMORY_MS).sort((a, b) => a[1] - b[1]);
	const record = readRecord(staticData, nowMs);
	for (const [key, at] of fresh) {
		record.set(key, Math.max(record.get(key) ?? 0, at));
		const inMemory = `${scope}\n${key}`;
		const latest = Math.max(emittedHere.get(inMemory) ?? 0, at);
		emittedHere.delete(inMemory);
		emittedHere.set(inMemory, latest);
	}
	let lostInTime = 0;
	for (const [oldest, at] of emittedHere) {
		const expired = nowMs - at >= DELIVERY_MEMORY_MS;
		if (emittedHere.size <= PROCESS_MEMORY_COUNT && !expired) break;
		if (!expired && oldest.startsWith(`${scope}\n`)) lostInTime++;
		emittedHere.delete(oldest);
	}
	const kept = [...record];
	// Written oldest first, so an event emitted now keeps the order; only events recorded late need a sort.
	if (kept.some((entry, index) => index > 0 && entry[1] < kept[index - 1][1])) kept.sort((a, b) => a[1] - b[1]);
	const dropped = Math.max(0, kept.length - DELIVERY_MEMORY_COUNT);
	staticData[RECORD_KEY] = Object.fromEntries(kept.slice(dropped));
	if (forgotten && Math.max(dropped, lostInTime) > 0) forgotten(Math.max(dropped, lostInTime));
}

/** The static-data half, without what is past its time. */
function readRecord(staticData: IDataObject, nowMs: number): Map<string, number> {
	const stored = staticData[RECORD_KEY];
	const record: Record<string, unknown> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
	return new Map(Object.entries(record).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && nowMs - entry[1] < DELIVERY_MEMORY_MS));
}

/** The warning for events forgotten early (more events within the memory's time than its count holds). */
export function warnForgotten(context: TriggerContext & Pick<IWebhookFunctions, 'logger'>, trigger: string): (count: number) => void {
	return (count) =>
		context.logger.warn(`${trigger} forgot ${count} event(s) emitted within the last ${DELIVERY_MEMORY_MS / 3_600_000} hours to stay within ${DELIVERY_MEMORY_COUNT} remembered events: a late retry of one of them would start it again`, {
			workflowId: context.getWorkflow().id,
			node: context.getNode().name,
		});
}

function deliveryScope(context: TriggerContext): string {
	return `${String(context.getWorkflow().id)} ${context.getNode().name}`;
}

/** Why a detail fetch did not finish, for `detailsError`: the error's own message, without anything it may have carried from the request. */
export function detailsErrorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.slice(0, 300);
}
