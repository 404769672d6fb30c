// Tests of the PayRequest emulator itself, over real HTTP with Node's fetch.
import { PayRequestEmulator, type EmulatorOptions } from '../emulator/PayRequestEmulator.cjs';
import { isIsoDate, roundToCents } from '../emulator/calendar.cjs';

interface CallOptions {
	method?: string;
	token?: string | null;
	body?: unknown;
	rawBody?: string;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

const running: PayRequestEmulator[] = [];
let emulator: PayRequestEmulator;
let baseUrl: string;

async function start(options: EmulatorOptions = {}): Promise<PayRequestEmulator> {
	emulator = new PayRequestEmulator(options);
	running.push(emulator);
	baseUrl = await emulator.listen();
	return emulator;
}

afterEach(async () => {
	await Promise.all(running.splice(0).map((instance) => instance.close()));
});

async function call(path: string, options: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	const token = options.token === undefined ? 'test-token-rw' : options.token;
	if (token !== null) headers.Authorization = `Bearer ${token}`;
	let body: string | undefined = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}
	const response = await fetch(`${baseUrl}${path}`, { method: options.method ?? 'GET', headers, body, signal: options.signal });
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

const validCreateBody = () => ({
	customer_id: 501,
	reference: 'Project Kite',
	date: '2025-02-20',
	due_date: '2025-03-06',
	notes: 'Thanks',
	items: [
		{ description: 'Consulting', quantity: 8, unit_price: 150, tax_rate: 21 },
		{ description: 'Licence', quantity: 1, unit_price: 500, tax_rate: 21 },
	],
});

describe('pagination', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 5, invoices: 40 } });
	});

	test('defaults to 15 per page and reports the Laravel paginator fields', async () => {
		const { status, json, headers } = await call('/v1/invoices');
		expect(status).toBe(200);
		expect(headers.get('content-type')).toBe('application/json');
		expect(json.success).toBe(true);
		expect(json.data).toMatchObject({ current_page: 1, per_page: 15, total: 40, last_page: 3, from: 1, to: 15 });
		expect(json.data.data.map((invoice: { id: number }) => invoice.id)).toEqual(Array.from({ length: 15 }, (_, index) => 1001 + index));
		expect(json.data.next_page_url).toMatch(/\/api\/v1\/invoices\?page=2$/);
		expect(json.data.prev_page_url).toBeNull();
	});

	test('walking every page returns each invoice exactly once, in id order', async () => {
		const seen: number[] = [];
		let page = 1;
		let lastPage = Infinity;
		while (page <= lastPage) {
			const { json } = await call(`/v1/invoices?per_page=7&page=${page}`);
			lastPage = json.data.last_page;
			expect(json.data.current_page).toBe(page);
			seen.push(...json.data.data.map((invoice: { id: number }) => invoice.id));
			page++;
		}
		expect(lastPage).toBe(6);
		expect(seen).toEqual(emulator.listInvoices().map((invoice) => invoice.id));
		const lastPageBody = (await call('/v1/invoices?per_page=7&page=6')).json;
		expect(lastPageBody.data).toMatchObject({ from: 36, to: 40 });
		expect(lastPageBody.data.data).toHaveLength(5);
	});

	test('per_page up to 100 is accepted, above 100 is a 422 on per_page', async () => {
		expect((await call('/v1/invoices?per_page=100')).json.data.data).toHaveLength(40);
		const tooMany = await call('/v1/invoices?per_page=101');
		expect(tooMany.status).toBe(422);
		expect(tooMany.json).toEqual({
			success: false,
			error: 'The given data was invalid.',
			errors: { per_page: ['The per page field must not be greater than 100.'] },
		});
	});

	test.each([
		['per_page=0', 'per_page'],
		['per_page=abc', 'per_page'],
		['per_page=2.5', 'per_page'],
		['page=0', 'page'],
		['page=-1', 'page'],
		['page=x', 'page'],
	])('rejects %s with a 422 naming %s', async (query, field) => {
		const { status, json } = await call(`/v1/invoices?${query}`);
		expect(status).toBe(422);
		expect(Object.keys(json.errors)).toEqual([field]);
	});

	test('a page past the last one is empty, and an empty store still has last_page 1', async () => {
		const past = await call('/v1/invoices?page=4');
		expect(past.status).toBe(200);
		expect(past.json.data).toMatchObject({ current_page: 4, data: [], last_page: 3, total: 40, from: null, to: null, next_page_url: null });

		await start({ seed: false });
		const empty = await call('/v1/invoices');
		expect(empty.json.data).toMatchObject({ current_page: 1, data: [], last_page: 1, total: 0 });
	});

	test('list items carry the short customer and item totals of quantity × unit price', async () => {
		const { json } = await call('/v1/invoices?per_page=100');
		for (const item of json.data.data) {
			expect(Object.keys(item.customer).sort()).toEqual(['company', 'email', 'id', 'name']);
			expect(item).not.toHaveProperty('notes');
			for (const line of item.invoice_items) expect(line.total).toBe(roundToCents(line.quantity * line.unit_price));
			const stored = emulator.invoice(item.id)!;
			expect(item.amount).toBe(stored.amount);
			expect(item.amount).toBe(roundToCents(stored.invoice_items.reduce((sum, line) => sum + line.quantity * line.unit_price, 0)));
		}
	});
});

