// The PayRequest Trigger's Invoice Created and Invoice Paid events through n8n-core's poll path,
// against the emulator, with the static data persisted as JSON between polls: each event once, and
// what each poll costs in requests (one while nothing changed).
import fc from 'fast-check';

import { addInvoices, useEmulator } from '../engine/emulatorFixture.cjs';
import { PollingWorkflow } from '../engine/harness.cjs';
import { MAX_PAGES_PER_POLL } from '../../nodes/PayRequest/trigger/changePoll';
import type { ChangeEvent, ChangeScanState } from '../../nodes/PayRequest/trigger/changeScan';
import { emptyChangeState, readChangeState, readScanPage, startScan } from '../../nodes/PayRequest/trigger/changeScan';

jest.setTimeout(30_000);

const fixture = useEmulator({ seed: { customers: 2, invoices: 0, seed: 1 } });
const STATE_OWNER = 'node:PayRequest Trigger';

const trigger = (event: ChangeEvent, options: Record<string, unknown> = {}) => new PollingWorkflow({ event, options }, fixture.credential);
async function poll(workflow: PollingWorkflow) {
	const before = fixture.emulator.requests.length;
	const outcome = await workflow.poll();
	const requests = fixture.emulator.requests.slice(before);
	return { ...outcome, ids: outcome.items.map((item) => item.json.id), paths: requests.map((request) => `${request.path}${request.query.page ? `?page=${request.query.page}` : ''}`) };
}
const stored = (workflow: PollingWorkflow) => (workflow.storedState()[STATE_OWNER] as { invoiceChanges: ChangeScanState }).invoiceChanges;

