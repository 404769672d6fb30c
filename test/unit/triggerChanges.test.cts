// The PayRequest Trigger's Invoice Created and Invoice Paid events through n8n-core's poll path,
// against the emulator listing oldest or newest first, with the static data saved by n8n's rule
// (after the activation poll and after polls that emit) and n8n restarts in between: each event
// once, and what each poll costs in requests.
import { addInvoices, useEmulator } from '../engine/emulatorFixture.cjs';
import type { SaveRule } from '../engine/harness.cjs';
import { PollingWorkflow } from '../engine/harness.cjs';
import type { ListOrder } from '../emulator/PayRequestEmulator.cjs';
import { MAX_PAGES_PER_POLL } from '../../nodes/PayRequest/trigger/changePoll';
import type { ChangeEvent, ChangeState } from '../../nodes/PayRequest/trigger/invoiceChanges';
import { readChangeState } from '../../nodes/PayRequest/trigger/invoiceChanges';

jest.setTimeout(60_000);

const fixture = useEmulator({ seed: { customers: 2, invoices: 0, seed: 1 } });
const STATE_OWNER = 'node:PayRequest Trigger';
const STATS = '/api/v1/invoices/stats';

const trigger = (event: ChangeEvent, options: Record<string, unknown> = {}, saveRule: SaveRule = 'n8n') => {
	const workflow = new PollingWorkflow({ event, options }, fixture.credential);
	workflow.saveRule = saveRule;
	return workflow;
};
async function poll(workflow: PollingWorkflow) {
	const before = fixture.emulator.requests.length;
	const outcome = await workflow.poll();
	const requests = fixture.emulator.requests.slice(before);
	return { ...outcome, ids: outcome.items.map((item) => Number(item.json.id)), paths: requests.map((request) => `${request.path}${request.query.page ? `?page=${request.query.page}` : ''}`) };
}
/** The trigger's state as n8n stored it, for the event it was recorded for, read as the trigger reads it. */
const stored = (workflow: PollingWorkflow): ChangeState | undefined => {
	const state = workflow.storedState()[STATE_OWNER] as { event: ChangeEvent } & Record<string, unknown>;
	return readChangeState(state[`${state.event}State`]);
};
const page = (number: number) => `/api/v1/invoices?page=${number}`;
const newInvoice = (status = 'pending') => {
	const customer = fixture.emulator.customers()[0].id;
	return fixture.emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status, items: [{ description: 'x', quantity: 1, unit_price: 5 }] });
};
const orders: ListOrder[] = ['oldestFirst', 'newestFirst'];

