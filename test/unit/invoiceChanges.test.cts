// The bookkeeping of Invoice Created and Invoice Paid (nodes/PayRequest/trigger/invoiceChanges.ts)
// against an in-memory PayRequest list, oldest or newest first, with n8n's save rule: the state is
// saved after the activation poll and after polls that emit (or after every poll, as durable poll
// cursors do, with the activation poll's state in the process's memory until the first save: see
// nodes/shared/pollState.ts), and a restart at any poll boundary goes back to what was saved.
import fc from 'fast-check';

import type { ChangeEvent, ChangeReader, ChangeState, InvoicePage } from '../../nodes/PayRequest/trigger/invoiceChanges';
import { compactChangeState, pollChanges, readChangeState } from '../../nodes/PayRequest/trigger/invoiceChanges';

type Invoice = { id: number; status: string };
type Order = 'oldestFirst' | 'newestFirst';

/** A PayRequest list in memory: pages of `perPage`, in either order, and the statistics' paid count. */
class MemoryList {
	invoices: Invoice[] = [];
	nextId = 1000;
	failNext = false;
	/** An answer that leaves one invoice out (a glitch): its id. */
	leaveOut: number | undefined;
	requests = 0;
	constructor(
		readonly order: Order,
		readonly perPage: number,
	) {}

	create(status = 'pending'): Invoice {
		// Ids grow, though not by one: other accounts share the sequence.
		this.nextId += 1 + (this.nextId % 3);
		const invoice = { id: this.nextId, status };
		this.invoices.push(invoice);
		return invoice;
	}

	reader(): ChangeReader {
		return {
			page: async (pageNumber: number): Promise<InvoicePage> => {
				this.requests++;
				if (this.failNext) throw new Error('PayRequest answered 503');
				const visible = this.invoices.filter((invoice) => invoice.id !== this.leaveOut);
				const ordered = this.order === 'oldestFirst' ? visible : [...visible].reverse();
				const lastPage = Math.max(1, Math.ceil(ordered.length / this.perPage));
				return { items: ordered.slice((pageNumber - 1) * this.perPage, pageNumber * this.perPage).map((invoice) => ({ ...invoice })), lastPage, total: ordered.length };
			},
			paidCount: async () => {
				this.requests++;
				if (this.failNext) throw new Error('PayRequest answered 503');
				return this.invoices.filter((invoice) => invoice.status === 'paid' && invoice.id !== this.leaveOut).length;
			},
		};
	}
}

/** The trigger as n8n runs it: state in memory between polls, saved by the rule, rolled back on restart. */
class Trigger {
	memory: ChangeState | undefined;
	saved: ChangeState | undefined;
	activating = true;
	emitted: number[] = [];
	constructor(
		readonly event: ChangeEvent,
		readonly list: MemoryList,
		readonly rule: 'n8n' | 'durable',
		readonly pageBudget: number,
	) {}

	async poll(nowMs: number, reconcileMs = 3_600_000): Promise<{ ids: number[]; requests: number }> {
		try {
			const result = await pollChanges(this.memory, this.list.reader(), { event: this.event, nowMs, reconcileMs, pageBudget: this.pageBudget });
			// What the trigger stores is the compact form: it reads back as the state the poll ended with.
			this.memory = readChangeState(JSON.parse(JSON.stringify(compactChangeState(result.next))));
			expect(this.memory).toEqual(readChangeState(JSON.parse(JSON.stringify(result.next))));
			const ids = result.events.map((invoice) => invoice.id as number);
			this.emitted.push(...ids);
			if (this.rule === 'durable' || this.activating || ids.length > 0) this.saved = this.memory;
			this.activating = false;
			return { ids, requests: result.requests };
		} catch {
			// A failed poll changes nothing; a failed activation poll leaves the next poll the activation poll.
			return { ids: [], requests: 0 };
		}
	}

	restart(): void {
		this.memory = this.saved;
		this.activating = true;
	}
}

