import { hmacSha256Hex, sameSecret } from '../../shared/webhooks/signature';

/**
 * How old a delivery's timestamp may be. Paisr retries a delivery that was not answered up to 10
 * times with exponential backoff, each retry with its first timestamp; it does not document the
 * first delay. 72 hours covers a doubling schedule that starts at up to 4 minutes (4 × 1,023 min =
 * 68 h); what Paisr gives up on is asked for again on activation (trigger/catchUp.ts), stamped anew.
 * A replay inside the window starts nothing: the trigger remembers each event longer than this.
 */
export const MAX_DELIVERY_AGE_SECONDS = 72 * 3600;
/** How far ahead of this clock a timestamp may be (Paisr's clock and n8n's are not the same). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Whether a delivery is Paisr's: HMAC-SHA256 of `timestamp.rawBody` with the webhook's secret, in
 * hex (any case) or base64, compared in constant time, with a timestamp at most 72 hours old and at
 * most five minutes ahead.
 */
export function verifyDelivery(secret: string, rawBody: Buffer, signature: unknown, timestamp: unknown, nowMs: number): 'ok' | 'unsigned' | 'stale' | 'mismatch' {
	if (typeof signature !== 'string' || signature.trim() === '' || typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp.trim())) return 'unsigned';
	const ageSeconds = nowMs / 1000 - Number(timestamp.trim());
	if (ageSeconds > MAX_DELIVERY_AGE_SECONDS || ageSeconds < -MAX_CLOCK_SKEW_SECONDS) return 'stale';
	const expectedHex = hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp.trim()}.`), rawBody]));
	const given = signature.trim();
	const matches = /^[0-9a-f]{64}$/i.test(given) ? sameSecret(given.toLowerCase(), expectedHex) : sameSecret(given, Buffer.from(expectedHex, 'hex').toString('base64'));
	return matches ? 'ok' : 'mismatch';
}