describe('authentication and scopes', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 2, invoices: 3 } });
	});

	test.each([
		['no header', null],
		['an unknown token', 'not-a-token'],
	])('%s gives 401 Unauthenticated', async (_label, token) => {
		const { status, json } = await call('/v1/invoices', { token });
		expect(status).toBe(401);
		expect(json).toEqual({ success: false, error: 'Unauthenticated.' });
	});

	test('a non-Bearer scheme gives 401', async () => {
		const { status } = await call('/v1/invoices', { token: null, headers: { Authorization: 'Basic dGVzdDp0ZXN0' } });
		expect(status).toBe(401);
	});

	test.each([
		['test-token-ro', 'GET', '/v1/invoices', 200],
		['test-token-ro', 'GET', '/v1/invoices/stats', 200],
		['test-token-ro', 'POST', '/v1/invoices/1001/reminder', 403],
		['test-token-ro', 'POST', '/v1/invoices', 403],
		['test-token-wo', 'GET', '/v1/invoices', 403],
		['test-token-wo', 'GET', '/v1/invoices/overdue', 403],
		['test-token-wo', 'POST', '/v1/invoices/1001/reminder', 200],
		['test-token-none', 'GET', '/v1/invoices/1001', 403],
		['test-token-none', 'POST', '/v1/invoices/1001/reminder', 403],
		['test-token-rw', 'GET', '/v1/invoices/1001', 200],
	])('%s: %s %s → %i', async (token, method, path, expected) => {
		emulator.setStatus(1001, 'sent');
		const { status, json } = await call(path, { token, method });
		expect(status).toBe(expected);
		if (expected === 403) {
			const scope = method === 'GET' ? 'billing.read' : 'billing.write';
			expect(json).toEqual({ success: false, error: `This action requires the ${scope} scope.` });
		}
	});

	test('custom tokens replace the defaults', async () => {
		await start({ tokens: { secret: ['billing.read'] }, seed: false });
		expect((await call('/v1/invoices', { token: 'secret' })).status).toBe(200);
		expect((await call('/v1/invoices', { token: 'test-token-rw' })).status).toBe(401);
	});
});

describe('invoice detail and routing', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 3, invoices: 0 } });
	});

	test('detail includes notes, full customer, items, transactions and subscription', async () => {
		const customer = emulator.customers()[0];
		const created = emulator.addInvoice({ customer_id: customer.id, notes: 'Net 14', reference: 'R-1', items: [{ description: 'A', quantity: 3, unit_price: 0.333, tax_rate: 9 }] });
		const { status, json } = await call(`/v1/invoices/${created.id}`);
		expect(status).toBe(200);
		expect(json).toEqual({
			success: true,
			data: {
				id: created.id,
				invoice_number: 'INV-000001',
				reference: 'R-1',
				amount: 1,
				currency: 'EUR',
				status: 'pending',
				date: '2025-03-01',
				due_date: '2025-03-15',
				notes: 'Net 14',
				customer,
				invoice_items: [{ description: 'A', quantity: 3, unit_price: 0.333, tax_rate: 9, total: 1 }],
				transactions: [],
				subscription: null,
			},
		});
		expect(Object.keys(json.data.customer).sort()).toEqual(['address', 'city', 'company', 'country', 'email', 'id', 'name', 'phone', 'postal_code']);
	});

	test.each(['/v1/invoices/999999', '/v1/invoices/abc', '/v1/invoices/1001%2Freminder'])('%s → 404 Invoice not found', async (path) => {
		emulator.addInvoice();
		const { status, json } = await call(path);
		expect(status).toBe(404);
		expect(json).toEqual({ success: false, error: 'Invoice not found' });
	});

	test('stats and overdue are their own routes, not invoice ids', async () => {
		expect((await call('/v1/invoices/stats')).json.data).toHaveProperty('total_invoices');
		expect((await call('/v1/invoices/overdue')).json).toHaveProperty('count');
	});

	test('unknown routes give Laravel 404, wrong methods 405', async () => {
		for (const path of ['/v1/customers', '/v2/invoices', '/invoices', '/v1/invoices/1/reminder/x']) {
			const { status, json, headers } = await call(path);
			expect(status).toBe(404);
			expect(json).toEqual({ message: 'Not Found' });
			expect(headers.get('content-type')).toBe('application/json');
		}
		const wrongMethod = await call('/v1/invoices/stats', { method: 'POST' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
		expect((await call('/v1/invoices', { method: 'DELETE' })).status).toBe(405);
		expect((await call('/v1/invoices/1001/reminder')).status).toBe(405);
	});

	test('a trailing slash is ignored', async () => {
		expect((await call('/v1/invoices/')).status).toBe(200);
	});
});

