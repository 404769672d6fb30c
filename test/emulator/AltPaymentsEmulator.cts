// A stateful emulator of the Alternative Payments API (see /work/shared/altpayments-api.md), on the
// same test server as PayRequest's: OAuth2 client credentials with expiring tokens, scoped keys,
// cursor paging with '+' and '/' in its cursors, server-side filters, archive and restore, payment
// and PDF links, customers, payments, 5 requests a second per key, and webhook subscriptions that
// really POST their events.
import { createHash, randomBytes } from 'crypto';

import { isIsoDate, roundToCents } from './calendar.cjs';
import { createPrng } from './seed.cjs';
import type { ApiResponse, ParsedRequest, RateLimitOptions } from './server/EmulatorServer.cjs';
import { EmulatorServer, json } from './server/EmulatorServer.cjs';
import type { DeliveryRetries } from './server/wire.cjs';
import { deliverWithRetries, parseObject, safeDecode } from './server/wire.cjs';

export const ALT_SCOPES = [
	'invoices:read',
	'invoices:write',
	'customers:read',
	'customers:write',
	'payments:read',
	'webhooks:read',
	'webhooks:write',
] as const;
export type AltScope = (typeof ALT_SCOPES)[number];

export interface AltApiKey {
	clientId: string;
	clientSecret: string;
	scopes: AltScope[];
}

/** The default keys: one with every scope, one that may only read invoices. */
export const ALT_KEYS: readonly AltApiKey[] = [
	{ clientId: 'client-full', clientSecret: 'secret-full', scopes: [...ALT_SCOPES] },
	{ clientId: 'client-invoices-ro', clientSecret: 'secret-invoices-ro', scopes: ['invoices:read'] },
];

export const TOKEN_LIFETIME_SECONDS = 3600;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
/** 5 requests a second per key, as the FAQ says; the window is tests' to shorten or lengthen. */
export const ALT_RATE_LIMIT: RateLimitOptions = { perMinute: 5, burst: 0, windowMs: 1000, headers: 'none' };

export interface AltLineItem {
	description: string;
	quantity: number;
	amount: number;
}

export interface AltInvoice {
	id: string;
	invoice_number: string;
	customer_id: string;
	currency: 'USD';
	status: string;
	due_date: string;
	created_at: string;
	last_notification_at?: string;
	memo: string;
	sub_total: number;
	total: number;
	line_items: AltLineItem[];
	exclude_from_autopay: boolean;
	/** Archived invoices are left out of lists and answer 404 until restored. */
	archived: boolean;
}

export interface AltCustomer {
	id: string;
	name: string;
	email: string;
	external_id: string;
	company_name: string;
	created_at: string;
	archived: boolean;
}

export interface AltPayment {
	id: string;
	customer_id: string;
	invoice_id: string;
	created_at: string;
	due_date: string;
	payment_method: string;
	status: string;
	type: string;
	sub_total: number;
	total: number;
	fees: Array<{ name: string; amount: number; covered_by_customer: boolean; type: string }>;
}

export interface AltWebhookSubscription {
	id: string;
	endpoint_url: string;
	topic: string;
	is_active: boolean;
	partner_id: string;
	secret_last_4_digits: string;
	created_at: string;
	updated_at: string;
}

export interface AltDelivery {
	subscriptionId: string;
	url: string;
	status: number;
	/** The status of every attempt, retries included (0: no answer in time). */
	attempts: number[];
	headers: Record<string, string>;
	body: unknown;
}

export const WEBHOOK_TOPICS = [
	'payout_paid',
	'payout_failed',
	'payout_processing',
	'payout_scheduled',
	'customer_created',
	'customer_updated',
	'customer_archived',
	'payment_succeeded',
	'payment_chargeback',
	'payment_refunded',
	'payment_failed',
	'invoice_created',
	'invoice_updated',
	'invoice_paid',
	'invoice_archived',
	'payment_method_added',
	'payment_method_deleted',
	'default_payment_method_changed',
] as const;

export interface AltEmulatorOptions {
	keys?: readonly AltApiKey[];
	seed?: { customers?: number; invoices?: number; payments?: number; seed?: number } | false;
	/** false: no rate limit; default: 5 a second per key. */
	rateLimit?: RateLimitOptions | false;
	latencyMs?: number;
	/** The emulator clock for created_at and the like. */
	now?: string;
}

