/**
 * The Alternative Payments node through n8n-core's engine, with n8n's own OAuth2 client-credentials
 * handling, over HTTP to the emulator: tokens minted, kept and renewed by n8n; cursor paging;
 * filters sent to the server; errors in the API's words.
 */
import type { IDataObject } from 'n8n-workflow';

import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import type { StoredOAuth2Credential } from '../engine/harness.cjs';
import { ALTERNATIVE_PAYMENTS_TYPE, resolveCredentialData, runNode, searchCustomerList, testAltCredential } from '../engine/harness.cjs';

jest.setTimeout(30_000);

let emulator: AltPaymentsEmulator;
let credential: StoredOAuth2Credential;

/** The credential as a user saves it (n8n fills in its hidden fields: grant type, token URL, Basic auth). */
function storedCredential(baseUrl: string, clientId = 'client-full', clientSecret = 'secret-full'): StoredOAuth2Credential {
	return { environment: 'custom', baseUrl, clientId, clientSecret };
}

beforeEach(async () => {
	emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 3, invoices: 0 } });
	credential = storedCredential(await emulator.listen());
});
afterEach(async () => {
	await emulator.close();
});

const run = (parameters: Record<string, unknown>, options: { continueOnFail?: boolean; input?: IDataObject[]; timezone?: string } = {}) =>
	runNode({ nodeType: ALTERNATIVE_PAYMENTS_TYPE, oauth2Credential: credential, parameters: { resource: 'invoice', ...parameters }, ...options });
const apiRequests = () => emulator.requests.filter((request) => request.path !== '/oauth/token');
const tokenRequests = () => emulator.requests.filter((request) => request.path === '/oauth/token');
/** The invoice list's pages (Simplify, on by default, also reads the customers they name: Simplify's cost is tested in simplify.test.cts). */
const pageRequests = () => apiRequests().filter((request) => request.path === '/invoices');

