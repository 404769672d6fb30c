import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { keepMessage } from './errorChain';
import type { ApiFailure } from './types';

/** What an error says: its headline and what to do. */
export interface ErrorWords {
	message: string;
	description: string;
}

/**
 * The words for a status that none of the provider's own rules covers: a server error (for a write,
 * what it may have done: a write is never repeated after a 5xx, the server may have acted), or an
 * answer nobody expected.
 */
export function otherStatusWords(provider: string, failure: ApiFailure, own: string | undefined): ErrorWords {
	const endpoint = `${failure.method} ${failure.path}`;
	const said = own ? `: ${own}` : '';
	if (failure.status >= 500 && failure.effectIfAnswerLost) {
		return {
			message: `${provider} had a server error (HTTP ${failure.status})${said}. ${failure.effectIfAnswerLost}; check before retrying`,
			description: `${failure.effectIfAnswerLost}; check ${provider} before retrying, so it is not done twice. (${endpoint})`,
		};
	}
	if (failure.status >= 500) {
		return { message: `${provider} had a server error (HTTP ${failure.status})${said}`, description: `The request was repeated and kept failing. Try again later. (${endpoint})` };
	}
	return { message: `${provider} answered HTTP ${failure.status}${said}`, description: `Unexpected answer. (${endpoint})` };
}

/** A failed answer as n8n's NodeApiError in the provider's words; a non-JSON body (a proxy's HTML page) shortened. */
export function statusError(node: INode, failure: ApiFailure, words: ErrorWords): NodeApiError {
	const body = typeof failure.body === 'string' && failure.body.length > 300 ? `${failure.body.slice(0, 300)}…` : failure.body;
	const error = new NodeApiError(node, { status: failure.status, endpoint: `${failure.method} ${failure.path}`, body } as JsonObject, {
		message: words.message,
		description: words.description,
		httpCode: String(failure.status),
		itemIndex: failure.itemIndex,
	});
	// NodeApiError would swap a message naming an error code (a proxy's "connect ECONNREFUSED …") for a generic one.
	return keepMessage(error, words.message);
}
