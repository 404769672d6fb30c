import type { INode, NodeApiError } from 'n8n-workflow';

import type { ErrorWords } from '../../shared/http/statusError';
import { otherStatusWords, statusError } from '../../shared/http/statusError';
import type { ApiFailure, HttpMethod } from '../../shared/http/types';

function asObject(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

/** PayRequest's own message: its envelope's `error`, else Laravel's `message`. */
export function providerMessage(body: unknown): string | undefined {
	const object = asObject(body);
	if (!object) return undefined;
	for (const key of ['error', 'message']) {
		const value = object[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

/** "customer_id: The selected customer id is invalid. items.0.quantity: …" */
export function fieldErrors(body: unknown): string[] {
	const errors = asObject(asObject(body)?.errors);
	if (!errors) return [];
	return Object.entries(errors).map(([field, messages]) => {
		const text = Array.isArray(messages) ? messages.map(String).join(' ') : String(messages);
		return `${field}: ${text}`;
	});
}

const requiredScope = (method: HttpMethod) => (method === 'GET' ? 'billing.read' : 'billing.write');

function isInvoicePath(path: string): boolean {
	return /^\/v1\/invoices\/[^/]+(\/reminder)?$/.test(path) && !/\/(stats|overdue)$/.test(path);
}

function describe(failure: ApiFailure, own: string | undefined): ErrorWords {
	const { status, method, path } = failure;
	const endpoint = `${method} ${path}`;
	switch (status) {
		case 401:
			return {
				message: `PayRequest rejected the access token: ${own ?? 'unauthenticated'}`,
				description: `Check the Access Token in the PayRequest API credential. A revoked or mistyped token gives this; create a new one under Settings → API Tokens in PayRequest. (${endpoint})`,
			};
		case 403:
			return {
				message: `The access token lacks the permission for this: ${own ?? 'forbidden'}`,
				description: `This operation needs a token with the ${requiredScope(method)} scope. Create a token with that scope in PayRequest (Settings → API Tokens) and put it in the credential. (${endpoint})`,
			};
		case 404:
			return isInvoicePath(path)
				? {
						message: `No such invoice: ${own ?? 'not found'}`,
						description: `PayRequest has no invoice with this ID for this account. Check the Invoice field; the invoice may have been deleted. (${endpoint})`,
					}
				: {
						message: `PayRequest has no such endpoint: ${own ?? 'not found'}`,
						description: `Check the Base URL in the credential: it should be the API's address ending in /api, such as https://payrequest.app/api. (${endpoint})`,
					};
		case 400:
			return {
				message: own ?? 'PayRequest refused the request',
				description: /paid/i.test(own ?? '')
					? `A reminder can only be sent for an unpaid invoice. Leave paid invoices out before this node (for example with Get Overdue). (${endpoint})`
					: `PayRequest refused the request as sent. (${endpoint})`,
			};
		case 422: {
			const fields = fieldErrors(failure.body);
			return {
				message: `PayRequest rejected the data: ${fields.length ? fields.join(' ') : (own ?? 'invalid data')}`,
				description: `Correct the fields named above and run again. (${endpoint})`,
			};
		}
		case 429:
			return {
				message: `PayRequest's rate limit was still exceeded after waiting: ${own ?? 'too many requests'}`,
				description: `The account sends more than PayRequest allows (60 requests a minute, short bursts to 100). Spread the work over time: fewer items a run, or runs less often. (${endpoint})`,
			};
		default:
			return otherStatusWords('PayRequest', failure, own);
	}
}

export function apiError(node: INode, failure: ApiFailure): NodeApiError {
	return statusError(node, failure, describe(failure, providerMessage(failure.body)));
}