describe.each(orders)('Invoice Created, list %s', (order) => {
	beforeEach(() => fixture.emulator.setListOrder(order));
	const newest = (total: number) => (order === 'oldestFirst' ? page(Math.ceil(total / 100)) : page(1));

	test('activation reads both ends of the list (2 requests); a quiet poll reads the newest page (1); a new invoice is emitted once, with event, in 1 request', async () => {
		addInvoices(fixture.emulator, 250);
		const created = trigger('invoiceCreated');
		const first = await poll(created);
		expect(first.items).toEqual([]);
		expect(first.paths).toEqual([page(1), page(3)]);
		expect(stored(created)).toMatchObject({ order: order === 'oldestFirst' ? 'ascending' : 'descending', mark: fixture.emulator.listInvoices()[249].id });
		expect((await poll(created)).paths).toEqual([newest(250)]);
		const fresh = newInvoice();
		const second = await poll(created);
		expect(second.ids).toEqual([fresh.id]);
		expect(second.items[0].json).toMatchObject({ id: String(fresh.id), number: fresh.invoice_number, event: 'invoiceCreated' });
		expect(second.paths).toEqual([newest(251)]);
		expect((await poll(created)).items).toEqual([]);
		// A payment or a delete is not a creation, and costs nothing more.
		fixture.emulator.markPaid(fresh.id);
		fixture.emulator.removeInvoice(fixture.emulator.listInvoices()[0].id);
		const quiet = await poll(created);
		expect(quiet.items).toEqual([]);
		expect(quiet.paths.length).toBeLessThanOrEqual(2);
	});

	test('5,000 invoices: one created right after activation, quiet polls, an n8n restart, then another: each emitted exactly once', async () => {
		addInvoices(fixture.emulator, 5000);
		const created = trigger('invoiceCreated');
		await poll(created);
		const early = newInvoice();
		expect((await poll(created)).ids).toEqual([early.id]);
		for (let index = 0; index < 3; index++) expect((await poll(created)).items).toEqual([]);
		created.restart();
		expect((await poll(created)).items).toEqual([]);
		const fresh = newInvoice();
		expect((await poll(created)).ids).toEqual([fresh.id]);
		created.restart();
		expect((await poll(created)).items).toEqual([]);
		expect((await poll(created)).items).toEqual([]);
	});

	test('more new invoices than one poll may read: read over several polls, newest page first, each once', async () => {
		addInvoices(fixture.emulator, 120);
		const created = trigger('invoiceCreated');
		await poll(created);
		const fresh = addInvoices(fixture.emulator, 100 * MAX_PAGES_PER_POLL + 250);
		const emitted: unknown[] = [];
		const costs: number[] = [];
		for (let index = 0; index < 6; index++) {
			const result = await poll(created);
			emitted.push(...result.ids);
			costs.push(result.paths.length);
			if (index % 2 === 1) created.restart();
		}
		expect(new Set(emitted).size).toBe(emitted.length);
		expect([...emitted].sort()).toEqual(fresh.map((invoice) => invoice.id).sort());
		expect(Math.max(...costs)).toBeLessThanOrEqual(MAX_PAGES_PER_POLL);
	});

	test('a failed poll saves nothing: the next one emits what it missed, once', async () => {
		addInvoices(fixture.emulator, 20);
		const created = trigger('invoiceCreated');
		await poll(created);
		const [fresh] = addInvoices(fixture.emulator, 1);
		fixture.emulator.injectFaults(4, { status: 500 }, (request) => request.path === '/api/v1/invoices');
		expect((await poll(created)).error?.message).toMatch(/server error/);
		expect((await poll(created)).ids).toEqual([fresh.id]);
		expect((await poll(created)).ids).toEqual([]);
	});
});

describe.each(orders)('Invoice Paid, list %s', (order) => {
	beforeEach(() => fixture.emulator.setListOrder(order));

	test('once per change to paid; a new invoice already paid counts; a partial payment does not; a reopened invoice paid again is a second change', async () => {
		const invoices = addInvoices(fixture.emulator, 30);
		const unpaid = invoices.filter((invoice) => invoice.status !== 'paid');
		const paid = trigger('invoicePaid');
		await poll(paid);
		// Quiet: the statistics and one page of the steady recording.
		const quiet = await poll(paid);
		expect(quiet.paths[0]).toBe(STATS);
		expect(quiet.paths.length).toBeLessThanOrEqual(2);
		fixture.emulator.markPaid(unpaid[0].id);
		fixture.emulator.setStatus(unpaid[1].id, 'partial');
		const [born] = addInvoices(fixture.emulator, 1);
		fixture.emulator.markPaid(born.id);
		const second = await poll(paid);
		expect(second.ids.sort()).toEqual([unpaid[0].id, born.id].sort());
		expect(second.items.every((item) => item.json.event === 'invoicePaid' && item.json.status === 'paid')).toBe(true);
		// One page holds every unpaid invoice here: the statistics, that page, and a page of the recording at most.
		expect(second.paths.length).toBeLessThanOrEqual(3);
		expect((await poll(paid)).items).toEqual([]);
		// Reopened, then paid again once the recording has seen it unpaid: a second change to paid.
		fixture.emulator.setStatus(unpaid[0].id, 'pending');
		await poll(paid);
		await poll(paid);
		fixture.emulator.markPaid(unpaid[0].id);
		expect((await poll(paid)).ids).toEqual([unpaid[0].id]);
		// State: the unpaid invoices only, each with the page it was seen on.
		const open = fixture.emulator.listInvoices().filter((invoice) => invoice.status !== 'paid').map((invoice) => String(invoice.id));
		expect(Object.keys(stored(paid)?.unpaid ?? {}).sort()).toEqual(open.sort());
	});

	test('5,000 invoices: one paid right after activation, quiet polls, an n8n restart, then another: each emitted exactly once, at a cost of 2 + the pages that hold unpaid invoices', async () => {
		const invoices = addInvoices(fixture.emulator, 5000);
		const paid = trigger('invoicePaid');
		await poll(paid);
		// One paid right after activation, while the recording of a long account is still going on.
		const unpaidInvoices = [...invoices].reverse().filter((invoice) => invoice.status !== 'paid');
		fixture.emulator.markPaid(unpaidInvoices[1].id);
		expect((await poll(paid)).ids).toEqual([unpaidInvoices[1].id]);
		for (let index = 0; index < 3; index++) expect((await poll(paid)).items).toEqual([]);
		paid.restart();
		expect((await poll(paid)).items).toEqual([]);
		const target = unpaidInvoices[0];
		fixture.emulator.markPaid(target.id);
		const result = await poll(paid);
		expect(result.ids).toEqual([target.id]);
		const listed = order === 'oldestFirst' ? fixture.emulator.listInvoices() : [...fixture.emulator.listInvoices()].reverse();
		const pagesHoldingUnpaid = new Set(listed.map((invoice, index) => (invoice.status !== 'paid' ? Math.floor(index / 100) : -1)).filter((pageIndex) => pageIndex >= 0)).size;
		expect(result.paths.length).toBeLessThanOrEqual(2 + pagesHoldingUnpaid);
		paid.restart();
		expect((await poll(paid)).items).toEqual([]);
		expect((await poll(paid)).items).toEqual([]);
	});
});