interface IssuedToken {
	clientId: string;
	expiresAtMs: number;
}

/** Which list envelope answers: the reference's top-level cursors, or the guide's `pagination` object. */
export type ListEnvelope = 'top-level' | 'pagination';

const error = (status: number, code: string, message: string, validationErrors?: Record<string, string>) =>
	json(status, { code, message, ...(validationErrors ? { validation_errors: validationErrors } : {}) });

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class AltPaymentsEmulator extends EmulatorServer {
	readonly deliveries: AltDelivery[] = [];

	private readonly keys = new Map<string, AltApiKey>();
	private readonly tokens = new Map<string, IssuedToken>();
	private readonly invoices: AltInvoice[] = [];
	private readonly customers: AltCustomer[] = [];
	private readonly payments: AltPayment[] = [];
	private readonly subscriptions: Array<AltWebhookSubscription & { secret_key: string }> = [];
	private clockMs: number;
	private sequence = 0;
	private envelope: ListEnvelope = 'top-level';
	private schemelessPaymentLinks = false;
	/** Tokens minted so far, for tests of renewal. */
	tokensIssued = 0;

	constructor(options: AltEmulatorOptions = {}) {
		// Paths sit at the root (/invoices, /oauth/token); no rate header is documented.
		super('', 'none');
		for (const key of options.keys ?? ALT_KEYS) this.keys.set(key.clientId, { ...key, scopes: [...key.scopes] });
		this.clockMs = Date.parse(options.now ?? '2025-03-01T12:00:00Z');
		this.setRateLimit(options.rateLimit === undefined ? ALT_RATE_LIMIT : options.rateLimit);
		this.setLatency(options.latencyMs ?? 0);
		if (options.seed !== false) this.seed(options.seed ?? {});
	}

	// ---- state, for tests ----

	now(): string {
		return new Date(this.clockMs).toISOString().replace('.000Z', 'Z');
	}

	/** Every token minted so far stops working at once (as if its hour had passed). */
	expireTokens(): void {
		for (const token of this.tokens.values()) token.expiresAtMs = 0;
	}

	/** Expires every token once this many more API requests have been answered: a token that runs out mid-run. */
	expireTokensAfter(requests: number): void {
		this.expireAfter = requests;
	}

	private expireAfter: number | undefined;

	useListEnvelope(envelope: ListEnvelope): void {
		this.envelope = envelope;
	}

	/** Payment links come back as partner-branded ones do: without a scheme. */
	useSchemelessPaymentLinks(on: boolean): void {
		this.schemelessPaymentLinks = on;
	}

	addCustomer(partial: Partial<AltCustomer> = {}): AltCustomer {
		const id = partial.id ?? this.nextId('cus');
		const customer: AltCustomer = {
			id,
			name: partial.name ?? `Customer ${this.customers.length + 1}`,
			email: partial.email ?? `billing${this.customers.length + 1}@customer.example`,
			external_id: partial.external_id ?? '',
			company_name: partial.company_name ?? partial.name ?? `Company ${this.customers.length + 1}`,
			created_at: partial.created_at ?? this.now(),
			archived: partial.archived ?? false,
		};
		this.customers.push(customer);
		return { ...customer };
	}

	addInvoice(partial: Partial<AltInvoice> = {}): AltInvoice {
		const customerId = partial.customer_id ?? this.customers[0]?.id ?? this.addCustomer().id;
		const lineItems = partial.line_items ?? [{ description: 'Services', quantity: 1, amount: 100 }];
		const total = roundToCents(lineItems.reduce((sum, item) => sum + item.quantity * item.amount, 0));
		const invoice: AltInvoice = {
			id: partial.id ?? this.nextId('inv'),
			invoice_number: partial.invoice_number ?? `AP-${String(this.invoices.length + 1).padStart(5, '0')}`,
			customer_id: customerId,
			currency: 'USD',
			status: partial.status ?? 'open',
			due_date: partial.due_date ?? this.now().slice(0, 10),
			created_at: partial.created_at ?? this.now(),
			memo: partial.memo ?? '',
			sub_total: partial.sub_total ?? total,
			total: partial.total ?? total,
			line_items: lineItems.map((item) => ({ ...item })),
			exclude_from_autopay: partial.exclude_from_autopay ?? false,
			archived: partial.archived ?? false,
		};
		this.invoices.push(invoice);
		return structuredClone(invoice);
	}

	addPayment(partial: Partial<AltPayment> = {}): AltPayment {
		const invoice = this.invoices.find((candidate) => candidate.id === partial.invoice_id) ?? this.invoices[0];
		const payment: AltPayment = {
			id: partial.id ?? this.nextId('pay'),
			customer_id: partial.customer_id ?? invoice?.customer_id ?? '',
			invoice_id: partial.invoice_id ?? invoice?.id ?? '',
			created_at: partial.created_at ?? this.now(),
			due_date: partial.due_date ?? invoice?.due_date ?? this.now().slice(0, 10),
			payment_method: partial.payment_method ?? 'ach',
			status: partial.status ?? 'succeeded',
			type: partial.type ?? 'invoice',
			sub_total: partial.sub_total ?? invoice?.total ?? 0,
			total: partial.total ?? invoice?.total ?? 0,
			fees: partial.fees ?? [],
		};
		this.payments.push(payment);
		return structuredClone(payment);
	}

	/** Changes an invoice as the dashboard would (paid, re-dated). */
	updateInvoice(id: string, changes: Partial<AltInvoice>): void {
		const invoice = this.invoices.find((one) => one.id === id);
		if (!invoice) throw new Error(`No invoice ${id}`);
		Object.assign(invoice, changes);
	}

	listInvoices(): AltInvoice[] {
		return this.invoices.map((invoice) => structuredClone(invoice));
	}

	listCustomers(): AltCustomer[] {
		return this.customers.map((customer) => ({ ...customer }));
	}

	listPayments(): AltPayment[] {
		return this.payments.map((payment) => structuredClone(payment));
	}

	listSubscriptions(): AltWebhookSubscription[] {
		return this.subscriptions.map(({ secret_key: _secret, ...subscription }) => ({ ...subscription }));
	}

	/** Sends an event to every active subscription of its topic, as Alternative Payments does; resolves with what each endpoint answered. */
	async deliver(topic: string, data: unknown, retries: DeliveryRetries = {}): Promise<AltDelivery[]> {
		const sent: AltDelivery[] = [];
		for (const subscription of this.subscriptions.filter((candidate) => candidate.is_active && candidate.topic === topic)) {
			const body = { id: this.nextId('evt'), topic, created_at: this.now(), data };
			const headers: Record<string, string> = { 'Content-Type': 'application/json' };
			if (subscription.secret_key) headers.Authorization = `Bearer ${subscription.secret_key}`;
			// A delivery not answered in time is sent again as it was (its event id included).
			const attempts = await deliverWithRetries(subscription.endpoint_url, headers, JSON.stringify(body), retries);
			const delivery = { subscriptionId: subscription.id, url: subscription.endpoint_url, status: attempts[attempts.length - 1], attempts, headers, body };
			this.deliveries.push(delivery);
			sent.push(delivery);
		}
		return sent;
	}

	// ---- HTTP ----

	protected dispatch(request: ParsedRequest): ApiResponse {
		const segments = request.path.split('/').filter((segment) => segment !== '').map(safeDecode);
		if (request.method === 'POST' && segments.join('/') === 'oauth/token') return this.mintToken(request);
		// A signed PDF link is fetched without a token (it may live on another host).
		if (request.method === 'GET' && segments[0] === 'files' && segments.length === 2) return this.pdfFile(segments[1], request.searchParams);

		const token = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const issued = token === undefined ? undefined : this.tokens.get(token);
		if (!issued || issued.expiresAtMs <= Date.now()) {
			return error(401, 'unauthorized', issued ? 'The access token has expired' : 'Missing or invalid access token');
		}
		const key = this.keys.get(issued.clientId)!;
		const limited = this.takeRateLimit(key.clientId);
		if (limited) request.record.rateWindow = limited.window;
		if (limited?.tooMany) return json(429, { code: 'too_many_requests', message: 'Too Many Requests' }, limited.headers);

		const route = this.route(request, segments);
		if (!route) return error(404, 'not_found', 'Not Found');
		if (!key.scopes.includes(route.scope)) return error(403, 'forbidden', `This API key lacks the ${route.scope} scope`);
		const answer = route.run();
		if (this.expireAfter !== undefined && --this.expireAfter <= 0) {
			this.expireAfter = undefined;
			this.expireTokens();
		}
		return answer;
	}

	private route(request: ParsedRequest, segments: string[]): { scope: AltScope; run: () => ApiResponse } | undefined {
		const { method } = request;
		const [resource, id, action] = segments;
		const invoiceRead = (run: () => ApiResponse) => ({ scope: 'invoices:read' as const, run });
		const invoiceWrite = (run: () => ApiResponse) => ({ scope: 'invoices:write' as const, run });
		if (resource === 'invoices') {
			if (segments.length === 1 && method === 'GET') return invoiceRead(() => this.listInvoicesRoute(request.searchParams));
			if (segments.length === 1 && method === 'POST') return invoiceWrite(() => this.createInvoiceRoute(request.rawBody));
			if (segments.length === 2 && method === 'GET') return invoiceRead(() => this.withInvoice(id, false, (invoice) => json(200, invoiceReply(invoice))));
			if (segments.length === 2 && method === 'DELETE') return invoiceWrite(() => this.withInvoice(id, false, (invoice) => this.archive(invoice)));
			if (action === 'restore' && method === 'POST') return invoiceWrite(() => this.withInvoice(id, true, (invoice) => this.restore(invoice)));
			if (action === 'payment-link' && method === 'GET') return invoiceRead(() => this.withInvoice(id, false, (invoice) => json(200, { url: this.paymentLink(invoice) })));
			if (action === 'pdf-link' && method === 'GET') return invoiceRead(() => this.withInvoice(id, false, (invoice) => json(200, { url: this.pdfLink(invoice) })));
		}
		if (resource === 'customers') {
			if (segments.length === 1 && method === 'GET') return { scope: 'customers:read', run: () => this.listCustomersRoute(request.searchParams) };
			if (segments.length === 1 && method === 'POST') return { scope: 'customers:write', run: () => this.createCustomerRoute(request.rawBody) };
			if (segments.length === 2 && method === 'GET') return { scope: 'customers:read', run: () => this.withCustomer(id, (customer) => json(200, customerReply(customer))) };
			if (segments.length === 2 && method === 'DELETE') {
				return {
					scope: 'customers:write',
					run: () =>
						this.withCustomer(id, (customer) => {
							customer.archived = true;
							return json(200, customerReply(customer));
						}),
				};
			}
		}
		if (resource === 'payments' && segments.length === 1 && method === 'GET') return { scope: 'payments:read', run: () => this.listPaymentsRoute(request.searchParams) };
		if (resource === 'webhooks') {
			if (segments.length === 1 && method === 'GET') return { scope: 'webhooks:read', run: () => this.listSubscriptionsRoute(request.searchParams) };
			if (segments.length === 1 && method === 'POST') return { scope: 'webhooks:write', run: () => this.subscribeRoute(request.rawBody) };
			if (segments.length === 2 && method === 'DELETE') return { scope: 'webhooks:write', run: () => this.unsubscribeRoute(id) };
		}
		return undefined;
	}

	private mintToken(request: ParsedRequest): ApiResponse {
		const basic = /^\s*basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const [clientId, clientSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
		const key = clientId === undefined ? undefined : this.keys.get(clientId);
		if (!key || key.clientSecret !== clientSecret) return error(403, 'forbidden', 'Invalid credentials');
		const form = new URLSearchParams(request.rawBody);
		if (form.get('grant_type') !== 'client_credentials') {
			return error(400, 'bad_request', 'grant_type must be client_credentials');
		}
		const accessToken = randomBytes(28).toString('hex');
		this.tokens.set(accessToken, { clientId: key.clientId, expiresAtMs: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
		this.tokensIssued++;
		return json(200, { access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'bearer' });
	}

	// ---- lists ----

	private page<T extends { id: string }>(items: T[], params: URLSearchParams, reply: (item: T) => unknown): ApiResponse {
		const limitText = params.get('limit');
		const limit = limitText === null || limitText === '' ? DEFAULT_LIMIT : Number(limitText);
		if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) return error(400, 'bad_request', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
		const after = params.get('after');
		let start = 0;
		if (after !== null && after !== '') {
			const index = items.findIndex((item) => cursorOf(item.id) === after);
			// A cursor that names no item (a '+' sent unencoded arrives as a space) is the client's mistake.
			if (index === -1) return error(400, 'bad_request', 'Invalid cursor');
			start = index + 1;
		}
		const slice = items.slice(start, start + limit);
		const hasNextPage = start + limit < items.length;
		const startCursor = slice.length > 0 ? cursorOf(slice[0].id) : null;
		const endCursor = slice.length > 0 ? cursorOf(slice[slice.length - 1].id) : null;
		const data = slice.map(reply);
		if (this.envelope === 'pagination') return json(200, { data, pagination: { has_next_page: hasNextPage, end_cursor: endCursor } });
		return json(200, { data, start_cursor: startCursor, end_cursor: endCursor, has_next_page: hasNextPage, has_previous_page: start > 0 });
	}

	private listInvoicesRoute(params: URLSearchParams): ApiResponse {
		const range = dateRanges(params, ['created_at', 'due_date']);
		if (typeof range === 'string') return error(400, 'bad_request', range);
		const customerId = params.get('customer_id');
		const invoiceNumber = params.get('invoice_number');
		const status = params.get('status');
		const matching = this.invoices.filter(
			(invoice) =>
				!invoice.archived &&
				(!customerId || invoice.customer_id === customerId) &&
				(!invoiceNumber || invoice.invoice_number === invoiceNumber) &&
				(!status || invoice.status === status) &&
				range.created_at(invoice.created_at) &&
				range.due_date(`${invoice.due_date}T00:00:00Z`),
		);
		return this.page(matching, params, invoiceReply);
	}

	private listCustomersRoute(params: URLSearchParams): ApiResponse {
		const range = dateRanges(params, ['created_at']);
		if (typeof range === 'string') return error(400, 'bad_request', range);
		const companyName = params.get('company_name')?.toLowerCase();
		const matching = this.customers.filter(
			(customer) => !customer.archived && (!companyName || customer.company_name.toLowerCase().includes(companyName)) && range.created_at(customer.created_at),
		);
		return this.page(matching, params, customerReply);
	}

	private listPaymentsRoute(params: URLSearchParams): ApiResponse {
		const range = dateRanges(params, ['created_at']);
		if (typeof range === 'string') return error(400, 'bad_request', range);
		const equals = (field: 'customer_id' | 'invoice_id' | 'status' | 'type' | 'payment_method', payment: AltPayment) =>
			!params.get(field) || payment[field] === params.get(field);
		const matching = this.payments.filter(
			(payment) =>
				equals('customer_id', payment) &&
				equals('invoice_id', payment) &&
				equals('status', payment) &&
				equals('type', payment) &&
				equals('payment_method', payment) &&
				range.created_at(payment.created_at),
		);
		return this.page(matching, params, ({ invoice_id: _invoiceId, ...payment }) => payment);
	}

	private listSubscriptionsRoute(params: URLSearchParams): ApiResponse {
		const topic = params.get('topic');
		const matching = this.subscriptions.filter((subscription) => !topic || subscription.topic === topic);
		return this.page(matching, params, ({ secret_key: _secret, ...subscription }) => subscription);
	}

	// ---- writes ----

	private createInvoiceRoute(rawBody: string): ApiResponse {
		const body = parseObject(rawBody);
		if (!body) return error(400, 'bad_request', 'The body must be a JSON object');
		const missing = ['customer_id', 'line_items'].filter((field) => body[field] === undefined || body[field] === null);
		if (missing.length > 0) return error(400, 'bad_request', `Missing required fields: ${missing.join(', ')}`);
		const problems: Record<string, string> = {};
		const customer = typeof body.customer_id === 'string' ? this.customers.find((candidate) => candidate.id === body.customer_id && !candidate.archived) : undefined;
		if (!customer) problems.customer_id = 'customer not found';
		if (body.currency !== undefined && body.currency !== 'USD') problems.currency = 'only USD is supported';
		if (body.due_date !== undefined && !isIsoDate(body.due_date)) problems.due_date = 'invalid date';
		const lineItems: AltLineItem[] = [];
		if (!Array.isArray(body.line_items) || body.line_items.length === 0) problems.line_items = 'at least one line item is required';
		else {
			body.line_items.forEach((raw: unknown, index: number) => {
				const item = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
				if (typeof item.description !== 'string' || item.description.trim() === '') problems[`line_items[${index}].description`] = 'is required';
				if (!Number.isSafeInteger(item.quantity) || (item.quantity as number) < 1) problems[`line_items[${index}].quantity`] = 'must be a whole number of at least 1';
				if (typeof item.amount !== 'number' || !Number.isFinite(item.amount)) problems[`line_items[${index}].amount`] = 'must be a number';
				lineItems.push({ description: String(item.description), quantity: Number(item.quantity), amount: Number(item.amount) });
			});
		}
		if (body.exclude_from_autopay !== undefined && typeof body.exclude_from_autopay !== 'boolean') problems.exclude_from_autopay = 'must be a boolean';
		if (Object.keys(problems).length > 0) return error(422, 'unprocessable_entity', 'validation failed', problems);
		const invoice = this.addInvoice({
			customer_id: customer!.id,
			due_date: typeof body.due_date === 'string' ? body.due_date : this.now().slice(0, 10),
			line_items: lineItems,
			exclude_from_autopay: body.exclude_from_autopay === true,
			memo: typeof body.memo === 'string' ? body.memo : '',
		});
		return json(201, invoiceReply(invoice));
	}

	private createCustomerRoute(rawBody: string): ApiResponse {
		const body = parseObject(rawBody);
		if (!body) return error(400, 'bad_request', 'The body must be a JSON object');
		const missing = ['name', 'email'].filter((field) => typeof body[field] !== 'string' || (body[field] as string).trim() === '');
		if (missing.length > 0) return error(400, 'bad_request', `Missing required fields: ${missing.join(', ')}`);
		if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email as string)) return error(422, 'unprocessable_entity', 'validation failed', { email: 'invalid email' });
		const externalId = typeof body.external_id === 'string' ? body.external_id : '';
		if (externalId && this.customers.some((customer) => customer.external_id === externalId)) {
			return error(400, 'bad_request', 'This external id is already used');
		}
		const customer = this.addCustomer({ name: body.name as string, email: body.email as string, external_id: externalId, company_name: body.name as string });
		return json(201, customerReply(customer));
	}

	private subscribeRoute(rawBody: string): ApiResponse {
		const body = parseObject(rawBody);
		if (!body) return error(400, 'bad_request', 'The body must be a JSON object');
		const problems: Record<string, string> = {};
		if (typeof body.endpoint_url !== 'string' || !/^https?:\/\//.test(body.endpoint_url)) problems.endpoint_url = 'must be an http(s) URL';
		if (typeof body.topic !== 'string' || !(WEBHOOK_TOPICS as readonly string[]).includes(body.topic)) problems.topic = 'unknown topic';
		if (Object.keys(problems).length > 0) return error(422, 'unprocessable_entity', 'validation failed', problems);
		const secret = typeof body.secret_key === 'string' ? body.secret_key : '';
		const subscription = {
			id: this.nextId('whs'),
			endpoint_url: body.endpoint_url as string,
			topic: body.topic as string,
			is_active: true,
			partner_id: 'partner-emulator',
			secret_last_4_digits: secret.slice(-4),
			created_at: this.now(),
			updated_at: this.now(),
			secret_key: secret,
		};
		this.subscriptions.push(subscription);
		const { secret_key: _secret, ...reply } = subscription;
		return json(201, reply);
	}

	private unsubscribeRoute(id: string | undefined): ApiResponse {
		const index = this.subscriptions.findIndex((subscription) => subscription.id === id);
		if (index === -1) return error(404, 'not_found', 'Webhook subscription not found');
		const [{ secret_key: _secret, ...removed }] = this.subscriptions.splice(index, 1);
		return json(200, removed);
	}

	private archive(invoice: AltInvoice): ApiResponse {
		invoice.archived = true;
		return json(200, invoiceReply(invoice));
	}

	private restore(invoice: AltInvoice): ApiResponse {
		invoice.archived = false;
		return json(200, invoiceReply(invoice));
	}

	private paymentLink(invoice: AltInvoice): string {
		const host = `pay.partner.example/i/${invoice.id}`;
		return this.schemelessPaymentLinks ? host : `https://${host}`;
	}

	/** A signed link on this emulator's own files path, valid for 5 minutes: fetching it needs no token. */
	private pdfLink(invoice: AltInvoice): string {
		const expires = Date.now() + 300_000;
		const signature = createHash('sha256').update(`${invoice.id}:${expires}`).digest('hex').slice(0, 32);
		return `${this.listeningUrl ?? ''}/files/${encodeURIComponent(invoice.id)}.pdf?expires=${expires}&signature=${signature}`;
	}

	private pdfFile(name: string, params: URLSearchParams): ApiResponse {
		const id = name.replace(/\.pdf$/, '');
		const expires = Number(params.get('expires'));
		const signature = createHash('sha256').update(`${id}:${expires}`).digest('hex').slice(0, 32);
		if (params.get('signature') !== signature || !(expires > Date.now())) return error(403, 'forbidden', 'The link has expired or its signature is wrong');
		const invoice = this.invoices.find((candidate) => candidate.id === id);
		if (!invoice) return error(404, 'not_found', 'Not Found');
		const raw = Buffer.from(`%PDF-1.4\n% Invoice ${invoice.invoice_number}, total ${invoice.total} USD\n%%EOF\n`, 'latin1');
		return { status: 200, body: undefined, raw, headers: { 'Content-Type': 'application/pdf' } };
	}

	private withInvoice(id: string | undefined, archivedToo: boolean, run: (invoice: AltInvoice) => ApiResponse): ApiResponse {
		const invoice = this.invoices.find((candidate) => candidate.id === id && (archivedToo || !candidate.archived));
		return invoice ? run(invoice) : error(404, 'not_found', 'Invoice not found');
	}

	private withCustomer(id: string | undefined, run: (customer: AltCustomer) => ApiResponse): ApiResponse {
		const customer = this.customers.find((candidate) => candidate.id === id && !candidate.archived);
		return customer ? run(customer) : error(404, 'not_found', 'Customer not found');
	}

	private nextId(prefix: string): string {
		this.sequence++;
		return `${prefix}_${String(this.sequence).padStart(6, '0')}`;
	}

	private seed(options: { customers?: number; invoices?: number; payments?: number; seed?: number }): void {
		const random = createPrng(options.seed ?? 2);
		const companies = ['Acme Dental', 'Birch Legal', 'Cobalt Roofing', 'Delta Clinics', 'Evergreen Schools', 'Fulton Freight'];
		for (let index = 0; index < (options.customers ?? 3); index++) {
			const name = `${companies[index % companies.length]}${index >= companies.length ? ` ${Math.floor(index / companies.length) + 1}` : ''}`;
			this.addCustomer({ name, company_name: name, email: `ap@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example` });
		}
		for (let index = 0; index < (options.invoices ?? 0); index++) {
			const customer = this.customers[index % this.customers.length];
			const amount = roundToCents(50 + random() * 950);
			this.addInvoice({
				customer_id: customer.id,
				status: random() < 0.3 ? 'paid' : 'open',
				due_date: new Date(this.clockMs + Math.round((random() - 0.5) * 60) * 86_400_000).toISOString().slice(0, 10),
				line_items: [{ description: 'Monthly service', quantity: 1, amount }],
			});
		}
		for (let index = 0; index < (options.payments ?? 0) && this.invoices.length > 0; index++) {
			this.addPayment({ invoice_id: this.invoices[index % this.invoices.length].id });
		}
	}
}

function invoiceReply({ archived: _archived, exclude_from_autopay: _exclude, ...invoice }: AltInvoice): Record<string, unknown> {
	return structuredClone(invoice);
}

/**
 * The customer as the API answers, with the company name that its `company_name` filter searches
 * (the contract's field list omits it; a client that matches what that filter found needs it).
 */
function customerReply({ archived: _archived, ...customer }: AltCustomer): Record<string, unknown> {
	return { ...customer };
}

/** Opaque, and like the real ones full of '+' and '/': a client must URL-encode them. */
function cursorOf(id: string): string {
	return createHash('sha1').update(id).digest('base64').replace(/=+$/, '').replace(/^(.{4})/, '$1+/');
}

/** `<field>_start` / `<field>_end` filters, RFC 3339 only; a message for the 400 otherwise. */
function dateRanges<F extends string>(params: URLSearchParams, fields: F[]): Record<F, (value: string) => boolean> | string {
	const result = {} as Record<F, (value: string) => boolean>;
	for (const field of fields) {
		const start = params.get(`${field}_start`);
		const end = params.get(`${field}_end`);
		for (const [name, value] of [[`${field}_start`, start], [`${field}_end`, end]] as const) {
			if (value !== null && !RFC3339.test(value)) return `${name} must be an RFC 3339 date-time, such as 2025-01-31T00:00:00Z`;
		}
		const from = start === null ? Number.NEGATIVE_INFINITY : Date.parse(start);
		const to = end === null ? Number.POSITIVE_INFINITY : Date.parse(end);
		result[field] = (value: string) => {
			const at = Date.parse(value);
			return at >= from && at <= to;
		};
	}
	return result;
}
