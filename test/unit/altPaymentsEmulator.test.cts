// The Alternative Payments emulator over real HTTP, as a client sees it: what its contract
// (/work/shared/altpayments-api.md) says, including the parts that make a careless client fail.
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { AltEmulatorOptions } from '../emulator/AltPaymentsEmulator.cjs';
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';

let emulator: AltPaymentsEmulator;
let baseUrl: string;

async function start(options: AltEmulatorOptions = {}) {
	emulator = new AltPaymentsEmulator({ rateLimit: false, ...options });
	baseUrl = await emulator.listen();
	return emulator;
}

afterEach(async () => {
	await emulator?.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function mint(id = 'client-full', secret = 'secret-full', grant = 'grant_type=client_credentials') {
	const response = await fetch(`${baseUrl}/oauth/token`, {
		method: 'POST',
		headers: { Authorization: basic(id, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
		body: grant,
	});
	return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function call(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
	const token = init.token === undefined ? (await mint()).json.access_token : init.token;
	const response = await fetch(`${baseUrl}${path}`, {
		method: init.method ?? 'GET',
		headers: {
			Accept: 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
		},
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text, headers: response.headers };
}

describe('OAuth2 client credentials', () => {
	beforeEach(async () => {
		await start();
	});

	test('Basic auth and grant_type=client_credentials mint a bearer token for 3600 s', async () => {
		const { status, json } = await mint();
		expect(status).toBe(200);
		expect(json).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{56}$/), expires_in: 3600, token_type: 'bearer' });
		expect((await call('/invoices', { token: json.access_token })).status).toBe(200);
	});

	test('a wrong secret is 403 "Invalid credentials"; another grant is 400', async () => {
		expect(await mint('client-full', 'wrong')).toEqual({ status: 403, json: { code: 'forbidden', message: 'Invalid credentials' } });
		expect((await mint('client-full', 'secret-full', 'grant_type=password')).status).toBe(400);
	});

	test('no token or an unknown one is 401; an expired token is 401 until a new one is minted', async () => {
		expect((await call('/invoices', { token: null })).status).toBe(401);
		expect((await call('/invoices', { token: 'made-up' })).status).toBe(401);
		const { access_token: token } = (await mint()).json;
		emulator.expireTokens();
		expect(await call('/invoices', { token })).toMatchObject({ status: 401, json: { code: 'unauthorized', message: 'The access token has expired' } });
		expect((await call('/invoices')).status).toBe(200);
		expect(emulator.tokensIssued).toBe(2);
	});

	test('a key without a scope gets 403 naming it', async () => {
		const { access_token: token } = (await mint('client-invoices-ro', 'secret-invoices-ro')).json;
		expect((await call('/invoices', { token })).status).toBe(200);
		expect(await call('/customers', { token })).toMatchObject({ status: 403, json: { message: 'This API key lacks the customers:read scope' } });
		expect((await call('/invoices', { token, method: 'POST', body: {} })).json.message).toMatch(/invoices:write/);
	});
});

describe('cursor paging', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 3, invoices: 250 } });
	});

	test('pages of `limit` (default 100), after=end_cursor while has_next_page, every invoice once; cursors hold + and /', async () => {
		const seen: string[] = [];
		let after = '';
		let pages = 0;
		for (;;) {
			const { json } = await call(`/invoices?${new URLSearchParams({ ...(after ? { after } : {}) })}`);
			pages++;
			seen.push(...json.data.map((invoice: { id: string }) => invoice.id));
			expect(json.end_cursor).toMatch(/[+/]/);
			if (!json.has_next_page) break;
			after = json.end_cursor;
		}
		expect(pages).toBe(3);
		expect(seen).toEqual(emulator.listInvoices().map((invoice) => invoice.id));
	});

	test("a cursor sent without URL-encoding ('+' arrives as a space) is a 400, not a silent restart", async () => {
		const first = await call('/invoices?limit=10');
		const unencoded = await call(`/invoices?limit=10&after=${first.json.end_cursor}`);
		expect(unencoded.status).toBe(400);
		expect(unencoded.json).toEqual({ code: 'bad_request', message: 'Invalid cursor' });
	});

	test("the guide's envelope: cursors under `pagination`", async () => {
		emulator.useListEnvelope('pagination');
		const { json } = await call('/invoices?limit=200');
		expect(Object.keys(json).sort()).toEqual(['data', 'pagination']);
		expect(json.pagination).toEqual({ has_next_page: true, end_cursor: expect.any(String) });
		const last = await call(`/invoices?limit=200&after=${encodeURIComponent(json.pagination.end_cursor)}`);
		expect(last.json.data).toHaveLength(50);
		expect(last.json.pagination.has_next_page).toBe(false);
	});
});

