/**
 * Simplify through n8n-core's engine against each provider's emulator: every Get and Get Many, and
 * every trigger, gives the same compact fields in the same names for PayRequest, Alternative
 * Payments and Paisr, and the provider's object as it came when Simplify is off. (The harness runs
 * nodes with Simplify off unless told: these tests say `simple: true`; descriptions.test.cts checks
 * that it is on by default.)
 */
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import type { StoredOAuth2Credential, StoredPaisrCredential, TestCredential } from '../engine/harness.cjs';
import {
	ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
	ALTERNATIVE_PAYMENTS_TRIGGER_TYPE,
	ALTERNATIVE_PAYMENTS_TYPE,
	PAISR_OVERDUE_TRIGGER_TYPE,
	PAISR_TRIGGER_TYPE,
	PAISR_TYPE,
	PollingWorkflow,
	runNode,
	WebhookTriggerWorkflow,
} from '../engine/harness.cjs';

jest.setTimeout(30_000);

const DAY = 86_400_000;
const INVOICE_KEYS = ['amountNet', 'amountTax', 'amountTotal', 'currency', 'customer', 'daysOverdue', 'dueDate', 'id', 'number', 'paymentLink', 'provider', 'status'];
const CUSTOMER_KEYS = ['email', 'id', 'name', 'portalLink', 'provider'];
const PAYMENT_KEYS = ['amount', 'createdAt', 'currency', 'customerId', 'id', 'invoiceId', 'provider', 'status'];
const keysOf = (json: Record<string, unknown>) => Object.keys(json).sort();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const GRACE = { name: 'Grace Hopper', email: 'grace@example.com' };

