import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import { runNode, searchInvoiceList, testCredential } from '../engine/harness.cjs';
import { PayRequest } from '../../nodes/PayRequest/PayRequest.node';
import { addInvoices, READ_ONLY_TOKEN, useEmulator, WRITE_ONLY_TOKEN } from '../engine/emulatorFixture.cjs';

afterEach(restoreNodeClock);

const fixture = useEmulator();

const invoiceRequests = () => fixture.emulator.requests.filter((request) => request.path.startsWith('/api/v1/'));

describe('Get Many', () => {
	test('the Invoice Number filter finds the one invoice (any case), so its numeric ID can be mapped into Get', async () => {
		const created = addInvoices(fixture.emulator, 250);
		const wanted = created[217];
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, filters: { invoiceNumber: ` ${wanted.invoice_number.toLowerCase()} ` } },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.number])).toEqual([[String(wanted.id), wanted.invoice_number]]);
	});

	test('Return All pages with per_page 100 until the last page, one item per invoice in API order', async () => {
		const created = addInvoices(fixture.emulator, 250);
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		const requests = invoiceRequests();
		expect(requests.map((request) => [request.method, request.path, request.query])).toEqual(
			[1, 2, 3].map((page) => ['GET', '/api/v1/invoices', { page: String(page), per_page: '100' }]),
		);
		expect(requests.every((request) => request.headers.authorization === 'Bearer test-token-rw')).toBe(true);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});

	test.each([
		[50, 1],
		[100, 1],
		[150, 2],
		[400, 3],
	])('Limit %i of 250 sends %i request(s) and returns exactly the first invoices', async (limit, requestCount) => {
		const created = addInvoices(fixture.emulator, 250);
		const { items } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: false, limit },
		});
		expect(items.map((item) => Number(item.json.id))).toEqual(created.slice(0, limit).map((invoice) => invoice.id));
		expect(invoiceRequests()).toHaveLength(requestCount);
	});

	test('an empty account gives no items after one request', async () => {
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(invoiceRequests()).toHaveLength(1);
	});

	test('filters are applied by the node while paging: status, customer, invoice date and due date ranges', async () => {
		const [customerA, customerB] = fixture.emulator.customers();
		const keep = fixture.emulator.addInvoice({
			customer_id: customerA.id,
			status: 'sent',
			date: '2025-01-10',
			due_date: '2025-02-10',
			items: [{ description: 'Kept', quantity: 1, unit_price: 10 }],
		});
		fixture.emulator.addInvoice({ customer_id: customerB.id, status: 'sent', date: '2025-01-10', due_date: '2025-02-10', items: [{ description: 'Other customer', quantity: 1, unit_price: 10 }] });
		fixture.emulator.addInvoice({ customer_id: customerA.id, status: 'paid', date: '2025-01-10', due_date: '2025-02-10', items: [{ description: 'Paid', quantity: 1, unit_price: 10 }] });
		fixture.emulator.addInvoice({ customer_id: customerA.id, status: 'sent', date: '2024-12-10', due_date: '2025-02-10', items: [{ description: 'Too early', quantity: 1, unit_price: 10 }] });
		fixture.emulator.addInvoice({ customer_id: customerA.id, status: 'sent', date: '2025-01-10', due_date: '2025-03-10', items: [{ description: 'Due later', quantity: 1, unit_price: 10 }] });
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: {
				resource: 'invoice',
				operation: 'getAll',
				returnAll: true,
				filters: {
					status: ['sent', 'pending'],
					customerId: String(customerA.id),
					dateFrom: '2025-01-01T00:00:00',
					dateTo: '2025-01-31',
					dueDateFrom: '2025-02-01',
					dueDateTo: '2025-02-28T23:59:59+02:00',
				},
			},
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual([keep.id]);
	});

	test('with filters and a Limit, paging stops once enough matching invoices are found', async () => {
		addInvoices(fixture.emulator, 450); // every third is paid: 34 paid in the first 100
		const { items } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: false, limit: 40, filters: { status: ['paid'] } },
		});
		expect(items).toHaveLength(40);
		expect(items.every((item) => item.json.status === 'paid')).toBe(true);
		expect(invoiceRequests()).toHaveLength(2);
	});

	test('each input item runs the operation once, with its pairedItem', async () => {
		addInvoices(fixture.emulator, 3);
		const { items } = await runNode({
			credential: fixture.credential,
			input: [{ n: 1 }, { n: 2 }],
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: false, limit: 2 },
		});
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['1001', { item: 0 }],
			['1002', { item: 0 }],
			['1001', { item: 1 }],
			['1002', { item: 1 }],
		]);
		expect(invoiceRequests()).toHaveLength(2);
	});
});

