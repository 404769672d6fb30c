import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Hosts on this machine, where plain http (a local emulator, a proxy beside n8n) carries no token across a network. */
export function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}

/**
 * Checks a base URL from a credential: http(s), no user name or password in it, and https unless
 * the host is this machine. Returns it without trailing slashes; throws an error naming the field.
 */
export function checkBaseUrl(
	node: INode,
	raw: unknown,
	where: { field: string; credential: string; example: string },
	itemIndex?: number,
): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
		// A user:password@ part is a secret too: it is never shown back.
		const shown = url && (url.username || url.password) ? `${url.protocol}//…@${url.host}${url.pathname}` : text.slice(0, 100);
		throw new NodeOperationError(
			node,
			`The ${where.field} in the ${where.credential} credential is not an http(s) address without a user name or password: "${shown}"`,
			{ description: `Set it to ${where.example}, or to your sandbox or proxy address.`, itemIndex },
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		// Over plain http the token travels readable, and a server that redirects to https drops it.
		throw new NodeOperationError(
			node,
			`The ${where.field} in the ${where.credential} credential must start with https:// (it is "${url.origin}")`,
			{
				description: `Plain http is only allowed for this machine (localhost, 127.0.0.1, ::1): elsewhere the token would travel unencrypted. Set the ${where.field} to ${where.example}, or to your proxy’s https address.`,
				itemIndex,
			},
		);
	}
	return url.href.replace(/\/+$/, '');
}