type Step =
	| { kind: 'create'; paid: boolean }
	| { kind: 'pay'; pick: number }
	| { kind: 'delete'; pick: number }
	| { kind: 'reopen'; pick: number }
	| { kind: 'poll'; fails: boolean; leaveOut: number | null; restartAfter: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), paid: fc.boolean() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), pick: fc.nat() }) },
	{
		weight: 4,
		arbitrary: fc.record({ kind: fc.constant('poll' as const), fails: fc.constantFrom(false, false, false, true), leaveOut: fc.option(fc.nat()), restartAfter: fc.boolean() }),
	},
);

async function runHistory(event: ChangeEvent, order: Order, rule: 'n8n' | 'durable', perPage: number, pageBudget: number, initial: Array<{ paid: boolean }>, steps: Step[]) {
	const list = new MemoryList(order, perPage);
	for (const one of initial) list.create(one.paid ? 'paid' : 'pending');
	const trigger = new Trigger(event, list, rule, pageBudget);
	let now = Date.UTC(2026, 0, 1);
	await trigger.poll(now);
	const existingAtActivation = new Set(list.invoices.map((invoice) => invoice.id));
	const unpaidAtActivation = new Set(list.invoices.filter((invoice) => invoice.status !== 'paid').map((invoice) => invoice.id));
	const createdAfter = new Set<number>();
	const paidAfter = new Set<number>();
	/** Changes to paid after activation, per invoice (a reopened invoice can be paid again). */
	const transitions = new Map<number, number>();
	const reopened = new Set<number>();
	const countTransition = (id: number) => transitions.set(id, (transitions.get(id) ?? 0) + 1);
	/** Invoices an answer has left out: each is left out once at most (an invoice no two answers show is gone, as far as anyone can tell). */
	const leftOut = new Set<number>();
	for (const step of steps) {
		now += 60_000;
		const unpaid = list.invoices.filter((invoice) => invoice.status !== 'paid');
		switch (step.kind) {
			case 'create': {
				const invoice = list.create(step.paid ? 'paid' : 'pending');
				createdAfter.add(invoice.id);
				if (step.paid) {
					paidAfter.add(invoice.id);
					countTransition(invoice.id);
				}
				break;
			}
			case 'pay':
				if (unpaid.length > 0) {
					const invoice = unpaid[step.pick % unpaid.length];
					invoice.status = 'paid';
					paidAfter.add(invoice.id);
					countTransition(invoice.id);
				}
				break;
			case 'reopen': {
				const paid = list.invoices.filter((invoice) => invoice.status === 'paid');
				if (paid.length > 0) {
					const invoice = paid[step.pick % paid.length];
					invoice.status = 'pending';
					reopened.add(invoice.id);
				}
				break;
			}
			case 'delete':
				if (list.invoices.length > 0) list.invoices.splice(step.pick % list.invoices.length, 1);
				break;
			case 'poll': {
				list.failNext = step.fails;
				// A glitch: one answer leaves an invoice out.
				const hidden = step.leaveOut !== null && list.invoices.length > 0 && !step.fails ? list.invoices[step.leaveOut % list.invoices.length].id : undefined;
				list.leaveOut = hidden !== undefined && !leftOut.has(hidden) ? hidden : undefined;
				if (list.leaveOut !== undefined) leftOut.add(list.leaveOut);
				await trigger.poll(now);
				list.failNext = false;
				list.leaveOut = undefined;
				if (step.restartAfter) trigger.restart();
				break;
			}
		}
	}
	// Quiet polls to the end, past the reconcile interval: everything that happened has been read.
	now += 2 * 3_600_000;
	for (let index = 0; index < 30; index++) await trigger.poll((now += 60_000));
	return { list, trigger, existingAtActivation, unpaidAtActivation, createdAfter, paidAfter, transitions, reopened };
}

const orders: Order[] = ['oldestFirst', 'newestFirst'];
const rules: Array<'n8n' | 'durable'> = ['n8n', 'durable'];
const cases = orders.flatMap((order) => rules.map((rule) => ({ order, rule })));

