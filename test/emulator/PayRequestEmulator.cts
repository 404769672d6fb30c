// A stateful, in-process emulator of the PayRequest invoice API (see /work/shared/payrequest-api.md),
// built on Node's http module only. Tests drive its state, clock, rate limit and faults directly.
import { addDaysToIsoDate, dayNumber, isIsoDate, roundToCents } from './calendar.cjs';
import { formatInvoiceNumber, generateSeedData } from './seed.cjs';
import type { ApiResponse, ParsedRequest, RateLimitOptions } from './server/EmulatorServer.cjs';
import { EmulatorServer, json } from './server/EmulatorServer.cjs';

export type { Fault, RateHeaderMode, RateLimitOptions, RecordedRequest, RequestMatcher } from './server/EmulatorServer.cjs';

/** Without a rate limit the emulator still answers as Laravel does: a count on every answer, from a limit never reached. */
const UNLIMITED_HEADERS = { 'X-RateLimit-Limit': '1000000', 'X-RateLimit-Remaining': '999999' };

export interface EmulatorCustomer {
	id: number;
	name: string;
	email: string;
	company: string | null;
	phone: string | null;
	address: string | null;
	city: string | null;
	postal_code: string | null;
	country: string | null;
}

export interface EmulatorInvoiceItem {
	description: string;
	quantity: number;
	unit_price: number;
	tax_rate: number;
	total: number;
}

export interface EmulatorInvoice {
	id: number;
	invoice_number: string;
	reference: string | null;
	amount: number;
	currency: string;
	status: string;
	date: string;
	due_date: string;
	notes: string | null;
	customer_id: number;
	invoice_items: EmulatorInvoiceItem[];
	payment_started: boolean;
}

export interface EmulatorOptions {
	tokens?: Record<string, string[]>;
	seed?: { customers?: number; invoices?: number; seed?: number } | false;
	now?: string;
	rateLimit?: RateLimitOptions | false;
	latencyMs?: number;
	currency?: string;
	/** PayRequest does not document its list order: the emulator lists oldest first unless told otherwise. */
	listOrder?: ListOrder;
}

export type ListOrder = 'oldestFirst' | 'newestFirst';

export interface EmulatorReminder {
	invoiceId: number;
	/** Emulator clock when the reminder was sent, ISO date-time. */
	at: string;
}

export type AddInvoiceInput = Partial<EmulatorInvoice> & { items?: Array<Partial<EmulatorInvoiceItem>> };

export const SCOPE_READ = 'billing.read';
export const SCOPE_WRITE = 'billing.write';

export const DEFAULT_TOKENS: Readonly<Record<string, string[]>> = {
	'test-token-rw': [SCOPE_READ, SCOPE_WRITE],
	'test-token-ro': [SCOPE_READ],
	'test-token-wo': [SCOPE_WRITE],
	'test-token-none': [],
};

export const DEFAULT_NOW = '2025-03-01T12:00:00Z';
export const FIRST_CUSTOMER_ID = 501;
export const FIRST_INVOICE_ID = 1001;
export const PAYMENT_LINK_BASE = 'https://payrequest.me/emulator/invoice/';

const DEFAULT_PER_PAGE = 15;
const MAX_PER_PAGE = 100;

// Statuses that take an invoice out of "money still owed".
const SETTLED_OR_INACTIVE = new Set(['paid', 'cancelled', 'draft']);
const AWAITING_PAYMENT = new Set(['pending', 'sent', 'viewed', 'partial']);

type RouteName = 'list' | 'create' | 'stats' | 'overdue' | 'show' | 'reminder';

interface RouteDefinition {
	name: RouteName;
	method: 'GET' | 'POST';
	pattern: string[];
	scope: string;
}