describe('stats', () => {
	test('numbers follow the state and the clock', async () => {
		await start({ seed: { customers: 1, invoices: 0 } });
		// today is 2025-03-01
		emulator.addInvoice({ status: 'pending', due_date: '2025-03-10', amount: 100 });
		emulator.addInvoice({ status: 'sent', due_date: '2025-02-01', date: '2025-01-15', amount: 200.5 }); // overdue
		emulator.addInvoice({ status: 'viewed', due_date: '2025-02-28', date: '2025-02-01', amount: 300.25 }); // overdue
		emulator.addInvoice({ status: 'partial', due_date: '2025-03-01', date: '2025-02-01', amount: 50 }); // due today: not overdue
		emulator.addInvoice({ status: 'paid', due_date: '2025-01-01', date: '2024-12-01', amount: 1000 });
		emulator.addInvoice({ status: 'draft', due_date: '2025-01-01', date: '2024-12-01', amount: 70 });
		emulator.addInvoice({ status: 'cancelled', due_date: '2025-01-01', date: '2024-12-01', amount: 80 });
		emulator.addInvoice({ status: 'overdue', due_date: '2025-01-15', date: '2024-12-01', amount: 10.1 }); // overdue

		const { json } = await call('/v1/invoices/stats');
		expect(json).toEqual({
			success: true,
			data: {
				total_invoices: 8,
				pending_invoices: 2,
				paid_invoices: 1,
				overdue_invoices: 3,
				total_outstanding: 660.85,
				total_overdue: 510.85,
				currency: 'EUR',
			},
		});

		emulator.markPaid(1002);
		emulator.advanceDays(10);
		const later = (await call('/v1/invoices/stats')).json.data;
		// 1001 and 1004 are now overdue too; 1002 is paid.
		expect(later).toMatchObject({ pending_invoices: 0, paid_invoices: 2, overdue_invoices: 4, total_outstanding: 460.35, total_overdue: 460.35 });
	});

	test('seeded stats agree with a recomputation from the invoice list', async () => {
		await start({ seed: { customers: 10, invoices: 300, seed: 7 } });
		const today = emulator.today();
		const invoices = emulator.listInvoices();
		const open = invoices.filter((invoice) => !['paid', 'cancelled', 'draft'].includes(invoice.status));
		const overdue = open.filter((invoice) => invoice.due_date < today);
		const { json } = await call('/v1/invoices/stats');
		expect(json.data.total_invoices).toBe(300);
		expect(json.data.paid_invoices).toBe(invoices.filter((invoice) => invoice.status === 'paid').length);
		expect(json.data.overdue_invoices).toBe(overdue.length);
		expect(json.data.total_outstanding).toBe(roundToCents(open.reduce((sum, invoice) => sum + invoice.amount, 0)));
		expect(json.data.total_overdue).toBe(roundToCents(overdue.reduce((sum, invoice) => sum + invoice.amount, 0)));
	});
});

describe('overdue', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 2, invoices: 0 } });
	});

	test('computed from the clock: advanceDays moves an invoice in', async () => {
		const dueToday = emulator.addInvoice({ date: '2025-02-15', due_date: '2025-03-01', amount: 40 });
		expect((await call('/v1/invoices/overdue')).json).toEqual({ success: true, count: 0, total_outstanding: 0, currency: 'EUR', data: [] });

		emulator.advanceDays(1);
		const { json } = await call('/v1/invoices/overdue');
		expect(json.count).toBe(1);
		expect(json.data[0]).toMatchObject({ id: dueToday.id, days_overdue: 1, payment_link: `https://payrequest.me/emulator/invoice/${dueToday.id}` });

		emulator.setNow('2025-03-31');
		expect((await call('/v1/invoices/overdue')).json.data[0].days_overdue).toBe(30);
	});

	test('most overdue first, settled ones left out, payment_link null once a payment started', async () => {
		const customer = emulator.customers()[1];
		const recent = emulator.addInvoice({ date: '2025-02-01', due_date: '2025-02-20', amount: 10, customer_id: customer.id });
		const oldest = emulator.addInvoice({ date: '2025-01-01', due_date: '2025-01-15', amount: 20.25, status: 'sent' });
		const sameDayAsRecent = emulator.addInvoice({ date: '2025-02-01', due_date: '2025-02-20', amount: 5, status: 'partial' });
		emulator.setPaymentStarted(sameDayAsRecent.id, true);
		for (const status of ['paid', 'cancelled', 'draft']) emulator.addInvoice({ date: '2025-01-01', due_date: '2025-01-10', status, amount: 999 });

		const { json } = await call('/v1/invoices/overdue');
		expect(json.count).toBe(3);
		expect(json.total_outstanding).toBe(35.25);
		expect(json.data.map((invoice: { id: number }) => invoice.id)).toEqual([oldest.id, recent.id, sameDayAsRecent.id]);
		expect(json.data.map((invoice: { days_overdue: number }) => invoice.days_overdue)).toEqual([45, 9, 9]);
		expect(json.data[2].payment_link).toBeNull();
		expect(json.data[1].customer).toEqual({ id: customer.id, name: customer.name, email: customer.email, phone: customer.phone });
	});

	test('a seed of 40 invoices has several overdue ones', async () => {
		await start({ seed: { customers: 12, invoices: 40 } });
		const { json } = await call('/v1/invoices/overdue');
		expect(json.count).toBeGreaterThanOrEqual(3);
		expect(json.count).toBeLessThan(40);
		for (const invoice of json.data) expect(invoice.due_date < '2025-03-01').toBe(true);
	});
});

