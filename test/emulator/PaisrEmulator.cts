// A stateful emulator of the Paisr API v2 (see /work/shared/paisr-api.md), on the same test server as
// the other providers: static bearer tokens with permissions and business profiles, relative due
// dates, lists without paging (at most 1,000), line items in two calls past 50, checkout sessions
// that expire, 250 requests a minute with 429, `{success: false, message}` errors, and webhooks that
// sign real deliveries with HMAC-SHA256.
import { createHmac, randomBytes } from 'crypto';

import { roundToCents } from './calendar.cjs';
import { createPrng } from './seed.cjs';
import type { ApiResponse, ParsedRequest, RateLimitOptions } from './server/EmulatorServer.cjs';
import { EmulatorServer, json } from './server/EmulatorServer.cjs';
import type { DeliveryRetries } from './server/wire.cjs';
import { deliverWithRetries, parseObject, pathSegments } from './server/wire.cjs';

export const PAISR_SCOPES = [
	'invoices.read',
	'invoices.write',
	'customers.read',
	'customers.write',
	'payments.read',
	'payments.write',
	'metrics.read',
	'webhooks.read',
	'webhooks.write',
] as const;
export type PaisrScope = (typeof PAISR_SCOPES)[number];

export interface PaisrToken {
	secret: string;
	scopes: PaisrScope[];
	/** Invoice, customer, payment and metrics endpoints answer business profiles only. */
	business: boolean;
}

/** The default tokens: every permission, invoices read-only, and one of a personal (non-business) profile. */
export const PAISR_TOKENS: readonly PaisrToken[] = [
	{ secret: 'paisr-full', scopes: [...PAISR_SCOPES], business: true },
	{ secret: 'paisr-invoices-ro', scopes: ['invoices.read'], business: true },
	{ secret: 'paisr-personal', scopes: [...PAISR_SCOPES], business: false },
];

/** 250 requests a minute per token, no rate header (none is documented). */
export const PAISR_RATE_LIMIT: RateLimitOptions = { perMinute: 250, burst: 0, windowMs: 60_000, headers: 'none' };
export const MAX_LIST_LIMIT = 1000;
/** What a list returns when no limit is sent: the docs do not say, so a small number that would surprise a client that trusted it. */
export const DEFAULT_LIST_LIMIT = 10;
export const MAX_CREATE_ITEMS = 50;
export const MAX_INVOICE_ITEMS = 500;
export const CURRENCIES = ['SRD', 'USD', 'EUR'] as const;
export const INVOICE_STATUSES = ['draft', 'unpaid', 'paid', 'void'] as const;
export const WEBHOOK_EVENTS = [
	'customer.created',
	'customer.updated',
	'customer.removed',
	'invoice.created',
	'invoice.removed',
	'invoice.paid',
	'transfer.inbound',
	'transfer.outbound',
	'voucher.created',
	'voucher.updated',
	'voucher.applied',
	'voucher.removed',
	'plan.created',
	'plan.updated',
	'plan.removed',
	'subscription.created',
	'subscription.updated',
	'subscription.active',
	'subscription.expired',
	'subscription.suspended',
	'subscription.cancelled',
	'subscription.removed',
] as const;
const DESCRIPTION_PATTERN = /^[a-zA-Z0-9() ]{4,48}$/;
const MS_PER_DAY = 86_400_000;

export interface PaisrLineItem {
	id: string;
	description: string;
	quantity: number;
	unit_price: number;
	created_at: string;
}

export interface PaisrAddress {
	line_1: string;
	line_2?: string;
	city: string;
	state?: string;
	zip_code?: string;
	country: string;
}

export interface PaisrCustomer {
	id: string;
	name: string | null;
	email: string;
	phone: string | null;
	default_currency: string;
	billing_details: PaisrAddress | null;
	shipping_details: PaisrAddress | null;
	metadata: Record<string, string> | null;
	created_at: string;
	archived: boolean;
}

export interface PaisrInvoice {
	id: string;
	sid: number;
	customer_id: string;
	summary: string;
	status: (typeof INVOICE_STATUSES)[number];
	currency: string;
	due_at: string | null;
	paid_at: string | null;
	void_at: string | null;
	created_at: string;
	discount_total: number;
	items: PaisrLineItem[];
	/** The open checkout session, if any: its token and when it expires (wall clock). */
	session?: { token: string; expiresAtMs: number };
}

export interface PaisrPayment {
	id: string;
	sid: number;
	invoice_id: string;
	description: string;
	currency: string;
	status: string;
	payment_method: { provider: string; type: string };
	amount: { sub_total: number; due_total: number; fee_total: number; output_total: number };
	initiated_at: string;
	approved_at: string | null;
	settled_at: string | null;
	/** What was refunded so far (major units); the payment is `refunded` once it is the whole sub_total. */
	refunded_total?: number;
	reversed_at?: string | null;
}

export interface PaisrWebhook {
	id: string;
	description: string;
	endpoint: string;
	triggers: Array<{ id: string; type: string }>;
	active: boolean;
	secret: string;
}

export interface PaisrDelivery {
	webhookId: string;
	url: string;
	status: number;
	/** The status of every attempt, retries included (0: no answer in time). */
	attempts: number[];
	headers: Record<string, string>;
	body: string;
}

/**
 * One event in a webhook's log, as `GET /webhooks/{id}/events` lists it (spec `WebhookEvent`):
 * `pending` while Paisr still retries, `success` once an attempt got a 2xx, `failed` once the
 * retries ran out; only a failed one can be retried by hand (`can_retry`).
 */
