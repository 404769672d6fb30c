import { hmacSha256Hex, sameSecret } from '../../shared/webhooks/signature';

/** How far a delivery's timestamp may be from now, either way: an older one is a replay. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Whether a delivery is Paisr's: HMAC-SHA256 of `timestamp.rawBody` with the webhook's secret, in
 * hex (any case) or base64, compared in constant time, with a timestamp within five minutes of now.
 */
export function verifyDelivery(secret: string, rawBody: Buffer, signature: unknown, timestamp: unknown, nowMs: number): 'ok' | 'unsigned' | 'stale' | 'mismatch' {
	if (typeof signature !== 'string' || signature.trim() === '' || typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp.trim())) return 'unsigned';
	if (Math.abs(nowMs / 1000 - Number(timestamp.trim())) > MAX_CLOCK_SKEW_SECONDS) return 'stale';
	const expectedHex = hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp.trim()}.`), rawBody]));
	const given = signature.trim();
	const matches = /^[0-9a-f]{64}$/i.test(given) ? sameSecret(given.toLowerCase(), expectedHex) : sameSecret(given, Buffer.from(expectedHex, 'hex').toString('base64'));
	return matches ? 'ok' : 'mismatch';
}