describe('create invoice', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 3, invoices: 2 } });
	});

	test('201 with message and the new invoice; amount before tax; stored in state', async () => {
		const { status, json } = await call('/v1/invoices', { method: 'POST', body: validCreateBody() });
		expect(status).toBe(201);
		expect(json.success).toBe(true);
		expect(json.message).toBe('Invoice created successfully');
		expect(json.data).toMatchObject({
			id: 1003,
			invoice_number: 'INV-000003',
			reference: 'Project Kite',
			amount: 1700,
			currency: 'EUR',
			status: 'pending',
			date: '2025-02-20',
			due_date: '2025-03-06',
			notes: 'Thanks',
			transactions: [],
			subscription: null,
		});
		expect(json.data.customer.id).toBe(501);
		expect(json.data.invoice_items).toEqual([
			{ description: 'Consulting', quantity: 8, unit_price: 150, tax_rate: 21, total: 1200 },
			{ description: 'Licence', quantity: 1, unit_price: 500, tax_rate: 21, total: 500 },
		]);
		expect(emulator.invoice(1003)).toMatchObject({ amount: 1700, status: 'pending', customer_id: 501, payment_started: false });
		expect((await call('/v1/invoices/1003')).json.data.invoice_number).toBe('INV-000003');
	});

	test('accepts numeric strings, default tax rate, a given invoice number, and due_date equal to date', async () => {
		const body = {
			customer_id: '502',
			invoice_number: 'CUSTOM-7',
			date: '2025-02-20',
			due_date: '2025-02-20',
			items: [{ description: 'Hours', quantity: '2.5', unit_price: '80.10' }],
		};
		const { status, json } = await call('/v1/invoices', { method: 'POST', body });
		expect(status).toBe(201);
		expect(json.data).toMatchObject({ invoice_number: 'CUSTOM-7', amount: 200.25, reference: null, notes: null });
		expect(json.data.invoice_items[0]).toEqual({ description: 'Hours', quantity: 2.5, unit_price: 80.1, tax_rate: 0, total: 200.25 });
	});

	test.each<[string, string, string, (body: Record<string, unknown>) => void]>([
		['missing customer_id', 'customer_id', 'The customer id field is required.', (body) => delete body.customer_id],
		['unknown customer_id', 'customer_id', 'The selected customer id is invalid.', (body) => (body.customer_id = 9999)],
		['missing date', 'date', 'The date field is required.', (body) => delete body.date],
		['date in another format', 'date', 'The date field must match the format Y-m-d.', (body) => (body.date = '20-02-2025')],
		['an impossible date', 'due_date', 'The due date field must match the format Y-m-d.', (body) => (body.due_date = '2025-02-30')],
		['due_date before date', 'due_date', 'The due date field must be a date after or equal to date.', (body) => (body.due_date = '2025-02-19')],
		['no items', 'items', 'The items field is required.', (body) => (body.items = [])],
		['items not an array', 'items', 'The items field must be an array.', (body) => (body.items = 'many')],
		['quantity below 0.01', 'items.1.quantity', 'The items.1.quantity field must be at least 0.01.', (body) => ((body.items as Array<Record<string, unknown>>)[1].quantity = 0)],
		['quantity not numeric', 'items.0.quantity', 'The items.0.quantity field must be a number.', (body) => ((body.items as Array<Record<string, unknown>>)[0].quantity = 'two')],
		['missing unit_price', 'items.0.unit_price', 'The items.0.unit_price field is required.', (body) => delete (body.items as Array<Record<string, unknown>>)[0].unit_price],
		['missing description', 'items.0.description', 'The items.0.description field is required.', (body) => delete (body.items as Array<Record<string, unknown>>)[0].description],
		['tax_rate above 100', 'items.0.tax_rate', 'The items.0.tax_rate field must be between 0 and 100.', (body) => ((body.items as Array<Record<string, unknown>>)[0].tax_rate = 150)],
		['reference not a string', 'reference', 'The reference field must be a string.', (body) => (body.reference = 12)],
		['duplicate invoice_number', 'invoice_number', 'The invoice number has already been taken.', (body) => (body.invoice_number = 'INV-000001')],
	])('%s → 422 on %s', async (_label, field, message, mutate) => {
		const body: Record<string, unknown> = validCreateBody();
		mutate(body);
		const { status, json } = await call('/v1/invoices', { method: 'POST', body });
		expect(status).toBe(422);
		expect(json).toEqual({ success: false, error: 'The given data was invalid.', errors: { [field]: [message] } });
		expect(emulator.listInvoices()).toHaveLength(2);
	});

	test('several invalid fields are reported together', async () => {
		const { status, json } = await call('/v1/invoices', { method: 'POST', body: { items: [{}] } });
		expect(status).toBe(422);
		expect(Object.keys(json.errors)).toEqual(['customer_id', 'date', 'due_date', 'items.0.description', 'items.0.quantity', 'items.0.unit_price']);
	});

	test('a body that is not JSON is a 400 and creates nothing', async () => {
		const { status, json } = await call('/v1/invoices', { method: 'POST', rawBody: '{"customer_id": 501,', headers: { 'Content-Type': 'application/json' } });
		expect(status).toBe(400);
		expect(json).toEqual({ success: false, error: 'Invalid JSON body' });
		expect(emulator.listInvoices()).toHaveLength(2);
	});

	test('generated numbers skip numbers already taken', async () => {
		emulator.addInvoice({ invoice_number: 'INV-000003' });
		const { json } = await call('/v1/invoices', { method: 'POST', body: validCreateBody() });
		expect(json.data.invoice_number).toBe('INV-000004');
	});
});

