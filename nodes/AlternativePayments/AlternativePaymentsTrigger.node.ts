import { createHash, randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { eventsSubtitle, simplifyProperty, triggerSimplifies } from '../shared/simplify';
import { DETAILS_TRANSPORT, isRepeatedDelivery, warnForgotten } from '../shared/webhooks/deliveries';
import { removeRegistration } from '../shared/webhooks/registration';
import { sameSecret } from '../shared/webhooks/signature';
import { simplifyDelivery } from './actions/simplify';
import { AlternativePaymentsClient, resourcePath } from './transport';
import { listAll } from './transport/pagination';

/** The API's invoice, payment and customer topics (one subscription each). */
const TOPICS = [
	{ name: 'Customer Archived', value: 'customer_archived' },
	{ name: 'Customer Created', value: 'customer_created' },
	{ name: 'Customer Updated', value: 'customer_updated' },
	{ name: 'Invoice Archived', value: 'invoice_archived' },
	{ name: 'Invoice Created', value: 'invoice_created' },
	{ name: 'Invoice Paid', value: 'invoice_paid' },
	{ name: 'Invoice Updated', value: 'invoice_updated' },
	{ name: 'Payment Chargeback', value: 'payment_chargeback' },
	{ name: 'Payment Failed', value: 'payment_failed' },
	{ name: 'Payment Refunded', value: 'payment_refunded' },
	{ name: 'Payment Succeeded', value: 'payment_succeeded' },
];

/** What the trigger keeps between activation and deactivation: its subscriptions and the secret they deliver with. */
interface Registration {
	endpoint: string;
	secret: string;
	subscriptions: Record<string, string>;
}

const readRegistration = (data: IDataObject): Registration | undefined => {
	const stored = data.registration as Registration | undefined;
	return stored && typeof stored.secret === 'string' && typeof stored.subscriptions === 'object' ? stored : undefined;
};

function selectedTopics(context: IHookFunctions): string[] {
	const topics = context.getNodeParameter('events', []) as string[];
	if (!Array.isArray(topics) || topics.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Events: pick at least one event to listen to');
	}
	return [...new Set(topics)].sort();
}

/** One endpoint per topic (the topic in its query), so a delivery names its topic even when its payload does not. */
const topicUrl = (endpoint: string, topic: string) => `${endpoint}${endpoint.includes('?') ? '&' : '?'}topic=${encodeURIComponent(topic)}`;

export class AlternativePaymentsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alternative Payments Trigger',
		name: 'alternativePaymentsTrigger',
		icon: { light: 'file:../../icons/alternativepayments.svg', dark: 'file:../../icons/alternativepayments.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(TOPICS),
		description: 'Create, archive and restore Alternative Payments invoices and customers, get payment and PDF links, list payments, and start a workflow on its webhook events',
		defaults: { name: 'Alternative Payments Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alternativePaymentsOAuth2Api', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-alternative-payments#alternative-payments-trigger',
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: TOPICS,
				default: [],
				description: 'The events to listen to. Each gets its own subscription in Alternative Payments while the workflow is active.',
			},
			simplifyProperty,
		],
	};

	webhookMethods = {
		default: {
			/** True only when every selected topic has its subscription, to this URL, in Alternative Payments. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const registration = readRegistration(this.getWorkflowStaticData('node'));
				const endpoint = this.getNodeWebhookUrl('default') as string;
				if (!registration || registration.endpoint !== endpoint) return false;
				const client = new AlternativePaymentsClient(this);
				const existing = await listAll(client, '/webhooks', {}, { what: 'webhook subscriptions' });
				const live = new Set(existing.filter((subscription) => subscription.is_active !== false).map((subscription) => String(subscription.id)));
				return selectedTopics(this).every((topic) => {
					const id = registration.subscriptions[topic];
					return id !== undefined && live.has(id);
				});
			},

			/** One subscription per topic with a fresh secret; what a former activation left behind is removed first. */
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const client = new AlternativePaymentsClient(this);
				await removeSubscriptions(client, readRegistration(data));
				delete data.registration;
				const endpoint = this.getNodeWebhookUrl('default') as string;
				const registration: Registration = { endpoint, secret: randomBytes(24).toString('hex'), subscriptions: {} };
				for (const topic of selectedTopics(this)) {
					const request = {
						method: 'POST' as const,
						path: '/webhooks',
						body: { endpoint_url: topicUrl(endpoint, topic), topic, secret_key: registration.secret },
						effectIfAnswerLost: `A webhook subscription for ${topic} may have been created`,
					};
					const created = await client.request(request);
					if (created.id === undefined) throw new NodeOperationError(this.getNode(), `Alternative Payments did not return the subscription it created for ${topic}`);
					registration.subscriptions[topic] = String(created.id);
					// Saved after each one: a failure half-way leaves nothing that deactivation cannot find.
					data.registration = { ...registration, subscriptions: { ...registration.subscriptions } };
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				await removeSubscriptions(new AlternativePaymentsClient(this), readRegistration(data));
				delete data.registration;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const staticData = this.getWorkflowStaticData('node');
		const registration = readRegistration(staticData);
		const header = this.getHeaderData().authorization;
		const given = /^\s*bearer\s+(\S+)\s*$/i.exec(typeof header === 'string' ? header : '')?.[1] ?? '';
		const response = this.getResponseObject();
		if (!registration || !sameSecret(given, registration.secret)) {
			// Not from our subscriptions: nothing is emitted, and nothing tells the sender why. The log says
			// why (never the secret or the body), for a user whose trigger "never fires".
			const why = !registration ? 'this trigger has no subscriptions (activate the workflow again)' : given === '' ? 'no Bearer secret in its Authorization header' : 'its Bearer secret is not the one this trigger subscribed with';
			this.logger.warn(`Alternative Payments Trigger refused a delivery: ${why}`, { workflowId: this.getWorkflow().id, node: this.getNode().name });
			response.status(401).json({ message: 'Unauthorized' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		const query = this.getQueryData() as IDataObject;
		const topic = typeof body.topic === 'string' && body.topic !== '' ? body.topic : typeof query.topic === 'string' ? query.topic : undefined;
		// A delivery sent again (not answered in time) is the same event: by its id and topic, or when it carries no id, by its bytes.
		const request = this.getRequestObject() as { rawBody?: Buffer };
		const eventId = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : createHash('sha256').update(request.rawBody ?? JSON.stringify(body)).digest('hex');
		if (isRepeatedDelivery(this, staticData, `${topic ?? ''} ${eventId}`, Date.now(), warnForgotten(this, 'Alternative Payments Trigger'))) {
			response.status(200).json({ received: true });
			return { noWebhookResponse: true };
		}
		if (!triggerSimplifies(this)) return { workflowData: [[{ json: { ...body, ...(topic ? { topic } : {}) } }]] };
		// An invoice's customer is read within the bounds of a webhook answer (DETAILS_TRANSPORT), else left null.
		return { workflowData: [[{ json: await simplifyDelivery(new AlternativePaymentsClient(this, DETAILS_TRANSPORT), topic, body, new Date()) }]] };
	}
}

async function removeSubscriptions(client: AlternativePaymentsClient, registration: Registration | undefined): Promise<void> {
	for (const id of Object.values(registration?.subscriptions ?? {})) await removeRegistration(client, resourcePath('webhooks', id));
}