describe('Invoice Created', () => {
	test('the first poll records; then one request per poll while nothing changes; a new invoice is emitted once, with event', async () => {
		addInvoices(fixture.emulator, 250);
		const created = trigger('invoiceCreated');
		const first = await poll(created);
		expect(first.items).toEqual([]);
		expect(first.paths).toEqual(['/api/v1/invoices/stats', '/api/v1/invoices?page=1', '/api/v1/invoices?page=2', '/api/v1/invoices?page=3']);
		expect((await poll(created)).paths).toEqual(['/api/v1/invoices/stats']);

		const [fresh] = addInvoices(fixture.emulator, 1);
		const second = await poll(created);
		expect(second.ids).toEqual([fresh.id]);
		expect(second.items[0].json).toMatchObject({ id: fresh.id, invoice_number: fresh.invoice_number, event: 'invoiceCreated' });
		// The list is in id order: the new invoice follows the last one recorded, on page 3.
		expect(second.paths).toEqual(['/api/v1/invoices/stats', '/api/v1/invoices?page=3']);
		expect((await poll(created)).items).toEqual([]);
		// State: a high-water mark and the unpaid ids, not every id ever seen.
		expect(stored(created)).toMatchObject({ highestId: fresh.id, initialized: true });
	});

	test('invoices added to a list in id order: the statistics and the pages from the last recorded invoice on; with a delete as well, the whole list', async () => {
		addInvoices(fixture.emulator, 250);
		const created = trigger('invoiceCreated');
		await poll(created);
		const customer = fixture.emulator.customers()[0].id;
		const fresh = fixture.emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status: 'pending', items: [{ description: 'x', quantity: 1, unit_price: 5 }] });
		const tail = await poll(created);
		expect(tail.ids).toEqual([fresh.id]);
		expect(tail.paths).toEqual(['/api/v1/invoices/stats', '/api/v1/invoices?page=3']);
		// 51 more, ending on page 4: pages 3 and 4.
		const more = Array.from({ length: 51 }, () =>
			fixture.emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status: 'sent', items: [{ description: 'y', quantity: 1, unit_price: 5 }] }),
		);
		const spanning = await poll(created);
		expect(spanning.ids).toEqual(more.map((invoice) => invoice.id));
		expect(spanning.paths).toEqual(['/api/v1/invoices/stats', '/api/v1/invoices?page=3', '/api/v1/invoices?page=4']);
		// Two created and one deleted: one more in the count, but the tail shows two new: the whole list is read.
		const pair = [0, 1].map(() => fixture.emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status: 'paid', items: [{ description: 'z', quantity: 1, unit_price: 5 }] }));
		fixture.emulator.removeInvoice(fixture.emulator.listInvoices()[0].id);
		const whole = await poll(created);
		expect(whole.ids).toEqual(pair.map((invoice) => invoice.id));
		expect(whole.paths).toHaveLength(1 + 1 + 4);
		// Paid or not does not matter to Invoice Created: a payment alone reads nothing more.
		fixture.emulator.markPaid(fresh.id);
		expect((await poll(created)).paths).toEqual(['/api/v1/invoices/stats']);
	});

	test('a long list is read over several polls, a few dozen pages each; what they show is emitted once', async () => {
		addInvoices(fixture.emulator, 100 * MAX_PAGES_PER_POLL + 150);
		const created = trigger('invoiceCreated');
		expect((await poll(created)).paths).toHaveLength(1 + MAX_PAGES_PER_POLL);
		expect(stored(created).scan?.nextPage).toBe(MAX_PAGES_PER_POLL + 1);
		const rest = await poll(created);
		expect(rest.paths[0]).toBe(`/api/v1/invoices?page=${MAX_PAGES_PER_POLL + 1}`);
		expect(rest.paths).toHaveLength(2);
		expect(stored(created).scan).toBeUndefined();
		const fresh = addInvoices(fixture.emulator, 2);
		const events: number[] = [];
		for (let index = 0; index < 3; index++) events.push(...((await poll(created)).ids as number[]));
		expect(events).toEqual(fresh.map((invoice) => invoice.id));
	});

	test('a create and a delete between two polls leave the counts as they were: the reconcile catches it', async () => {
		addInvoices(fixture.emulator, 20);
		const created = trigger('invoiceCreated', { reconcileMinutes: 5 });
		await poll(created);
		const [fresh] = addInvoices(fixture.emulator, 1);
		fixture.emulator.removeInvoice(fixture.emulator.listInvoices()[0].id);
		expect((await poll(created)).items).toEqual([]);
		// Five minutes later (the state says when the last read ended).
		const state = created.workflow.staticData[STATE_OWNER] as { invoiceChanges: ChangeScanState };
		state.invoiceChanges.lastScanAt -= 5 * 60_000;
		expect((await poll(created)).ids).toEqual([fresh.id]);
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

describe('in the editor, and a bad option', () => {
	test('Fetch Test Event shows the newest invoice (Created) or the newest paid one (Paid) of the first page, and leaves the state alone', async () => {
		const invoices = addInvoices(fixture.emulator, 30);
		const newest = invoices[invoices.length - 1];
		const newestPaid = [...invoices].reverse().find((invoice) => invoice.status === 'paid')!;
		const created = trigger('invoiceCreated');
		const sample = await created.poll('manual');
		expect(sample.items.map((item) => [item.json.id, item.json.event])).toEqual([[newest.id, 'invoiceCreated']]);
		expect((await trigger('invoicePaid').poll('manual')).items.map((item) => [item.json.id, item.json.event])).toEqual([[newestPaid.id, 'invoicePaid']]);
		expect(created.storedState()[STATE_OWNER] ?? {}).toEqual({});
	});

	test('Reconcile Every under 5 minutes stops the poll with the field named, before any request', async () => {
		const { error, paths } = await poll(trigger('invoiceCreated', { reconcileMinutes: 1 }));
		expect(error?.message).toBe('Reconcile Every (Minutes): must be a number of at least 5, not "1"');
		expect(paths).toEqual([]);
	});
});

describe('Invoice Paid', () => {
	test('once per change to paid; a new invoice already paid counts; a partial payment does not', async () => {
		const invoices = addInvoices(fixture.emulator, 30);
		const unpaid = invoices.filter((invoice) => invoice.status !== 'paid');
		const paid = trigger('invoicePaid');
		await poll(paid);
		expect((await poll(paid)).paths).toEqual(['/api/v1/invoices/stats']);
		fixture.emulator.markPaid(unpaid[0].id);
		fixture.emulator.setStatus(unpaid[1].id, 'partial');
		const [born] = addInvoices(fixture.emulator, 1);
		fixture.emulator.markPaid(born.id);
		const second = await poll(paid);
		expect(second.ids.sort()).toEqual([unpaid[0].id, born.id].sort());
		expect(second.items.every((item) => item.json.event === 'invoicePaid' && item.json.status === 'paid')).toBe(true);
		expect((await poll(paid)).items).toEqual([]);
		// Unpaid again, then paid again: a second change to paid, a second event.
		fixture.emulator.setStatus(unpaid[0].id, 'pending');
		await poll(paid);
		fixture.emulator.markPaid(unpaid[0].id);
		expect((await poll(paid)).ids).toEqual([unpaid[0].id]);
		// State: the unpaid ids only.
		const state = stored(paid);
		expect(state.unpaid).toEqual(fixture.emulator.listInvoices().filter((invoice) => invoice.status !== 'paid').map((invoice) => invoice.id).sort((a, b) => a - b));
	});
});

describe('the scan bookkeeping (pure)', () => {
	const page = (entries: Array<[number, string]>) => entries.map(([id, status]) => ({ id, status }));

	test('an unpaid id a scan did not see is kept once, then dropped', () => {
		let state = readScanPage(startScan(emptyChangeState(), 'c'), page([[1, 'pending'], [2, 'pending']]), 'invoicePaid', true, 0).next;
		state = readScanPage(startScan(state, 'c'), page([[1, 'pending']]), 'invoicePaid', true, 1).next;
		expect(state).toMatchObject({ unpaid: [1, 2], unseen: [2] });
		const seenAgain = readScanPage(startScan(state, 'c'), page([[1, 'pending'], [2, 'paid']]), 'invoicePaid', true, 2);
		expect(seenAgain.events).toEqual([{ id: 2, status: 'paid' }]);
		state = readScanPage(startScan(state, 'c'), page([[1, 'pending']]), 'invoicePaid', true, 2).next;
		expect(state).toMatchObject({ unpaid: [1], unseen: [] });
	});

	test('property: across random histories and page splits, each id is emitted as created once, and as paid once per change to paid; state is O(unpaid)', () => {
		type World = Map<number, string>;
		const stepArb = fc.oneof(
			fc.record({ kind: fc.constant('create' as const), paid: fc.boolean() }),
			fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('unpay' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('poll' as const), pagesPerPoll: fc.integer({ min: 1, max: 3 }) }),
		);
		fc.assert(
			// The page size is the API's, the same for every page (1 to 4 here, so that lists span pages).
			fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { maxLength: 6 }), fc.array(stepArb, { maxLength: 40 }), (pageSize, initial, steps) => {
				const world: World = new Map(initial.map((paid, index) => [index + 1, paid ? 'paid' : 'pending']));
				let nextId = initial.length + 1;
				const states: Record<ChangeEvent, ChangeScanState> = { invoiceCreated: emptyChangeState(), invoicePaid: emptyChangeState() };
				const createdEmitted: number[] = [];
				// Changes to paid per id (being created paid is one).
				const transitions = new Map<number, number>();
				const paidEmitted = new Map<number, number>();
				const pick = (index: number) => [...world.keys()][index % Math.max(1, world.size)];
				for (const step of steps) {
					if (step.kind === 'create') {
						world.set(nextId, step.paid ? 'paid' : 'pending');
						if (step.paid) transitions.set(nextId, 1);
						nextId++;
					} else if (step.kind === 'pay' || step.kind === 'unpay') {
						const id = pick(step.pick);
						if (id === undefined) continue;
						const was = world.get(id);
						world.set(id, step.kind === 'pay' ? 'paid' : 'pending');
						if (step.kind === 'pay' && was !== 'paid') transitions.set(id, (transitions.get(id) ?? 0) + 1);
					} else if (step.kind === 'delete') {
						const id = pick(step.pick);
						if (id !== undefined) world.delete(id);
					} else {
						let wholeScanThisPoll = false;
						for (const event of ['invoiceCreated', 'invoicePaid'] as const) {
							let state = states[event];
							const startedNow = !state.scan;
							if (!state.scan) state = startScan(state, 'counts');
							const list = [...world.entries()].map(([id, status]) => ({ id, status }));
							for (let read = 0; read < step.pagesPerPoll && state.scan; read++) {
								const start = (state.scan.nextPage - 1) * pageSize;
								const items = list.slice(start, start + pageSize);
								const last = start + pageSize >= list.length;
								const { events, next } = readScanPage(readChangeState(JSON.parse(JSON.stringify(state))), items, event, last, 0, list.length);
								for (const invoice of events) {
									const id = invoice.id as number;
									if (event === 'invoiceCreated') createdEmitted.push(id);
									else paidEmitted.set(id, (paidEmitted.get(id) ?? 0) + 1);
								}
								state = next;
							}
							if (event === 'invoicePaid') wholeScanThisPoll = startedNow && !state.scan;
							states[event] = state;
						}
						// State is O(unpaid): a scan read whole in one poll records exactly the invoices not paid, plus those kept once.
						if (wholeScanThisPoll) {
							const notPaid = [...world.entries()].filter(([, status]) => status !== 'paid').map(([id]) => id);
							expect([...states.invoicePaid.unpaid].sort((a, b) => a - b)).toEqual([...new Set([...notPaid, ...states.invoicePaid.unseen])].sort((a, b) => a - b));
						}
					}
				}
				// Created: never twice, and only ids above the mark of the recording scan.
				expect(new Set(createdEmitted).size).toBe(createdEmitted.length);
				// Paid: never more events for an id than changes to paid it had.
				for (const [id, count] of paidEmitted) expect(count).toBeLessThanOrEqual(transitions.get(id) ?? 0);
			}),
			{ numRuns: 3000 },
		);
	});
});
