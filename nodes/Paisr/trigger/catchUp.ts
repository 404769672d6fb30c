import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { errorText } from '../../shared/http/errorChain';
import type { TransportSettings } from '../../shared/http/types';
import { rememberDeliveries, warnForgotten } from '../../shared/webhooks/deliveries';
import { PaisrClient, resourcePath } from '../transport';

/** How many given-up events one activation asks Paisr for again, oldest first (Paisr allows 250 requests a minute). */
export const MAX_REDELIVERIES = 100;

/** Catching up must not hold up the workflow's activation for long: a minute in all, requests and waits together. */
const CATCH_UP_TRANSPORT: TransportSettings = { timeoutSeconds: 15, maxWaitSeconds: 30, wholeRunSeconds: 60 };

/** What identifies a Paisr event: its kind and the resource it names (a delivery carries nothing else; a retry may be stamped anew). */
export const eventKey = (event: string, id: string): string => `${event} ${id}`;

const bodyOf = (logged: IDataObject) => (typeof logged.body === 'object' && logged.body !== null ? (logged.body as IDataObject) : {});
const keyOf = (logged: IDataObject) => {
	const body = bodyOf(logged);
	return typeof body.event === 'string' && typeof body.id === 'string' ? eventKey(body.event, body.id) : undefined;
};
const timeOf = (value: unknown, fallback: number) => {
	const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(parsed) ? Math.min(parsed, fallback) : fallback;
};

/**
 * On activation with the webhook kept (n8n started again after downtime): reads the webhook's event
 * log, remembers what Paisr delivered (so a retry of it starts nothing even after this process
 * restarted), and asks Paisr to deliver again what it gave up on while n8n was away. Those come
 * stamped anew and are emitted once each, since events are recognised by what they are. Catching up
 * never fails the activation: what it could not do is logged.
 */
export async function catchUp(context: IHookFunctions, webhookId: string, staticData: IDataObject): Promise<void> {
	const client = new PaisrClient(context, CATCH_UP_TRANSPORT);
	const where = { workflowId: context.getWorkflow().id, node: context.getNode().name };
	let events: IDataObject[];
	try {
		events = await client.list({ method: 'GET', path: resourcePath('webhooks', webhookId, 'events') }, 'events');
	} catch (error) {
		context.logger.warn(`Paisr Trigger could not read its webhook's events to catch up on what failed while n8n was away: ${errorText(error)}`, where);
		return;
	}
	const now = Date.now();
	const delivered = events.filter((logged) => logged.status === 'success');
	rememberDeliveries(
		context,
		staticData,
		delivered.flatMap((logged) => {
			const key = keyOf(logged);
			return key === undefined ? [] : [[key, timeOf(logged.last_retry_at ?? logged.created_at, now)] as [string, number]];
		}),
		now,
		warnForgotten(context, 'Paisr Trigger'),
	);
	const givenUp = events
		.filter((logged) => logged.status === 'failed' && logged.can_retry !== false && typeof logged.id === 'string' && keyOf(logged) !== undefined)
		.sort((a, b) => (Date.parse(String(a.created_at)) || 0) - (Date.parse(String(b.created_at)) || 0));
	for (const logged of givenUp.slice(0, MAX_REDELIVERIES)) {
		try {
			await client.request({
				method: 'POST',
				path: resourcePath('webhooks', webhookId, 'events', String(logged.id)),
				effectIfAnswerLost: 'Paisr may deliver the event again (the trigger knows it by its event and resource)',
			});
		} catch (error) {
			context.logger.warn(`Paisr Trigger could not ask Paisr to deliver event ${String(logged.id)} again: ${errorText(error)}`, where);
		}
	}
	if (givenUp.length > MAX_REDELIVERIES) {
		context.logger.warn(`Paisr Trigger asked Paisr again for ${MAX_REDELIVERIES} of ${givenUp.length} events that failed while n8n was away; the next activation asks for the rest`, where);
	}
}
