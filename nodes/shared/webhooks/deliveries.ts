import type { IDataObject } from 'n8n-workflow';

import type { TransportSettings } from '../http/types';

/**
 * Providers deliver again what was not answered in time (Paisr up to 10 times): one event must
 * start one execution. The trigger keeps the keys of the deliveries it emitted in the node's static
 * data (n8n saves a webhook node's static data after each call), bounded in count and age.
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

/** Whether a delivery with this key was emitted before; if not, it is recorded as emitted now. */
export function isRepeatedDelivery(staticData: IDataObject, key: string, nowMs: number): boolean {
	const stored = staticData[RECORD_KEY];
	const record: Record<string, number> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, number>) : {};
	const kept = Object.entries(record).filter(([, at]) => typeof at === 'number' && nowMs - at < DELIVERY_MEMORY_MS);
	if (kept.some(([seen]) => seen === key)) return true;
	kept.push([key, nowMs]);
	kept.sort((a, b) => a[1] - b[1]);
	staticData[RECORD_KEY] = Object.fromEntries(kept.slice(-DELIVERY_MEMORY_COUNT));
	return false;
}

/** Why a detail fetch did not finish, for `detailsError`: the error's own message, without anything it may have carried from the request. */
export function detailsErrorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.slice(0, 300);
}