describe.each(cases)('property: $order list, save rule $rule, restarts at random poll boundaries', ({ order, rule }) => {
	test('Invoice Created: each invoice created after activation that still exists is emitted exactly once; none that existed before', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 5 }),
				fc.integer({ min: 2, max: 12 }),
				fc.array(fc.record({ paid: fc.boolean() }), { maxLength: 25 }),
				fc.array(stepArb, { maxLength: 60 }),
				async (perPage, pageBudget, initial, steps) => {
					const { list, trigger, existingAtActivation, createdAfter } = await runHistory('invoiceCreated', order, rule, perPage, pageBudget, initial, steps);
					// Never twice.
					expect(new Set(trigger.emitted).size).toBe(trigger.emitted.length);
					for (const id of trigger.emitted) {
						expect(existingAtActivation.has(id)).toBe(false);
						expect(createdAfter.has(id)).toBe(true);
					}
					// Nothing lost: every invoice created after activation that is still there came.
					const emitted = new Set(trigger.emitted);
					for (const invoice of list.invoices) if (createdAfter.has(invoice.id)) expect(emitted.has(invoice.id)).toBe(true);
				},
			),
			{ numRuns: 1000 },
		);
	});

	test('Invoice Paid: one event at most per change to paid after activation, and at least one for each invoice paid now that was unpaid after activation; a glitch is not a payment', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 5 }),
				fc.array(fc.record({ paid: fc.boolean() }), { maxLength: 25 }),
				fc.array(stepArb, { maxLength: 60 }),
				async (perPage, initial, steps) => {
					// A budget that records a small account in the activation poll (README: large accounts).
					const { list, trigger, unpaidAtActivation, createdAfter, paidAfter, transitions, reopened } = await runHistory('invoicePaid', order, rule, perPage, 60, initial, steps);
					const counts = new Map<number, number>();
					for (const id of trigger.emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
					for (const [id, count] of counts) expect(count).toBeLessThanOrEqual(transitions.get(id) ?? 0);
					for (const id of trigger.emitted) {
						expect(paidAfter.has(id)).toBe(true);
						expect(unpaidAtActivation.has(id) || createdAfter.has(id) || reopened.has(id)).toBe(true);
					}
					const emitted = new Set(trigger.emitted);
					// Nothing lost. (A reopened invoice may be paid again before any poll sees it unpaid: only the bound above holds for it.)
					for (const invoice of list.invoices) {
						if (invoice.status === 'paid' && paidAfter.has(invoice.id) && !reopened.has(invoice.id)) expect(emitted.has(invoice.id)).toBe(true);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});
});

// Histories the properties once found, kept as fixed cases (one invoice a page makes every shift a page).
describe('histories the properties found', () => {
	test('Created: a walk the budget cut short goes on after an invoice an answer had left out came back; the list moved, nothing is skipped', async () => {
		const steps: Step[] = [
			{ kind: 'create', paid: false },
			{ kind: 'create', paid: false },
			{ kind: 'poll', fails: false, leaveOut: 3, restartAfter: false },
			{ kind: 'poll', fails: false, leaveOut: null, restartAfter: false },
			{ kind: 'poll', fails: false, leaveOut: 0, restartAfter: false },
		];
		const { list, trigger, createdAfter } = await runHistory('invoiceCreated', 'oldestFirst', 'durable', 1, 2, [{ paid: false }, { paid: false }, { paid: false }], steps);
		expect([...trigger.emitted].sort()).toEqual(list.invoices.filter((invoice) => createdAfter.has(invoice.id)).map((invoice) => invoice.id));
	});

	test('Paid: a list of one invoice shows no order; when it grows, the walk reads both ends, so an invoice created and paid on a newest-first list counts', async () => {
		const steps: Step[] = [
			{ kind: 'create', paid: false },
			{ kind: 'poll', fails: false, leaveOut: null, restartAfter: false },
			{ kind: 'pay', pick: 0 },
		];
		const { list, trigger } = await runHistory('invoicePaid', 'newestFirst', 'n8n', 1, 60, [{ paid: true }], steps);
		expect(trigger.emitted).toEqual([list.invoices[1].id]);
	});
});