describe('Get', () => {
	test.each([
		['id', (id: number) => String(id)],
		['url', (id: number) => `https://payrequest.app/invoices/${id}`],
		['url', (id: number) => `https://payrequest.me/yourshop/invoice/${id}?utm=mail`],
		['list', (id: number) => String(id)],
	])('by %s: one item with the invoice detail', async (mode, value) => {
		const [, second] = addInvoices(fixture.emulator, 2);
		const { items, error } = await runNode({
			credential: fixture.credential,
			// Simplify off: this test is about the raw detail (transactions, subscription, the customer's phone).
			parameters: { resource: 'invoice', operation: 'get', invoiceId: { __rl: true, mode, value: value(second.id) }, simple: false },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: second.id, invoice_number: second.invoice_number, transactions: [], subscription: null });
		expect(items[0].json.customer).toHaveProperty('phone');
		expect(invoiceRequests().map((request) => `${request.method} ${request.path}`)).toEqual([`GET /api/v1/invoices/${second.id}`]);
	});

	test('an id from an expression as a number works', async () => {
		const [invoice] = addInvoices(fixture.emulator, 1);
		const { items } = await runNode({
			credential: fixture.credential,
			input: [{ invoice: { id: invoice.id } }],
			parameters: { resource: 'invoice', operation: 'get', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.invoice.id }}' } },
		});
		expect(items[0].json.id).toBe(String(invoice.id));
	});
});

describe('Get Statistics and Get Overdue', () => {
	test('Get Statistics gives one item with the totals, once per input item', async () => {
		addInvoices(fixture.emulator, 6);
		addInvoices(fixture.emulator, 2, '2025-02-01'); // overdue against the emulator clock (2025-03-01)
		const { items } = await runNode({
			credential: fixture.credential,
			input: [{}, {}],
			parameters: { resource: 'invoice', operation: 'getStats' },
		});
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ total_invoices: 8, paid_invoices: 3, overdue_invoices: 1, currency: 'EUR' });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(invoiceRequests().map((request) => request.path)).toEqual(['/api/v1/invoices/stats', '/api/v1/invoices/stats']);
	});

	test('Get Overdue gives one item per overdue invoice with days_overdue and payment_link; Min Days Overdue filters', async () => {
		const customer = fixture.emulator.customers()[0];
		const add = (dueDate: string) =>
			fixture.emulator.addInvoice({ customer_id: customer.id, status: 'sent', date: '2025-01-01', due_date: dueDate, items: [{ description: 'x', quantity: 1, unit_price: 50 }] });
		const longOverdue = add('2025-01-15');
		const justOverdue = add('2025-02-27');
		add('2025-04-01');
		fixture.emulator.setPaymentStarted(justOverdue.id, true);
		// The node counts days on the emulator's clock.
		setNodeClock(fixture.emulator.now());

		const all = await runNode({ credential: fixture.credential, parameters: { resource: 'invoice', operation: 'getOverdue' } });
		expect(all.items.map((item) => [item.json.id, item.json.daysOverdue, item.json.paymentLink])).toEqual([
			[String(longOverdue.id), 45, `https://payrequest.me/emulator/invoice/${longOverdue.id}`],
			[String(justOverdue.id), 2, null],
		]);

		const filtered = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'getOverdue', filters: { minDaysOverdue: 10 } },
		});
		expect(filtered.items.map((item) => Number(item.json.id))).toEqual([longOverdue.id]);
	});

	test('Get Overdue: Limit keeps the first (most overdue) ones, 50 by default; Return All all of them; one request either way', async () => {
		const customer = fixture.emulator.customers()[0];
		for (let day = 1; day <= 60; day++) {
			fixture.emulator.addInvoice({ customer_id: customer.id, status: 'sent', date: '2024-12-01', due_date: `2025-01-${String((day % 28) + 1).padStart(2, '0')}`, items: [{ description: 'x', quantity: 1, unit_price: 5 }] });
		}
		const overdue = (parameters: Record<string, unknown>) => runNode({ credential: fixture.credential, parameters: { resource: 'invoice', operation: 'getOverdue', ...parameters } });
		const byDefault = await overdue({});
		const everything = await overdue({ returnAll: true });
		const two = await overdue({ limit: 2 });
		expect(byDefault.items).toHaveLength(50);
		expect(everything.items).toHaveLength(60);
		expect(two.items.map((item) => Number(item.json.id))).toEqual(everything.items.slice(0, 2).map((item) => Number(item.json.id)));
		expect(Number(two.items[0].json.daysOverdue)).toBeGreaterThanOrEqual(Number(everything.items[59].json.daysOverdue));
		expect(invoiceRequests().map((request) => request.path)).toEqual(Array(3).fill('/api/v1/invoices/overdue'));
		const bad = await overdue({ limit: 0 });
		expect(bad.error?.message).toBe('The Limit must be a whole number of at least 1, not "0"');
	});
});