describe('PayRequest', () => {
	let emulator: PayRequestEmulator;
	let credential: TestCredential;
	const NOW = Date.parse('2025-03-01T12:00:00Z');
	beforeEach(async () => {
		emulator = new PayRequestEmulator({ now: instant(NOW), seed: { customers: 0, invoices: 0, seed: 1 } });
		credential = { accessToken: 'test-token-rw', baseUrl: await emulator.listen() };
		const customer = emulator.addCustomer(GRACE);
		// 100 before tax at 21 % and 50 at 0 %: 150 net, 21 tax, 171 in all; due 5 days before the emulator's today.
		emulator.addInvoice({
			id: 4001,
			invoice_number: 'INV-004001',
			customer_id: customer.id,
			date: '2025-02-01',
			due_date: '2025-02-24',
			items: [
				{ description: 'Work', quantity: 2, unit_price: 50, tax_rate: 21 },
				{ description: 'Book', quantity: 1, unit_price: 50, tax_rate: 0 },
			],
		});
		emulator.addInvoice({ id: 4002, customer_id: customer.id, date: '2025-02-01', due_date: '2025-02-10', status: 'paid' });
	});
	afterEach(async () => {
		restoreNodeClock();
		await emulator.close();
	});
	// The node counts days on the emulator's clock.
	beforeEach(() => setNodeClock(NOW));
	const run = async (parameters: Record<string, unknown>) => await runNode({ credential, parameters: { resource: 'invoice', simple: true, ...parameters } });

	test('Get Overdue: the compact invoice, with the tax from the lines, the days overdue (in the workflow’s time zone) and its payment link', async () => {
		const { items, error } = await run({ operation: 'getOverdue', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(keysOf(items[0].json)).toEqual(INVOICE_KEYS);
		expect(items[0].json).toEqual({
			id: '4001',
			number: 'INV-004001',
			status: 'pending',
			currency: 'EUR',
			amountNet: 150,
			amountTax: 21,
			amountTotal: 171,
			dueDate: '2025-02-24',
			daysOverdue: 5,
			customer: { id: expect.any(String), name: 'Grace Hopper', email: 'grace@example.com' },
			paymentLink: 'https://payrequest.me/emulator/invoice/4001',
			provider: 'payRequest',
		});
	});

	test('Get and Get Many: the same fields; a paid invoice is not overdue; Simplify off gives PayRequest’s own object', async () => {
		const one = await run({ operation: 'get', invoiceId: { mode: 'id', value: '4002' } });
		expect(keysOf(one.items[0].json)).toEqual(INVOICE_KEYS);
		expect(one.items[0].json).toMatchObject({ id: '4002', status: 'paid', daysOverdue: null, paymentLink: null, amountNet: 100, amountTax: 0, amountTotal: 100 });
		const many = await run({ operation: 'getAll', returnAll: true });
		expect(many.items.map((item) => keysOf(item.json))).toEqual([INVOICE_KEYS, INVOICE_KEYS]);
		const raw = await run({ operation: 'get', invoiceId: { mode: 'id', value: '4001' }, simple: false });
		expect(raw.items[0].json).toMatchObject({ id: 4001, invoice_number: 'INV-004001', amount: 150, invoice_items: expect.any(Array), transactions: [] });
	});

	test('the trigger: overdue and created events come compact with their event; off, as PayRequest sent them', async () => {
		const overdue = new PollingWorkflow({ event: 'invoiceOverdue', simple: true, options: { emitExisting: true } }, credential);
		const [event] = (await overdue.poll()).items;
		expect(event.json).toMatchObject({ id: '4001', amountTotal: 171, daysOverdue: 5, provider: 'payRequest', event: 'invoiceOverdue' });
		expect(keysOf(event.json)).toEqual([...INVOICE_KEYS, 'event'].sort());

		const created = new PollingWorkflow({ event: 'invoiceCreated', simple: true }, credential);
		expect((await created.poll()).items).toEqual([]);
		emulator.addInvoice({ id: 4003, customer_id: emulator.customers()[0].id, date: '2025-03-01', due_date: '2099-03-15' });
		const [createdEvent] = (await created.poll()).items;
		expect(createdEvent.json).toMatchObject({ id: '4003', daysOverdue: null, event: 'invoiceCreated', customer: { email: 'grace@example.com' } });

		const raw = new PollingWorkflow({ event: 'invoiceOverdue', simple: false, options: { emitExisting: true } }, credential);
		expect((await raw.poll()).items[0].json).toMatchObject({ id: 4001, days_overdue: 5, invoice_number: 'INV-004001', event: 'invoiceOverdue' });
	});
});

describe('Alternative Payments', () => {
	let emulator: AltPaymentsEmulator;
	let credential: StoredOAuth2Credential;
	beforeEach(async () => {
		emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 0, invoices: 0 } });
		credential = { environment: 'custom', baseUrl: await emulator.listen(), clientId: 'client-full', clientSecret: 'secret-full' };
	});
	afterEach(async () => await emulator.close());
	const run = async (parameters: Record<string, unknown>) => await runNode({ nodeType: ALTERNATIVE_PAYMENTS_TYPE, oauth2Credential: credential, parameters: { simple: true, ...parameters } });
	const customerReads = () => emulator.requests.filter((request) => /^\/customers\/[^/]+$/.test(request.path));

	test('Get Many invoices: compact, with tax as total less sub-total and each customer read once for its name and email', async () => {
		const grace = emulator.addCustomer(GRACE);
		const alan = emulator.addCustomer({ name: 'Alan Turing', email: 'alan@example.com' });
		const dueDay = day(Date.now() - 4 * DAY);
		emulator.addInvoice({ id: 'inv_1', invoice_number: 'AP-1', customer_id: grace.id, due_date: dueDay, sub_total: 100, total: 108.25, line_items: [{ description: 'Work', quantity: 1, amount: 100 }] });
		emulator.addInvoice({ id: 'inv_2', invoice_number: 'AP-2', customer_id: grace.id, due_date: day(Date.now() + 4 * DAY) });
		emulator.addInvoice({ id: 'inv_3', invoice_number: 'AP-3', customer_id: alan.id, due_date: dueDay, status: 'paid' });
		const { items, error } = await run({ resource: 'invoice', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => keysOf(item.json))).toEqual([INVOICE_KEYS, INVOICE_KEYS, INVOICE_KEYS]);
		const byId = Object.fromEntries(items.map((item) => [item.json.id, item.json]));
		expect(byId.inv_1).toEqual({
			id: 'inv_1',
			number: 'AP-1',
			status: 'open',
			currency: 'USD',
			amountNet: 100,
			amountTax: 8.25,
			amountTotal: 108.25,
			dueDate: dueDay,
			daysOverdue: 4,
			customer: { id: grace.id, name: 'Grace Hopper', email: 'grace@example.com' },
			paymentLink: null,
			provider: 'alternativePayments',
		});
		expect(byId.inv_2.daysOverdue).toBeNull();
		expect(byId.inv_3).toMatchObject({ status: 'paid', daysOverdue: null, customer: { name: 'Alan Turing' } });
		// Two customers, two reads: not one per invoice.
		expect(customerReads().map((request) => request.path).sort()).toEqual([`/customers/${alan.id}`, `/customers/${grace.id}`].sort());
	});

	test('Get of an invoice, a customer and Get Many payments are compact; Simplify off reads no customer and gives the object as it came', async () => {
		const grace = emulator.addCustomer(GRACE);
		const invoice = emulator.addInvoice({ customer_id: grace.id });
		emulator.addPayment({ invoice_id: invoice.id });
		const got = await run({ resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: invoice.id } });
		expect(got.items[0].json).toMatchObject({ id: invoice.id, customer: { name: 'Grace Hopper' }, provider: 'alternativePayments' });
		const customer = await run({ resource: 'customer', operation: 'get', customerId: { mode: 'id', value: grace.id } });
		expect(customer.items[0].json).toEqual({ id: grace.id, name: 'Grace Hopper', email: 'grace@example.com', portalLink: null, provider: 'alternativePayments' });
		const payments = await run({ resource: 'payment', operation: 'getAll', returnAll: true });
		expect(keysOf(payments.items[0].json)).toEqual(PAYMENT_KEYS);
		// The Payment schema has no invoice_id (the list only filters by it): null, not guessed.
		expect(payments.items[0].json).toMatchObject({ invoiceId: null, customerId: grace.id, amount: 100, currency: null, status: 'succeeded' });

		const before = customerReads().length;
		const raw = await run({ resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: invoice.id }, simple: false });
		expect(raw.items[0].json).toMatchObject({ id: invoice.id, customer_id: grace.id, sub_total: 100, line_items: expect.any(Array) });
		expect(customerReads().length).toBe(before);
	});

	test('the Overdue Trigger emits compact invoices with the customer; a customer that cannot be read leaves name and email null, and the event is not lost', async () => {
		const grace = emulator.addCustomer(GRACE);
		const poller = new PollingWorkflow({ simple: true, options: {} }, undefined, { nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, oauth2: credential });
		expect((await poller.poll()).items).toEqual([]);
		emulator.addInvoice({ id: 'inv_due', customer_id: grace.id, due_date: day(Date.now() - DAY) });
		emulator.addInvoice({ id: 'inv_orphan', customer_id: 'cus_gone', due_date: day(Date.now() - DAY) });
		const { items, error } = await poller.poll();
		expect(error).toBeUndefined();
		const byId = Object.fromEntries(items.map((item) => [item.json.id, item.json]));
		expect(byId.inv_due).toMatchObject({ event: 'invoiceOverdue', daysOverdue: 1, customer: { id: grace.id, name: 'Grace Hopper', email: 'grace@example.com' } });
		expect(byId.inv_orphan).toMatchObject({ event: 'invoiceOverdue', customer: { id: 'cus_gone', name: null, email: null } });
		expect((await poller.poll()).items).toEqual([]);
	});

	test('the webhook trigger: an invoice_paid delivery comes as the compact invoice with event invoicePaid', async () => {
		const grace = emulator.addCustomer(GRACE);
		const invoice = emulator.addInvoice({ customer_id: grace.id, status: 'paid' });
		const trigger = new WebhookTriggerWorkflow(ALTERNATIVE_PAYMENTS_TRIGGER_TYPE, { events: ['invoice_paid'], simple: true }, credential);
		await trigger.listen();
		try {
			if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
			await emulator.deliver('invoice_paid', invoice);
			const [json] = trigger.deliveries.flatMap((delivery) => delivery.items).map((item) => item.json);
			expect(json).toMatchObject({ id: invoice.id, status: 'paid', event: 'invoicePaid', provider: 'alternativePayments', customer: { name: 'Grace Hopper' } });
		} finally {
			await trigger.close();
		}
	});
});