describe('reminders', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 2, invoices: 0 } });
	});

	test('200 records one reminder at the emulator clock', async () => {
		const invoice = emulator.addInvoice({ status: 'sent' });
		const { status, json } = await call(`/v1/invoices/${invoice.id}/reminder`, { method: 'POST' });
		expect(status).toBe(200);
		expect(json).toEqual({ success: true, message: 'Invoice reminder sent successfully' });
		expect(emulator.reminders).toEqual([{ invoiceId: invoice.id, at: '2025-03-01T12:00:00.000Z' }]);
	});

	test('paid → 400 and unknown → 404, neither recorded', async () => {
		const invoice = emulator.addInvoice();
		emulator.markPaid(invoice.id);
		const paid = await call(`/v1/invoices/${invoice.id}/reminder`, { method: 'POST' });
		expect(paid.status).toBe(400);
		expect(paid.json).toEqual({ success: false, error: 'Invoice is already paid' });
		const missing = await call('/v1/invoices/424242/reminder', { method: 'POST' });
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ success: false, error: 'Invoice not found' });
		expect(emulator.reminders).toEqual([]);
	});

	test('a removed invoice is gone from list, detail and reminders', async () => {
		const kept = emulator.addInvoice();
		const removed = emulator.addInvoice();
		emulator.removeInvoice(removed.id);
		expect((await call(`/v1/invoices/${removed.id}`)).status).toBe(404);
		expect((await call(`/v1/invoices/${removed.id}/reminder`, { method: 'POST' })).status).toBe(404);
		expect((await call('/v1/invoices')).json.data.data.map((invoice: { id: number }) => invoice.id)).toEqual([kept.id]);
	});
});