describe.each(orders)('durable poll cursors, list %s', (order) => {
	beforeEach(() => fixture.emulator.setListOrder(order));

	test("n8n drops the quiet activation poll's state; the process remembers it: an invoice created, and one paid, before the first scheduled poll are each emitted once", async () => {
		const invoices = addInvoices(fixture.emulator, 250);
		const created = trigger('invoiceCreated', {}, 'durable');
		const paid = trigger('invoicePaid', {}, 'durable');
		for (const workflow of [created, paid]) expect((await poll(workflow)).items).toEqual([]);
		expect([created.hasSaved, paid.hasSaved]).toEqual([false, false]);
		const fresh = newInvoice();
		const target = invoices.filter((invoice) => invoice.status !== 'paid')[100];
		fixture.emulator.markPaid(target.id);
		expect((await poll(created)).ids).toEqual([fresh.id]);
		expect((await poll(paid)).ids).toEqual([target.id]);
		for (const workflow of [created, paid]) {
			expect(workflow.hasSaved).toBe(true);
			expect((await poll(workflow)).items).toEqual([]);
		}
	});
});

describe.each(orders)('Invoice Paid when every page holds unpaid invoices, list %s', (order) => {
	beforeEach(() => fixture.emulator.setListOrder(order));

	test('5,000 invoices, two in three unpaid, one created since: a payment mid-list costs at most 2 requests more than the pages that hold unpaid invoices (50 or 51), over the polls it takes', async () => {
		const invoices = addInvoices(fixture.emulator, 5000);
		const paid = trigger('invoicePaid');
		// Activation and the first recording.
		for (let index = 0; index < 4; index++) await poll(paid);
		// A new invoice: on a newest-first list every other one moves a place, so the pages last seen are off by one.
		const [born] = addInvoices(fixture.emulator, 1);
		fixture.emulator.setStatus(born.id, 'pending');
		expect((await poll(paid)).items).toEqual([]);
		const target = invoices.filter((invoice) => invoice.status !== 'paid')[1500];
		fixture.emulator.markPaid(target.id);
		// Every poll until the check is done (the next poll is a quiet one: the statistics and a page).
		let requests = 0;
		const emitted: unknown[] = [];
		for (let index = 0; index < 5; index++) {
			const result = await poll(paid);
			if (index > 0 && result.paths.length <= 2 && result.items.length === 0) break;
			requests += result.paths.length;
			emitted.push(...result.ids);
		}
		expect(emitted).toEqual([target.id]);
		const listed = order === 'oldestFirst' ? fixture.emulator.listInvoices() : [...fixture.emulator.listInvoices()].reverse();
		const pagesHoldingUnpaid = new Set(listed.map((invoice, index) => (invoice.status !== 'paid' ? Math.floor(index / 100) : -1)).filter((pageIndex) => pageIndex >= 0)).size;
		expect(pagesHoldingUnpaid).toBeGreaterThanOrEqual(50);
		expect(requests).toBeLessThanOrEqual(2 + pagesHoldingUnpaid);
	});
});