describe('invoices', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 3, invoices: 0 } });
	});

	test('create: 201 with the invoice in dollars (never cents), USD, due date as sent', async () => {
		const customerId = emulator.listCustomers()[0].id;
		const created = await call('/invoices', {
			method: 'POST',
			body: { customer_id: customerId, currency: 'USD', due_date: '2025-04-01', line_items: [{ description: 'Audit', quantity: 2, amount: 125.5 }] },
		});
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ customer_id: customerId, currency: 'USD', due_date: '2025-04-01', total: 251, sub_total: 251 });
		expect((await call(`/invoices/${created.json.id}`)).json).toEqual(created.json);
	});

	test.each([
		['missing fields', {}, 400, { code: 'bad_request', message: 'Missing required fields: customer_id, line_items' }],
		['an unknown customer, a bad date and a fractional quantity', { customer_id: 'cus_nope', due_date: '2025-02-30', line_items: [{ description: 'x', quantity: 1.5, amount: 1 }] }, 422, {
			code: 'unprocessable_entity',
			message: 'validation failed',
			validation_errors: { customer_id: 'customer not found', due_date: 'invalid date', 'line_items[0].quantity': 'must be a whole number of at least 1' },
		}],
		['another currency', { customer_id: 'cus_000001', currency: 'EUR', line_items: [{ description: 'x', quantity: 1, amount: 1 }] }, 422, expect.objectContaining({ validation_errors: { currency: 'only USD is supported' } })],
	])('create with %s: the status and the error shape of the contract, nothing created', async (_label, body, status, expected) => {
		const answer = await call('/invoices', { method: 'POST', body });
		expect(answer.status).toBe(status);
		expect(answer.json).toEqual(expected);
		expect(emulator.listInvoices()).toEqual([]);
	});

	test('archive hides it from lists and gets; restore brings it back', async () => {
		const invoice = emulator.addInvoice();
		expect((await call(`/invoices/${invoice.id}`, { method: 'DELETE' })).status).toBe(200);
		expect((await call(`/invoices/${invoice.id}`)).status).toBe(404);
		expect((await call('/invoices')).json.data).toEqual([]);
		expect((await call(`/invoices/${invoice.id}/restore`, { method: 'POST' })).json.id).toBe(invoice.id);
		expect((await call('/invoices')).json.data.map((one: { id: string }) => one.id)).toEqual([invoice.id]);
	});

	test('server-side filters: customer, number, status, RFC 3339 ranges (a plain date is a 400)', async () => {
		const [first, second] = emulator.listCustomers();
		const a = emulator.addInvoice({ customer_id: first.id, due_date: '2025-03-10', created_at: '2025-02-01T10:00:00Z', status: 'open' });
		const b = emulator.addInvoice({ customer_id: second.id, due_date: '2025-04-10', created_at: '2025-02-15T10:00:00Z', status: 'paid' });
		const ids = async (query: string) => (await call(`/invoices?${query}`)).json.data.map((invoice: { id: string }) => invoice.id);
		expect(await ids(`customer_id=${second.id}`)).toEqual([b.id]);
		expect(await ids(`invoice_number=${a.invoice_number}`)).toEqual([a.id]);
		expect(await ids('status=paid')).toEqual([b.id]);
		expect(await ids(`due_date_end=${encodeURIComponent('2025-03-31T23:59:59Z')}`)).toEqual([a.id]);
		expect(await ids(`created_at_start=${encodeURIComponent('2025-02-10T00:00:00+01:00')}`)).toEqual([b.id]);
		expect((await call('/invoices?due_date_start=2025-03-01')).status).toBe(400);
	});

	test('payment link with a scheme, or without one as partner domains give it; a signed PDF link fetched without a token', async () => {
		const invoice = emulator.addInvoice();
		expect((await call(`/invoices/${invoice.id}/payment-link`)).json).toEqual({ url: `https://pay.partner.example/i/${invoice.id}` });
		emulator.useSchemelessPaymentLinks(true);
		expect((await call(`/invoices/${invoice.id}/payment-link`)).json).toEqual({ url: `pay.partner.example/i/${invoice.id}` });
		const { url } = (await call(`/invoices/${invoice.id}/pdf-link`)).json;
		const pdf = await fetch(url);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expect((await pdf.text()).startsWith('%PDF-')).toBe(true);
		expect((await fetch(url.replace(/signature=\w+/, 'signature=forged'))).status).toBe(403);
	});
});