// Fixed paths come before the {invoice} pattern so /invoices/stats and /invoices/overdue win.
const ROUTES: RouteDefinition[] = [
	{ name: 'list', method: 'GET', pattern: ['invoices'], scope: SCOPE_READ },
	{ name: 'create', method: 'POST', pattern: ['invoices'], scope: SCOPE_WRITE },
	{ name: 'stats', method: 'GET', pattern: ['invoices', 'stats'], scope: SCOPE_READ },
	{ name: 'overdue', method: 'GET', pattern: ['invoices', 'overdue'], scope: SCOPE_READ },
	{ name: 'show', method: 'GET', pattern: ['invoices', ':id'], scope: SCOPE_READ },
	{ name: 'reminder', method: 'POST', pattern: ['invoices', ':id', 'reminder'], scope: SCOPE_WRITE },
];

type RouteMatch =
	| { kind: 'found'; route: RouteDefinition; id?: string }
	| { kind: 'not-found' }
	| { kind: 'method-not-allowed'; allowed: string[]; routePath: string };

type ValidationErrors = Record<string, string[]>;

function parseClock(iso: string): number {
	const ms = Date.parse(iso);
	if (!Number.isFinite(ms)) throw new Error(`Invalid emulator clock value: ${iso}`);
	return ms;
}