export interface PaisrWebhookEvent {
	id: string;
	webhookId: string;
	body: { id: string; event: string };
	type: string;
	status: 'pending' | 'success' | 'failed';
	can_retry: boolean;
	retry_count: number;
	last_retry_at: string | null;
	next_retry_at: string | null;
	created_at: string;
}

/** How a delivery may be spoiled, for tests of the receiving end. */
export interface DeliveryTampering {
	/** The body that is sent instead of the signed one. */
	body?: string;
	/** Seconds added to the timestamp that is signed and sent (negative: an old delivery). */
	timestampOffsetSeconds?: number;
	/** Sign with this secret instead of the webhook's. */
	secret?: string;
	omitSignature?: boolean;
}

export interface PaisrEmulatorOptions {
	tokens?: readonly PaisrToken[];
	seed?: { customers?: number; invoices?: number; payments?: number; seed?: number } | false;
	rateLimit?: RateLimitOptions | false;
	latencyMs?: number;
	/** The emulator clock for created_at, due dates and the like. */
	now?: string;
	/** How long a checkout session lasts (wall clock); 30 minutes as the docs say. */
	sessionLifetimeMs?: number;
}

const failure = (status: number, message: string) => json(status, { success: false, message });
const done = (message: string) => json(200, { success: true, message });
const data = (value: unknown) => json(200, { success: true, data: value });

/** The relative phrases the emulator understands: "In N days|weeks|months", "today", "tomorrow". */
export function parseDuePhrase(phrase: unknown, nowMs: number): number | undefined {
	if (typeof phrase !== 'string') return undefined;
	const text = phrase.trim().toLowerCase();
	if (text === 'today') return nowMs;
	if (text === 'tomorrow') return nowMs + MS_PER_DAY;
	const match = /^in (\d{1,4}) (day|days|week|weeks|month|months)$/.exec(text.replace(/\s+/g, ' '));
	if (!match) return undefined;
	const count = Number(match[1]);
	const days = match[2].startsWith('day') ? count : match[2].startsWith('week') ? count * 7 : count * 30;
	return nowMs + days * MS_PER_DAY;
}

export class PaisrEmulator extends EmulatorServer {
	readonly deliveries: PaisrDelivery[] = [];
	/** Invoices emailed by Send, in order. */
	readonly sent: string[] = [];

	private readonly tokens = new Map<string, PaisrToken>();
	private readonly customers: PaisrCustomer[] = [];
	private readonly invoices: PaisrInvoice[] = [];
	private readonly payments: PaisrPayment[] = [];
	private readonly webhooks: PaisrWebhook[] = [];

	/** Tests set this to make "Test" on a webhook fail as a server error. */
	webhookTestsFail = false;
	/** Tests set this while the receiving end is down: every attempt finds nobody there (status 0). */
	endpointsDown = false;
	private readonly webhookEvents: PaisrWebhookEvent[] = [];
	private clockMs: number;
	private sequence = 0;
	private nextSid = 600_001;
	private sessionLifetimeMs: number;
	private lineItemsOnGet = false;

	constructor(options: PaisrEmulatorOptions = {}) {
		super('/v2', 'none');
		for (const token of options.tokens ?? PAISR_TOKENS) this.tokens.set(token.secret, { ...token, scopes: [...token.scopes] });
		this.clockMs = Date.parse(options.now ?? '2025-03-01T12:00:00Z');
		this.sessionLifetimeMs = options.sessionLifetimeMs ?? 30 * 60_000;
		this.setRateLimit(options.rateLimit === undefined ? PAISR_RATE_LIMIT : options.rateLimit);
		this.setLatency(options.latencyMs ?? 0);
		if (options.seed !== false) this.seed(options.seed ?? {});
	}

	// ---- state, for tests ----

	now(): string {
		return new Date(this.clockMs).toISOString().replace('.000Z', 'Z');
	}

	setNow(iso: string): void {
		this.clockMs = Date.parse(iso);
	}

	setSessionLifetime(ms: number): void {
		this.sessionLifetimeMs = ms;
	}

	/** GET /invoices/{id} includes `line_items` (the spec's InvoiceDetails), which the docs say it does not. */
	includeLineItemsOnGet(on: boolean): void {
		this.lineItemsOnGet = on;
	}

	addCustomer(partial: Partial<PaisrCustomer> = {}): PaisrCustomer {
		const number = this.customers.length + 1;
		const customer: PaisrCustomer = {
			id: partial.id ?? this.nextId('cus'),
			name: partial.name === undefined ? `Customer ${number}` : partial.name,
			email: partial.email ?? `billing${number}@customer.example`,
			phone: partial.phone ?? null,
			default_currency: partial.default_currency ?? 'SRD',
			billing_details: partial.billing_details ?? null,
			shipping_details: partial.shipping_details ?? null,
			metadata: partial.metadata ?? null,
			created_at: partial.created_at ?? this.now(),
			archived: partial.archived ?? false,
		};
		this.customers.push(customer);
		return structuredClone(customer);
	}