describe('rate limiting', () => {
	test('Laravel headers (the default): Limit and Remaining on every answer, Reset and Retry-After only on the 429', async () => {
		await start({ seed: { customers: 1, invoices: 1 }, rateLimit: { perMinute: 3, burst: 3 } });
		const opened = Date.now();
		for (let attempt = 1; attempt <= 3; attempt++) {
			const { status, headers } = await call('/v1/invoices');
			expect(status).toBe(200);
			expect(headers.get('x-ratelimit-limit')).toBe('3');
			expect(headers.get('x-ratelimit-remaining')).toBe(String(3 - attempt));
			expect(headers.get('x-ratelimit-reset')).toBeNull();
			expect(headers.get('retry-after')).toBeNull();
		}
		const limited = await call('/v1/invoices/stats');
		expect(limited.status).toBe(429);
		expect(limited.json).toEqual({ message: 'Too Many Attempts.' });
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		const retryAfter = limited.headers.get('retry-after');
		expect(retryAfter).toMatch(/^\d+$/);
		expect(Number(retryAfter)).toBeGreaterThanOrEqual(59);
		expect(Number(retryAfter)).toBeLessThanOrEqual(60);
		// The window is fixed: it ends 60 s after the first request, whatever came after.
		const reset = Number(limited.headers.get('x-ratelimit-reset'));
		expect(reset).toBeGreaterThanOrEqual(Math.floor((opened + 60_000) / 1000));
		expect(reset).toBeLessThanOrEqual(Math.ceil((Date.now() + 60_000) / 1000));
		// Errors other than 401 carry the count too.
		const forbidden = await call('/v1/invoices/1', { token: 'test-token-ro' });
		expect(forbidden.headers.get('x-ratelimit-limit')).toBe('3');
	});

	test("'reset-always' headers: Reset on every answer, the end of the fixed window", async () => {
		await start({ seed: { customers: 1, invoices: 1 }, rateLimit: { perMinute: 3, burst: 3, headers: 'reset-always' } });
		const before = Math.floor(Date.now() / 1000);
		const resets: number[] = [];
		for (let attempt = 1; attempt <= 3; attempt++) {
			const { status, headers } = await call('/v1/invoices');
			expect(status).toBe(200);
			expect(headers.get('x-ratelimit-remaining')).toBe(String(3 - attempt));
			resets.push(Number(headers.get('x-ratelimit-reset')));
		}
		expect(new Set(resets).size).toBe(1);
		expect(resets[0]).toBeGreaterThanOrEqual(before + 59);
		expect(resets[0]).toBeLessThanOrEqual(before + 61);
		const limited = await call('/v1/invoices');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('x-ratelimit-reset'))).toBe(resets[0]);
		expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
	});

	test("'none' headers: no rate header at all, not even on the 429 (a proxy that strips them)", async () => {
		await start({ seed: { customers: 1, invoices: 1 }, rateLimit: { perMinute: 1, burst: 1, headers: 'none' } });
		const served = await call('/v1/invoices');
		const limited = await call('/v1/invoices');
		expect([served.status, limited.status]).toEqual([200, 429]);
		for (const response of [served, limited]) {
			for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) expect(response.headers.get(name)).toBeNull();
		}
	});

	test('every request is recorded with the number of the rate window that counted it, also when requests overlap', async () => {
		await start({ seed: false, rateLimit: { perMinute: 2, burst: 0, windowMs: 300 }, latencyMs: 30 });
		await Promise.all([call('/v1/invoices'), call('/v1/invoices'), call('/v1/invoices')]);
		await sleep(320);
		await call('/v1/invoices');
		expect(emulator.requests.map((request) => [request.rateWindow, request.status]).sort()).toEqual([
			[1, 200],
			[1, 200],
			[1, 429],
			[2, 200],
		]);
	});

	test('counted per token; 401s are not counted', async () => {
		await start({ seed: false, rateLimit: { perMinute: 2, burst: 2 } });
		for (let attempt = 0; attempt < 5; attempt++) expect((await call('/v1/invoices', { token: 'wrong' })).status).toBe(401);
		expect((await call('/v1/invoices')).status).toBe(200);
		expect((await call('/v1/invoices')).status).toBe(200);
		expect((await call('/v1/invoices')).status).toBe(429);
		expect((await call('/v1/invoices', { token: 'test-token-ro' })).status).toBe(200);
	});

	test('a quiet client may burst; after a saturated window only perMinute is allowed', async () => {
		await start({ seed: false, rateLimit: { perMinute: 2, burst: 4, windowMs: 1000 } });
		const firstWindow: number[] = [];
		for (let attempt = 0; attempt < 5; attempt++) firstWindow.push((await call('/v1/invoices')).status);
		expect(firstWindow).toEqual([200, 200, 200, 200, 429]);
		const limited = await call('/v1/invoices');
		expect(limited.headers.get('retry-after')).toBe('1');
		await sleep(1050);
		const secondWindow: Array<number | string | null> = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const response = await call('/v1/invoices');
			secondWindow.push(response.status, response.headers.get('x-ratelimit-limit'));
		}
		expect(secondWindow).toEqual([200, '2', 200, '2', 429, '2']);
	});

	test('setRateLimit(false) turns it off: answers still carry a count, from a limit never reached', async () => {
		await start({ seed: false, rateLimit: { perMinute: 1, burst: 1 } });
		expect((await call('/v1/invoices')).status).toBe(200);
		expect((await call('/v1/invoices')).status).toBe(429);
		emulator.setRateLimit(false);
		const response = await call('/v1/invoices');
		expect(response.status).toBe(200);
		expect(response.headers.get('x-ratelimit-remaining')).toBe('999999');
		expect(response.headers.get('x-ratelimit-reset')).toBeNull();
	});
});

