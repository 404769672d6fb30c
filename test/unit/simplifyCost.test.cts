/**
 * What Simplify costs on Alternative Payments, through n8n-core's engine against the emulator: its
 * invoices carry only the customer's id, and Simplify reads customers in bulk (the customer list, a
 * page at a time, once per execution or poll), never one request per invoice or per customer.
 */
import { RATE_POLICY } from '../../nodes/AlternativePayments/transport';
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import type { StoredOAuth2Credential } from '../engine/harness.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, ALTERNATIVE_PAYMENTS_TYPE, PollingWorkflow, runNode } from '../engine/harness.cjs';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('Alternative Payments Simplify reads customers in bulk', () => {
	let emulator: AltPaymentsEmulator;
	let credential: StoredOAuth2Credential;
	// These count requests: the node's own pacing (5 a second) would only make them slow.
	const savedPolicy = { ...RATE_POLICY };
	beforeAll(() => Object.assign(RATE_POLICY, { requests: 1000 }));
	afterAll(() => Object.assign(RATE_POLICY, savedPolicy));
	beforeEach(async () => {
		emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 0, invoices: 0 } });
		credential = { environment: 'custom', baseUrl: await emulator.listen(), clientId: 'client-full', clientSecret: 'secret-full' };
	});
	afterEach(async () => await emulator.close());

	/** API requests since the last mark (token requests are n8n's, the same either way). */
	const apiRequests = () => emulator.requests.filter((request) => request.path !== '/oauth/token');
	const counted = async <T,>(run: () => Promise<T>): Promise<{ result: T; requests: Array<{ path: string; query: Record<string, string> }> }> => {
		const before = apiRequests().length;
		const result = await run();
		return { result, requests: apiRequests().slice(before) };
	};
	/** `count` customers, and `invoices` invoices naming them in turn. */
	const account = (customers: number, invoices: number, dueDate?: string) => {
		const made = Array.from({ length: customers }, (_, index) => emulator.addCustomer({ name: `Customer ${index}`, email: `c${index}@example.com` }));
		for (let index = 0; index < invoices; index++) emulator.addInvoice({ customer_id: made[index % customers].id, ...(dueDate ? { due_date: dueDate } : {}) });
		return made;
	};
	const getMany = async (simple: boolean) =>
		await runNode({ nodeType: ALTERNATIVE_PAYMENTS_TYPE, oauth2Credential: credential, parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, simple } });

	test('Return All of 200 invoices naming 150 customers: Simplify on costs one request more than off, and names every customer', async () => {
		const customers = account(150, 200);
		// Customers no invoice names are in the list too.
		for (let index = 0; index < 60; index++) emulator.addCustomer();
		const off = await counted(async () => await getMany(false));
		const on = await counted(async () => await getMany(true));
		expect(off.result.error).toBeUndefined();
		expect(on.result.error).toBeUndefined();
		expect(off.requests).toHaveLength(2);
		expect(on.requests.length).toBeLessThanOrEqual(off.requests.length + 1);
		expect(on.requests.filter((request) => /^\/customers\/./.test(request.path))).toEqual([]);
		expect(on.result.items).toHaveLength(200);
		const names = new Map(customers.map((customer) => [customer.id, { id: customer.id, name: customer.name, email: customer.email }]));
		for (const item of on.result.items) expect(item.json.customer).toEqual(names.get((item.json.customer as { id: string }).id));
	});

	test('Get over 40 input items naming 40 customers: the customers are shared across the items, not read per item', async () => {
		account(40, 40);
		const ids = emulator.listInvoices().map((invoice) => invoice.id);
		const get = async (simple: boolean) =>
			await runNode({
				nodeType: ALTERNATIVE_PAYMENTS_TYPE,
				oauth2Credential: credential,
				input: ids.map((id) => ({ id })),
				parameters: { resource: 'invoice', operation: 'get', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simple },
			});
		const off = await counted(async () => await get(false));
		const on = await counted(async () => await get(true));
		expect(off.result.error).toBeUndefined();
		expect(on.result.error).toBeUndefined();
		expect(off.requests).toHaveLength(40);
		// The first few customers one by one (as for a single Get), then the customer list once.
		const byId = on.requests.filter((request) => /^\/customers\/./.test(request.path));
		const listPages = on.requests.filter((request) => request.path === '/customers');
		expect(byId.length).toBeLessThanOrEqual(10);
		expect(listPages).toHaveLength(1);
		expect(on.requests.length).toBeLessThanOrEqual(off.requests.length + 11);
		expect(on.result.items.map((item) => (item.json.customer as { name: unknown }).name)).toEqual(Array.from({ length: 40 }, (_, index) => `Customer ${index}`));
	});

	test('a server that refuses the large customer page (400) is asked again with the documented default, and the names still come', async () => {
		account(30, 150);
		emulator.injectFaults(1, { status: 400, body: JSON.stringify({ code: 'bad_request', message: 'limit too large' }) }, (request) => request.path === '/customers');
		const on = await counted(async () => await getMany(true));
		expect(on.result.error).toBeUndefined();
		const listPages = on.requests.filter((request) => request.path === '/customers');
		expect(listPages.map((request) => request.query.limit)).toEqual(['500', '100']);
		expect(on.result.items.every((item) => typeof (item.json.customer as { name: unknown }).name === 'string')).toBe(true);
	});

	test('the Overdue Trigger: a poll emitting 250 invoices naming 200 customers costs one request more with Simplify than without', async () => {
		const trigger = (simple: boolean) =>
			new PollingWorkflow({ simple, options: {} }, undefined, { nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, oauth2: credential });
		const off = trigger(false);
		const on = trigger(true);
		expect((await off.poll()).items).toEqual([]);
		expect((await on.poll()).items).toEqual([]);
		const customers = account(200, 250, day(Date.now() - DAY));
		const offPoll = await counted(async () => await off.poll());
		const onPoll = await counted(async () => await on.poll());
		expect(offPoll.result.items).toHaveLength(250);
		expect(onPoll.result.items).toHaveLength(250);
		expect(onPoll.requests.length).toBeLessThanOrEqual(offPoll.requests.length + 1);
		const names = new Map(customers.map((customer) => [customer.id, customer.name]));
		for (const item of onPoll.result.items) {
			const customer = item.json.customer as { id: string; name: unknown };
			expect(customer.name).toBe(names.get(customer.id));
		}
	});
});
