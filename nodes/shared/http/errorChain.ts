/**
 * Reading the errors that n8n's HTTP helper throws: its wrapper hides the code and the message of
 * the error underneath (axios's, or the socket's), so these walk the cause chain.
 */

import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** The first error code in the cause chain (ECONNRESET, ERR_CANCELED…). */
export function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * The lowest-level message in the cause chain ("socket hang up", "timeout of 1000ms exceeded"):
 * n8n's wrapper error replaces its own message with a generic text that would hide it.
 */
export function errorText(error: unknown): string {
	let text = error instanceof Error ? error.message : String(error);
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && message !== '') text = message;
		current = (current as { cause?: unknown }).cause;
	}
	return text;
}

/** Axios says ECONNABORTED with "timeout of N ms exceeded" on the error that carries the code, not on n8n's wrapper. */
export function isTimeout(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return true;
		if (code === 'ECONNABORTED' && typeof message === 'string' && /timeout/i.test(message)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * NodeApiError swaps a message that names a common error code (ECONNRESET, ECONNABORTED…) for
 * n8n's generic text, which for a lost write even says to retry at once: keep ours.
 */
export function keepMessage<T extends Error>(error: T, message: string): T {
	error.message = message;
	return error;
}

export function lowerCaseHeaders(headers: unknown): Record<string, string | string[] | undefined> {
	const result: Record<string, string | string[] | undefined> = {};
	if (typeof headers !== 'object' || headers === null) return result;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		result[key.toLowerCase()] = Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);
	}
	return result;
}

/** What a node throws: n8n's own errors as they are, anything else wrapped (with its item, when known) so that n8n can show it. */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return itemIndex === undefined ? new NodeOperationError(node, error as Error) : new NodeOperationError(node, error as Error, { itemIndex });
}

/** Whether the provider answered with this HTTP status. */
export function hasHttpStatus(error: unknown, status: number): boolean {
	return error instanceof NodeApiError && error.httpCode === String(status);
}

/** Whether the provider answered 404: the thing is not (or no longer) there. */
export function isNotFound(error: unknown): boolean {
	return hasHttpStatus(error, 404);
}