	addInvoice(partial: Partial<Omit<PaisrInvoice, 'items'>> & { items?: Array<Omit<PaisrLineItem, 'id' | 'created_at'>> } = {}): PaisrInvoice {
		const customerId = partial.customer_id ?? this.customers[0]?.id ?? this.addCustomer().id;
		const customer = this.customers.find((candidate) => candidate.id === customerId);
		const invoice: PaisrInvoice = {
			id: partial.id ?? this.nextId('inv'),
			sid: partial.sid ?? this.nextSid++,
			customer_id: customerId,
			summary: partial.summary ?? 'Services',
			status: partial.status ?? 'unpaid',
			currency: partial.currency ?? customer?.default_currency ?? 'SRD',
			due_at: partial.due_at === undefined ? new Date(this.clockMs + 14 * MS_PER_DAY).toISOString().replace('.000Z', 'Z') : partial.due_at,
			paid_at: partial.paid_at ?? null,
			void_at: partial.void_at ?? null,
			created_at: partial.created_at ?? this.now(),
			discount_total: partial.discount_total ?? 0,
			items: (partial.items ?? [{ description: 'Services', quantity: 1, unit_price: 100 }]).map((item) => ({ ...item, id: this.nextId('itm'), created_at: this.now() })),
		};
		this.invoices.push(invoice);
		return structuredClone(invoice);
	}

	addPayment(partial: Partial<PaisrPayment> = {}): PaisrPayment {
		const invoice = this.invoices.find((candidate) => candidate.id === partial.invoice_id) ?? this.invoices[0];
		const total = invoice ? netTotal(invoice) : 0;
		const payment: PaisrPayment = {
			id: partial.id ?? this.nextId('pmt'),
			sid: partial.sid ?? 700_000 + this.payments.length + 1,
			invoice_id: partial.invoice_id ?? invoice?.id ?? '',
			description: partial.description ?? `Payment for Invoice #${invoice?.sid ?? 0}`,
			currency: partial.currency ?? invoice?.currency ?? 'SRD',
			status: partial.status ?? 'settled',
			payment_method: partial.payment_method ?? { provider: 'Paisr Pay', type: 'card' },
			amount: partial.amount ?? { sub_total: total, due_total: total, fee_total: roundToCents(total * 0.019), output_total: roundToCents(total * 0.981) },
			initiated_at: partial.initiated_at ?? this.now(),
			approved_at: partial.approved_at ?? this.now(),
			settled_at: partial.settled_at ?? null,
		};
		this.payments.push(payment);
		return structuredClone(payment);
	}

	invoice(id: string): PaisrInvoice | undefined {
		const found = this.invoices.find((candidate) => candidate.id === id);
		return found ? structuredClone(found) : undefined;
	}

	listInvoices(): PaisrInvoice[] {
		return this.invoices.map((invoice) => structuredClone(invoice));
	}

	listPayments(): PaisrPayment[] {
		return this.payments.map((payment) => structuredClone(payment));
	}

	listCustomers(): PaisrCustomer[] {
		return this.customers.map((customer) => structuredClone(customer));
	}

	listWebhooks(): PaisrWebhook[] {
		return this.webhooks.map((webhook) => structuredClone(webhook));
	}

	/** Every webhook's event log, oldest first. */
	listWebhookEvents(): PaisrWebhookEvent[] {
		return this.webhookEvents.map((event) => structuredClone(event));
	}

	/** Marks an invoice paid, as a payment arriving does. */
	markPaid(id: string): void {
		const invoice = this.invoices.find((candidate) => candidate.id === id);
		if (!invoice) throw new Error(`No invoice ${id}`);
		invoice.status = 'paid';
		invoice.paid_at = this.now();
		delete invoice.session;
	}

	/**
	 * A test event, as the dashboard's "Test" sends one: its first event type, for the docs' example
	 * id (a resource that does not exist), signed like any delivery and sent after the answer, with
	 * Paisr's retries (an endpoint not ready yet gets it on a later attempt).
	 */
	private testWebhookRoute(webhook: PaisrWebhook): ApiResponse {
		if (this.webhookTestsFail) return failure(500, 'Server Error');
		const event = webhook.triggers[0]?.type ?? 'invoice.paid';
		const exampleId = `${{ invoice: 'inv', customer: 'cus', payment: 'pmt' }[event.split('.')[0]] ?? 'evt'}_123456`;
		setImmediate(() => void this.deliverTo(webhook, event, exampleId, {}, { retries: 5, backoffMs: 300 }));
		return done('Test event sent');
	}

	/**
	 * Sends an event to every active webhook that has its trigger, signed as Paisr signs them:
	 * HMAC-SHA256 of `timestamp + "." + body` in lowercase hex. Resolves with what each endpoint answered.
	 */
	async deliver(event: string, id: string, tampering: DeliveryTampering = {}, retries: DeliveryRetries = {}): Promise<PaisrDelivery[]> {
		const sent: PaisrDelivery[] = [];
		for (const webhook of this.webhooks.filter((candidate) => candidate.active && candidate.triggers.some((trigger) => trigger.type === event))) {
			sent.push(await this.deliverTo(webhook, event, id, tampering, retries));
		}
		return sent;
	}

	private async deliverTo(webhook: PaisrWebhook, event: string, id: string, tampering: DeliveryTampering, retries: DeliveryRetries): Promise<PaisrDelivery> {
		const logged: PaisrWebhookEvent = {
			id: this.nextId('wev'),
			webhookId: webhook.id,
			body: { id, event },
			type: event,
			status: 'pending',
			can_retry: false,
			retry_count: 0,
			last_retry_at: null,
			next_retry_at: null,
			// Wall-clock time, a millisecond after the last event at least: the log's order is the order of events.
			created_at: new Date(Math.max(Date.now(), Date.parse(this.webhookEvents[this.webhookEvents.length - 1]?.created_at ?? '1970-01-01T00:00:00Z') + 1)).toISOString(),
		};
		this.webhookEvents.push(logged);
		// Paisr sends a delivery that was not answered in time again, the same body, timestamp and signature.
		const delivery = await this.sendEvent(webhook, event, id, tampering, retries);
		this.settle(logged, delivery.attempts);
		return delivery;
	}