describe('fault injection', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 2, invoices: 3 } });
	});

	test('a status fault hits the next N matching requests only, before auth', async () => {
		emulator.injectFaults(2, { status: 503, headers: { 'Retry-After': '1' } }, (request) => request.path.endsWith('/stats'));
		expect((await call('/v1/invoices')).status).toBe(200);
		const faulted = await call('/v1/invoices/stats', { token: null });
		expect(faulted.status).toBe(503);
		expect(faulted.headers.get('retry-after')).toBe('1');
		expect(faulted.json).toEqual({ message: 'Service Unavailable' });
		expect((await call('/v1/invoices/stats')).status).toBe(503);
		expect((await call('/v1/invoices/stats')).status).toBe(200);
	});

	test('a fault with only headers adds them to the normal answer', async () => {
		emulator.injectFaults(1, { headers: { 'X-Served-By': 'edge-proxy' } });
		const response = await call('/v1/invoices/1001');
		expect(response.status).toBe(200);
		expect(response.headers.get('x-served-by')).toBe('edge-proxy');
		expect(response.json.data.id).toBe(1001);
	});

	test('queued rules apply in order', async () => {
		emulator.injectFaults(1, { status: 500 });
		emulator.injectFaults(1, { status: 502 });
		expect((await call('/v1/invoices')).status).toBe(500);
		expect((await call('/v1/invoices')).status).toBe(502);
		expect((await call('/v1/invoices')).status).toBe(200);
	});

	test('malformed, empty and HTML bodies are sent as given', async () => {
		emulator.injectFaults(1, { body: '{"success":tru' });
		emulator.injectFaults(1, { status: 502, body: '<html>Bad gateway</html>' });
		emulator.injectFaults(1, { status: 200, body: '' });
		const truncated = await call('/v1/invoices');
		expect(truncated.status).toBe(200);
		expect(truncated.text).toBe('{"success":tru');
		expect(truncated.json).toBeUndefined();
		const html = await call('/v1/invoices');
		expect(html.status).toBe(502);
		expect(html.text).toBe('<html>Bad gateway</html>');
		expect(html.headers.get('content-type')).toContain('text/html');
		const empty = await call('/v1/invoices');
		expect(empty.text).toBe('');
	});

	test('delayMs delays the answer; latency applies to every request', async () => {
		emulator.injectFaults(1, { delayMs: 250 });
		let startedAt = Date.now();
		expect((await call('/v1/invoices')).status).toBe(200);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(240);
		emulator.setLatency(150);
		startedAt = Date.now();
		expect((await call('/v1/invoices')).status).toBe(200);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
	});

	test('a hung request fails on a client timeout and close() ends it at once', async () => {
		emulator.injectFaults(1, { delayMs: 10 * 60_000 });
		await expect(call('/v1/invoices', { signal: AbortSignal.timeout(150) })).rejects.toThrow();
		emulator.injectFaults(1, { delayMs: 10 * 60_000 });
		const hung = call('/v1/invoices');
		await sleep(50);
		const closingAt = Date.now();
		await emulator.close();
		await expect(hung).rejects.toThrow();
		expect(Date.now() - closingAt).toBeLessThan(1000);
	});

	test("drop 'before': socket error and nothing created", async () => {
		emulator.injectFaults(1, { drop: 'before' }, (request) => request.method === 'POST');
		await expect(call('/v1/invoices', { method: 'POST', body: validCreateBody() })).rejects.toThrow();
		expect(emulator.listInvoices()).toHaveLength(3);
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({ method: 'POST', path: '/api/v1/invoices', status: 0 });
		// The server keeps answering afterwards.
		expect((await call('/v1/invoices', { method: 'POST', body: validCreateBody() })).status).toBe(201);
	});

	test("drop 'after': socket error but the invoice was created and the reminder recorded", async () => {
		emulator.injectFaults(2, { drop: 'after' }, (request) => request.method === 'POST');
		await expect(call('/v1/invoices', { method: 'POST', body: validCreateBody() })).rejects.toThrow();
		expect(emulator.listInvoices()).toHaveLength(4);
		expect(emulator.invoice(1004)).toMatchObject({ amount: 1700, reference: 'Project Kite' });
		await expect(call('/v1/invoices/1001/reminder', { method: 'POST' })).rejects.toThrow();
		expect(emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([1001]);
		expect(emulator.requests.map((request) => request.status)).toEqual([0, 0]);
	});

	test('fault rate is seeded and deterministic; rate 0 turns it off', async () => {
		const outcomes = async (instance: PayRequestEmulator): Promise<number[]> => {
			instance.injectFaultRate(0.5, [{ status: 500 }, { status: 503 }], 42);
			const statuses: number[] = [];
			for (let attempt = 0; attempt < 20; attempt++) statuses.push((await call('/v1/invoices')).status);
			return statuses;
		};
		const first = await outcomes(emulator);
		await start({ seed: { customers: 2, invoices: 3 } });
		const second = await outcomes(emulator);
		expect(second).toEqual(first);
		expect(first.filter((status) => status !== 200).length).toBeGreaterThan(2);
		expect(first.filter((status) => status === 200).length).toBeGreaterThan(2);
		expect(new Set(first)).toEqual(new Set([200, 500, 503]));
		emulator.injectFaultRate(0, []);
		for (let attempt = 0; attempt < 5; attempt++) expect((await call('/v1/invoices')).status).toBe(200);
	});

	test('clearFaults removes queued and random faults', async () => {
		emulator.injectFaults(5, { status: 500 });
		emulator.injectFaultRate(1, [{ status: 502 }]);
		emulator.clearFaults();
		expect((await call('/v1/invoices')).status).toBe(200);
	});

	test('an exception in a handler becomes a 500 JSON and the server keeps working', async () => {
		const internals = emulator as unknown as { statsRoute: () => never };
		internals.statsRoute = () => {
			throw new Error('boom');
		};
		const broken = await call('/v1/invoices/stats');
		expect(broken.status).toBe(500);
		expect(broken.json).toEqual({ message: 'Server Error' });
		expect((await call('/v1/invoices')).status).toBe(200);
	});
});

