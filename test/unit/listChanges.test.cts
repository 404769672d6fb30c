/**
 * Return All while the list changes under it, and lists whose paginator says less than Laravel's:
 * through n8n-core's engine against the emulator, which creates or deletes invoices between the
 * page requests it answers.
 */
import { addInvoices, useEmulator } from '../engine/emulatorFixture.cjs';
import { runNode } from '../engine/harness.cjs';

jest.setTimeout(60_000);

const fixture = useEmulator();

const getAll = (options: Record<string, unknown> = {}) => ({ resource: 'invoice', operation: 'getAll', returnAll: true, options });
const listPages = () =>
	fixture.emulator.requests.filter((request) => request.path === '/api/v1/invoices').map((request) => Number(request.query.page));
const ids = (invoices: Array<{ id: unknown }>) => invoices.map((invoice) => invoice.id);

describe('a paginator without last_page', () => {
	test.each([
		[['last_page'] as const, 450],
		[['last_page', 'total'] as const, 450],
		[['last_page', 'total'] as const, 500],
	])('without %j, %i invoices: the walk goes on past page 1 until a short or empty page, every invoice once', async (omitted, count) => {
		const created = addInvoices(fixture.emulator, count);
		fixture.emulator.omitPaginatorFields([...omitted]);
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 4 }) });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(ids(created));
		// 450: page 5 is short; 500: page 6 is empty. Without last_page, one page at a time.
		expect(listPages()).toEqual(count === 450 ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6]);
	});

	test('last_page is read from every page: a later page that names more pages than page 1 did is followed', async () => {
		const created = addInvoices(fixture.emulator, 300);
		// Page 1 says there is one page (a stale count); page 2 onwards tell the truth.
		const firstPage = created.slice(0, 100).map((invoice) => ({ id: invoice.id }));
		fixture.emulator.injectFaults(1, {
			status: 200,
			body: JSON.stringify({ success: true, data: { current_page: 1, data: firstPage, per_page: 100, last_page: 1 } }),
		});
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll() });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(ids(created));
	});
});

describe('invoices created or deleted while Return All reads the pages', () => {
	test('deleted from page 1 while page 3 is read (everything after shifts forward): re-read, none missing, none twice', async () => {
		const created = addInvoices(fixture.emulator, 450);
		const deleted = ids(created.slice(0, 5)) as number[];
		fixture.emulator.onListPage((page) => {
			if (page === 3 && fixture.emulator.listInvoices().some((invoice) => invoice.id === deleted[0])) {
				for (const id of deleted) fixture.emulator.removeInvoice(id);
			}
		});
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 1 }) });
		expect(error).toBeUndefined();
		const returned = items.map((item) => Number(item.json.id));
		expect(new Set(returned).size).toBe(returned.length);
		// Every invoice that existed for the whole run is there, in order.
		expect(returned).toEqual(ids(created.slice(5)));
		// The first read lost five at the boundary of pages 2 and 3; the list was read once more.
		expect(listPages().filter((page) => page === 1)).toHaveLength(2);
	});

	test('created before what was read while page 3 is read (everything shifts back): no invoice twice, none missing', async () => {
		const created = addInvoices(fixture.emulator, 450);
		const customer = fixture.emulator.customers()[0].id;
		// The list is in id order: ids below the first put new invoices at its head.
		fixture.emulator.onListPage((page) => {
			if (page === 3 && !fixture.emulator.listInvoices().some((invoice) => invoice.id === 1)) {
				for (let id = 1; id <= 10; id++) fixture.emulator.addInvoice({ id, customer_id: customer, date: '2025-02-01', due_date: '2025-06-30' });
			}
		});
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 1 }) });
		expect(error).toBeUndefined();
		const returned = items.map((item) => Number(item.json.id));
		expect(new Set(returned).size).toBe(returned.length);
		// The first read met ten invoices twice at the boundary of pages 2 and 3; the second read was still.
		expect(returned).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...ids(created)]);
		expect(listPages().filter((page) => page === 1)).toHaveLength(2);
	});

	test('created at the end while reading (new invoices): every invoice that existed for the whole run, once', async () => {
		const created = addInvoices(fixture.emulator, 350);
		let added = 0;
		fixture.emulator.onListPage((page) => {
			if (page === 2 && added++ === 0) addInvoices(fixture.emulator, 3);
		});
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 4 }) });
		expect(error).toBeUndefined();
		const returned = items.map((item) => Number(item.json.id));
		expect(new Set(returned).size).toBe(returned.length);
		expect(returned.slice(0, 350)).toEqual(ids(created));
	});

	test('a list that changes during every read: an error that says so, and no silently short list', async () => {
		addInvoices(fixture.emulator, 350);
		fixture.emulator.onListPage((page) => {
			if (page === 2) fixture.emulator.removeInvoice(fixture.emulator.listInvoices()[0].id);
		});
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 2 }) });
		expect(items).toEqual([]);
		expect(error?.message).toBe('The invoice list changed while it was being read, 3 times in a row');
		expect(error?.description).toMatch(/Nothing is returned rather than a list that may miss invoices/);
		expect(listPages().filter((page) => page === 1)).toHaveLength(3);

		const continued = await runNode({ credential: fixture.credential, parameters: getAll(), continueOnFail: true });
		expect(continued.items.map((item) => item.json.error)).toEqual(['The invoice list changed while it was being read, 3 times in a row']);
	});
});

describe('a very long list', () => {
	test('Return All of 150,000 invoices: every invoice once, in order, 1,500 requests (no call with one argument per item)', async () => {
		const created = addInvoices(fixture.emulator, 150_000);
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({ maxConcurrency: 8 }) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(150_000);
		let inOrder = true;
		for (let index = 0; index < created.length; index++) if (Number(items[index].json.id) !== created[index].id) inOrder = false;
		expect(inOrder).toBe(true);
		expect(listPages()).toHaveLength(1500);
	}, 300_000);
});