	/** One delivery with its retries: signed now (plus any offset), sent until a 2xx or the retries run out. */
	private async sendEvent(webhook: PaisrWebhook, event: string, id: string, tampering: DeliveryTampering, retries: DeliveryRetries): Promise<PaisrDelivery> {
		const signedBody = JSON.stringify({ id, event });
		const timestamp = String(Math.floor(Date.now() / 1000) + (tampering.timestampOffsetSeconds ?? 0));
		const signature = createHmac('sha256', tampering.secret ?? webhook.secret).update(`${timestamp}.${signedBody}`).digest('hex');
		const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'PCB Events', 'X-PCB-Timestamp': timestamp };
		if (!tampering.omitSignature) headers['X-PCB-Signature'] = signature;
		const body = tampering.body ?? signedBody;
		const attempts = this.endpointsDown ? Array.from({ length: (retries.retries ?? 0) + 1 }, () => 0) : await deliverWithRetries(webhook.endpoint, headers, body, retries);
		const delivery = { webhookId: webhook.id, url: webhook.endpoint, status: attempts[attempts.length - 1], attempts, headers, body };
		this.deliveries.push(delivery);
		return delivery;
	}

	/** What the log says after a round of attempts: success on a 2xx, else failed (retries spent) and retryable by hand. */
	private settle(logged: PaisrWebhookEvent, attempts: number[]): void {
		const succeeded = attempts.some((status) => status >= 200 && status < 300);
		logged.retry_count += attempts.length - 1;
		if (attempts.length > 1) logged.last_retry_at = new Date().toISOString();
		logged.status = succeeded ? 'success' : 'failed';
		logged.can_retry = !succeeded;
	}

	/**
	 * A retry by hand, as `POST /webhooks/{id}/events/{event_id}` asks: only a failed event; the
	 * delivery goes out after the answer, the same body stamped and signed anew, once.
	 */
	private retryEventRoute(webhook: PaisrWebhook, eventId: string): ApiResponse {
		const logged = this.webhookEvents.find((candidate) => candidate.id === eventId && candidate.webhookId === webhook.id);
		if (!logged) return failure(404, 'Event not found');
		if (!logged.can_retry) return failure(400, 'This event cannot be retried');
		logged.can_retry = false;
		logged.status = 'pending';
		setImmediate(() => void this.sendEvent(webhook, logged.body.event, logged.body.id, {}, {}).then((delivery) => this.settle(logged, [0, ...delivery.attempts])));
		return done('Event retried');
	}

	// ---- HTTP ----

	protected dispatch(request: ParsedRequest): ApiResponse {
		const segments = pathSegments(request.path);
		// The hosted checkout page: no token, it is the payer's link.
		if (request.method === 'GET' && segments[0] === 'checkout' && segments.length === 2) return this.checkoutPage(segments[1]);
		if (segments[0] !== 'v2') return failure(404, 'Not Found');
		const token = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const known = token === undefined ? undefined : this.tokens.get(token);
		if (!known) return failure(401, 'Unauthenticated.');
		const limited = this.takeRateLimit(known.secret);
		if (limited) request.record.rateWindow = limited.window;
		if (limited?.tooMany) return failure(429, 'Too Many Requests');
		const route = this.route(request, segments.slice(1));
		if (!route) return failure(404, 'Not Found');
		if (route.business && !known.business) return failure(403, 'This endpoint is available to business profiles only.');
		if (!known.scopes.includes(route.scope)) return failure(403, `This access token does not have the ${route.scope} permission.`);
		return route.run();
	}

	private route(request: ParsedRequest, segments: string[]): { scope: PaisrScope; business: boolean; run: () => ApiResponse } | undefined {
		const { method, searchParams: params } = request;
		const body = () => parseObject(request.rawBody);
		const [resource, id, sub, subId] = segments;
		const business = (scope: PaisrScope, run: () => ApiResponse) => ({ scope, business: true, run });
		if (resource === 'invoices') {
			if (segments.length === 1 && method === 'GET') return business('invoices.read', () => this.listInvoicesRoute(params));
			if (segments.length === 1 && method === 'POST') return business('invoices.write', () => this.createInvoiceRoute(body()));
			const withInvoice = (run: (invoice: PaisrInvoice) => ApiResponse) => () => {
				const invoice = this.invoices.find((candidate) => candidate.id === id);
				return invoice ? run(invoice) : failure(404, 'Invoice not found');
			};
			if (segments.length === 2 && method === 'GET') return business('invoices.read', withInvoice((invoice) => data(this.invoiceReply(invoice, this.lineItemsOnGet))));
			if (segments.length === 2 && method === 'PUT') return business('invoices.write', withInvoice((invoice) => this.updateInvoiceRoute(invoice, body())));
			if (segments.length === 2 && method === 'DELETE') return business('invoices.write', withInvoice((invoice) => this.deleteInvoiceRoute(invoice)));
			if (sub === 'send' && segments.length === 3 && method === 'POST') return business('invoices.write', withInvoice((invoice) => this.sendRoute(invoice)));
			if (sub === 'items' && segments.length === 3 && method === 'POST') return business('invoices.write', withInvoice((invoice) => this.addItemsRoute(invoice, body())));
			if (sub === 'items' && segments.length === 4 && method === 'PUT') return business('invoices.write', withInvoice((invoice) => this.updateItemRoute(invoice, subId, body())));
			if (sub === 'items' && segments.length === 4 && method === 'DELETE') return business('invoices.write', withInvoice((invoice) => this.removeItemRoute(invoice, subId)));
			return undefined;
		}
		if (resource === 'metrics' && id === 'invoices' && segments.length === 2 && method === 'GET') return business('metrics.read', () => this.metricsRoute());
		if (resource === 'customers') {
			if (segments.length === 1 && method === 'GET') return business('customers.read', () => data({ customers: this.customers.filter((customer) => !customer.archived).map(customerReply) }));
			if (segments.length === 1 && method === 'POST') return business('customers.write', () => this.createCustomerRoute(body()));
			const withCustomer = (archivedToo: boolean, run: (customer: PaisrCustomer) => ApiResponse) => () => {
				const customer = this.customers.find((candidate) => candidate.id === id && (archivedToo || !candidate.archived));
				return customer ? run(customer) : failure(404, 'Customer not found');
			};
			if (segments.length !== 2) return undefined;
			if (method === 'GET') return business('customers.read', withCustomer(false, (customer) => data({ ...customerReply(customer), session: this.portalSession() })));
			if (method === 'PUT') return business('customers.write', withCustomer(false, (customer) => this.updateCustomerRoute(customer, body())));
			if (method === 'DELETE') return business('customers.write', withCustomer(false, (customer) => ((customer.archived = true), done('Customer archived successfully'))));
			if (method === 'PATCH') return business('customers.write', withCustomer(true, (customer) => ((customer.archived = false), done('Customer restored successfully'))));
			return undefined;
		}
		if (resource === 'payments') {
			if (segments.length === 1 && method === 'GET') return business('payments.read', () => this.listPaymentsRoute(params));
			if (segments.length === 2 && method === 'GET') {
				return business('payments.read', () => {
					const payment = this.payments.find((candidate) => candidate.id === id);
					return payment ? data(structuredClone(payment)) : failure(404, 'Payment not found');
				});
			}
			if (segments.length === 3 && sub === 'refund' && method === 'POST') {
				return business('payments.write', () => {
					const payment = this.payments.find((candidate) => candidate.id === id);
					return payment ? this.refundRoute(payment, body()) : failure(404, 'Payment not found');
				});
			}
			return undefined;
		}
		if (resource === 'webhooks') {
			const hooks = (scope: PaisrScope, run: () => ApiResponse) => ({ scope, business: false, run });
			if (segments.length === 1 && method === 'GET') return hooks('webhooks.read', () => data({ webhooks: this.webhooks.map(webhookReply) }));
			if (segments.length === 1 && method === 'POST') return hooks('webhooks.write', () => this.createWebhookRoute(body()));
			const webhook = this.webhooks.find((candidate) => candidate.id === id);
			const withWebhook = (run: (found: PaisrWebhook) => ApiResponse) => () => (webhook ? run(webhook) : failure(404, 'Webhook not found'));
			if (segments.length === 2 && method === 'GET') return hooks('webhooks.read', withWebhook((found) => data(webhookReply(found))));
			if (segments.length === 2 && method === 'DELETE') {
				return hooks('webhooks.write', withWebhook((found) => (this.webhooks.splice(this.webhooks.indexOf(found), 1), done('Webhook deleted successfully'))));
			}
			if (sub === 'secret' && segments.length === 3 && method === 'GET') return hooks('webhooks.read', withWebhook((found) => data({ secret: found.secret })));
			if (sub === 'test' && segments.length === 3 && method === 'POST') return hooks('webhooks.write', withWebhook((found) => this.testWebhookRoute(found)));
			if (sub === 'events' && segments.length === 3 && method === 'GET') {
				// Newest first: the client must not depend on the order, which Paisr does not document.
				return hooks('webhooks.read', withWebhook((found) => data({ events: this.webhookEvents.filter((event) => event.webhookId === found.id).reverse().map(({ webhookId: _webhook, ...event }) => structuredClone(event)) })));
			}
			if (sub === 'events' && segments.length === 4 && method === 'POST') return hooks('webhooks.write', withWebhook((found) => this.retryEventRoute(found, subId)));
			return undefined;
		}
		return undefined;
	}

	private listInvoicesRoute(params: URLSearchParams): ApiResponse {
		const limit = readLimit(params);
		if (typeof limit === 'string') return failure(422, limit);
		const status = params.get('status');
		if (status !== null && !(INVOICE_STATUSES as readonly string[]).includes(status)) return failure(422, 'The selected status is invalid.');
		const currency = params.get('currency');
		if (currency !== null && !/^[A-Z]{3}$/.test(currency)) return failure(422, 'The currency format is invalid.');
		const resourceId = params.get('resource_id');
		const found = this.invoices
			.filter((invoice) => (status === null || invoice.status === status) && (currency === null || invoice.currency === currency) && (resourceId === null || invoice.customer_id === resourceId))
			// Newest first: the docs name no order, and a client must not rely on one.
			.slice()
			.reverse()
			.slice(0, limit);
		return data({ invoices: found.map((invoice) => this.invoiceReply(invoice, false)) });
	}

	private listPaymentsRoute(params: URLSearchParams): ApiResponse {
		const limit = readLimit(params);
		if (typeof limit === 'string') return failure(422, limit);
		const matches = (field: string, value: (payment: PaisrPayment) => string) => {
			const wanted = params.get(field);
			return (payment: PaisrPayment) => wanted === null || value(payment) === wanted;
		};
		const filters = [
			matches('resource_id', (payment) => payment.invoice_id),
			matches('currency', (payment) => payment.currency),
			matches('status', (payment) => payment.status),
			matches('method', (payment) => payment.payment_method.type),
		];
		const found = this.payments.filter((payment) => filters.every((filter) => filter(payment))).slice().reverse().slice(0, limit);
		return data({ payments: found.map((payment) => structuredClone(payment)) });
	}

	private createInvoiceRoute(body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		const customerRef = typeof body.customer === 'string' ? body.customer.trim() : '';
		if (customerRef === '') return failure(422, 'The customer field is required.');
		const customer = this.customers.find((candidate) => !candidate.archived && (candidate.id === customerRef || candidate.email.toLowerCase() === customerRef.toLowerCase()));
		if (!customer) return failure(422, 'The selected customer is invalid.');
		if (typeof body.summary !== 'string' || body.summary.trim() === '') return failure(422, 'The summary field is required.');
		if (body.due === undefined) return failure(422, 'The due field is required.');
		const dueMs = parseDuePhrase(body.due, this.clockMs);
		if (dueMs === undefined) return failure(422, 'The due field must be a valid relative time.');
		if (body.currency !== undefined && !(CURRENCIES as readonly unknown[]).includes(body.currency)) return failure(422, 'The selected currency is invalid.');
		const items = readItems(body.items ?? [], MAX_CREATE_ITEMS);
		if (typeof items === 'string') return failure(422, items);
		const invoice = this.addInvoice({
			customer_id: customer.id,
			summary: body.summary.trim(),
			currency: (body.currency as string | undefined) ?? customer.default_currency,
			due_at: iso(dueMs),
			status: 'unpaid',
			items,
		});
		return data({ id: invoice.id, status: invoice.status, session: null });
	}

	private updateInvoiceRoute(invoice: PaisrInvoice, body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (invoice.status === 'paid' || invoice.status === 'void') return failure(422, `A ${invoice.status} invoice cannot be changed.`);
		if (body.summary !== undefined && (typeof body.summary !== 'string' || body.summary.trim() === '')) return failure(422, 'The summary must be a string.');
		if (body.currency !== undefined && !(CURRENCIES as readonly unknown[]).includes(body.currency)) return failure(422, 'The selected currency is invalid.');
		let dueMs: number | undefined;
		if (body.due !== undefined) {
			dueMs = parseDuePhrase(body.due, this.clockMs);
			if (dueMs === undefined) return failure(422, 'The due field must be a valid relative time.');
		}
		if (typeof body.summary === 'string') invoice.summary = body.summary.trim();
		if (typeof body.currency === 'string') invoice.currency = body.currency;
		if (dueMs !== undefined) invoice.due_at = iso(dueMs);
		return done('Invoice updated successfully');
	}

	private deleteInvoiceRoute(invoice: PaisrInvoice): ApiResponse {
		if (invoice.status === 'paid') return failure(422, 'A paid invoice cannot be deleted.');
		this.invoices.splice(this.invoices.indexOf(invoice), 1);
		return done('Invoice deleted successfully');
	}

	private sendRoute(invoice: PaisrInvoice): ApiResponse {
		if (invoice.status === 'paid' || invoice.status === 'void') return failure(422, `A ${invoice.status} invoice cannot be sent.`);
		this.sent.push(invoice.id);
		return done('Invoice sent successfully');
	}

	private addItemsRoute(invoice: PaisrInvoice, body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (invoice.status === 'paid' || invoice.status === 'void') return failure(422, `A ${invoice.status} invoice cannot be changed.`);
		if (!Array.isArray(body.items) || body.items.length === 0) return failure(422, 'The items field is required.');
		const items = readItems(body.items, MAX_INVOICE_ITEMS);
		if (typeof items === 'string') return failure(422, items);
		if (invoice.items.length + items.length > MAX_INVOICE_ITEMS) return failure(422, `An invoice can hold at most ${MAX_INVOICE_ITEMS} line items.`);
		for (const item of items) invoice.items.push({ ...item, id: this.nextId('itm'), created_at: this.now() });
		return done('Line items added successfully');
	}

	private updateItemRoute(invoice: PaisrInvoice, itemId: string, body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		const item = invoice.items.find((candidate) => candidate.id === itemId);
		if (!item) return failure(404, 'Line item not found');
		if (invoice.status === 'paid' || invoice.status === 'void') return failure(422, `A ${invoice.status} invoice cannot be changed.`);
		const merged = readItems([{ description: item.description, quantity: item.quantity, unit_price: item.unit_price, ...body }], 1);
		if (typeof merged === 'string') return failure(422, merged);
		Object.assign(item, merged[0]);
		return done('Line item updated successfully');
	}

	private removeItemRoute(invoice: PaisrInvoice, itemId: string): ApiResponse {
		const index = invoice.items.findIndex((candidate) => candidate.id === itemId);
		if (index === -1) return failure(404, 'Line item not found');
		if (invoice.status === 'paid' || invoice.status === 'void') return failure(422, `A ${invoice.status} invoice cannot be changed.`);
		invoice.items.splice(index, 1);
		return done('Line item removed successfully');
	}

	private metricsRoute(): ApiResponse {
		const count = (status: string) => this.invoices.filter((invoice) => invoice.status === status).length;
		return data({ total: this.invoices.length, unpaid: count('unpaid'), paid: count('paid') });
	}

	private createCustomerRoute(body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) return failure(422, 'The email must be a valid email address.');
		if (this.customers.some((customer) => customer.email.toLowerCase() === String(body.email).toLowerCase())) return failure(422, 'The email has already been taken.');
		const problem = customerProblem(body);
		if (problem) return failure(422, problem);
		const customer = this.addCustomer({
			email: body.email,
			name: typeof body.name === 'string' ? body.name : null,
			phone: typeof body.phone === 'string' ? body.phone : null,
			default_currency: typeof body.default_currency === 'string' ? body.default_currency : 'SRD',
			billing_details: (body.billing_details as PaisrAddress | undefined) ?? null,
			shipping_details: (body.shipping_details as PaisrAddress | undefined) ?? null,
			metadata: (body.metadata as Record<string, string> | undefined) ?? null,
		});
		return data({ id: customer.id });
	}

	private updateCustomerRoute(customer: PaisrCustomer, body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (body.email !== undefined && (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email))) return failure(422, 'The email must be a valid email address.');
		const problem = customerProblem(body);
		if (problem) return failure(422, problem);
		for (const field of ['email', 'name', 'phone', 'default_currency', 'billing_details', 'shipping_details', 'metadata'] as const) {
			if (body[field] !== undefined) (customer as unknown as Record<string, unknown>)[field] = body[field];
		}
		return done('Customer updated successfully');
	}

	private createWebhookRoute(body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (typeof body.description !== 'string' || !DESCRIPTION_PATTERN.test(body.description)) return failure(422, 'The description format is invalid.');
		if (typeof body.endpoint !== 'string' || !/^https?:\/\/\S+$/.test(body.endpoint)) return failure(422, 'The endpoint must be a valid URL.');
		const events = body.events;
		if (!Array.isArray(events) || events.length === 0) return failure(422, 'The events field is required.');
		if (!events.every((event) => (WEBHOOK_EVENTS as readonly unknown[]).includes(event))) return failure(422, 'The selected events are invalid.');
		const webhook: PaisrWebhook = {
			id: this.nextId('whk'),
			description: body.description,
			endpoint: body.endpoint,
			triggers: [...new Set(events as string[])].map((type) => ({ id: this.nextId('wtr'), type })),
			active: true,
			secret: randomBytes(24).toString('hex'),
		};
		this.webhooks.push(webhook);
		return data({ id: webhook.id });
	}

	private checkoutPage(token: string): ApiResponse {
		const invoice = this.invoices.find((candidate) => candidate.session?.token === token);
		if (!invoice || !invoice.session) return failure(404, 'Checkout session not found');
		if (invoice.session.expiresAtMs <= Date.now()) return failure(410, 'This checkout session has expired');
		return json(200, { invoice: invoice.id, amount: netTotal(invoice), currency: invoice.currency });
	}

	/** The invoice as the API shows it; a payable invoice gets a checkout session, renewed once the old one has expired. */
	private invoiceReply(invoice: PaisrInvoice, withItems: boolean): Record<string, unknown> {
		const customer = this.customers.find((candidate) => candidate.id === invoice.customer_id);
		let session: { url: string; expires_in: string } | null = null;
		if (invoice.status === 'unpaid') {
			if (!invoice.session || invoice.session.expiresAtMs <= Date.now()) {
				invoice.session = { token: randomBytes(12).toString('base64url'), expiresAtMs: Date.now() + this.sessionLifetimeMs };
			}
			const origin = this.listeningUrl ? this.listeningUrl.replace(/\/v2$/, '') : 'https://checkout.paisr.tech';
			session = { url: `${origin}/checkout/${invoice.session.token}`, expires_in: `${Math.round(this.sessionLifetimeMs / 60_000)} minutes` };
		}
		const subTotal = roundToCents(invoice.items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0));
		return {
			id: invoice.id,
			sid: invoice.sid,
			subscription_id: null,
			customer: customer
				? { id: customer.id, name: customer.name, email: customer.email, billing_details: customer.billing_details, shipping_details: customer.shipping_details }
				: null,
			voucher: null,
			summary: invoice.summary,
			amount: { sub_total: subTotal, discount_total: invoice.discount_total, net_total: netTotal(invoice) },
			status: invoice.status,
			currency: invoice.currency,
			session,
			due_at: invoice.due_at,
			paid_at: invoice.paid_at,
			void_at: invoice.void_at,
			created_at: invoice.created_at,
			...(withItems
				? { line_items: invoice.items.map((item) => ({ id: item.id, description: item.description, quantity: item.quantity, total: { unit: item.unit_price, calculated: roundToCents(item.quantity * item.unit_price) }, created_at: item.created_at })) }
				: {}),
		};
	}

	/** A customer-portal link as one customer's answer carries it: new each time, lasting as checkout sessions do (the list carries none). */
	private portalSession(): { url: string; expires_in: string } {
		const origin = this.listeningUrl ? this.listeningUrl.replace(/\/v2$/, '') : 'https://portal.checkout.paisr.tech';
		return { url: `${origin}/portal/${randomBytes(12).toString('base64url')}`, expires_in: `${Math.round(this.sessionLifetimeMs / 60_000)} minutes` };
	}

	private nextId(prefix: string): string {
		this.sequence++;
		return `${prefix}_${this.sequence.toString(36).padStart(6, '0')}`;
	}

	/** Refunds: full or partial, with a note, of a settled (or approved) payment only; each refund moves money, so none is undone here. */
	private refundRoute(payment: PaisrPayment, body: Record<string, unknown> | undefined): ApiResponse {
		if (!body) return failure(400, 'The request body must be a JSON object.');
		if (body.type !== 'full' && body.type !== 'partial') return failure(422, 'The selected type is invalid.');
		if (typeof body.note !== 'string' || body.note.trim() === '') return failure(422, 'The note field is required.');
		if (payment.status !== 'settled' && payment.status !== 'approved') return failure(422, `Only settled payments can be refunded; this one is ${payment.status}.`);
		const refundable = Math.round((payment.amount.sub_total - (payment.refunded_total ?? 0)) * 100) / 100;
		let amount = refundable;
		if (body.type === 'partial') {
			if (typeof body.amount !== 'number' || !Number.isFinite(body.amount) || body.amount <= 0) return failure(422, 'The amount field must be a number greater than 0.');
			if (body.amount > refundable) return failure(422, `The amount may not be greater than ${refundable}.`);
			amount = body.amount;
		}
		payment.refunded_total = Math.round(((payment.refunded_total ?? 0) + amount) * 100) / 100;
		if (payment.refunded_total >= payment.amount.sub_total) {
			payment.status = 'refunded';
			payment.reversed_at = this.now();
		}
		return done('Refund initiated successfully');
	}

	private seed(options: { customers?: number; invoices?: number; payments?: number; seed?: number }): void {
		const random = createPrng(options.seed ?? 7);
		const customerCount = options.customers ?? 5;
		for (let index = 0; index < customerCount; index++) {
			this.addCustomer({ name: `Customer ${index + 1}`, default_currency: CURRENCIES[index % CURRENCIES.length] });
		}
		const invoiceCount = options.invoices ?? 20;
		for (let index = 0; index < invoiceCount; index++) {
			const roll = random();
			const status: PaisrInvoice['status'] = roll < 0.1 ? 'draft' : roll < 0.6 ? 'unpaid' : roll < 0.95 ? 'paid' : 'void';
			// Due from 40 days ago to 30 days ahead: some unpaid ones are overdue.
			const dueMs = this.clockMs + Math.round((random() * 70 - 40)) * MS_PER_DAY;
			const invoice = this.addInvoice({
				customer_id: this.customers[index % this.customers.length].id,
				summary: `Order ${index + 1}`,
				status,
				due_at: iso(dueMs),
				created_at: iso(dueMs - 14 * MS_PER_DAY),
				paid_at: status === 'paid' ? iso(dueMs - MS_PER_DAY) : null,
				void_at: status === 'void' ? iso(dueMs) : null,
				items: [{ description: 'Consulting', quantity: 1 + Math.floor(random() * 4), unit_price: roundToCents(50 + random() * 450) }],
			});
			if (status === 'paid' && this.payments.length < (options.payments ?? invoiceCount)) this.addPayment({ invoice_id: invoice.id });
		}
	}
}