describe('customers and payments', () => {
	beforeEach(async () => {
		await start({ seed: { customers: 3, invoices: 4, payments: 4 } });
	});

	test('customers: create (external id unique), search by company name, archive', async () => {
		const created = await call('/customers', { method: 'POST', body: { name: 'Granite Dental', email: 'ap@granite.example', external_id: 'crm-7' } });
		expect(created.status).toBe(201);
		expect((await call('/customers', { method: 'POST', body: { name: 'Other', email: 'o@o.example', external_id: 'crm-7' } })).json).toEqual({
			code: 'bad_request',
			message: 'This external id is already used',
		});
		expect((await call('/customers?company_name=granite')).json.data.map((customer: { id: string }) => customer.id)).toEqual([created.json.id]);
		expect((await call(`/customers/${created.json.id}`, { method: 'DELETE' })).status).toBe(200);
		expect((await call(`/customers/${created.json.id}`)).status).toBe(404);
	});

	test('payments: filtered by invoice and customer, read-only, without an invoice_id field', async () => {
		const invoice = emulator.listInvoices()[1];
		const { json } = await call(`/payments?invoice_id=${invoice.id}`);
		expect(json.data).toHaveLength(1);
		expect(json.data[0]).toMatchObject({ customer_id: invoice.customer_id, total: invoice.total });
		expect(json.data[0]).not.toHaveProperty('invoice_id');
	});
});

describe('rate limit: 5 requests a second per key', () => {
	test('the sixth request in a second is a 429 without rate headers; the next second lets five through again', async () => {
		await start({ rateLimit: undefined, seed: { customers: 1, invoices: 1 } });
		const { access_token: token } = (await mint()).json;
		const statuses = await Promise.all(Array.from({ length: 7 }, () => call('/invoices', { token })));
		expect(statuses.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
		const limited = statuses.find((answer) => answer.status === 429)!;
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(limited.headers.get('x-ratelimit-remaining')).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 1_050));
		expect((await call('/invoices', { token })).status).toBe(200);
	});
});

describe('webhooks', () => {
	test('subscriptions are created, listed and deleted; deliveries POST to the endpoint with the secret as a bearer token', async () => {
		await start({ seed: { customers: 1 } });
		const received: Array<{ authorization?: string; body: any; url?: string }> = [];
		const receiver = http.createServer((request, response) => {
			let text = '';
			request.on('data', (chunk: Buffer) => (text += chunk.toString()));
			request.on('end', () => {
				received.push({ authorization: request.headers.authorization, body: JSON.parse(text), url: request.url });
				response.writeHead(200).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?topic=invoice_paid`;
			const created = await call('/webhooks', { method: 'POST', body: { endpoint_url: endpoint, topic: 'invoice_paid', secret_key: 's3cret-value' } });
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ endpoint_url: endpoint, topic: 'invoice_paid', is_active: true, secret_last_4_digits: 'alue' });
			expect(created.json).not.toHaveProperty('secret_key');
			expect((await call('/webhooks', { method: 'POST', body: { endpoint_url: endpoint, topic: 'invoice_eaten' } })).status).toBe(422);

			const deliveries = await emulator.deliver('invoice_paid', { id: 'inv_1' });
			expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
			expect(received).toEqual([{ authorization: 'Bearer s3cret-value', body: { id: expect.any(String), topic: 'invoice_paid', created_at: expect.any(String), data: { id: 'inv_1' } }, url: '/hook?topic=invoice_paid' }]);
			expect(await emulator.deliver('invoice_created', {})).toEqual([]);

			expect((await call('/webhooks')).json.data.map((subscription: { id: string }) => subscription.id)).toEqual([created.json.id]);
			expect((await call(`/webhooks/${created.json.id}`, { method: 'DELETE' })).status).toBe(200);
			expect(emulator.listSubscriptions()).toEqual([]);
			expect((await call(`/webhooks/${created.json.id}`, { method: 'DELETE' })).status).toBe(404);
		} finally {
			await new Promise<void>((resolve) => receiver.close(() => resolve()));
		}
	});
});