describe('request log', () => {
	test('records method, raw path, query, parsed body, headers and final status', async () => {
		await start({ seed: { customers: 1, invoices: 2 } });
		await call('/v1/invoices?per_page=5&page=2');
		await call('/v1/invoices', { method: 'POST', body: validCreateBody() });
		await call('/v1/invoices/1001%3F/reminder', { method: 'POST', token: 'test-token-ro' });
		emulator.injectFaults(1, { status: 502 });
		await call('/v1/invoices/stats', { token: null });

		expect(emulator.requests).toHaveLength(4);
		const [list, create, reminder, faulted] = emulator.requests;
		expect(list).toMatchObject({ method: 'GET', path: '/api/v1/invoices', query: { per_page: '5', page: '2' }, status: 200, rawBody: '' });
		expect(list.body).toBeUndefined();
		expect(list.headers.authorization).toBe('Bearer test-token-rw');
		expect(create).toMatchObject({ method: 'POST', path: '/api/v1/invoices', query: {}, body: validCreateBody(), status: 201 });
		expect(JSON.parse(create.rawBody)).toEqual(validCreateBody());
		expect(create.headers['content-type']).toBe('application/json');
		expect(reminder).toMatchObject({ path: '/api/v1/invoices/1001%3F/reminder', status: 403 });
		expect(reminder.headers.authorization).toBe('Bearer test-token-ro');
		expect(faulted).toMatchObject({ path: '/api/v1/invoices/stats', status: 502 });
		expect(faulted.headers.authorization).toBeUndefined();
		expect(typeof list.at).toBe('number');

		emulator.clearRequests();
		expect(emulator.requests).toEqual([]);
	});

	test('a non-JSON body is logged as raw text', async () => {
		await start({ seed: false });
		await call('/v1/invoices', { method: 'POST', rawBody: 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(emulator.requests[0]).toMatchObject({ body: 'a=1&b=2', rawBody: 'a=1&b=2', status: 400 });
	});
});

describe('seed data and state helpers', () => {
	test('deterministic for a seed, different for another; ids start at 501 and 1001', () => {
		const first = new PayRequestEmulator({ seed: { customers: 6, invoices: 40, seed: 3 } });
		const again = new PayRequestEmulator({ seed: { customers: 6, invoices: 40, seed: 3 } });
		const other = new PayRequestEmulator({ seed: { customers: 6, invoices: 40, seed: 4 } });
		expect(again.listInvoices()).toEqual(first.listInvoices());
		expect(again.customers()).toEqual(first.customers());
		expect(other.listInvoices()).not.toEqual(first.listInvoices());
		expect(first.customers().map((customer) => customer.id)).toEqual([501, 502, 503, 504, 505, 506]);
		expect(first.listInvoices()[0]).toMatchObject({ id: 1001, invoice_number: 'INV-000001' });
		expect(Object.values(first.customers()[0]).every((value) => value !== null)).toBe(true);
	});

	test('seeded invoices: status mix, dates within ~120 days, due 14–30 days later, 1–3 items', () => {
		const seeded = new PayRequestEmulator({ seed: { customers: 8, invoices: 400 } });
		const invoices = seeded.listInvoices();
		const statuses = new Set(invoices.map((invoice) => invoice.status));
		for (const status of ['pending', 'sent', 'viewed', 'paid', 'partial', 'draft', 'cancelled']) expect(statuses).toContain(status);
		const dayMs = 86_400_000;
		const today = Date.parse('2025-03-01');
		for (const invoice of invoices) {
			const age = (today - Date.parse(invoice.date)) / dayMs;
			const term = (Date.parse(invoice.due_date) - Date.parse(invoice.date)) / dayMs;
			expect(age).toBeGreaterThanOrEqual(0);
			expect(age).toBeLessThanOrEqual(120);
			expect(term).toBeGreaterThanOrEqual(14);
			expect(term).toBeLessThanOrEqual(30);
			expect(invoice.invoice_items.length).toBeGreaterThanOrEqual(1);
			expect(invoice.invoice_items.length).toBeLessThanOrEqual(3);
		}
	});

	// Behaviour only: how fast the emulator seeds is the benches' concern (tests assert no timings).
	test('15,000 invoices seed and their last page is served whole', async () => {
		await start({ seed: { customers: 50, invoices: 15_000 } });
		const { json } = await call('/v1/invoices?per_page=100&page=150');
		expect(json.data).toMatchObject({ total: 15_000, last_page: 150, from: 14_901, to: 15_000 });
		expect(json.data.data[99].id).toBe(16_000);
	});

	test('cents rounding is free of binary noise and dates must be real days', () => {
		expect([1.005, 2.675, 0.1 + 0.2, -1.005, 19.999 * 3, 0.125].map(roundToCents)).toEqual([1.01, 2.68, 0.3, -1.01, 60, 0.13]);
		expect(['2025-02-28', '2024-02-29'].map(isIsoDate)).toEqual([true, true]);
		expect(['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00:00Z', 20250101].map(isIsoDate)).toEqual([false, false, false, false, false]);
	});

	test('addInvoice fills defaults, keeps id order and rounds the pre-tax amount to cents', () => {
		const state = new PayRequestEmulator({ seed: { customers: 1 } });
		const first = state.addInvoice({ items: [{ quantity: 3, unit_price: 19.999, tax_rate: 21 }, { quantity: 1, unit_price: 0.005 }] });
		expect(first).toMatchObject({ id: 1001, invoice_number: 'INV-000001', status: 'pending', date: '2025-03-01', due_date: '2025-03-15', amount: 60, customer_id: 501, currency: 'EUR' });
		const explicit = state.addInvoice({ id: 1500 });
		const between = state.addInvoice({ id: 1200, amount: 42.5 });
		expect(between.invoice_items).toEqual([{ description: 'Services', quantity: 1, unit_price: 42.5, tax_rate: 0, total: 42.5 }]);
		expect(state.listInvoices().map((invoice) => invoice.id)).toEqual([1001, 1200, 1500]);
		expect(state.addInvoice().id).toBe(explicit.id + 1);
		expect(() => state.addInvoice({ customer_id: 9 })).toThrow();
		// Returned objects are copies: changing them does not change the emulator.
		first.status = 'paid';
		expect(state.invoice(1001)!.status).toBe('pending');
	});
});