function iso(ms: number): string {
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function netTotal(invoice: PaisrInvoice): number {
	return roundToCents(invoice.items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0) - invoice.discount_total);
}

function readLimit(params: URLSearchParams): number | string {
	const raw = params.get('limit');
	if (raw === null) return DEFAULT_LIST_LIMIT;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1) return 'The limit must be at least 1.';
	if (limit > MAX_LIST_LIMIT) return `The limit may not be greater than ${MAX_LIST_LIMIT}.`;
	return limit;
}

/** Line items as the API checks them; a message for the 422 otherwise. */
function readItems(raw: unknown, max: number): Array<Omit<PaisrLineItem, 'id' | 'created_at'>> | string {
	if (!Array.isArray(raw)) return 'The items must be an array.';
	if (raw.length > max) return `The items may not have more than ${max} items.`;
	const items: Array<Omit<PaisrLineItem, 'id' | 'created_at'>> = [];
	for (const [index, entry] of raw.entries()) {
		const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
		if (typeof item.description !== 'string' || item.description.trim() === '') return `The items.${index}.description field is required.`;
		if (typeof item.quantity !== 'number' || !Number.isInteger(item.quantity) || item.quantity < 1) return `The items.${index}.quantity must be at least 1.`;
		if (typeof item.unit_price !== 'number' || !(item.unit_price >= 0.01)) return `The items.${index}.unit_price must be at least 0.01.`;
		items.push({ description: item.description, quantity: item.quantity, unit_price: item.unit_price });
	}
	return items;
}

function customerProblem(body: Record<string, unknown>): string | undefined {
	if (body.default_currency !== undefined && !(CURRENCIES as readonly unknown[]).includes(body.default_currency)) return 'The selected default currency is invalid.';
	if (body.metadata !== undefined && body.metadata !== null) {
		if (typeof body.metadata !== 'object' || Array.isArray(body.metadata)) return 'The metadata must be an object.';
		if (Object.keys(body.metadata).length > 5) return 'The metadata may not have more than 5 items.';
	}
	for (const field of ['billing_details', 'shipping_details'] as const) {
		const address = body[field] as Record<string, unknown> | undefined | null;
		if (address === undefined || address === null) continue;
		for (const required of ['line_1', 'city', 'country']) {
			if (typeof address[required] !== 'string' || address[required] === '') return `The ${field}.${required} field is required.`;
		}
	}
	return undefined;
}

function customerReply({ archived: _archived, ...customer }: PaisrCustomer): Record<string, unknown> {
	return { ...structuredClone(customer), session: null };
}

function webhookReply({ secret: _secret, ...webhook }: PaisrWebhook): Record<string, unknown> {
	return structuredClone(webhook);
}