describe('Paisr', () => {
	let emulator: PaisrEmulator;
	let credential: StoredPaisrCredential;
	beforeEach(async () => {
		emulator = new PaisrEmulator({ rateLimit: false, seed: { customers: 0, invoices: 0 } });
		credential = { environment: 'custom', baseUrl: await emulator.listen(), accessToken: 'paisr-full' };
	});
	afterEach(async () => await emulator.close());
	const run = async (parameters: Record<string, unknown>) => await runNode({ nodeType: PAISR_TYPE, paisrCredential: credential, parameters: { simple: true, ...parameters } });

	test('Get and Get Many invoices: compact, net total as the total, no tax stated, the checkout link as payment link', async () => {
		const grace = emulator.addCustomer({ ...GRACE, default_currency: 'USD' });
		const due = Date.now() - 2 * DAY;
		const invoice = emulator.addInvoice({ customer_id: grace.id, due_at: instant(due), items: [{ description: 'Work', quantity: 2, unit_price: 60.5 }] });
		const got = await run({ resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: invoice.id } });
		expect(got.error).toBeUndefined();
		expect(keysOf(got.items[0].json)).toEqual(INVOICE_KEYS);
		expect(got.items[0].json).toEqual({
			id: invoice.id,
			number: String(invoice.sid),
			status: 'unpaid',
			currency: 'USD',
			amountNet: 121,
			amountTax: null,
			amountTotal: 121,
			dueDate: day(due),
			daysOverdue: 2,
			customer: { id: grace.id, name: 'Grace Hopper', email: 'grace@example.com' },
			paymentLink: expect.stringMatching(/\/checkout\/\S+$/),
			provider: 'paisr',
		});
		const many = await run({ resource: 'invoice', operation: 'getAll', returnAll: true });
		expect(many.items.map((item) => keysOf(item.json))).toEqual([INVOICE_KEYS]);
		const raw = await run({ resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: invoice.id }, simple: false });
		expect(raw.items[0].json).toMatchObject({ id: invoice.id, sid: invoice.sid, amount: { net_total: 121 }, due_at: instant(due) });
	});

	test('a customer comes with its portal link; payments compact, with the amount paid', async () => {
		const grace = emulator.addCustomer(GRACE);
		const invoice = emulator.addInvoice({ customer_id: grace.id });
		const payment = emulator.addPayment({ invoice_id: invoice.id });
		const customer = await run({ resource: 'customer', operation: 'get', customerId: { mode: 'id', value: grace.id } });
		expect(keysOf(customer.items[0].json)).toEqual(CUSTOMER_KEYS);
		expect(customer.items[0].json).toMatchObject({ id: grace.id, name: 'Grace Hopper', email: 'grace@example.com', portalLink: expect.stringMatching(/\/portal\/\S+$/), provider: 'paisr' });
		const customers = await run({ resource: 'customer', operation: 'getAll', returnAll: true });
		expect(customers.items[0].json).toMatchObject({ id: grace.id, portalLink: null });
		for (const parameters of [
			{ resource: 'payment', operation: 'get', paymentId: { mode: 'id', value: payment.id } },
			{ resource: 'payment', operation: 'getAll', returnAll: true },
		]) {
			const { items } = await run(parameters);
			expect(keysOf(items[0].json)).toEqual(PAYMENT_KEYS);
			expect(items[0].json).toMatchObject({ id: payment.id, invoiceId: invoice.id, amount: 100, customerId: null, provider: 'paisr' });
		}
	});

	test('the Overdue Trigger and the webhook trigger emit compact invoices with their event', async () => {
		const grace = emulator.addCustomer(GRACE);
		const poller = new PollingWorkflow({ simple: true, options: {} }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: credential });
		expect((await poller.poll()).items).toEqual([]);
		const late = emulator.addInvoice({ customer_id: grace.id, due_at: instant(Date.now() - 2 * 86_400_000) });
		const [overdue] = (await poller.poll()).items;
		// Due two days ago (UTC, the workflow's zone here): two whole days overdue.
		expect(overdue.json).toMatchObject({ id: late.id, event: 'invoiceOverdue', daysOverdue: 2, customer: { email: 'grace@example.com' } });

		const trigger = new WebhookTriggerWorkflow(PAISR_TRIGGER_TYPE, { events: ['invoice.paid', 'invoice.removed'], simple: true }, undefined, credential);
		await trigger.listen();
		try {
			if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
			emulator.markPaid(late.id);
			await emulator.deliver('invoice.paid', late.id);
			await emulator.deliver('invoice.removed', 'inv_gone');
			const [paid, removed] = trigger.deliveries.flatMap((delivery) => delivery.items).map((item) => item.json);
			expect(paid).toMatchObject({ id: late.id, status: 'paid', daysOverdue: null, event: 'invoicePaid', provider: 'paisr' });
			expect(keysOf(paid)).toEqual([...INVOICE_KEYS, 'event'].sort());
			expect(removed).toEqual({ id: 'inv_gone', provider: 'paisr', event: 'invoiceRemoved' });
		} finally {
			await trigger.close();
		}
	});
});
