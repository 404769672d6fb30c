import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A static bearer token from a credential, checked before any request: present, and nothing in it
 * that cannot go in a header (it would fail as a "connection" error after retries). The token
 * itself is never shown.
 */
export function readBearerToken(
	node: INode,
	credentials: IDataObject,
	where: { field: string; credential: string; madeAt: string },
	itemIndex?: number,
): string {
	const token = typeof credentials.accessToken === 'string' ? credentials.accessToken.trim() : '';
	if (token === '') {
		throw new NodeOperationError(node, `The ${where.credential} credential has no ${where.field.toLowerCase()}`, {
			description: `Create a token in ${where.madeAt} and paste it into the credential.`,
			itemIndex,
		});
	}
	if (/[^\x21-\x7e]/.test(token)) {
		throw new NodeOperationError(
			node,
			`The ${where.field.toLowerCase()} in the ${where.credential} credential has spaces, line breaks or other characters a token cannot have`,
			{ description: `Copy the token again from ${where.madeAt} and paste it whole, on one line.`, itemIndex },
		);
	}
	return token;
}