function cloneInvoice(invoice: EmulatorInvoice): EmulatorInvoice {
	return { ...invoice, invoice_items: invoice.invoice_items.map((item) => ({ ...item })) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Laravel's `numeric` accepts numbers and numeric strings.
function toNumeric(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

// Laravel's `integer` accepts integers and integer strings.
function toInteger(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
	if (typeof value === 'string' && /^\s*[+-]?(0|[1-9]\d*)\s*$/.test(value)) {
		const parsed = Number(value);
		return Number.isSafeInteger(parsed) ? parsed : undefined;
	}
	return undefined;
}

// Laravel's `required`: null, blank strings and empty arrays count as missing.
function isMissing(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function humanize(field: string): string {
	// Laravel shows nested keys as is (items.0.quantity) and top-level snake_case with spaces.
	return field.includes('.') ? field : field.replace(/_/g, ' ');
}

function addError(errors: ValidationErrors, field: string, message: string): void {
	(errors[field] ??= []).push(message);
}

function matchRoute(method: string, path: string): RouteMatch {
	const rawSegments = path.split('/').slice(1);
	// Laravel ignores one trailing slash.
	if (rawSegments.length > 1 && rawSegments[rawSegments.length - 1] === '') rawSegments.pop();
	let segments: string[];
	try {
		segments = rawSegments.map((segment) => decodeURIComponent(segment));
	} catch {
		return { kind: 'not-found' };
	}
	if (segments[0] !== 'api' || segments[1] !== 'v1') return { kind: 'not-found' };
	const routeSegments = segments.slice(2);
	const routeMethod = method === 'HEAD' ? 'GET' : method;
	const allowed: string[] = [];
	for (const route of ROUTES) {
		if (route.pattern.length !== routeSegments.length) continue;
		let id: string | undefined;
		const matches = route.pattern.every((part, index) => {
			if (part === ':id') {
				id = routeSegments[index];
				return true;
			}
			return part === routeSegments[index];
		});
		if (!matches) continue;
		if (route.method === routeMethod) return { kind: 'found', route, id };
		allowed.push(route.method);
	}
	if (allowed.length === 0) return { kind: 'not-found' };
	const methods = [...new Set(allowed.flatMap((allowedMethod) => (allowedMethod === 'GET' ? ['GET', 'HEAD'] : [allowedMethod])))];
	return { kind: 'method-not-allowed', allowed: methods, routePath: segments.join('/') };
}

function invoiceNotFound(): ApiResponse {
	return json(404, { success: false, error: 'Invoice not found' });
}

export class PayRequestEmulator extends EmulatorServer {
	readonly reminders: EmulatorReminder[] = [];

	private readonly tokenScopes = new Map<string, Set<string>>();
	private readonly currency: string;
	private clockMs: number;

	private readonly customerById = new Map<number, EmulatorCustomer>();
	private readonly customerList: EmulatorCustomer[] = [];
	private readonly invoiceById = new Map<number, EmulatorInvoice>();
	// Kept in id order at all times, so a page is a plain slice.
	private readonly invoiceList: EmulatorInvoice[] = [];
	private readonly invoiceNumbers = new Set<string>();
	private nextCustomerId = FIRST_CUSTOMER_ID;
	private nextInvoiceId = FIRST_INVOICE_ID;
	private nextInvoiceNumber = 1;

	private listPageHook: ((page: number) => void) | undefined;
	private listOrder: ListOrder = 'oldestFirst';
	private omittedPaginatorFields = new Set<string>();

	constructor(options: EmulatorOptions = {}) {
		// PayRequest's API sits under /api; its Laravel throttle sends Reset and Retry-After only on the 429.
		super('/api', 'laravel');
		for (const [token, scopes] of Object.entries(options.tokens ?? DEFAULT_TOKENS)) {
			this.tokenScopes.set(token, new Set(scopes));
		}
		this.currency = options.currency ?? 'EUR';
		this.clockMs = parseClock(options.now ?? DEFAULT_NOW);
		this.setRateLimit(options.rateLimit ?? false);
		this.setLatency(options.latencyMs ?? 0);
		this.listOrder = options.listOrder ?? 'oldestFirst';
		if (options.seed !== false) this.seed(options.seed ?? {});
	}

	// ---- clock (frozen unless moved; only invoice dates use it, the rate limiter uses wall-clock time) ----

	now(): Date {
		return new Date(this.clockMs);
	}

	setNow(iso: string): void {
		this.clockMs = parseClock(iso);
	}

	advanceDays(days: number): void {
		this.clockMs += days * 86_400_000;
	}

	today(): string {
		return this.now().toISOString().slice(0, 10);
	}

	// ---- state ----

	addCustomer(partial: Partial<EmulatorCustomer> = {}): EmulatorCustomer {
		const id = partial.id ?? this.nextCustomerId;
		if (this.customerById.has(id)) throw new Error(`Customer ${id} already exists`);
		const customer: EmulatorCustomer = {
			id,
			name: partial.name ?? `Customer ${id}`,
			email: partial.email ?? `customer${id}@mail.example`,
			company: partial.company ?? null,
			phone: partial.phone ?? null,
			address: partial.address ?? null,
			city: partial.city ?? null,
			postal_code: partial.postal_code ?? null,
			country: partial.country ?? null,
		};
		this.storeCustomer(customer);
		return { ...customer };
	}

	addInvoice(partial: AddInvoiceInput = {}): EmulatorInvoice {
		const id = partial.id ?? this.nextInvoiceId;
		if (this.invoiceById.has(id)) throw new Error(`Invoice ${id} already exists`);
		const customerId = partial.customer_id ?? this.customerList[0]?.id ?? this.addCustomer().id;
		if (!this.customerById.has(customerId)) throw new Error(`Customer ${customerId} does not exist`);
		const date = partial.date ?? this.today();
		const dueDate = partial.due_date ?? addDaysToIsoDate(date, 14);
		if (!isIsoDate(date) || !isIsoDate(dueDate)) throw new Error(`Invoice dates must be YYYY-MM-DD: ${date}, ${dueDate}`);
		const givenItems = partial.items ?? partial.invoice_items;
		// Without items, one line carries the given amount (or 100) so amount and items agree.
		const itemInputs: Array<Partial<EmulatorInvoiceItem>> = givenItems && givenItems.length > 0
			? givenItems
			: [{ description: 'Services', quantity: 1, unit_price: partial.amount ?? 100 }];
		const items = itemInputs.map((item, index) => {
			const quantity = item.quantity ?? 1;
			const unitPrice = item.unit_price ?? 0;
			if (!Number.isFinite(quantity) || !Number.isFinite(unitPrice)) throw new Error('Item quantity and unit_price must be finite numbers');
			return {
				description: item.description ?? `Item ${index + 1}`,
				quantity,
				unit_price: unitPrice,
				tax_rate: item.tax_rate ?? 0,
				total: item.total ?? roundToCents(quantity * unitPrice),
			};
		});
		const invoiceNumber = partial.invoice_number ?? this.generateInvoiceNumber();
		if (this.invoiceNumbers.has(invoiceNumber)) throw new Error(`Invoice number ${invoiceNumber} is already taken`);
		const invoice: EmulatorInvoice = {
			id,
			invoice_number: invoiceNumber,
			reference: partial.reference ?? null,
			// An explicit amount wins, so tests can build inconsistent invoices on purpose.
			amount: partial.amount ?? roundToCents(items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0)),
			currency: partial.currency ?? this.currency,
			status: partial.status ?? 'pending',
			date,
			due_date: dueDate,
			notes: partial.notes ?? null,
			customer_id: customerId,
			invoice_items: items,
			payment_started: partial.payment_started ?? false,
		};
		this.storeInvoice(invoice);
		return cloneInvoice(invoice);
	}

	invoice(id: number): EmulatorInvoice | undefined {
		const invoice = this.invoiceById.get(id);
		return invoice ? cloneInvoice(invoice) : undefined;
	}

	listInvoices(): EmulatorInvoice[] {
		return this.invoiceList.map(cloneInvoice);
	}

	customers(): EmulatorCustomer[] {
		return this.customerList.map((customer) => ({ ...customer }));
	}

	markPaid(id: number): void {
		this.requireInvoice(id).status = 'paid';
	}

	setStatus(id: number, status: string): void {
		this.requireInvoice(id).status = status;
	}

	setDueDate(id: number, dueDate: string): void {
		if (!isIsoDate(dueDate)) throw new Error(`Due date must be YYYY-MM-DD: ${dueDate}`);
		this.requireInvoice(id).due_date = dueDate;
	}

	setPaymentStarted(id: number, started: boolean): void {
		this.requireInvoice(id).payment_started = started;
	}

	removeInvoice(id: number): void {
		const invoice = this.requireInvoice(id);
		this.invoiceById.delete(id);
		this.invoiceNumbers.delete(invoice.invoice_number);
		this.invoiceList.splice(this.invoiceIndex(id), 1);
	}

	// ---- requests ----

	protected unlimitedRateHeaders(): Record<string, string> {
		return { ...UNLIMITED_HEADERS };
	}

	/**
	 * Runs before each list page is answered (after its rate limit was counted), so a test can
	 * create or delete invoices while a client pages through the list. undefined removes it.
	 */
	setListOrder(order: ListOrder): void {
		this.listOrder = order;
	}

	onListPage(hook: ((page: number) => void) | undefined): void {
		this.listPageHook = hook;
	}

	/** Leaves paginator fields out of list answers (a simple paginator, or a proxy that trims them); [] restores them. */
	omitPaginatorFields(fields: Array<'last_page' | 'total'>): void {
		this.omittedPaginatorFields = new Set(fields);
	}

	// ---- internals: state ----

	private seed(options: { customers?: number; invoices?: number; seed?: number }): void {
		const data = generateSeedData({
			customers: options.customers ?? 5,
			invoices: options.invoices ?? 0,
			seed: options.seed ?? 1,
			today: this.today(),
			currency: this.currency,
			firstCustomerId: this.nextCustomerId,
			firstInvoiceId: this.nextInvoiceId,
			firstInvoiceNumber: this.nextInvoiceNumber,
		});
		for (const customer of data.customers) this.storeCustomer(customer);
		for (const invoice of data.invoices) this.storeInvoice(invoice);
		this.nextInvoiceNumber += data.invoices.length;
	}

	private storeCustomer(customer: EmulatorCustomer): void {
		this.customerById.set(customer.id, customer);
		this.customerList.push(customer);
		this.nextCustomerId = Math.max(this.nextCustomerId, customer.id + 1);
	}

	private storeInvoice(invoice: EmulatorInvoice): void {
		const last = this.invoiceList[this.invoiceList.length - 1];
		if (!last || last.id < invoice.id) this.invoiceList.push(invoice);
		else this.invoiceList.splice(this.insertionIndex(invoice.id), 0, invoice);
		this.invoiceById.set(invoice.id, invoice);
		this.invoiceNumbers.add(invoice.invoice_number);
		this.nextInvoiceId = Math.max(this.nextInvoiceId, invoice.id + 1);
	}

	private insertionIndex(id: number): number {
		let low = 0;
		let high = this.invoiceList.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.invoiceList[middle].id < id) low = middle + 1;
			else high = middle;
		}
		return low;
	}

	private invoiceIndex(id: number): number {
		const index = this.insertionIndex(id);
		if (this.invoiceList[index]?.id !== id) throw new Error(`Invoice ${id} is not in the ordered list`);
		return index;
	}

	private requireInvoice(id: number): EmulatorInvoice {
		const invoice = this.invoiceById.get(id);
		if (!invoice) throw new Error(`Invoice ${id} does not exist`);
		return invoice;
	}

	private generateInvoiceNumber(): string {
		let invoiceNumber = formatInvoiceNumber(this.nextInvoiceNumber++);
		while (this.invoiceNumbers.has(invoiceNumber)) invoiceNumber = formatInvoiceNumber(this.nextInvoiceNumber++);
		return invoiceNumber;
	}

	private isOverdue(invoice: EmulatorInvoice, today: string): boolean {
		return invoice.due_date < today && !SETTLED_OR_INACTIVE.has(invoice.status);
	}

	/** Laravel order: routing (404/405), authentication (401), throttling (429), scope (403), then the action. */
	protected dispatch(request: ParsedRequest): ApiResponse {
		const match = matchRoute(request.method, request.path);
		const token = this.authenticate(request.headers.authorization);
		if (match.kind === 'not-found') {
			return this.withCurrentRateHeaders(token, json(404, { message: 'Not Found' }));
		}
		if (match.kind === 'method-not-allowed') {
			const message = `The ${request.method} method is not supported for route ${match.routePath}. Supported methods: ${match.allowed.join(', ')}.`;
			return this.withCurrentRateHeaders(token, json(405, { message }, { Allow: match.allowed.join(', ') }));
		}
		if (token === undefined) return json(401, { success: false, error: 'Unauthenticated.' });

		const limited = this.takeRateLimit(token);
		if (limited) request.record.rateWindow = limited.window;
		const rateHeaders = limited?.headers ?? UNLIMITED_HEADERS;
		if (limited?.tooMany) return json(429, { message: 'Too Many Attempts.' }, rateHeaders);

		const scopes = this.tokenScopes.get(token);
		let response: ApiResponse;
		if (!scopes || !(scopes.has(match.route.scope) || scopes.has('*'))) {
			response = json(403, { success: false, error: `This action requires the ${match.route.scope} scope.` });
		} else if (request.bodyTooLarge) {
			response = json(413, { message: 'Payload Too Large' });
		} else {
			response = this.runRoute(match.route.name, match.id, request);
		}
		Object.assign(response.headers, rateHeaders);
		return response;
	}

	private runRoute(name: RouteName, id: string | undefined, request: ParsedRequest): ApiResponse {
		switch (name) {
			case 'list':
				return this.listInvoicesRoute(request);
			case 'create':
				return this.createInvoiceRoute(request.rawBody);
			case 'stats':
				return this.statsRoute();
			case 'overdue':
				return this.overdueRoute();
			case 'show':
				return this.showInvoiceRoute(id ?? '');
			case 'reminder':
				return this.reminderRoute(id ?? '');
		}
	}

	private authenticate(header: string | undefined): string | undefined {
		if (!header) return undefined;
		const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
		if (!match || !this.tokenScopes.has(match[1])) return undefined;
		return match[1];
	}

	// ---- internals: serializers ----

	private listItem(invoice: EmulatorInvoice): Record<string, unknown> {
		const customer = this.customerById.get(invoice.customer_id);
		return {
			id: invoice.id,
			invoice_number: invoice.invoice_number,
			reference: invoice.reference,
			amount: invoice.amount,
			currency: invoice.currency,
			status: invoice.status,
			date: invoice.date,
			due_date: invoice.due_date,
			customer: customer ? { id: customer.id, name: customer.name, email: customer.email, company: customer.company } : null,
			invoice_items: invoice.invoice_items.map((item) => ({ ...item })),
		};
	}

	/** The list fields, plus notes, the full customer, transactions and subscription. */
	private detail(invoice: EmulatorInvoice): Record<string, unknown> {
		const customer = this.customerById.get(invoice.customer_id);
		return {
			...this.listItem(invoice),
			notes: invoice.notes,
			customer: customer ? { ...customer } : null,
			transactions: [],
			subscription: null,
		};
	}

	// ---- internals: routes ----

	private pageParameter(searchParams: URLSearchParams, name: string, fallback: number, max: number | undefined, errors: ValidationErrors): number {
		const values = searchParams.getAll(name);
		// An empty value counts as absent, as Laravel turns empty strings into null.
		if (values.length === 0 || (values.length === 1 && values[0].trim() === '')) return fallback;
		const label = humanize(name);
		const value = values.length === 1 ? toInteger(values[0]) : undefined;
		if (value === undefined) addError(errors, name, `The ${label} field must be an integer.`);
		else if (value < 1) addError(errors, name, `The ${label} field must be at least 1.`);
		else if (max !== undefined && value > max) addError(errors, name, `The ${label} field must not be greater than ${max}.`);
		return value ?? fallback;
	}

	private listInvoicesRoute(request: ParsedRequest): ApiResponse {
		const errors: ValidationErrors = {};
		const page = this.pageParameter(request.searchParams, 'page', 1, undefined, errors);
		const perPage = this.pageParameter(request.searchParams, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE, errors);
		if (Object.keys(errors).length > 0) return json(422, { success: false, error: 'The given data was invalid.', errors });

		this.listPageHook?.(page);
		const total = this.invoiceList.length;
		const lastPage = Math.max(1, Math.ceil(total / perPage));
		const startIndex = (page - 1) * perPage;
		const pageInvoices =
			startIndex >= total
				? []
				: this.listOrder === 'newestFirst'
					? this.invoiceList.slice(Math.max(0, total - startIndex - perPage), total - startIndex).reverse()
					: this.invoiceList.slice(startIndex, startIndex + perPage);
		const hostHeader = request.headers.host;
		const origin = hostHeader && /^[A-Za-z0-9.:[\]-]+$/.test(hostHeader) ? `http://${hostHeader}` : this.listeningUrl?.replace(/\/api$/, '') ?? '';
		const path = `${origin}/api/v1/invoices`;
		const pageUrl = (pageNumber: number) => `${path}?page=${pageNumber}`;
		const response = json(200, {
			success: true,
			data: {
				current_page: page,
				data: pageInvoices.map((invoice) => this.listItem(invoice)),
				first_page_url: pageUrl(1),
				from: pageInvoices.length > 0 ? startIndex + 1 : null,
				last_page: lastPage,
				last_page_url: pageUrl(lastPage),
				next_page_url: page < lastPage ? pageUrl(page + 1) : null,
				path,
				per_page: perPage,
				prev_page_url: page > 1 ? pageUrl(page - 1) : null,
				to: pageInvoices.length > 0 ? startIndex + pageInvoices.length : null,
				total,
			},
		});
		const paginator = (response.body as { data: Record<string, unknown> }).data;
		for (const field of this.omittedPaginatorFields) {
			delete paginator[field];
			if (field === 'last_page') delete paginator.last_page_url;
		}
		return response;
	}

	private findInvoiceByPathId(id: string): EmulatorInvoice | undefined {
		if (!/^\d{1,15}$/.test(id)) return undefined;
		return this.invoiceById.get(Number(id));
	}

	private showInvoiceRoute(id: string): ApiResponse {
		const invoice = this.findInvoiceByPathId(id);
		if (!invoice) return invoiceNotFound();
		return json(200, { success: true, data: this.detail(invoice) });
	}

	private statsRoute(): ApiResponse {
		const today = this.today();
		let pendingInvoices = 0;
		let paidInvoices = 0;
		let overdueInvoices = 0;
		let totalOutstanding = 0;
		let totalOverdue = 0;
		for (const invoice of this.invoiceList) {
			const overdue = this.isOverdue(invoice, today);
			if (invoice.status === 'paid') paidInvoices++;
			if (AWAITING_PAYMENT.has(invoice.status) && !overdue) pendingInvoices++;
			if (!SETTLED_OR_INACTIVE.has(invoice.status)) totalOutstanding += invoice.amount;
			if (overdue) {
				overdueInvoices++;
				totalOverdue += invoice.amount;
			}
		}
		return json(200, {
			success: true,
			data: {
				total_invoices: this.invoiceList.length,
				pending_invoices: pendingInvoices,
				paid_invoices: paidInvoices,
				overdue_invoices: overdueInvoices,
				total_outstanding: roundToCents(totalOutstanding),
				total_overdue: roundToCents(totalOverdue),
				currency: this.currency,
			},
		});
	}

	private overdueRoute(): ApiResponse {
		const today = this.today();
		const todayNumber = dayNumber(today);
		const overdue = this.invoiceList.filter((invoice) => this.isOverdue(invoice, today));
		// Most overdue first; the list is already in id order and sort is stable.
		overdue.sort((left, right) => (left.due_date < right.due_date ? -1 : left.due_date > right.due_date ? 1 : 0));
		// The list fields, with the customer's phone instead of its company, plus days_overdue and payment_link.
		const data = overdue.map((invoice) => {
			const customer = this.customerById.get(invoice.customer_id);
			return {
				...this.listItem(invoice),
				days_overdue: todayNumber - dayNumber(invoice.due_date),
				customer: customer ? { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone } : null,
				payment_link: invoice.payment_started ? null : `${PAYMENT_LINK_BASE}${invoice.id}`,
			};
		});
		return json(200, {
			success: true,
			count: data.length,
			total_outstanding: roundToCents(overdue.reduce((sum, invoice) => sum + invoice.amount, 0)),
			currency: this.currency,
			data,
		});
	}

	private reminderRoute(id: string): ApiResponse {
		const invoice = this.findInvoiceByPathId(id);
		if (!invoice) return invoiceNotFound();
		if (invoice.status === 'paid') return json(400, { success: false, error: 'Invoice is already paid' });
		this.reminders.push({ invoiceId: invoice.id, at: this.now().toISOString() });
		return json(200, { success: true, message: 'Invoice reminder sent successfully' });
	}

	private createInvoiceRoute(rawBody: string): ApiResponse {
		let parsed: unknown = {};
		if (rawBody.trim() !== '') {
			try {
				parsed = JSON.parse(rawBody);
			} catch {
				return json(400, { success: false, error: 'Invalid JSON body' });
			}
		}
		// A JSON array or scalar carries none of the named fields, so validation reports them missing.
		const input = isPlainObject(parsed) ? parsed : {};
		const errors: ValidationErrors = {};

		let customerId: number | undefined;
		if (isMissing(input.customer_id)) addError(errors, 'customer_id', 'The customer id field is required.');
		else {
			customerId = toInteger(input.customer_id);
			if (customerId === undefined) addError(errors, 'customer_id', 'The customer id field must be an integer.');
			if (customerId === undefined || !this.customerById.has(customerId)) addError(errors, 'customer_id', 'The selected customer id is invalid.');
		}

		const optionalString = (field: string, maxLength: number): string | null => {
			const value = input[field];
			if (value === undefined || value === null) return null;
			if (typeof value !== 'string') {
				addError(errors, field, `The ${humanize(field)} field must be a string.`);
				return null;
			}
			if (value.length > maxLength) addError(errors, field, `The ${humanize(field)} field must not be greater than ${maxLength} characters.`);
			return value.trim() === '' ? null : value;
		};
		const invoiceNumber = optionalString('invoice_number', 255);
		if (invoiceNumber !== null && this.invoiceNumbers.has(invoiceNumber)) addError(errors, 'invoice_number', 'The invoice number has already been taken.');
		const reference = optionalString('reference', 255);

		const requiredDate = (field: string): string | undefined => {
			const value = input[field];
			if (isMissing(value)) {
				addError(errors, field, `The ${humanize(field)} field is required.`);
				return undefined;
			}
			if (!isIsoDate(value)) {
				addError(errors, field, `The ${humanize(field)} field must match the format Y-m-d.`);
				return undefined;
			}
			return value;
		};
		const date = requiredDate('date');
		const dueDate = requiredDate('due_date');
		if (date !== undefined && dueDate !== undefined && dueDate < date) {
			addError(errors, 'due_date', 'The due date field must be a date after or equal to date.');
		}
		const notes = optionalString('notes', 65_535);

		const items: EmulatorInvoiceItem[] = [];
		if (isMissing(input.items)) addError(errors, 'items', 'The items field is required.');
		else if (!Array.isArray(input.items)) addError(errors, 'items', 'The items field must be an array.');
		else {
			input.items.forEach((rawItem: unknown, index: number) => {
				const item = isPlainObject(rawItem) ? rawItem : {};
				const prefix = `items.${index}`;
				const description = item.description;
				if (isMissing(description)) addError(errors, `${prefix}.description`, `The ${prefix}.description field is required.`);
				else if (typeof description !== 'string') addError(errors, `${prefix}.description`, `The ${prefix}.description field must be a string.`);
				else if (description.length > 255) addError(errors, `${prefix}.description`, `The ${prefix}.description field must not be greater than 255 characters.`);

				const requiredNumber = (field: string): number | undefined => {
					const key = `${prefix}.${field}`;
					if (isMissing(item[field])) {
						addError(errors, key, `The ${key} field is required.`);
						return undefined;
					}
					const value = toNumeric(item[field]);
					if (value === undefined) addError(errors, key, `The ${key} field must be a number.`);
					return value;
				};
				const quantity = requiredNumber('quantity');
				if (quantity !== undefined && quantity < 0.01) addError(errors, `${prefix}.quantity`, `The ${prefix}.quantity field must be at least 0.01.`);
				const unitPrice = requiredNumber('unit_price');

				let taxRate: number | undefined = 0;
				if (item.tax_rate !== undefined && item.tax_rate !== null) {
					taxRate = toNumeric(item.tax_rate);
					if (taxRate === undefined) addError(errors, `${prefix}.tax_rate`, `The ${prefix}.tax_rate field must be a number.`);
					else if (taxRate < 0 || taxRate > 100) addError(errors, `${prefix}.tax_rate`, `The ${prefix}.tax_rate field must be between 0 and 100.`);
				}
				if (typeof description === 'string' && quantity !== undefined && unitPrice !== undefined && taxRate !== undefined) {
					items.push({ description, quantity, unit_price: unitPrice, tax_rate: taxRate, total: roundToCents(quantity * unitPrice) });
				}
			});
		}

		if (Object.keys(errors).length > 0 || customerId === undefined || date === undefined || dueDate === undefined) {
			return json(422, { success: false, error: 'The given data was invalid.', errors });
		}
		const created = this.addInvoice({
			customer_id: customerId,
			invoice_number: invoiceNumber ?? undefined,
			reference,
			date,
			due_date: dueDate,
			notes,
			items,
			status: 'pending',
		});
		return json(201, { success: true, message: 'Invoice created successfully', data: this.detail(this.requireInvoice(created.id)) });
	}
}
