import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ID_PATTERN } from '../shared/actions/locator';
import { asNodeError, errorText, isNotFound } from '../shared/http/errorChain';
import { DETAILS_TRANSPORT, detailsErrorText, isRepeatedDelivery, warnForgotten } from '../shared/webhooks/deliveries';
import { removeRegistration } from '../shared/webhooks/registration';
import { eventName, eventsSubtitle, simplifyProperty, triggerSimplifies } from '../shared/simplify';
import { simplifyRecord } from './actions/simplify';
import { PaisrClient, resourcePath } from './transport';
import { catchUp, eventKey } from './trigger/catchUp';
import { sampleRecord } from './trigger/sample';
import { verifyDelivery } from './trigger/signature';

const EVENTS = [
	{ name: 'Customer Created', value: 'customer.created' },
	{ name: 'Customer Removed', value: 'customer.removed' },
	{ name: 'Customer Updated', value: 'customer.updated' },
	{ name: 'Invoice Created', value: 'invoice.created' },
	{ name: 'Invoice Paid', value: 'invoice.paid' },
	{ name: 'Invoice Removed', value: 'invoice.removed' },
	{ name: 'Plan Created', value: 'plan.created' },
	{ name: 'Plan Removed', value: 'plan.removed' },
	{ name: 'Plan Updated', value: 'plan.updated' },
	{ name: 'Subscription Active', value: 'subscription.active' },
	{ name: 'Subscription Cancelled', value: 'subscription.cancelled' },
	{ name: 'Subscription Created', value: 'subscription.created' },
	{ name: 'Subscription Expired', value: 'subscription.expired' },
	{ name: 'Subscription Removed', value: 'subscription.removed' },
	{ name: 'Subscription Suspended', value: 'subscription.suspended' },
	{ name: 'Subscription Updated', value: 'subscription.updated' },
	{ name: 'Transfer Inbound', value: 'transfer.inbound' },
	{ name: 'Transfer Outbound', value: 'transfer.outbound' },
	{ name: 'Voucher Applied', value: 'voucher.applied' },
	{ name: 'Voucher Created', value: 'voucher.created' },
	{ name: 'Voucher Removed', value: 'voucher.removed' },
	{ name: 'Voucher Updated', value: 'voucher.updated' },
];

/** Why a delivery was refused, as the log says it. */
const REFUSALS = {
	'not registered': 'this trigger has no Paisr webhook or signing secret (activate the workflow again)',
	unsigned: 'no X-PCB-Signature or X-PCB-Timestamp header',
	stale: 'its timestamp is more than 72 hours old or more than 5 minutes ahead (a replay, or a clock far off)',
	mismatch: 'its signature does not match the webhook secret (sent by someone else, or the body was changed)',
} as const;

/** What the trigger keeps between activation and deactivation: its webhook, where it points, and the secret it signs with. */
interface Registration {
	webhookId: string;
	endpoint: string;
	secret: string;
	events: string[];
}

const readRegistration = (data: IDataObject): Registration | undefined => {
	const stored = data.registration as Registration | undefined;
	return stored && typeof stored.webhookId === 'string' && typeof stored.secret === 'string' ? stored : undefined;
};

function selectedEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	if (!Array.isArray(events) || events.length === 0) throw new NodeOperationError(context.getNode(), 'Events: pick at least one event to listen to');
	return [...new Set(events)].sort();
}

/** Paisr wants 4 to 48 letters, digits, spaces and brackets. */
function webhookDescription(workflowId: string | undefined): string {
	const id = String(workflowId ?? '').replace(/[^a-zA-Z0-9]/g, '').slice(0, 30);
	return id === '' ? 'n8n Paisr Trigger' : `n8n workflow ${id}`;
}

