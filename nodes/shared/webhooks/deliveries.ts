import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { TransportSettings } from '../http/types';

/**
 * Providers deliver again what was not answered in time (Paisr up to 10 times): one event must
 * start one execution. The keys of the deliveries emitted are kept in two places, each bounded in
 * count and age:
 * - in this process's memory, per workflow and node: a retry reaches the n8n that took the first
 *   delivery (its main process, or the one webhook process behind a load balancer's affinity);
 * - in the node's static data, for an n8n that keeps what a webhook call wrote there. n8n 2.41.1
 *   was seen not to (its webhook path loads the static data for the call and does not write the
 *   node's change back), so the memory is what holds there; README: Webhook retries.
 */
const RECORD_KEY = 'deliveries';
/** How long a delivery is remembered: longer than any provider's retries. */
export const DELIVERY_MEMORY_MS = 3 * 86_400_000;
/** How many deliveries are remembered at most (the oldest go first). */
export const DELIVERY_MEMORY_COUNT = 2_000;

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
 * Whether a delivery with this key was emitted before (by this process, or as the node's static
 * data says); if not, it is recorded as emitted now. `scope` names the workflow and node.
 */
export function isRepeatedDelivery(staticData: IDataObject, scope: string, key: string, nowMs: number): boolean {
	const inMemory = `${scope}\n${key}`;
	const seenAt = emittedHere.get(inMemory);
	const seenHere = seenAt !== undefined && nowMs - seenAt < DELIVERY_MEMORY_MS;
	const seenStored = recordInStaticData(staticData, key, nowMs);
	if (seenHere || seenStored) return true;
	emittedHere.set(inMemory, nowMs);
	for (const [oldest, at] of emittedHere) {
		if (emittedHere.size <= PROCESS_MEMORY_COUNT && nowMs - at < DELIVERY_MEMORY_MS) break;
		emittedHere.delete(oldest);
	}
	return false;
}

/** The static-data half: whether the key is there; if not, it is added (bounded). */
function recordInStaticData(staticData: IDataObject, key: string, nowMs: number): boolean {
	const stored = staticData[RECORD_KEY];
	const record: Record<string, number> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, number>) : {};
	const kept = Object.entries(record).filter(([, at]) => typeof at === 'number' && nowMs - at < DELIVERY_MEMORY_MS);
	if (kept.some(([seen]) => seen === key)) return true;
	kept.push([key, nowMs]);
	kept.sort((a, b) => a[1] - b[1]);
	staticData[RECORD_KEY] = Object.fromEntries(kept.slice(-DELIVERY_MEMORY_COUNT));
	return false;
}

/** Which trigger a delivery came to: its workflow and node (the process memory holds every trigger's deliveries). */
export function deliveryScope(context: IWebhookFunctions): string {
	return `${String(context.getWorkflow().id)} ${context.getNode().name}`;
}

/** Why a detail fetch did not finish, for `detailsError`: the error's own message, without anything it may have carried from the request. */
export function detailsErrorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.slice(0, 300);
}