describe('Create', () => {
	const customerId = () => String(fixture.emulator.customers()[0].id);

	test('Customer from the list (the customers on invoices, each once a scroll, searched by name or email) or by ID: either sends the customer_id', async () => {
		addInvoices(fixture.emulator, 30);
		const customers = fixture.emulator.customers();
		const listed = await searchInvoiceList(fixture.credential, undefined, undefined, 'searchCustomers');
		expect(listed.results.map((result) => result.value).sort()).toEqual(customers.map((customer) => String(customer.id)).sort());
		const [first] = customers;
		expect(listed.results.find((result) => result.value === String(first.id))?.name).toBe(`${first.company ?? first.name} · ${first.email}`);
		const searched = await searchInvoiceList(fixture.credential, first.email.toUpperCase(), undefined, 'searchCustomers');
		expect(searched.results.map((result) => result.value)).toEqual([String(first.id)]);

		for (const mode of ['list', 'id']) {
			const { error } = await runNode({
				credential: fixture.credential,
				parameters: { resource: 'invoice', operation: 'create', customerId: { __rl: true, mode, value: String(first.id) }, date: '2025-03-01', dueDate: '2025-03-15', items: { item: [{ description: 'Work', quantity: 1, unitPrice: 10 }] } },
			});
			expect(error).toBeUndefined();
		}
		const posts = invoiceRequests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => (request.body as { customer_id: number }).customer_id)).toEqual([first.id, first.id]);

		// An empty Customer typed in the editor is n8n's own "required" error; one from an expression is the node's.
		const empty = await runNode({ credential: fixture.credential, parameters: { resource: 'invoice', operation: 'create', customerId: { __rl: true, mode: 'id', value: '={{ "" }}' }, date: '2025-03-01', dueDate: '2025-03-15', items: { item: [{ description: 'Work', quantity: 1, unitPrice: 10 }] } } });
		expect(empty.error?.message).toMatch(/^Customer: is not a customer ID/);
		expect(invoiceRequests().filter((request) => request.method === 'POST')).toHaveLength(2);
	});

	test('version 1.1, Simplify on (its default): the compact invoice with the total including tax; version 1 keeps PayRequest\'s answer', async () => {
		const parameters = {
			resource: 'invoice',
			operation: 'create',
			customerId: customerId(),
			date: '2025-03-01',
			dueDate: '2025-03-15',
			items: { item: [{ description: 'Consulting', quantity: 8, unitPrice: 150, taxRate: 21 }, { description: 'Licence', quantity: 1, unitPrice: 500, taxRate: 21 }] },
			simple: true,
		};
		const simplified = await runNode({ credential: fixture.credential, parameters, typeVersion: 1.1 });
		expect(simplified.error).toBeUndefined();
		expect(simplified.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ id: expect.any(String), number: expect.any(String), status: 'pending', currency: 'EUR', amountNet: 1700, amountTax: 357, amountTotal: 2057, dueDate: '2025-03-15', provider: 'payRequest' }),
		]);
		const saved = await runNode({ credential: fixture.credential, parameters, typeVersion: 1 });
		expect(saved.items[0].json).toMatchObject({ id: expect.any(Number), amount: 1700, invoice_items: expect.any(Array) });
		expect(saved.items[0].json).not.toHaveProperty('amountTotal');
	});

	test('from fixed-collection items: the body as PayRequest receives it, output the created invoice', async () => {
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: {
				resource: 'invoice',
				operation: 'create',
				customerId: customerId(),
				date: '2025-01-29T23:30:00-05:00',
				dueDate: '={{ DateTime.fromISO("2025-02-13T01:00:00+09:00", { setZone: true }) }}',
				items: {
					item: [
						{ description: 'Consulting Services', quantity: 8, unitPrice: 150, taxRate: 21 },
						{ description: 'Software License', quantity: 1, unitPrice: 500, taxRate: 21 },
					],
				},
				additionalFields: { reference: 'Project Beta', notes: 'Thank you for your business!', invoiceNumber: 'INV-900001' },
			},
		});
		expect(error).toBeUndefined();
		const posts = invoiceRequests().filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(posts[0].headers.authorization).toBe('Bearer test-token-rw');
		expect(posts[0].body).toEqual({
			customer_id: Number(customerId()),
			date: '2025-01-29',
			due_date: '2025-02-13',
			items: [
				{ description: 'Consulting Services', quantity: 8, unit_price: 150, tax_rate: 21 },
				{ description: 'Software License', quantity: 1, unit_price: 500, tax_rate: 21 },
			],
			invoice_number: 'INV-900001',
			reference: 'Project Beta',
			notes: 'Thank you for your business!',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ amount: 1700, invoice_number: 'INV-900001', status: 'pending', date: '2025-01-29' });
		expect(fixture.emulator.listInvoices()).toHaveLength(1);
	});

	test.each([
		['Pacific/Kiritimati (UTC+14), just after midnight', '2025-03-01T00:30:00', 'Pacific/Kiritimati'],
		['Asia/Tokyo (UTC+9), early morning', '2025-03-01T05:00:00', 'Asia/Tokyo'],
		['Pacific/Pago_Pago (UTC-11), just before midnight', '2025-03-01T23:30:00', 'Pacific/Pago_Pago'],
		['America/New_York (UTC-5), late evening', '2025-03-01T21:00:00', 'America/New_York'],
	])('a Luxon date in %s is the calendar date it states, for Create and for the Get Many filter', async (_label, local, zone) => {
		const expression = `={{ DateTime.fromISO("${local}", { zone: "${zone}" }) }}`;
		const created = await runNode({
			credential: fixture.credential,
			parameters: {
				resource: 'invoice',
				operation: 'create',
				customerId: customerId(),
				date: expression,
				dueDate: expression,
				items: { item: [{ description: 'Work', quantity: 1, unitPrice: 10, taxRate: 0 }] },
			},
		});
		expect(created.error).toBeUndefined();
		const post = invoiceRequests().find((request) => request.method === 'POST');
		expect(post?.body).toMatchObject({ date: '2025-03-01', due_date: '2025-03-01' });

		// The days either side, which a date moved by the zone would take in instead.
		for (const date of ['2025-02-28', '2025-03-02']) fixture.emulator.addInvoice({ date, due_date: date });
		const listed = await runNode({
			credential: fixture.credential,
			// Simplify off: the invoice date is read back, which the compact shape leaves out.
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, filters: { dateFrom: expression, dateTo: expression }, simple: false },
		});
		expect(listed.error).toBeUndefined();
		expect(listed.items.map((item) => item.json.date)).toEqual(['2025-03-01']);
	});

	test('Line Items (JSON) starts empty, with the example only as a placeholder: left as it is, nothing is billed', async () => {
		const field = new PayRequest().description.properties.find((property) => property.name === 'itemsJson');
		expect(field).toMatchObject({ default: '[]', placeholder: expect.stringContaining('"description"') });
		const { error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'create', customerId: customerId(), date: '2025-03-01', dueDate: '2025-03-15', itemsInputMode: 'json' },
		});
		expect(error?.message).toMatch(/^Line Items: an invoice needs at least one line item/);
		expect(invoiceRequests()).toEqual([]);
	});

	test('the Invoice fields say they take the numeric ID, not the invoice number, and what to do with only the number', () => {
		const locators = new PayRequest().description.properties.filter((property) => property.name === 'invoiceId');
		expect(locators.length).toBeGreaterThan(0);
		for (const locator of locators) expect(locator.description).toMatch(/numeric invoice ID .* not its invoice number \(INV-…\)\. With only the number, find the invoice first with Get Many/);
	});

	test('from JSON items of an earlier node, snake_case and numeric strings accepted', async () => {
		const { items, error } = await runNode({
			credential: fixture.credential,
			input: [
				{ customer: customerId(), lines: [{ description: 'Hosting', quantity: '2', unit_price: '49.50', tax_rate: 9 }] },
				{ customer: customerId(), lines: [{ description: 'Support', quantity: 1, unitPrice: 80 }] },
			],
			parameters: {
				resource: 'invoice',
				operation: 'create',
				customerId: '={{ $json.customer }}',
				date: '2025-03-01',
				dueDate: '2025-03-15',
				itemsInputMode: 'json',
				itemsJson: '={{ $json.lines }}',
			},
		});
		expect(error).toBeUndefined();
		const bodies = invoiceRequests().map((request) => request.body as { items: unknown[] });
		expect(bodies.map((body) => body.items)).toEqual([
			[{ description: 'Hosting', quantity: 2, unit_price: 49.5, tax_rate: 9 }],
			[{ description: 'Support', quantity: 1, unit_price: 80, tax_rate: 0 }],
		]);
		expect(items.map((item) => [item.json.amount, item.pairedItem])).toEqual([
			[99, { item: 0 }],
			[80, { item: 1 }],
		]);
	});
});

