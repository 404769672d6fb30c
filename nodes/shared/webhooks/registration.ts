import type { ApiClient } from '../http/client';
import { asNodeError, isNotFound } from '../http/errorChain';

/** Deletes a webhook registration at the provider; one already gone (removed by hand) is what deactivation wants. */
export async function removeRegistration(client: ApiClient, path: string): Promise<void> {
	try {
		await client.request({ method: 'DELETE', path });
	} catch (error) {
		if (isNotFound(error)) return;
		throw asNodeError(client.node, error);
	}
}