describe('stored form (compactChangeState): small enough to write after every poll, and lossless', () => {
	const KB = 1024;
	/**
	 * Invoice Paid's state once it has recorded 50,000 invoices, 100 a page, as its polls leave it:
	 * each unpaid invoice with its page, seen and looked for when its page was read (40 pages a poll,
	 * a minute apart), newest page first.
	 */
	function recordedAccount(unpaid: (index: number) => boolean): ChangeState {
		const list = new MemoryList('newestFirst', 100);
		for (let index = 0; index < 50_000; index++) list.create(unpaid(index) ? 'pending' : 'paid');
		const state: ChangeState = { version: 2, order: 'descending', mark: list.nextId, settled: list.nextId, recent: [], lastPage: 500, unpaid: {}, recorded: true, paidCount: 0, checkedAt: 0 };
		[...list.invoices].reverse().forEach((invoice, index) => {
			const page = Math.floor(index / 100) + 1;
			const seenAt = Date.UTC(2025, 2, 1) + Math.floor((page - 1) / 40) * 60_000;
			if (invoice.status !== 'paid') state.unpaid[String(invoice.id)] = [page, seenAt, seenAt];
		});
		return state;
	}
	const random = (seed: number) => () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed / 2 ** 31;
	};

	test.each([
		['two in three unpaid (every third paid)', (index: number) => index % 3 !== 0],
		['every invoice unpaid', () => true],
		['one in three unpaid', (index: number) => index % 3 === 0],
		['half unpaid at random', ((next) => () => next() < 0.5)(random(7))],
	])('Invoice Paid, 50,000 invoices, %s: at most 256 KB stored, read back as the same state', (_name, unpaid) => {
		const state = recordedAccount(unpaid);
		const stored = JSON.stringify(compactChangeState(state));
		expect(stored.length).toBeLessThanOrEqual(256 * KB);
		expect(readChangeState(JSON.parse(stored))).toEqual(readChangeState(JSON.parse(JSON.stringify(state))));
	});

	test('a state as the previous release stored it (version 2) is read as it was: from it, the polls emit exactly what they emitted before', async () => {
		for (const event of ['invoicePaid', 'invoiceCreated'] as const) {
			const list = new MemoryList('newestFirst', 3);
			for (let index = 0; index < 40; index++) list.create(index % 3 === 0 ? 'paid' : 'pending');
			const settings = (nowMs: number) => ({ event, nowMs, reconcileMs: 3_600_000, pageBudget: 20 });
			// Polls of the previous release: its state, version 2, as n8n kept it (JSON).
			let previousRelease: unknown = undefined;
			for (let poll = 0; poll < 3; poll++) previousRelease = JSON.parse(JSON.stringify((await pollChanges(readChangeState(previousRelease), list.reader(), settings(poll * 60_000))).next));
			expect(previousRelease).toMatchObject({ version: 2 });
			// Then the account changes, and polls go on from that state: stored as before, or compact.
			for (const invoice of list.invoices.filter((one) => one.status !== 'paid').slice(0, 5)) invoice.status = 'paid';
			for (let index = 0; index < 4; index++) list.create();
			const run = async (store: (state: ChangeState) => unknown) => {
				let stored = previousRelease;
				const events: unknown[][] = [];
				for (let poll = 3; poll < 12; poll++) {
					const result = await pollChanges(readChangeState(stored), list.reader(), settings(poll * 60_000));
					events.push(result.events.map((invoice) => invoice.id));
					stored = JSON.parse(JSON.stringify(store(result.next)));
				}
				return events;
			};
			const before = await run((state) => state);
			expect(await run(compactChangeState)).toEqual(before);
			expect(before.flat()).toHaveLength(event === 'invoicePaid' ? 5 : 4);
		}
	});
});