describe('Get Many', () => {
	test('Return All over 250 invoices: three cursor pages (their + and / sent encoded), every invoice once, in order', async () => {
		for (let index = 0; index < 250; index++) emulator.addInvoice();
		const { items, error } = await run({ operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(emulator.listInvoices().map((invoice) => invoice.id));
		const pages = pageRequests();
		expect(pages.map((request) => request.status)).toEqual([200, 200, 200]);
		expect(pages.map((request) => request.query.limit)).toEqual(['100', '100', '100']);
		expect(pages[1].query.after).toMatch(/[+/]/);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test("the guide's envelope (cursor under `pagination`) reads the same", async () => {
		for (let index = 0; index < 150; index++) emulator.addInvoice();
		emulator.useListEnvelope('pagination');
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items).toHaveLength(150);
		expect(pageRequests()).toHaveLength(2);
	});

	test('Limit 30: one request for 30', async () => {
		for (let index = 0; index < 250; index++) emulator.addInvoice();
		const { items } = await run({ operation: 'getAll', returnAll: false, limit: 30 });
		expect(items).toHaveLength(30);
		expect(apiRequests().map((request) => request.query.limit)).toEqual(['30']);
	});

	test('filters go to the server: dates as RFC 3339 (After at or after, Before before: one second earlier is sent), ids and status as given', async () => {
		const [first, second] = emulator.listCustomers();
		const wanted = emulator.addInvoice({ customer_id: second.id, due_date: '2025-03-31', status: 'open', created_at: '2025-02-10T08:00:00Z' });
		emulator.addInvoice({ customer_id: first.id, due_date: '2025-03-31' });
		emulator.addInvoice({ customer_id: second.id, due_date: '2025-04-01' });
		const { items, error } = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { customerId: second.id, status: 'open', dueBefore: '2025-04-01', createdAfter: '2025-02-10' },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([wanted.id]);
		expect(apiRequests()[0].query).toMatchObject({
			customer_id: second.id,
			status: 'open',
			due_date_end: '2025-03-31T23:59:59Z',
			created_at_start: '2025-02-10T00:00:00Z',
		});
	});

	test("date filters keep the time and the workflow's time zone: the date picker's value is a wall time there", async () => {
		const early = emulator.addInvoice({ created_at: '2025-02-10T11:30:00Z' });
		const late = emulator.addInvoice({ created_at: '2025-02-10T13:30:00Z' });
		// 14:00 in Amsterdam (UTC+1 in February) is 13:00 UTC.
		const { items } = await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: '2025-02-10T14:00:00' } }, { timezone: 'Europe/Amsterdam' });
		expect(apiRequests()[0].query.created_at_start).toBe('2025-02-10T13:00:00Z');
		expect(items.map((item) => item.json.id)).toContain(late.id);
		expect(items.map((item) => item.json.id)).not.toContain(early.id);
		// A date alone is the start of that day there; a zone written in the value wins.
		await run({ operation: 'getAll', returnAll: true, filters: { createdAfter: '2025-07-01', createdBefore: '2025-07-02T09:00:00-04:00' } }, { timezone: 'Europe/Amsterdam' });
		expect(pageRequests().at(-1)!.query).toMatchObject({ created_at_start: '2025-06-30T22:00:00Z', created_at_end: '2025-07-02T12:59:59Z' });
		// A due date is a day without a time: the day as written, whatever the zone.
		const dueLastDay = emulator.addInvoice({ due_date: '2025-03-31' });
		const dueNextDay = emulator.addInvoice({ due_date: '2025-04-01' });
		const due = await run({ operation: 'getAll', returnAll: true, filters: { dueAfter: '2025-03-31', dueBefore: '2025-04-01' } }, { timezone: 'America/New_York' });
		expect(pageRequests().at(-1)!.query).toMatchObject({ due_date_start: '2025-03-31T00:00:00Z', due_date_end: '2025-03-31T23:59:59Z' });
		expect(due.items.map((item) => item.json.id)).toContain(dueLastDay.id);
		expect(due.items.map((item) => item.json.id)).not.toContain(dueNextDay.id);
		const backwards = await run({ operation: 'getAll', returnAll: true, filters: { dueAfter: '2025-03-10', dueBefore: '2025-03-10' } });
		expect(backwards.error?.message).toBe('The Due After filter is not before Due Before');
	});

	test('a bad filter date is refused before any request, naming the field and the item', async () => {
		const { error } = await run({ operation: 'getAll', returnAll: true, filters: { dueAfter: 'next week' } });
		expect(error?.message).toBe('The Due After filter is not a date: "next week"');
		expect(emulator.requests).toEqual([]);
	});
});

describe('Get', () => {
	test('one invoice by id, amounts in dollars as the API gives them', async () => {
		const invoice = emulator.addInvoice({ line_items: [{ description: 'Audit', quantity: 2, amount: 125.5 }] });
		const { items } = await run({ operation: 'get', invoiceId: { __rl: true, mode: 'id', value: invoice.id } });
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ id: invoice.id, amountTotal: 251, currency: 'USD' })]);
	});

	test('an unknown id: a NodeApiError in the API words; Continue On Fail gives an error item for it and goes on', async () => {
		const invoice = emulator.addInvoice();
		const { items, error } = await run(
			{ operation: 'get', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			{ continueOnFail: true, input: [{ id: 'inv_missing' }, { id: invoice.id }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id ?? item.json.error)).toEqual(['Alternative Payments has no such invoice: Invoice not found', invoice.id]);
	});
});