describe('Send Reminder', () => {
	test('sends one reminder and outputs { success, message, invoiceId }', async () => {
		const invoice = addInvoices(fixture.emulator, 2)[1];
		const { items, error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: { __rl: true, mode: 'id', value: String(invoice.id) } },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ success: true, message: 'Invoice reminder sent successfully', invoiceId: invoice.id }]);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([invoice.id]);
		expect(invoiceRequests().map((request) => `${request.method} ${request.path}`)).toEqual([`POST /api/v1/invoices/${invoice.id}/reminder`]);
	});
});

describe('errors from PayRequest', () => {
	test.each([
		['401 bad token', { accessToken: 'wrong-token' }, 'get', '401', /rejected the access token/, /Check the Access Token/],
		['403 read-only token on Create', { accessToken: READ_ONLY_TOKEN }, 'create', '403', /lacks the permission/, /billing\.write scope/],
		['403 write-only token on Get', { accessToken: WRITE_ONLY_TOKEN }, 'get', '403', /lacks the permission/, /billing\.read scope/],
		['404 missing invoice', {}, 'getMissing', '404', /No such invoice: Invoice not found/, /no invoice with this ID/],
		['400 reminder on a paid invoice', {}, 'remindPaid', '400', /Invoice is already paid/, /unpaid invoice/],
		['422 unknown customer', {}, 'createUnknownCustomer', '422', /customer_id: The selected customer id is invalid/, /Correct the fields/],
	] as const)('%s: NodeApiError with status, PayRequest message and what to do', async (_label, credentialChange, action, httpCode, message, description) => {
		const invoices = addInvoices(fixture.emulator, 1); // invoice 1001 is paid (every third)
		const parameters: Record<string, Record<string, unknown>> = {
			get: { operation: 'get', invoiceId: { __rl: true, mode: 'id', value: String(invoices[0].id) } },
			getMissing: { operation: 'get', invoiceId: { __rl: true, mode: 'id', value: '999999' } },
			remindPaid: { operation: 'sendReminder', invoiceId: { __rl: true, mode: 'id', value: String(invoices[0].id) } },
			create: { operation: 'create', customerId: '501', date: '2025-03-01', dueDate: '2025-03-02', items: { item: [{ description: 'x', quantity: 1, unitPrice: 1, taxRate: 0 }] } },
			createUnknownCustomer: { operation: 'create', customerId: '999', date: '2025-03-01', dueDate: '2025-03-02', items: { item: [{ description: 'x', quantity: 1, unitPrice: 1, taxRate: 0 }] } },
		};
		const { error } = await runNode({
			credential: { ...fixture.credential, ...credentialChange },
			parameters: { resource: 'invoice', ...parameters[action] },
		});
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
	});

	test('a 5xx on a read is repeated with backoff, then reported', async () => {
		fixture.emulator.injectFaults(10, { status: 503, body: '<html>Service Unavailable</html>' });
		const { error } = await runNode({ credential: fixture.credential, parameters: { resource: 'invoice', operation: 'getStats' } });
		expect(error).toMatchObject({ httpCode: '503' });
		expect(error?.message).toMatch(/server error \(HTTP 503\)/);
		expect(invoiceRequests()).toHaveLength(4);
	});

	test('a 5xx on a read that recovers gives the answer', async () => {
		fixture.emulator.injectFaults(2, { status: 502, body: '<html>Bad gateway</html>' });
		const { items, error } = await runNode({ credential: fixture.credential, parameters: { resource: 'invoice', operation: 'getStats' } });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(invoiceRequests()).toHaveLength(3);
	});

	test('a 5xx on a write is not repeated', async () => {
		const invoice = addInvoices(fixture.emulator, 2)[1];
		fixture.emulator.injectFaults(1, { status: 500 });
		const { error } = await runNode({
			credential: fixture.credential,
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: { __rl: true, mode: 'id', value: String(invoice.id) } },
		});
		expect(error).toMatchObject({ httpCode: '500' });
		expect(invoiceRequests()).toHaveLength(1);
	});

	test('Continue On Fail: a failed item gets { error } and the others go on', async () => {
		const [paid, unpaid] = addInvoices(fixture.emulator, 2);
		const { items, error } = await runNode({
			credential: fixture.credential,
			continueOnFail: true,
			input: [{ id: unpaid.id }, { id: paid.id }, { id: 'not-an-id' }, { id: unpaid.id }],
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.success ?? item.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, 'Invoice is already paid'],
			[{ item: 2 }, 'The Invoice field is not an invoice ID: "not-an-id"'],
			[{ item: 3 }, true],
		]);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([unpaid.id, unpaid.id]);
	});
});

