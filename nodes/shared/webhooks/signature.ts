import { createHmac, timingSafeEqual } from 'crypto';

/** Constant time: how long the comparison takes says nothing about how much of the secret matched. */
export function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256 over the exact bytes given, in lowercase hex. */
export function hmacSha256Hex(secret: string, payload: Buffer): string {
	return createHmac('sha256', secret).update(payload).digest('hex');
}
