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
export function postRaw(url: string, headers: Record<string, string>, text: string): Promise<number> {
	return new Promise((resolve) => {
		const request = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(text)) } }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', () => resolve(0));
		request.end(text);
	});
}