describe('Create', () => {
	const customer = () => ({ __rl: true, mode: 'id', value: emulator.listCustomers()[0].id });
	const create = (extra: Record<string, unknown>) => ({ operation: 'create', customerId: customer(), dueDate: '2025-04-01', ...extra });

	test('version 1.1, Simplify on (its default): the compact invoice, its total and its customer named; version 1 keeps the API\'s answer', async () => {
		const parameters = { resource: 'invoice', ...create({ lineItems: { item: [{ description: 'Audit', quantity: 2, amount: 125.5 }] }, simple: true }) };
		const simplified = await runNode({ nodeType: ALTERNATIVE_PAYMENTS_TYPE, oauth2Credential: credential, parameters, typeVersion: 1.1 });
		expect(simplified.error).toBeUndefined();
		expect(simplified.items[0].json).toMatchObject({ id: expect.any(String), currency: 'USD', amountTotal: 251, dueDate: '2025-04-01', customer: { id: emulator.listCustomers()[0].id, name: emulator.listCustomers()[0].name }, provider: 'alternativePayments' });
		const saved = await runNode({ nodeType: ALTERNATIVE_PAYMENTS_TYPE, oauth2Credential: credential, parameters, typeVersion: 1 });
		expect(saved.items[0].json).toMatchObject({ total: 251, line_items: expect.any(Array) });
		expect(saved.items[0].json).not.toHaveProperty('amountTotal');
	});

	test('from the fixed collection: USD, the calendar due date, amounts in dollars as typed (never times 100)', async () => {
		const { items, error } = await run(
			create({
				dueDate: '={{ DateTime.fromISO("2025-04-01T00:30:00", { zone: "Pacific/Kiritimati" }) }}',
				lineItems: { item: [{ description: 'Audit', quantity: 2, amount: 125.5 }, { description: 'Travel', quantity: 1, amount: 80.004 }] },
				additionalFields: { excludeFromAutopay: true },
			}),
		);
		expect(error).toBeUndefined();
		const post = apiRequests().find((request) => request.method === 'POST');
		expect(post?.body).toEqual({
			customer_id: emulator.listCustomers()[0].id,
			currency: 'USD',
			due_date: '2025-04-01',
			line_items: [
				{ description: 'Audit', quantity: 2, amount: 125.5 },
				{ description: 'Travel', quantity: 1, amount: 80 },
			],
			exclude_from_autopay: true,
		});
		expect(items.map((item) => item.json.total)).toEqual([331]);
		expect(emulator.listInvoices()).toHaveLength(1);
	});

	test('from JSON of an earlier node, numeric text accepted', async () => {
		const { items, error } = await run(
			create({ lineItemsInputMode: 'json', lineItemsJson: '={{ $json.lines }}' }),
			{ input: [{ lines: [{ description: 'Support', quantity: '3', amount: '19.99' }] }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.total)).toEqual([59.97]);
	});

	test.each([
		['no line items', { lineItemsInputMode: 'json' }, /^Line Items: an invoice needs at least one line item$/],
		['a fractional quantity', { lineItems: { item: [{ description: 'x', quantity: 1.5, amount: 1 }] } }, /^Line Item 1 Quantity: must be a whole number of at least 1, not 1\.5$/],
		['a zero quantity', { lineItems: { item: [{ description: 'x', quantity: 0, amount: 1 }] } }, /^Line Item 1 Quantity: must be a whole number of at least 1, not 0$/],
		['a negative quantity', { lineItemsInputMode: 'json', lineItemsJson: '[{"description":"x","quantity":-1,"unitPrice":1}]' }, /^Line Item 1 Quantity: must be a whole number of at least 1, not -1$/],
		['a negative unit price', { lineItemsInputMode: 'json', lineItemsJson: '[{"description":"x","quantity":1,"unitPrice":-5}]' }, /^Line Item 1 Unit Price: must not be negative, not -5$/],
		['an amount in words', { lineItemsInputMode: 'json', lineItemsJson: '[{"description":"x","quantity":1,"amount":"ten"}]' }, /^Line Item 1 Unit Price: is not a number: "ten"$/],
		['a due date that is not one', { dueDate: 'soon', lineItems: { item: [{ description: 'x', quantity: 1, amount: 1 }] } }, /^Due Date: is not a date: "soon"$/],
		['a customer id from an expression with a slash', { customerId: { __rl: true, mode: 'id', value: '={{ "cus_1/../x" }}' }, lineItems: { item: [{ description: 'x', quantity: 1, amount: 1 }] } }, /^The Customer field is not an ID/],
	])('%s: refused before any request, naming the field and the item', async (_label, extra, message) => {
		const { error } = await run(create(extra));
		expect(error?.message).toMatch(message);
		expect(emulator.requests).toEqual([]);
	});

	test('Unit Price is sent as the line amount; 0 makes a free line; JSON takes unitPrice, unit_price or amount', async () => {
		const { items, error } = await run(
			create({ lineItemsInputMode: 'json', lineItemsJson: '[{"description":"a","quantity":2,"unitPrice":10},{"description":"b","quantity":1,"unit_price":0},{"description":"c","quantity":1,"amount":5}]' }),
		);
		expect(error).toBeUndefined();
		expect(emulator.requests.find((request) => request.method === 'POST' && request.path === '/invoices')?.body).toMatchObject({
			line_items: [
				{ description: 'a', quantity: 2, amount: 10 },
				{ description: 'b', quantity: 1, amount: 0 },
				{ description: 'c', quantity: 1, amount: 5 },
			],
		});
		expect(items[0].json.total).toBe(25);
	});

	test("the API's 422 names each field; nothing is created", async () => {
		const { error } = await run(create({ customerId: { __rl: true, mode: 'id', value: 'cus_unknown' }, lineItems: { item: [{ description: 'x', quantity: 1, amount: 1 }] } }));
		expect(error?.message).toBe('Alternative Payments rejected the request: validation failed; customer_id: customer not found');
		expect(emulator.listInvoices()).toEqual([]);
	});

	test('never repeated after a timeout: one POST, and the error says the invoice may exist and how to check', async () => {
		emulator.injectFaults(1, { delayMs: 5_000 }, (request) => request.method === 'POST' && request.path === '/invoices');
		const { error } = await run(create({ lineItems: { item: [{ description: 'x', quantity: 2, amount: 10 }] }, options: { timeout: 1 } }));
		expect(error?.message).toMatch(/^Alternative Payments did not answer POST \/invoices within 1 s\. The invoice \(customer cus_\d+, due 2025-04-01, \$20\.00\) may have been created; list the customer's invoices \(Get Many with Customer ID\) to see; check before retrying$/);
		expect(apiRequests().filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	test('the Customer list searches by company name on the server, 50 at a time', async () => {
		for (let index = 0; index < 60; index++) emulator.addCustomer({ name: `Granite ${index}`, company_name: `Granite ${index}` });
		const first = await searchCustomerList(credential, 'granite');
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({ name: expect.stringMatching(/^Granite 0 · /), value: expect.stringMatching(/^cus_/) });
		const second = await searchCustomerList(credential, 'granite', first.paginationToken);
		expect(second.results).toHaveLength(10);
		expect(second.paginationToken).toBeUndefined();
		expect(apiRequests().map((request) => request.query.company_name)).toEqual(['granite', 'granite']);
	});

	test('the Invoice list shows invoices 50 at a time (number, customer, amount, due date, status), and the one whose number is typed (the server filters); its value runs Get', async () => {
		const invoices = Array.from({ length: 60 }, () => emulator.addInvoice());
		const first = await searchCustomerList(credential, undefined, undefined, 'searchInvoices');
		expect(first.results).toHaveLength(50);
		const shown = emulator.listInvoices().find((invoice) => invoice.id === first.results[0].value)!;
		const named = emulator.listCustomers().find((one) => one.id === shown.customer_id)!;
		expect(first.results[0].name).toBe(`#${shown.invoice_number} · ${named.name} · ${shown.total.toFixed(2)} USD · due ${shown.due_date} · ${shown.status}`);
		const second = await searchCustomerList(credential, undefined, first.paginationToken, 'searchInvoices');
		expect(second.results).toHaveLength(10);
		expect(new Set([...first.results, ...second.results].map((result) => result.value))).toEqual(new Set(invoices.map((invoice) => invoice.id)));
		const wanted = invoices[42];
		const typed = await searchCustomerList(credential, ` ${wanted.invoice_number} `, undefined, 'searchInvoices');
		expect(typed.results).toEqual([{ name: expect.stringContaining(`#${wanted.invoice_number} · `), value: wanted.id }]);
		expect(apiRequests().filter((request) => request.path === '/invoices').at(-1)!.query.invoice_number).toBe(wanted.invoice_number);
		const got = await run({ operation: 'get', invoiceId: { __rl: true, mode: 'list', value: typed.results[0].value } });
		expect(got.items[0].json.id).toBe(wanted.id);
	});
});

describe('Archive, Restore, Get Payment Link, Get PDF', () => {
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });

	test('Archive takes the invoice out of the lists; Restore brings it back; each once', async () => {
		const invoice = emulator.addInvoice();
		const archived = await run({ operation: 'archive', invoiceId: byId(invoice.id) });
		expect(archived.items.map((item) => item.json.id)).toEqual([invoice.id]);
		expect((await run({ operation: 'getAll', returnAll: true })).items).toEqual([]);
		const restored = await run({ operation: 'restore', invoiceId: byId(invoice.id) });
		expect(restored.items.map((item) => item.json.id)).toEqual([invoice.id]);
		expect((await run({ operation: 'getAll', returnAll: true })).items.map((item) => item.json.id)).toEqual([invoice.id]);
		expect(apiRequests().filter((request) => !request.path.startsWith('/customers/')).map((request) => `${request.method} ${request.path}`)).toEqual([
			`DELETE /invoices/${invoice.id}`,
			'GET /invoices',
			`POST /invoices/${invoice.id}/restore`,
			'GET /invoices',
		]);
	});

	test('Archive is not repeated after a 500: the error says the invoice may have been archived', async () => {
		const invoice = emulator.addInvoice();
		emulator.injectFaults(1, { status: 500, body: '{"code":"internal","message":"boom"}' }, (request) => request.path !== '/oauth/token');
		const { error } = await run({ operation: 'archive', invoiceId: byId(invoice.id) });
		expect(error?.message).toBe(`Alternative Payments had a server error (HTTP 500): boom. Invoice ${invoice.id} may have been archived; check before retrying`);
		expect(apiRequests()).toHaveLength(1);
	});

	test('Get Payment Link: a link without a scheme gets https://, and the raw value is kept', async () => {
		const invoice = emulator.addInvoice();
		emulator.useSchemelessPaymentLinks(true);
		const { items } = await run({ operation: 'getPaymentLink', invoiceId: byId(invoice.id) });
		expect(items.map((item) => item.json)).toEqual([
			{ invoiceId: invoice.id, url: `https://pay.partner.example/i/${invoice.id}`, rawUrl: `pay.partner.example/i/${invoice.id}` },
		]);
	});

	test('Get PDF: the signed link; with Download, the PDF as binary, fetched without the token', async () => {
		const invoice = emulator.addInvoice();
		const linkOnly = await run({ operation: 'getPdf', invoiceId: byId(invoice.id) });
		expect(linkOnly.items[0].json).toEqual({ invoiceId: invoice.id, url: expect.stringMatching(/\/files\/.*\.pdf\?expires=\d+&signature=\w+$/) });
		expect(linkOnly.items[0].binary).toBeUndefined();

		const downloaded = await run({ operation: 'getPdf', invoiceId: byId(invoice.id), download: true, binaryPropertyName: 'invoicePdf' });
		expect(downloaded.error).toBeUndefined();
		const binary = downloaded.items[0].binary?.invoicePdf;
		expect(binary).toMatchObject({ mimeType: 'application/pdf', fileName: `invoice-${invoice.id}.pdf` });
		expect(Buffer.from(binary!.data, 'base64').toString('latin1')).toMatch(/^%PDF-1\.4/);
		const fileRequest = emulator.requests.find((request) => request.path.startsWith('/files/'));
		expect(fileRequest?.status).toBe(200);
		expect(fileRequest?.headers.authorization).toBeUndefined();
	});

	test('Get PDF: File Name names the file (".pdf" added when it has none); a path is refused before any request', async () => {
		const invoice = emulator.addInvoice();
		const named = async (fileName: string) => {
			const { items, error } = await run({ operation: 'getPdf', invoiceId: byId(invoice.id), download: true, binaryPropertyName: 'data', fileName });
			return error?.message ?? items[0].binary?.data.fileName;
		};
		expect(await named('={{ "March " + "2025" }}')).toBe('March 2025.pdf');
		expect(await named('statement.PDF')).toBe('statement.PDF');
		expect(await named('  ')).toBe(`invoice-${invoice.id}.pdf`);
		const before = emulator.requests.length;
		expect(await named('../etc/passwd')).toBe('File Name: is a path, not a file name: "../etc/passwd"');
		expect(emulator.requests.length).toBe(before);
	});
});

describe('Customer and Payment', () => {
	const customerRun = (parameters: Record<string, unknown>) => run({ ...parameters, resource: 'customer' });

	test('Customer → Create, Get, Get Many by company name, Archive', async () => {
		const created = await customerRun({ operation: 'create', name: 'Granite Dental', email: 'ap@granite.example', additionalFields: { externalId: 'crm-7' } });
		expect(created.error).toBeUndefined();
		const id = created.items[0].json.id as string;
		expect(apiRequests()[0].body).toEqual({ name: 'Granite Dental', email: 'ap@granite.example', external_id: 'crm-7' });
		// Simplify off for this Get: the external id is read back, which the compact customer leaves out.
		expect((await customerRun({ operation: 'get', customerId: { __rl: true, mode: 'id', value: id }, simple: false })).items[0].json).toMatchObject({ id, external_id: 'crm-7' });
		const found = await customerRun({ operation: 'getAll', returnAll: true, filters: { companyName: 'granite' } });
		expect(found.items.map((item) => item.json.id)).toEqual([id]);
		expect((await customerRun({ operation: 'archive', customerId: { __rl: true, mode: 'list', value: id } })).items[0].json.id).toBe(id);
		expect((await customerRun({ operation: 'getAll', returnAll: true, filters: { companyName: 'granite' } })).items).toEqual([]);
	});

	test('Customer → Create: a bad email is refused before any request; a used external id is the API\'s 400 in its words', async () => {
		const bad = await customerRun({ operation: 'create', name: 'X', email: 'not-an-email' });
		expect(bad.error?.message).toBe('Email: is not an email address: "not-an-email"');
		expect((await customerRun({ operation: 'create', name: 'X', email: '  ' })).error?.message).toBe('Email: is empty');
		expect(emulator.requests).toEqual([]);
		emulator.addCustomer({ external_id: 'crm-1' });
		const used = await customerRun({ operation: 'create', name: 'Y', email: 'y@y.example', additionalFields: { externalId: 'crm-1' } });
		expect(used.error?.message).toBe('Alternative Payments rejected the request: This external id is already used');
	});

	test('Customer → Find or Create: by company name on the server, exact name and then email here; one match returned as it is, none created once, several an error naming them', async () => {
		const findOrCreate = (name: string, email = '', additionalFields: IDataObject = {}) => customerRun({ operation: 'findOrCreate', name, email, additionalFields });
		const granite = emulator.addCustomer({ name: 'Granite Dental', company_name: 'Granite Dental', email: 'ap@granite.example' });
		emulator.addCustomer({ name: 'Granite Dental Group', company_name: 'Granite Dental Group', email: 'ap@group.example' });
		const count = emulator.listCustomers().length;

		const found = await findOrCreate('granite dental');
		expect(found.items.map((item) => item.json.id)).toEqual([granite.id]);
		expect(apiRequests().map((request) => [request.method, request.query.company_name])).toEqual([['GET', 'granite dental']]);

		const created = await findOrCreate('Basalt Clinic', 'billing@basalt.example', { externalId: 'crm-9' });
		expect(created.items[0].json).toMatchObject({ name: 'Basalt Clinic', email: 'billing@basalt.example', external_id: 'crm-9' });
		expect((await findOrCreate('Basalt Clinic', 'BILLING@basalt.example')).items[0].json.id).toBe(created.items[0].json.id);
		expect(emulator.listCustomers()).toHaveLength(count + 1);

		const twin = emulator.addCustomer({ name: 'Granite Dental', company_name: 'Granite Dental', email: 'other@granite.example' });
		expect((await findOrCreate('Granite Dental')).error?.message).toBe(`Name: matches 2 Alternative Payments customers: ${granite.id}, ${twin.id}`);
		expect((await findOrCreate('Granite Dental', 'other@granite.example')).items[0].json.id).toBe(twin.id);
		const noEmail = await findOrCreate('Nobody Here');
		expect(noEmail.error?.message).toBe('Email: is empty, and no customer has this name, so one cannot be created');
		expect(apiRequests().filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	test('Customer → Find or Create matches the company name the server searched, not the name: where they differ, two runs create nothing', async () => {
		const findOrCreate = (name: string, email = '') => customerRun({ operation: 'findOrCreate', name, email });
		// A customer whose name is its contact, and whose company name is what the filter searches.
		const jane = emulator.addCustomer({ name: 'Jane Smith', company_name: 'Granite Dental', email: 'jane@granite.example' });
		emulator.addCustomer({ name: 'Granite Dental', company_name: 'Granite Dental Group', email: 'ap@group.example' });
		const count = emulator.listCustomers().length;
		for (const email of ['jane@granite.example', '']) {
			const first = await findOrCreate('Granite Dental', email);
			expect(first.error).toBeUndefined();
			expect(first.items.map((item) => item.json.id)).toEqual([jane.id]);
			expect((await findOrCreate('granite dental', email)).items.map((item) => item.json.id)).toEqual([jane.id]);
		}
		expect(apiRequests().filter((request) => request.method === 'POST')).toHaveLength(0);
		expect(emulator.listCustomers()).toHaveLength(count);
		// Her name is not a company name: it is not found, and a customer of that company name is made once.
		const created = await findOrCreate('Jane Smith', 'jane@smith.example');
		expect(created.items[0].json).toMatchObject({ name: 'Jane Smith', email: 'jane@smith.example' });
		expect((await findOrCreate('Jane Smith', 'jane@smith.example')).items[0].json.id).toBe(created.items[0].json.id);
		expect(emulator.listCustomers()).toHaveLength(count + 1);
	});

	test('Payment → Get Many with filters sent to the server', async () => {
		const invoice = emulator.addInvoice();
		const other = emulator.addInvoice();
		const payment = emulator.addPayment({ invoice_id: invoice.id, payment_method: 'card' });
		emulator.addPayment({ invoice_id: other.id, payment_method: 'ach' });
		const { items, error } = await run({ resource: 'payment', operation: 'getAll', returnAll: true, filters: { invoiceId: invoice.id, paymentMethod: 'card' } });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([payment.id]);
		expect(apiRequests()[0].query).toMatchObject({ invoice_id: invoice.id, payment_method: 'card' });
	});
});

describe("n8n's OAuth2 client credentials", () => {
	test('a token is minted once, with the client id and secret as HTTP Basic, and kept for the next run', async () => {
		emulator.addInvoice();
		await run({ operation: 'getAll', returnAll: true });
		await run({ operation: 'getAll', returnAll: true });
		expect(tokenRequests()).toHaveLength(1);
		expect(tokenRequests()[0].headers.authorization).toBe(`Basic ${Buffer.from('client-full:secret-full').toString('base64')}`);
		expect(tokenRequests()[0].rawBody).toMatch(/grant_type=client_credentials/);
		expect(credential.oauthTokenData).toMatchObject({ access_token: expect.any(String), token_type: 'bearer' });
		expect(apiRequests().every((request) => request.headers.authorization === `Bearer ${(credential.oauthTokenData as { access_token: string }).access_token}`)).toBe(true);
	});

	test('a token that expires mid-run is renewed once and the request repeated once: no error, every invoice', async () => {
		for (let index = 0; index < 250; index++) emulator.addInvoice();
		// The token runs out once page 1 is answered: page 2 meets a 401.
		emulator.expireTokensAfter(1);
		const { items, error } = await run({ operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(emulator.listInvoices().map((invoice) => invoice.id));
		expect(tokenRequests()).toHaveLength(2);
		expect(pageRequests().map((request) => request.status)).toEqual([200, 401, 200, 200]);
	});

	test('a 401 straight after a renewal is a credential error, not a loop', async () => {
		emulator.addInvoice();
		emulator.injectFaults(2, { status: 401, body: '{"code":"unauthorized","message":"Key revoked"}' }, (request) => request.path === '/invoices');
		const { error } = await run({ operation: 'getAll', returnAll: true });
		expect(error?.message).toBe('Alternative Payments refused the access token even after n8n renewed it: Key revoked');
		expect(apiRequests()).toHaveLength(2);
		expect(tokenRequests()).toHaveLength(2);
	});

	test('a wrong secret: "refused the client id or secret", with what to do, and nothing else is asked', async () => {
		credential = storedCredential(credential.baseUrl as string, 'client-full', 'wrong-secret');
		const { error } = await run({ operation: 'getAll', returnAll: true });
		expect(error?.message).toBe('Alternative Payments refused the client id or secret');
		expect(error?.description).toMatch(/Client ID and Client Secret .* environment matches the key/);
		expect(apiRequests()).toEqual([]);
		expect(JSON.stringify(error)).not.toContain('wrong-secret');
	});

	test('a token endpoint that fails with a 500: an error that says so, not a refused secret, and nothing sent to the API', async () => {
		emulator.injectFaults(1, { status: 500, body: '{"code":"internal","message":"down"}' }, (request) => request.path === '/oauth/token');
		const { error } = await run({ operation: 'getAll', returnAll: true });
		expect(error?.message).toBe('Alternative Payments could not give an access token (HTTP 500)');
		expect(apiRequests()).toEqual([]);
	});

	test('a key without the scope: 403 naming the scope it needs', async () => {
		credential = storedCredential(credential.baseUrl as string, 'client-invoices-ro', 'secret-invoices-ro');
		emulator.injectFaults(1, { status: 403, body: '{"code":"forbidden","message":"Missing scope"}' }, (request) => request.path === '/invoices');
		const { error } = await run({ operation: 'getAll', returnAll: true });
		expect(error?.message).toBe('The API key lacks the permission for this: Missing scope');
		expect(error?.description).toMatch(/invoices:read scope/);
	});
});

describe("the credential's Test button", () => {
	test('a good key: n8n mints a token and one invoice is read', async () => {
		expect(await testAltCredential(credential)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('a wrong secret fails in the token request, before the read, in n8n\'s own words (the credential cannot word it)', async () => {
		const result = await testAltCredential(storedCredential(credential.baseUrl as string, 'client-full', 'wrong-secret'));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/OAuth2 access token/);
		expect(emulator.requests.filter((request) => request.path === '/invoices')).toEqual([]);
	});

	test('a key without invoices:read (403 on the read): names the scope and the Client ID and Client Secret', async () => {
		await emulator.close();
		emulator = new AltPaymentsEmulator({ rateLimit: false, seed: false, keys: [{ clientId: 'client-customers', clientSecret: 'secret-customers', scopes: ['customers:read'] }] });
		const result = await testAltCredential(storedCredential(await emulator.listen(), 'client-customers', 'secret-customers'));
		expect(result).toEqual({
			status: 'Error',
			message:
				'The Alternative Payments API key behind this Client ID may not read invoices (HTTP 403): give it the invoices:read scope in Alternative Payments, or enter the Client ID and Client Secret of a key that has it.',
		});
	});
});

describe('the rate limit: 5 requests a second per key', () => {
	test('Return All of 1,200 invoices in pages of 100 (12 requests) at 5 a second: no 429 surfaced, every invoice once', async () => {
		await emulator.close();
		emulator = new AltPaymentsEmulator({ seed: { customers: 2, invoices: 1200 } });
		credential = storedCredential(await emulator.listen());
		const { items, error } = await run({ operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(new Set(items.map((item) => item.json.id)).size).toBe(1200);
		expect(pageRequests().filter((request) => request.status === 200)).toHaveLength(12);
		const windows = new Map<number, number>();
		for (const request of apiRequests()) if (request.status === 429) windows.set(request.rateWindow!, (windows.get(request.rateWindow!) ?? 0) + 1);
		for (const count of windows.values()) expect(count).toBeLessThanOrEqual(1);
	});
});

describe('the credential resolves as n8n resolves it', () => {
	test.each([
		['production', {}, 'https://public-api.alternativepayments.io/oauth/token'],
		['demo', {}, 'https://public-api.demo.alternativepayments.io/oauth/token'],
		['custom', { baseUrl: 'https://proxy.example.com/ap/' }, 'https://proxy.example.com/ap/oauth/token'],
		['custom', { baseUrl: 'http://127.0.0.1:8788' }, 'http://127.0.0.1:8788/oauth/token'],
		['custom', { baseUrl: 'http://proxy.example.com' }, '/oauth/token'],
	] as const)('%s %j: token URL %s, client credentials sent as HTTP Basic, no scope', (environment, extra, tokenUrl) => {
		const resolved = resolveCredentialData('alternativePaymentsOAuth2Api', { environment, clientId: 'id', clientSecret: 'secret', ...extra });
		expect(resolved).toMatchObject({ accessTokenUrl: tokenUrl, grantType: 'clientCredentials', authentication: 'header', scope: '' });
	});
});
