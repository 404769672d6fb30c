/**
 * The Paisr node through n8n-core's engine, with the credential's own bearer header, over HTTP to
 * the Paisr emulator: relative due dates, lists without paging, line items past 50, checkout links
 * that expire, permanent deletes, and errors that carry only a message.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import type { StoredPaisrCredential } from '../engine/harness.cjs';
import { PAISR_TOOL_TYPE, PAISR_TYPE, runNode, searchPaisrList, testPaisrCredential } from '../engine/harness.cjs';
import { Paisr } from '../../nodes/Paisr/Paisr.node';

jest.setTimeout(30_000);

let emulator: PaisrEmulator;
let credential: StoredPaisrCredential;

beforeEach(async () => {
	emulator = new PaisrEmulator({ rateLimit: false, seed: { customers: 3, invoices: 0 } });
	credential = { environment: 'custom', baseUrl: await emulator.listen(), accessToken: 'paisr-full' };
});
afterEach(async () => {
	await emulator.close();
});

const run = (parameters: Record<string, unknown>, options: { continueOnFail?: boolean; retryOnFail?: boolean; input?: IDataObject[]; token?: string; timezone?: string; typeVersion?: number } = {}) =>
	runNode({
		typeVersion: options.typeVersion,
		nodeType: PAISR_TYPE,
		paisrCredential: options.token ? { ...credential, accessToken: options.token } : credential,
		parameters: { resource: 'invoice', ...parameters },
		continueOnFail: options.continueOnFail,
		retryOnFail: options.retryOnFail,
		input: options.input,
		timezone: options.timezone,
	});
const api = () => emulator.requests.filter((request) => request.path.startsWith('/v2/'));
const customer = () => emulator.listCustomers()[0];
const items = (count: number) => Array.from({ length: count }, (_, index) => ({ description: `Item ${index + 1}`, quantity: 1, unitPrice: 10 }));
const hintsOf = (result: Awaited<ReturnType<typeof run>>) => (result.run.data.resultData.runData.PayRequest?.[0]?.hints ?? []).map((hint) => hint.message);

describe('credential', () => {
	test('Test reads one invoice with the token as a bearer header', async () => {
		expect(await testPaisrCredential(credential)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(api()[0]).toMatchObject({ method: 'GET', path: '/v2/invoices', query: { limit: '1' }, status: 200 });
		expect(api()[0].headers.authorization).toBe('Bearer paisr-full');
	});

	test('a bad token fails Test with what to do', async () => {
		const result = await testPaisrCredential({ ...credential, accessToken: 'nope' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the token \(HTTP 401\).*Developers → Access Tokens/);
	});

	test("a personal profile's token fails Test saying the API is for business profiles", async () => {
		const result = await testPaisrCredential({ ...credential, accessToken: 'paisr-personal' });
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toMatch(/business profiles only/);
	});

	test('a Base URL without /v2 (404): names the Environment and the Base URL', async () => {
		const result = await testPaisrCredential({ ...credential, baseUrl: String(credential.baseUrl).replace(/\/v2$/, '') });
		expect(result).toEqual({
			status: 'Error',
			message:
				'Nothing at this address answers as the Paisr API (HTTP 404 for /invoices): pick the Live or Staging Environment, or set the Base URL to the API address including /v2, such as https://api.live.paisr.tech/v2.',
		});
	});

	test('plain http off this machine is refused before anything is sent', async () => {
		const { error } = await run({ operation: 'getStats' }, { token: undefined });
		expect(error).toBeUndefined();
		credential = { ...credential, baseUrl: 'http://paisr.example.com/v2' };
		const refused = await run({ operation: 'getStats' });
		expect(refused.error?.message).toMatch(/must start with https:\/\//);
		expect(api()).toHaveLength(1);
	});
});

describe('Invoice → Create', () => {
	const create = (extra: Record<string, unknown> = {}) =>
		run({ operation: 'create', customer: { mode: 'id', value: customer().id }, summary: 'March consulting', dueInDays: 3, items: { item: items(2) }, ...extra });

	test('sends "In 3 days", then reads the invoice back: sid, totals and due_at are in the output', async () => {
		const { items: output, error } = await create();
		expect(error).toBeUndefined();
		const [post, get] = api();
		expect(post).toMatchObject({ method: 'POST', path: '/v2/invoices' });
		expect(post.body).toEqual({ customer: customer().id, summary: 'March consulting', due: 'In 3 days', items: [{ description: 'Item 1', quantity: 1, unit_price: 10 }, { description: 'Item 2', quantity: 1, unit_price: 10 }] });
		expect(get).toMatchObject({ method: 'GET', path: `/v2/invoices/${output[0].json.id}` });
		expect(output[0].json).toMatchObject({ sid: expect.any(Number), amount: { sub_total: 20, net_total: 20 }, status: 'unpaid', due_at: '2025-03-04T12:00:00Z' });
	});

	test('by email, with a currency and a typed phrase that wins over the days', async () => {
		const { items: output } = await run({
			operation: 'create',
			customer: { mode: 'email', value: customer().email },
			summary: 'x',
			dueInDays: 3,
			itemsInputMode: 'json',
			itemsJson: '[{"description":"Pizza","quantity":2,"unit_price":75}]',
			additionalFields: { currency: 'USD', dueText: 'In 2 weeks' },
		});
		expect(api()[0].body).toMatchObject({ customer: customer().email, currency: 'USD', due: 'In 2 weeks' });
		expect(output[0].json).toMatchObject({ currency: 'USD', due_at: '2025-03-15T12:00:00Z', amount: { net_total: 150 } });
	});

	test('version 1.1, Simplify on (its default): the compact invoice with its total and checkout link; version 1 keeps the invoice as read', async () => {
		const base = { operation: 'create', customer: { mode: 'id', value: customer().id }, summary: 'x', dueInDays: 3, items: { item: items(2) }, simple: true };
		const simplified = await run(base, { typeVersion: 1.1 });
		expect(simplified.items[0].json).toMatchObject({ id: expect.any(String), number: expect.any(String), status: 'unpaid', amountTotal: 20, paymentLink: expect.stringMatching(/\/checkout\//), provider: 'paisr' });
		const saved = await run(base, { typeVersion: 1 });
		expect(saved.items[0].json).toMatchObject({ sid: expect.any(Number), amount: { net_total: 20 } });
		expect(saved.items[0].json).not.toHaveProperty('amountTotal');
	});

	test("version 1.1: Currency on the main form; left at the Customer's Default Currency, none is sent and the invoice has the customer's", async () => {
		const usd = emulator.addCustomer({ name: 'Dollar Customer', email: 'usd@example.com', default_currency: 'USD' });
		const base = { operation: 'create', customer: { mode: 'id', value: usd.id }, summary: 'x', dueInDays: 3, items: { item: items(1) } };
		const byDefault = await run(base, { typeVersion: 1.1 });
		expect(api()[0].body).not.toHaveProperty('currency');
		expect(byDefault.items[0].json).toMatchObject({ currency: 'USD' });
		emulator.clearRequests();
		const picked = await run({ ...base, currency: 'EUR' }, { typeVersion: 1.1 });
		expect(api()[0].body).toMatchObject({ currency: 'EUR' });
		expect(picked.items[0].json).toMatchObject({ currency: 'EUR' });
	});

	test('version 1 (saved workflows): the currency under Additional Fields is still sent; version 1.1 ignores a leftover one only when Currency is picked', async () => {
		const saved = { operation: 'create', customer: { mode: 'id', value: customer().id }, summary: 'x', dueInDays: 3, items: { item: items(1) }, additionalFields: { currency: 'EUR' } };
		await run(saved, { typeVersion: 1 });
		expect(api()[0].body).toMatchObject({ currency: 'EUR' });
		emulator.clearRequests();
		await run({ ...saved, currency: 'USD' }, { typeVersion: 1.1 });
		expect(api()[0].body).toMatchObject({ currency: 'USD' });
	});

	test('a phrase Paisr refuses shows its message and the phrase that was sent', async () => {
		const { error } = await create({ additionalFields: { dueText: 'next blue moon' } });
		expect(error?.message).toBe('Paisr rejected the request: The due field must be a valid relative time. (the due date was sent as "next blue moon")');
		expect(error?.description).toMatch(/relative time, such as "In 3 days"/);
	});

	test.each([
		['a negative number of days', { dueInDays: -1 }, /^Due In Days: must be a whole number of 0 or more, not -1$/],
		['part of a day', { dueInDays: 1.5 }, /^Due In Days: must be a whole number/],
		['an empty summary', { summary: '  ' }, /^Summary: is empty$/],
		// Mapped from earlier nodes (expressions): the editor's own checks of typed values do not see them.
		['a customer that is neither an id nor an email', { customer: { mode: 'id', value: '={{ "Jane Smith" }}' } }, /^Customer: is neither a customer ID nor an email address: "Jane Smith"$/],
		['an email mode value that is not an email', { customer: { mode: 'email', value: '={{ "cus_1" }}' } }, /^Customer: is neither/],
		['an unknown currency', { additionalFields: { currency: 'GBP' } }, /^Currency: must be SRD, USD or EUR, not "GBP"/],
		['no line items', { items: {} }, /^Line Items: an invoice needs at least one line item$/],
		['no line items in JSON', { itemsInputMode: 'json', itemsJson: '[]' }, /^Line Items: an invoice needs at least one line item$/],
		['a zero quantity', { items: { item: [{ description: 'x', quantity: 0, unitPrice: 5 }] } }, /^Line Item 1 Quantity: must be a whole number of at least 1, not 0$/],
		['a negative quantity', { items: { item: [{ description: 'x', quantity: -2, unitPrice: 5 }] } }, /^Line Item 1 Quantity: must be a whole number of at least 1, not -2$/],
		['a negative unit price', { items: { item: [{ description: 'x', quantity: 2, unitPrice: -50 }] } }, /^Line Item 1 Unit Price: must be at least 0.01, not -50$/],
		['a zero unit price', { items: { item: [{ description: 'x', quantity: 1, unitPrice: 0 }] } }, /^Line Item 1 Unit Price: must be at least 0.01, not 0/],
		['part of a unit', { items: { item: [{ description: 'x', quantity: 1.5, unitPrice: 5 }] } }, /^Line Item 1 Quantity: must be a whole number of at least 1/],
		['an item without a description', { items: { item: [{ description: '={{ "" }}', quantity: 1, unitPrice: 5 }] } }, /^Line Item 1 Description: is empty/],
		['501 items', { items: { item: items(501) } }, /^Line Items: has 501 line items; a Paisr invoice holds at most 500/],
		['items JSON that is not JSON', { itemsInputMode: 'json', itemsJson: '[{"description": "x",' }, /^Line Items \(JSON\): is not valid JSON$/],
		['items JSON that is not a list', { itemsInputMode: 'json', itemsJson: '"pizza"' }, /^Line Items \(JSON\): must be an array of line items/],
	])('%s is refused before anything is sent, naming the field and the item', async (_label, extra, message) => {
		const { error } = await create(extra);
		expect(error?.message).toMatch(message);
		expect(api()).toHaveLength(0);
	});

	test('120 items: created with the first 50, the other 70 added in one call, the invoice read back with all of them', async () => {
		const { items: output, error } = await create({ items: { item: items(120) } });
		expect(error).toBeUndefined();
		const [post, add, get] = api();
		expect((post.body as { items: unknown[] }).items).toHaveLength(50);
		expect(add).toMatchObject({ method: 'POST', path: `/v2/invoices/${output[0].json.id}/items` });
		expect((add.body as { items: Array<{ description: string }> }).items.map((item) => item.description)).toEqual(items(120).slice(50).map((item) => item.description));
		expect(get.method).toBe('GET');
		expect(emulator.invoice(String(output[0].json.id))!.items).toHaveLength(120);
		expect(output[0].json.amount).toMatchObject({ net_total: 1200 });
	});

	test('when adding the rest fails, the error names the invoice that now exists, and nothing is repeated', async () => {
		emulator.injectFaults(1, { status: 500 }, (request) => request.method === 'POST' && request.path.endsWith('/items'));
		const { error } = await create({ items: { item: items(60) } });
		const created = emulator.listInvoices()[0];
		expect(error?.message).toMatch(new RegExp(`^Invoice ${created.id} was created with its first 50 of 60 line items, but adding the other 10 failed: Paisr had a server error \\(HTTP 500\\)`));
		expect(error?.description).toMatch(new RegExp(`The invoice exists\\. Look at it \\(Get with ID ${created.id}\\)`));
		expect(api().map((request) => request.method)).toEqual(['POST', 'POST']);
		expect(emulator.listInvoices()).toHaveLength(1);
	});

	test('a create whose answer is lost is not repeated, and the error says the invoice may exist', async () => {
		emulator.injectFaults(1, { drop: 'after' }, (request) => request.method === 'POST');
		const { error } = await create();
		expect(error?.message).toMatch(/may have been created/);
		expect(api().filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(emulator.listInvoices()).toHaveLength(1);
	});

	test('an unknown customer email shows Paisr’s message', async () => {
		const { error } = await create({ customer: { mode: 'email', value: 'nobody@nowhere.example' } });
		expect(error).toMatchObject({ message: 'Paisr rejected the request: The selected customer is invalid.', httpCode: '422' });
	});
});

describe('Invoice → Get Many', () => {
	beforeEach(() => {
		for (let index = 0; index < 30; index++) {
			emulator.addInvoice({
				customer_id: emulator.listCustomers()[index % 3].id,
				status: index % 2 === 0 ? 'unpaid' : 'paid',
				created_at: `2025-02-${String(index % 28 + 1).padStart(2, '0')}T10:00:00Z`,
				due_at: `2025-03-${String(index % 28 + 1).padStart(2, '0')}T10:00:00Z`,
			});
		}
	});

	test('Limit is sent as the limit; status, customer and currency go to the server', async () => {
		const { items: output } = await run({ operation: 'getAll', limit: 5, filters: { status: 'unpaid', customerId: customer().id, currency: 'SRD' } });
		expect(api()[0].query).toEqual({ limit: '5', status: 'unpaid', resource_id: customer().id, currency: 'SRD' });
		expect(output.length).toBeLessThanOrEqual(5);
		expect(output.every((item) => item.json.status === 'unpaid' && (item.json.customer as IDataObject).id === customer().id)).toBe(true);
	});

	test('date filters are applied by the node over one request of 1,000', async () => {
		const { items: output } = await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: '2025-02-10', createdBefore: '2025-02-20', dueAfter: '2025-03-12T00:00:00Z' } });
		expect(api()).toHaveLength(1);
		expect(api()[0].query.limit).toBe('1000');
		const expected = emulator.listInvoices().filter((invoice) => invoice.created_at >= '2025-02-10' && invoice.created_at < '2025-02-20' && invoice.due_at! >= '2025-03-12');
		expect(output.map((item) => item.json.id).sort()).toEqual(expected.map((invoice) => invoice.id).sort());
		expect(output.length).toBeGreaterThan(0);
	});

	test("date filters keep the time and the workflow's time zone, as on the other providers", async () => {
		const invoice = emulator.listInvoices()[0];
		const createdAt = Date.parse(invoice.created_at);
		// The picker's value, a wall time in the workflow's zone (Paramaribo is UTC−3), a minute either side of created_at.
		const wall = (ms: number) => new Date(ms - 3 * 3_600_000).toISOString().slice(0, 19);
		const ids = async (filters: IDataObject) => (await run({ operation: 'getAll', returnAll: true, filters }, { timezone: 'America/Paramaribo' })).items.map((item) => item.json.id);
		expect(await ids({ createdAfter: wall(createdAt - 60_000), createdBefore: wall(createdAt + 60_000) })).toContain(invoice.id);
		expect(await ids({ createdAfter: wall(createdAt + 60_000) })).not.toContain(invoice.id);
		expect(await ids({ createdBefore: wall(createdAt) })).not.toContain(invoice.id);
	});

	test('a Limit above 1,000 and a date range the wrong way round are refused before sending', async () => {
		expect((await run({ operation: 'getAll', limit: 1001 })).error?.message).toMatch(/^Limit: must be at most 1000/);
		expect((await run({ operation: 'getAll', returnAll: true, filters: { dueAfter: '2025-03-10', dueBefore: '2025-03-01' } })).error?.message).toMatch(/^Due After: is not before Due Before/);
		expect((await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: 'soon' } })).error?.message).toMatch(/^Created After: is not a date/);
		expect(api()).toHaveLength(0);
	});

	test('Return All that gets exactly 1,000 back says the list may be cut off; fewer says nothing', async () => {
		const few = await run({ operation: 'getAll', returnAll: true });
		expect(few.items).toHaveLength(30);
		expect(hintsOf(few)).toEqual([]);
		for (let index = 0; index < 1000; index++) emulator.addInvoice({ customer_id: customer().id });
		const full = await run({ operation: 'getAll', returnAll: true });
		expect(full.items).toHaveLength(1000);
		expect(hintsOf(full)).toEqual([expect.stringMatching(/^Paisr returned 1000 invoices, the most one answer holds \(item 0\)\. There may be more/)]);
	});
});

describe('Invoice → the other operations', () => {
	let invoiceId: string;
	beforeEach(() => {
		invoiceId = emulator.addInvoice({ customer_id: customer().id, status: 'unpaid', items: [{ description: 'A', quantity: 1, unit_price: 5 }] }).id;
	});
	const locator = () => ({ mode: 'id', value: invoiceId });

	test('Get', async () => {
		const { items: output } = await run({ operation: 'get', invoiceId: locator() });
		expect(output[0].json).toMatchObject({ id: invoiceId, status: 'unpaid' });
	});

	test('Update: summary, currency and due sent in one PUT, the invoice read back', async () => {
		const { items: output } = await run({ operation: 'update', invoiceId: locator(), updateFields: { summary: 'New', currency: 'EUR', dueInDays: 10 } });
		expect(api()[0]).toMatchObject({ method: 'PUT', body: { summary: 'New', currency: 'EUR', due: 'In 10 days' } });
		expect(output[0].json).toMatchObject({ summary: 'New', currency: 'EUR', due_at: '2025-03-11T12:00:00Z' });
	});

	test('Update with nothing to change, or a refused phrase', async () => {
		expect((await run({ operation: 'update', invoiceId: locator(), updateFields: {} })).error?.message).toMatch(/^Update Fields: has nothing to change/);
		const refused = await run({ operation: 'update', invoiceId: locator(), updateFields: { dueText: 'whenever' } });
		expect(refused.error?.message).toMatch(/\(the due date was sent as "whenever"\)$/);
	});

	test('Delete Permanently: gone for good, and a second delete is a clear 404', async () => {
		const { items: output } = await run({ operation: 'delete', invoiceId: locator() });
		expect(output[0].json).toEqual({ id: invoiceId, deleted: true, message: 'Invoice deleted successfully' });
		expect(emulator.invoice(invoiceId)).toBeUndefined();
		const again = await run({ operation: 'delete', invoiceId: locator() });
		expect(again.error).toMatchObject({ message: 'Paisr has no such invoice: Invoice not found', httpCode: '404' });
		expect(again.error?.description).toMatch(/a deleted invoice is gone for good/);
	});

	test('Send emails it once; a paid invoice is refused in Paisr’s words', async () => {
		const { items: output } = await run({ operation: 'send', invoiceId: locator() });
		expect(output[0].json).toMatchObject({ id: invoiceId, sent: true });
		expect(emulator.sent).toEqual([invoiceId]);
		emulator.markPaid(invoiceId);
		expect((await run({ operation: 'send', invoiceId: locator() })).error?.message).toBe('Paisr rejected the request: A paid invoice cannot be sent.');
	});

	test('Get Payment Link: a working checkout link with when it expires; after it expires, the next call gives a fresh one', async () => {
		emulator.setSessionLifetime(1500);
		const first = (await run({ operation: 'getPaymentLink', invoiceId: locator() })).items[0].json;
		expect(first).toMatchObject({ invoiceId, url: expect.stringMatching(/\/checkout\//), expiresIn: '0 minutes' });
		emulator.setSessionLifetime(30 * 60_000);
		const fetchStatus = async (url: string) => (await fetch(url)).status;
		expect(await fetchStatus(String(first.url))).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1600));
		expect(await fetchStatus(String(first.url))).toBe(410);
		const second = (await run({ operation: 'getPaymentLink', invoiceId: locator() })).items[0].json;
		expect(second.url).not.toBe(first.url);
		expect(await fetchStatus(String(second.url))).toBe(200);
		expect(second.expiresIn).toBe('30 minutes');
		expect(Date.parse(String(second.expiresAt)) - Date.now()).toBeGreaterThan(29 * 60_000);
	});

	test('Get Payment Link of a paid invoice says why there is none', async () => {
		emulator.markPaid(invoiceId);
		const { error } = await run({ operation: 'getPaymentLink', invoiceId: locator() });
		expect(error?.message).toBe(`Invoice ${invoiceId} has no checkout link (status paid)`);
	});

	test('Get Statistics', async () => {
		emulator.markPaid(emulator.addInvoice({ customer_id: customer().id }).id);
		const { items: output } = await run({ operation: 'getStats' });
		expect(output[0].json).toEqual({ total: 2, unpaid: 1, paid: 1 });
	});

	test('Add Line Items: one call, the invoice read back; 501 refused before sending; past 500 in all refused by Paisr', async () => {
		const { items: output } = await run({ operation: 'addLineItems', invoiceId: locator(), items: { item: items(3) } });
		expect(api()[0]).toMatchObject({ method: 'POST', path: `/v2/invoices/${invoiceId}/items` });
		expect(output[0].json.amount).toMatchObject({ net_total: 35 });
		expect((await run({ operation: 'addLineItems', invoiceId: locator(), items: { item: items(501) } })).error?.message).toMatch(/^Line Items: has 501/);
		const full = await run({ operation: 'addLineItems', invoiceId: locator(), itemsInputMode: 'json', itemsJson: JSON.stringify(items(497)) });
		expect(full.error?.message).toBe('Paisr rejected the request: An invoice can hold at most 500 line items.');
		expect((await run({ operation: 'addLineItems', invoiceId: locator(), items: {} })).error?.message).toMatch(/^Line Items: an invoice needs at least one line item$/);
	});

	test('Update Line Item and Remove Line Item by itm_ id', async () => {
		const itemId = emulator.invoice(invoiceId)!.items[0].id;
		const updated = await run({ operation: 'updateLineItem', invoiceId: locator(), itemId, updateFields: { quantity: 4, unitPrice: 2.5 } });
		expect(api()[0]).toMatchObject({ method: 'PUT', path: `/v2/invoices/${invoiceId}/items/${itemId}`, body: { quantity: 4, unit_price: 2.5 } });
		expect(updated.items[0].json).toMatchObject({ invoiceId, itemId, updated: true });
		expect(emulator.invoice(invoiceId)!.items[0]).toMatchObject({ quantity: 4, unit_price: 2.5 });
		const removed = await run({ operation: 'removeLineItem', invoiceId: locator(), itemId });
		expect(removed.items[0].json).toMatchObject({ invoiceId, itemId, removed: true });
		expect(emulator.invoice(invoiceId)!.items).toHaveLength(0);
		expect((await run({ operation: 'removeLineItem', invoiceId: locator(), itemId })).error?.message).toBe('Paisr has no such line item: Line item not found');
		expect((await run({ operation: 'updateLineItem', invoiceId: locator(), itemId: 'itm 1', updateFields: { quantity: 1 } })).error?.message).toMatch(/^The Item ID field is not an ID/);
	});
});

describe('Customer and Payment', () => {
	const run2 = (resource: string, parameters: Record<string, unknown>) => run({ resource, ...parameters });

	test('Customer → Create with address and metadata, read back; 6 metadata pairs and a missing city refused before sending', async () => {
		const { items: output } = await run2('customer', {
			operation: 'create',
			email: 'new@customer.example',
			additionalFields: {
				name: 'New Co',
				phone: '+597-8123456',
				defaultCurrency: 'USD',
				billingAddress: { address: { line1: 'Main 1', city: 'Paramaribo', country: 'SR' } },
				metadata: { pair: [{ key: 'crm', value: '42' }] },
			},
		});
		expect(api()[0].body).toEqual({
			email: 'new@customer.example',
			name: 'New Co',
			phone: '+597-8123456',
			default_currency: 'USD',
			billing_details: { line_1: 'Main 1', city: 'Paramaribo', country: 'SR' },
			metadata: { crm: '42' },
		});
		expect(output[0].json).toMatchObject({ id: expect.stringMatching(/^cus_/), email: 'new@customer.example', default_currency: 'USD' });
		const pairs = Array.from({ length: 6 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
		const sent = api().length;
		expect((await run2('customer', { operation: 'create', email: 'a@b.example', additionalFields: { metadata: { pair: pairs } } })).error?.message).toMatch(/^Metadata: has 6 pairs; Paisr keeps at most 5/);
		expect((await run2('customer', { operation: 'create', email: 'a@b.example', additionalFields: { billingAddress: { address: { line1: 'x', country: 'SR' } } } })).error?.message).toMatch(/^Billing Address City: is empty/);
		expect((await run2('customer', { operation: 'create', email: 'not-an-email' })).error?.message).toMatch(/^Email: is not an email address/);
		expect(api()).toHaveLength(sent);
	});

	test('Customer → Get, Get Many (Limit applied here), Update, Archive and Restore', async () => {
		const id = customer().id;
		expect((await run2('customer', { operation: 'get', customerId: { mode: 'id', value: id } })).items[0].json.id).toBe(id);
		const many = await run2('customer', { operation: 'getAll', limit: 2 });
		expect(many.items).toHaveLength(2);
		expect(api().at(-1)!.query).toEqual({});
		const updated = await run2('customer', { operation: 'update', customerId: { mode: 'list', value: id }, updateFields: { name: 'Renamed' } });
		expect(updated.items[0].json).toMatchObject({ id, name: 'Renamed' });
		expect((await run2('customer', { operation: 'archive', customerId: { mode: 'id', value: id } })).items[0].json).toMatchObject({ id, archived: true });
		expect((await run2('customer', { operation: 'getAll', returnAll: true })).items.map((item) => item.json.id)).not.toContain(id);
		expect((await run2('customer', { operation: 'restore', customerId: { mode: 'id', value: id } })).items[0].json).toMatchObject({ id, archived: false });
		expect((await run2('customer', { operation: 'getAll', returnAll: true })).items.map((item) => item.json.id)).toContain(id);
	});

	test('Payment → Get Many with every filter sent to the server, and Get', async () => {
		const invoice = emulator.addInvoice({ customer_id: customer().id, status: 'paid' });
		const payment = emulator.addPayment({ invoice_id: invoice.id, status: 'settled', payment_method: { provider: 'Paisr Pay', type: 'qr' } });
		emulator.addPayment({ invoice_id: invoice.id, status: 'failed' });
		const { items: output } = await run2('payment', { operation: 'getAll', returnAll: true, filters: { invoiceId: invoice.id, status: 'settled', method: 'qr', currency: invoice.currency } });
		expect(api()[0].query).toEqual({ limit: '1000', resource_id: invoice.id, status: 'settled', method: 'qr', currency: invoice.currency });
		expect(output.map((item) => item.json.id)).toEqual([payment.id]);
		expect((await run2('payment', { operation: 'get', paymentId: { mode: 'list', value: payment.id } })).items[0].json).toMatchObject({ id: payment.id, invoiceId: invoice.id });
		const bad = await run2('payment', { operation: 'get', paymentId: { mode: 'id', value: '={{ "pmt_1/refund" }}' } });
		expect(bad.error?.message).toBe('The Payment field is not an ID: "pmt_1/refund"');
	});

	test('Customer → Create or Update: matched by email (any case) in the one list Paisr has; one match is updated, none is created, several are an error naming them', async () => {
		const upsert = (email: string, additionalFields: IDataObject = {}) => run2('customer', { operation: 'upsert', email, additionalFields });
		const existing = emulator.listCustomers()[0];
		const count = emulator.listCustomers().length;

		const updated = await upsert(` ${existing.email.toUpperCase()} `, { name: 'Renamed By Email' });
		expect(updated.items[0].json).toMatchObject({ id: existing.id, name: 'Renamed By Email' });
		expect(api().map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v2/customers', `PUT /v2/customers/${existing.id}`, `GET /v2/customers/${existing.id}`]);
		expect(emulator.listCustomers()).toHaveLength(count);

		const unchanged = await upsert(existing.email);
		expect(unchanged.items[0].json.id).toBe(existing.id);
		expect(api().filter((request) => request.method !== 'GET')).toHaveLength(1);

		const created = await upsert('new.customer@example.com', { name: 'New Customer' });
		expect(created.items[0].json).toMatchObject({ email: 'new.customer@example.com', name: 'New Customer' });
		expect(emulator.listCustomers()).toHaveLength(count + 1);
		expect((await upsert('new.customer@example.com')).items[0].json.id).toBe(created.items[0].json.id);
		expect(emulator.listCustomers()).toHaveLength(count + 1);

		const twin = emulator.addCustomer({ email: existing.email });
		const sent = api().length;
		const ambiguous = await upsert(existing.email, { name: 'Which one' });
		expect(ambiguous.error?.message).toBe(`Email: matches 2 Paisr customers: ${existing.id}, ${twin.id}`);
		expect(api().slice(sent).map((request) => request.method)).toEqual(['GET']);
		expect((await upsert('not-an-email')).error?.message).toBe('Email: is not an email address: "not-an-email"');
	});

	test('Payment → Refund: nothing is sent until Confirm Refund is on; full, then partial; Paisr\'s refusal shown; a lost answer is not repeated', async () => {
		const invoice = emulator.addInvoice({ customer_id: customer().id, status: 'paid' });
		const payment = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		const refund = (parameters: Record<string, unknown>) => run2('payment', { operation: 'refund', paymentId: { mode: 'id', value: payment.id }, note: 'Order cancelled', ...parameters });
		const refunds = () => api().filter((request) => request.path.endsWith('/refund'));

		const unconfirmed = await refund({ refundType: 'full' });
		expect(unconfirmed.error?.message).toBe('Confirm Refund: is off, so nothing was sent');
		expect(await refund({ refundType: 'full', confirm: true, note: ' ' })).toMatchObject({ error: { message: 'Note: is empty' } });
		expect(await refund({ refundType: 'partial', amount: 0, confirm: true })).toMatchObject({ error: { message: 'Amount: must be a number of at least 0.01, not 0' } });
		expect(refunds()).toHaveLength(0);

		const subTotal = payment.amount.sub_total;
		const tooMuch = await refund({ refundType: 'partial', amount: subTotal + 1, confirm: true });
		expect(tooMuch.error?.message).toBe(`Paisr rejected the request: The amount may not be greater than ${subTotal}.`);
		const part = await refund({ refundType: 'partial', amount: 10, confirm: true });
		expect(part.items[0].json).toEqual({ id: payment.id, refund: 'partial', amount: 10, note: 'Order cancelled', message: 'Refund initiated successfully' });
		expect(refunds().at(-1)!.body).toEqual({ type: 'partial', amount: 10, note: 'Order cancelled' });
		const rest = await refund({ refundType: 'full', confirm: true });
		expect(rest.error).toBeUndefined();
		expect(emulator.listPayments().find((one) => one.id === payment.id)).toMatchObject({ status: 'refunded', refunded_total: subTotal });

		const other = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		emulator.injectFaults(1, { drop: 'after' }, (request) => request.method === 'POST' && request.path.endsWith('/refund'));
		const before = refunds().length;
		const lost = await run2('payment', { operation: 'refund', paymentId: { mode: 'id', value: other.id }, refundType: 'full', note: 'x', confirm: true });
		expect(lost.error?.message).toMatch(/may have been made/);
		expect(refunds().length - before).toBe(1);
	});

	test('Payment → Refund is not repeated by Retry On Fail after a lost answer, by a re-run, or by a second item for the payment; a larger partial refund still goes', async () => {
		const invoice = emulator.addInvoice({ customer_id: customer().id, status: 'paid' });
		const refunds = () => api().filter((request) => request.method === 'POST' && request.path.endsWith('/refund'));
		const refundOf = (payment: { id: string }, parameters: Record<string, unknown>, options: { retryOnFail?: boolean; continueOnFail?: boolean; input?: IDataObject[] } = {}) =>
			run({ resource: 'payment', operation: 'refund', paymentId: { mode: 'id', value: payment.id }, note: 'Goodwill', confirm: true, ...parameters }, options);
		const refundedOf = (payment: { id: string }) => emulator.listPayments().find((one) => one.id === payment.id);
		const again = 'Nothing was sent. A retry, a re-run or a second item for the same payment does not refund it again; refund it in Paisr if a further refund is meant.';

		// Retry On Fail after the answer to a partial refund was lost: the retry reads 30 refunded, and sends nothing.
		const lostPart = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		emulator.injectFaults(1, { drop: 'after' }, (request) => request.method === 'POST' && request.path.endsWith('/refund'));
		const retried = await refundOf(lostPart, { refundType: 'partial', amount: 30 }, { retryOnFail: true });
		expect(retried.error).toMatchObject({ message: `Amount: 30 is not more than what payment ${lostPart.id} has refunded already (30)`, description: again });
		expect(refunds()).toHaveLength(1);
		expect(refundedOf(lostPart)?.refunded_total).toBe(30);
		// A larger partial refund is more than any earlier attempt of it could have made: it is sent.
		expect((await refundOf(lostPart, { refundType: 'partial', amount: 40 })).error).toBeUndefined();
		expect(refundedOf(lostPart)?.refunded_total).toBe(70);

		// The same after a lost answer to a full refund: the payment is refunded in full.
		const lostFull = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		emulator.injectFaults(1, { drop: 'after' }, (request) => request.method === 'POST' && request.path.endsWith('/refund'));
		const retriedFull = await refundOf(lostFull, { refundType: 'full' }, { retryOnFail: true });
		expect(retriedFull.error?.message).toBe(`Payment: ${lostFull.id} is refunded in full already`);
		expect(refunds()).toHaveLength(3);

		// A re-run of a workflow that refunded 25 refunds nothing more.
		const rerun = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		expect((await refundOf(rerun, { refundType: 'partial', amount: 25 })).items[0].json).toMatchObject({ id: rerun.id, amount: 25, message: 'Refund initiated successfully' });
		expect((await refundOf(rerun, { refundType: 'partial', amount: 25 })).error?.message).toBe(`Amount: 25 is not more than what payment ${rerun.id} has refunded already (25)`);
		expect(refundedOf(rerun)?.refunded_total).toBe(25);
		expect(refunds()).toHaveLength(4);

		// Two items for one payment in one run: the first refunds, the second is refused (Continue On Fail shows both).
		const twice = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		const both = await refundOf(twice, { refundType: 'partial', amount: 12.5 }, { continueOnFail: true, input: [{}, {}] });
		expect(both.items.map((item) => item.json.message ?? item.json.error)).toEqual([
			'Refund initiated successfully',
			`Amount: 12.5 is not more than what payment ${twice.id} has refunded already (12.5)`,
		]);
		const twiceFull = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		const bothFull = await refundOf(twiceFull, { refundType: 'full' }, { continueOnFail: true, input: [{}, {}] });
		expect(bothFull.items.map((item) => item.json.message ?? item.json.error)).toEqual(['Refund initiated successfully', `Payment: ${twiceFull.id} is refunded in full already`]);
		expect(refundedOf(twice)?.refunded_total).toBe(12.5);
		expect(refunds()).toHaveLength(6);
	});

	test('as an AI tool, Delete Permanently and Refund refuse, sending nothing, unless the author turned on Allow as AI Tool; reads are tools as before; the option shows in the tool variant only', async () => {
		const open = emulator.addInvoice({ customer_id: customer().id, status: 'unpaid' });
		const paid = emulator.addInvoice({ customer_id: customer().id, status: 'paid' });
		const payment = emulator.addPayment({ invoice_id: paid.id, status: 'settled' });
		const asTool = (parameters: IDataObject) => runNode({ nodeType: PAISR_TOOL_TYPE, paisrCredential: credential, parameters, asAiTool: true });
		const remove = { resource: 'invoice', operation: 'delete', invoiceId: { mode: 'id', value: open.id } };
		const refund = { resource: 'payment', operation: 'refund', paymentId: { mode: 'id', value: payment.id }, refundType: 'full', note: 'Agent', confirm: true };
		const calls = async (parameters: IDataObject) => {
			const { items, error } = await asTool(parameters);
			expect(error).toBeUndefined();
			return items.map((item) => item.json);
		};

		expect(await calls(remove)).toEqual([{ tool: 'PayRequest', error: expect.stringContaining('Allow as AI Tool: is off, so an AI agent may not run this tool, which deletes an invoice for good; nothing was sent') }]);
		expect(await calls(refund)).toEqual([{ tool: 'PayRequest', error: expect.stringContaining('Allow as AI Tool: is off, so an AI agent may not run this tool, which refunds a payment; nothing was sent') }]);
		expect(api()).toEqual([]);
		// A read is a tool as before.
		expect(await calls({ resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: paid.id } })).toEqual([{ tool: 'PayRequest', answer: [expect.objectContaining({ id: paid.id })] }]);
		// Opted in by the author: the agent deletes and refunds.
		expect(await calls({ ...remove, allowAsAiTool: true })).toEqual([{ tool: 'PayRequest', answer: [expect.objectContaining({ id: open.id, deleted: true })] }]);
		expect(await calls({ ...refund, allowAsAiTool: true })).toEqual([{ tool: 'PayRequest', answer: [expect.objectContaining({ id: payment.id, message: 'Refund initiated successfully' })] }]);
		expect(emulator.invoice(open.id)).toBeUndefined();
		expect(emulator.listPayments().find((one) => one.id === payment.id)?.status).toBe('refunded');
		// The plain node is not held back (the option is not even shown there).
		const other = emulator.addInvoice({ customer_id: customer().id, status: 'unpaid' });
		expect((await run({ operation: 'delete', invoiceId: { mode: 'id', value: other.id } })).error).toBeUndefined();

		// In the editor, n8n's '@tool' condition shows the option in the tool variant only (its type name ends in Tool).
		const description = new Paisr().description;
		const option = description.properties.filter((property) => property.name === 'allowAsAiTool');
		expect(option.map((property) => property.displayOptions?.show?.operation)).toEqual([['delete'], ['refund']]);
		const shown = (values: IDataObject, name: string) =>
			option.some((property) => NodeHelpers.displayParameter(values as never, property, { typeVersion: 1 }, { ...description, name }));
		expect(shown({ resource: 'invoice', operation: 'delete' }, 'paisrTool')).toBe(true);
		expect(shown({ resource: 'payment', operation: 'refund' }, 'paisrTool')).toBe(true);
		expect(shown({ resource: 'invoice', operation: 'delete' }, 'paisr')).toBe(false);
		expect(shown({ resource: 'invoice', operation: 'get' }, 'paisrTool')).toBe(false);
	});

	test('list search: customers by name or email, invoices by number, payments by invoice', async () => {
		const customers = await searchPaisrList(credential, 'searchCustomers', 'billing2');
		expect(customers.results).toEqual([{ name: expect.stringContaining('billing2@customer.example'), value: emulator.listCustomers()[1].id }]);
		const invoice = emulator.addInvoice({ customer_id: customer().id });
		emulator.addInvoice({ customer_id: customer().id });
		const invoices = await searchPaisrList(credential, 'searchInvoices', String(invoice.sid));
		expect(invoices.results).toEqual([
			{ name: `#${invoice.sid} · ${customer().name} · ${invoice.items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0).toFixed(2)} ${invoice.currency} · due ${String(invoice.due_at).slice(0, 10)} · ${invoice.status}`, value: invoice.id },
		]);
		const payment = emulator.addPayment({ invoice_id: invoice.id, status: 'settled' });
		emulator.addPayment({ invoice_id: emulator.addInvoice({ customer_id: customer().id }).id, status: 'failed' });
		const payments = await searchPaisrList(credential, 'searchPayments', invoice.id);
		expect(payments.results).toEqual([{ name: expect.stringContaining('settled'), value: payment.id }]);
	});
});

describe('errors by status', () => {
	test.each([
		[401, 'nope', /^Paisr refused the access token: Unauthenticated\.$/, /Developers → Access Tokens/],
		[403, 'paisr-invoices-ro', /^Paisr did not allow this: This access token does not have the invoices.write permission\.$/, /lacks the invoice write permission/],
		[403, 'paisr-personal', /^Paisr did not allow this: This endpoint is available to business profiles only\.$/, /business profiles only; this token belongs to a personal profile/],
	])('%i with token %s', async (status, token, message, description) => {
		const { error } = await run({ operation: 'send', invoiceId: { mode: 'id', value: 'inv_x' } }, { token });
		expect(error).toMatchObject({ httpCode: String(status) });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
		expect(JSON.stringify(error)).not.toContain('paisr-full');
	});

	test('a 3xx is an error that names where it points, and nothing follows it', async () => {
		emulator.injectFaults(1, { status: 302, headers: { Location: 'https://elsewhere.example/v2/invoices' } });
		const { error } = await run({ operation: 'getStats' });
		expect(error?.message).toMatch(/^Paisr redirected GET \/metrics\/invoices to https:\/\/elsewhere\.example\/v2\/invoices/);
	});

	test('a 429 is waited out and repeated (Paisr sends no Retry-After here: the emulator sends one second)', async () => {
		emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '1' }, body: '{"success":false,"message":"Too Many Requests"}' });
		const { items: output, error } = await run({ operation: 'getStats' });
		expect(error).toBeUndefined();
		expect(output[0].json).toHaveProperty('total');
		expect(api().map((request) => request.status)).toEqual([429, 200]);
	});

	test('a 2xx with success: false is an error in Paisr’s words', async () => {
		emulator.injectFaults(1, { status: 200, body: '{"success":false,"message":"Profile suspended"}' });
		const { error } = await run({ operation: 'getStats' });
		expect(error?.message).toMatch(/Profile suspended/);
	});

	test('Continue On Fail: each item gets its own answer or error, paired with it', async () => {
		const good = emulator.addInvoice({ customer_id: customer().id }).id;
		const { items: output } = await run(
			{ operation: 'get', invoiceId: { mode: 'id', value: '={{ $json.id }}' } },
			{ continueOnFail: true, input: [{ id: good }, { id: 'inv_missing' }, { id: '' }] },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe(good);
		expect(output[1].json.error).toBe('Paisr has no such invoice: Invoice not found');
		expect(output[2].json.error).toBe('The Invoice field is empty');
		expect(api()).toHaveLength(2);
	});
});