describe('credential test', () => {
	test('a good token passes, with one cheap read', async () => {
		expect(await testCredential(fixture.credential)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(invoiceRequests().map((request) => [request.path, request.query])).toEqual([['/api/v1/invoices', { per_page: '1' }]]);
	});

	test('a bad token (401): one sentence naming the Access Token and where to make a new one', async () => {
		const result = await testCredential({ ...fixture.credential, accessToken: 'nope' });
		expect(result).toEqual({
			status: 'Error',
			message:
				'PayRequest refused the token (HTTP 401): the Access Token is mistyped or revoked; create a new one in PayRequest under Settings → API Tokens and paste it into Access Token.',
		});
	});

	test('a token without billing.read (403): names the scope and the Access Token', async () => {
		const result = await testCredential({ ...fixture.credential, accessToken: 'test-token-wo' });
		expect(result).toEqual({
			status: 'Error',
			message: 'PayRequest accepted the token but would not let it read invoices (HTTP 403): give the Access Token the billing.read scope under Settings → API Tokens, or paste a token that has it.',
		});
	});

	test('a Base URL without /api (404): names the Base URL and what it ends in', async () => {
		const result = await testCredential({ ...fixture.credential, baseUrl: fixture.credential.baseUrl.replace(/\/api$/, '') });
		expect(result).toEqual({
			status: 'Error',
			message:
				'Nothing at the Base URL answers as the PayRequest API (HTTP 404 for /v1/invoices): set the Base URL to the API address, which ends in /api, such as https://payrequest.app/api.',
		});
	});
});

describe('Invoice list search (the "From List" mode)', () => {
	test('shows number, customer, amount, due date and status, 50 at a time, and pages as the user scrolls', async () => {
		const created = addInvoices(fixture.emulator, 120);
		const customers = new Map(fixture.emulator.customers().map((customer) => [customer.id, customer]));
		const first = await searchInvoiceList(fixture.credential);
		expect(first.results).toHaveLength(50);
		const shownCustomer = customers.get(created[0].customer_id)!;
		expect(first.results[0]).toEqual({
			name: `${created[0].invoice_number} · ${shownCustomer.company ?? shownCustomer.name} · ${created[0].amount.toFixed(2)} EUR · due ${created[0].due_date} · ${created[0].status}`,
			value: String(created[0].id),
		});
		expect(first.paginationToken).toBe('2');
		const second = await searchInvoiceList(fixture.credential, undefined, first.paginationToken);
		const third = await searchInvoiceList(fixture.credential, undefined, second.paginationToken);
		expect(third.paginationToken).toBeUndefined();
		expect([...first.results, ...second.results, ...third.results].map((result) => result.value)).toEqual(created.map((invoice) => String(invoice.id)));
		expect(invoiceRequests().map((request) => request.query)).toEqual(['1', '2', '3'].map((page) => ({ page, per_page: '50' })));
	});

	test('never waits out the rate limit: a spent limit is an error that says so, within a second', async () => {
		addInvoices(fixture.emulator, 60);
		fixture.emulator.setRateLimit({ perMinute: 1, burst: 0 });
		expect((await searchInvoiceList(fixture.credential)).results).toHaveLength(50);
		const started = Date.now();
		await expect(searchInvoiceList(fixture.credential)).rejects.toThrow(/^PayRequest's rate limit is reached; try again in \d+ s$/);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	test('a slow answer ends the search after 5 s, not the 60 s of a node run', async () => {
		addInvoices(fixture.emulator, 10);
		fixture.emulator.injectFaults(1, { delayMs: 30_000 });
		const started = Date.now();
		await expect(searchInvoiceList(fixture.credential)).rejects.toThrow(/^PayRequest did not answer GET \/v1\/invoices\?page=1&per_page=50 within 5 s$/);
		expect(Date.now() - started).toBeLessThan(6_500);
	}, 15_000);

	test('a search term matches invoice number, reference or customer, reading on across pages', async () => {
		const created = addInvoices(fixture.emulator, 120);
		const wanted = created[110];
		const result = await searchInvoiceList(fixture.credential, wanted.invoice_number.toLowerCase());
		expect(result.results.map((entry) => entry.value)).toEqual([String(wanted.id)]);
		expect(result.paginationToken).toBeUndefined();
		expect(invoiceRequests()).toHaveLength(3);
	});
});
