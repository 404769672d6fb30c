// Small pieces of HTTP that every provider emulator needs: path segments, JSON bodies, and
// webhook deliveries that really POST to their endpoint.
import * as http from 'http';

export function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** The path's segments, decoded, without the base path. */
export function pathSegments(path: string): string[] {
	return path.split('/').filter((segment) => segment !== '').map(safeDecode);
}

/** A JSON object body; undefined for anything else (an array, a scalar, no JSON at all). */
export function parseObject(rawBody: string): Record<string, unknown> | undefined {
	try {
		const parsed = JSON.parse(rawBody) as unknown;
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** POSTs the body exactly as given (the bytes a signature covers); resolves with the status, 0 when nothing answered. */
export function postRaw(url: string, headers: Record<string, string>, text: string, answerWithinMs?: number): Promise<number> {
	return new Promise((resolve) => {
		const request = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(text)) } }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		// A provider gives up on an endpoint that answers too slowly (0: no answer).
		if (answerWithinMs !== undefined) request.setTimeout(answerWithinMs, () => request.destroy());
		request.on('error', () => resolve(0));
		request.end(text);
	});
}

/** How a provider delivers again what was not answered well: up to `retries` more times, while the answer is not a 2xx or takes longer than `answerWithinMs`. */
export interface DeliveryRetries {
	retries?: number;
	answerWithinMs?: number;
	/** Pause before each retry (providers back off; tests keep it short). */
	backoffMs?: number;
}

/** Sends one delivery as a provider does, with its retries; the status of every attempt, in order (0: no answer in time). */
export async function deliverWithRetries(url: string, headers: Record<string, string>, text: string, policy: DeliveryRetries = {}): Promise<number[]> {
	const statuses: number[] = [];
	for (let attempt = 0; attempt <= (policy.retries ?? 0); attempt++) {
		if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, policy.backoffMs ?? 20));
		const status = await postRaw(url, headers, text, policy.answerWithinMs);
		statuses.push(status);
		if (status >= 200 && status < 300) break;
	}
	return statuses;
}