describe('changing Event on an active trigger', () => {
	test('each event keeps its own state, and a change of Event starts a fresh recording that emits nothing from before, switched back too', async () => {
		addInvoices(fixture.emulator, 30);
		const active = trigger('invoiceCreated');
		await poll(active);
		const early = newInvoice();
		expect((await poll(active)).ids).toEqual([early.id]);
		const unpaid = fixture.emulator.listInvoices().filter((invoice) => invoice.status !== 'paid');
		// Paid before the switch, and created before it: not Invoice Paid's to emit.
		fixture.emulator.markPaid(unpaid[0].id);
		active.withParameters({ event: 'invoicePaid', options: {} });
		expect((await poll(active)).items).toEqual([]);
		const whilePaid = newInvoice();
		expect((await poll(active)).items).toEqual([]);
		fixture.emulator.markPaid(unpaid[1].id);
		expect((await poll(active)).ids).toEqual([unpaid[1].id]);
		expect(Object.keys(active.storedState()[STATE_OWNER] as object).sort()).toEqual(['event', 'invoicePaidState']);
		// Back to Invoice Created: the invoice made while Paid was on is from before, and is not emitted.
		active.withParameters({ event: 'invoiceCreated', options: {} });
		expect((await poll(active)).items).toEqual([]);
		expect((await poll(active)).items).toEqual([]);
		const late = newInvoice();
		expect((await poll(active)).ids).toEqual([late.id]);
		expect(fixture.emulator.listInvoices().some((invoice) => invoice.id === whilePaid.id)).toBe(true);
		// Invoice Became Overdue, away and back: an invoice that fell overdue in between is from before.
		active.withParameters({ event: 'invoiceOverdue' });
		expect((await poll(active)).items).toEqual([]);
		active.withParameters({ event: 'invoiceCreated', options: {} });
		await poll(active);
		const overdue = fixture.emulator.addInvoice({ customer_id: fixture.emulator.customers()[0].id, date: '2025-02-01', due_date: '2025-02-20', status: 'pending', items: [{ description: 'x', quantity: 1, unit_price: 5 }] });
		expect((await poll(active)).ids).toEqual([overdue.id]);
		active.withParameters({ event: 'invoiceOverdue' });
		expect((await poll(active)).items).toEqual([]);
		expect((await poll(active)).items).toEqual([]);
	});
});

describe('in the editor, and a bad option', () => {
	test('Fetch Test Event shows the newest invoice (Created) or the newest paid one (Paid) of the first page, and leaves the state alone', async () => {
		const invoices = addInvoices(fixture.emulator, 30);
		const newest = invoices[invoices.length - 1];
		const newestPaid = [...invoices].reverse().find((invoice) => invoice.status === 'paid')!;
		const created = trigger('invoiceCreated');
		const sample = await created.poll('manual');
		expect(sample.items.map((item) => [item.json.id, item.json.event])).toEqual([[String(newest.id), 'invoiceCreated']]);
		expect((await trigger('invoicePaid').poll('manual')).items.map((item) => [item.json.id, item.json.event])).toEqual([[String(newestPaid.id), 'invoicePaid']]);
		expect(created.storedState()[STATE_OWNER] ?? {}).toEqual({});
	});

	test('Reconcile Every under 5 minutes stops the poll with the field named, before any request', async () => {
		const { error, paths } = await poll(trigger('invoiceCreated', { reconcileMinutes: 1 }));
		expect(error?.message).toBe('Reconcile Every (Minutes): must be a number of at least 5, not "1"');
		expect(paths).toEqual([]);
	});
});