export class PaisrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paisr Trigger',
		name: 'paisrTrigger',
		icon: { light: 'file:../../icons/paisr.svg', dark: 'file:../../icons/paisr.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(EVENTS),
		description: 'Create, send and change Paisr invoices and customers, get checkout links, and start a workflow on signed Paisr events',
		defaults: { name: 'Paisr Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paisrApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-paisr#paisr-trigger',
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENTS,
				default: [],
				description: 'The events to listen to. One Paisr webhook carries them all while the workflow is active.',
			},
			simplifyProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Fetch Details',
						name: 'fetchDetails',
						type: 'boolean',
						default: true,
						description:
							'Whether to read the invoice or customer that an event names and emit it beside the event. Paisr sends only the ID and the event; a removed one is emitted as it came.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/**
			 * True only when our webhook still exists in Paisr, points here and carries every selected event.
			 * n8n asks this first on every activation, at its own start too: the webhook kept through
			 * downtime then catches up on what Paisr could not deliver meanwhile.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const registration = readRegistration(data);
				const endpoint = this.getNodeWebhookUrl('default') as string;
				if (!registration || registration.endpoint !== endpoint) return false;
				let webhook: IDataObject;
				try {
					webhook = await new PaisrClient(this).data({ method: 'GET', path: resourcePath('webhooks', registration.webhookId) }, 'webhook');
				} catch (error) {
					if (isNotFound(error)) return false;
					throw asNodeError(this.getNode(), error);
				}
				const triggers = Array.isArray(webhook.triggers) ? (webhook.triggers as IDataObject[]).map((trigger) => String(trigger.type)) : [];
				const kept = webhook.endpoint === endpoint && webhook.active !== false && selectedEvents(this).every((event) => triggers.includes(event));
				if (kept && this.getMode() !== 'manual') await catchUp(this, registration.webhookId, data);
				return kept;
			},

			/** One webhook for all events; what an earlier activation left at this URL is removed first, so there is never a second. */
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const client = new PaisrClient(this);
				const endpoint = this.getNodeWebhookUrl('default') as string;
				const existing = await client.list({ method: 'GET', path: '/webhooks' }, 'webhooks');
				const leftovers = new Set(existing.filter((webhook) => webhook.endpoint === endpoint).map((webhook) => String(webhook.id)));
				const previous = readRegistration(data);
				if (previous) leftovers.add(previous.webhookId);
				for (const id of leftovers) await removeRegistration(client, resourcePath('webhooks', id));
				delete data.registration;
				const events = selectedEvents(this);
				const created = await client.data(
					{
						method: 'POST',
						path: '/webhooks',
						body: { description: webhookDescription(this.getWorkflow().id), endpoint, events },
						effectIfAnswerLost: 'A Paisr webhook may have been created (activating again removes it)',
					},
					'created webhook (data with an id)',
				);
				const webhookId = String(created.id);
				// Saved before the secret is read: if that fails, deactivation still finds the webhook.
				data.registration = { webhookId, endpoint, secret: '', events };
				const secret = await client.data({ method: 'GET', path: resourcePath('webhooks', webhookId, 'secret') }, 'webhook secret (data.secret)', false);
				if (typeof secret.secret !== 'string' || secret.secret === '') throw new NodeOperationError(this.getNode(), `Paisr gave no signing secret for webhook ${webhookId}`);
				data.registration = { webhookId, endpoint, secret: secret.secret, events };
				// Listen for Test Event: Paisr sends a test delivery at once, so the editor need not wait
				// for a real event. Listening works without it, so a failure is only logged.
				if (this.getMode() === 'manual') {
					try {
						await client.request({ method: 'POST', path: resourcePath('webhooks', webhookId, 'test'), effectIfAnswerLost: 'Paisr may send a test event' });
					} catch (error) {
						this.logger.warn(`Paisr Trigger could not ask Paisr for a test event: ${errorText(error)}`, { workflowId: this.getWorkflow().id, node: this.getNode().name });
					}
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const registration = readRegistration(data);
				if (registration) await removeRegistration(new PaisrClient(this), resourcePath('webhooks', registration.webhookId));
				delete data.registration;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const staticData = this.getWorkflowStaticData('node');
		const registration = readRegistration(staticData);
		const request = this.getRequestObject() as { rawBody?: Buffer };
		const headers = this.getHeaderData();
		const response = this.getResponseObject();
		const verdict =
			registration && registration.secret !== '' && Buffer.isBuffer(request.rawBody)
				? verifyDelivery(registration.secret, request.rawBody, headers['x-pcb-signature'], headers['x-pcb-timestamp'], Date.now())
				: 'not registered';
		if (verdict !== 'ok') {
			// Not from our webhook, altered, or replayed: nothing is emitted, and the sender learns nothing more.
			// The log says why (never the secret or the body), for a user whose trigger "never fires".
			this.logger.warn(`Paisr Trigger refused a delivery: ${REFUSALS[verdict]}`, { workflowId: this.getWorkflow().id, node: this.getNode().name });
			response.status(401).json({ message: 'Unauthorized' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		const event = typeof body.event === 'string' ? body.event : '';
		const id = typeof body.id === 'string' ? body.id : '';
		// Paisr delivers again what was not answered in time, with its first timestamp or stamped anew:
		// the same event for the same resource is one event, whatever its timestamp.
		if (isRepeatedDelivery(this, staticData, eventKey(event, id), Date.now(), warnForgotten(this, 'Paisr Trigger'))) {
			response.status(200).json({ received: true });
			return { noWebhookResponse: true };
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const resource = /^(invoice|customer)\.(?!removed$)/.exec(event)?.[1] as 'invoice' | 'customer' | undefined;
		// Simplify: the record's compact shape when it was read, else its id; with the event as every provider's trigger spells it.
		const emit = (details?: IDataObject, detailsError?: string, sample = false) => {
			const extra = { ...(detailsError === undefined ? {} : { detailsError }), ...(sample ? { sample: true } : {}) };
			if (!triggerSimplifies(this)) return { workflowData: [[{ json: { ...body, ...(details && resource ? { [resource]: details } : {}), ...extra } }]] };
			const simple = details && resource ? simplifyRecord(resource, details, new Date(), this.getTimezone()) : { id: id === '' ? null : id, provider: 'paisr' };
			return { workflowData: [[{ json: { ...simple, event: eventName(event), ...extra } }]] };
		};
		if (options.fetchDetails === false || !resource || !ID_PATTERN.test(id)) return emit();
		try {
			return emit(await new PaisrClient(this, DETAILS_TRANSPORT).data({ method: 'GET', path: resourcePath(`${resource}s`, id) }, resource));
		} catch (error) {
			// Listen for Test Event: Paisr's test delivery names an example id that is no record. A sample
			// in the shape of a real one, marked as such, shows every field there is to map.
			if (isNotFound(error) && this.getMode() === 'manual') return emit(sampleRecord(resource, id, event, new Date()), undefined, true);
			// Gone since the event (deleted right after it was made): the event still happened.
			if (isNotFound(error)) return emit();
			// Paisr waits for the answer: the event goes out now, with why its details are missing.
			return emit(undefined, detailsErrorText(error));
		}
	}
}
