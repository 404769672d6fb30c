/**
 * The Alternative Payments and Paisr overdue triggers through n8n-core's PollContext, against their
 * emulators over HTTP, with the static data persisted as JSON between polls (as n8n stores it):
 * each invoice and due date once, a failed poll saving nothing, an n8n restart, what each poll
 * reads, and Paisr's cut-off answers.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import fc from 'fast-check';

import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, PAISR_OVERDUE_TRIGGER_TYPE, PollingWorkflow } from '../engine/harness.cjs';
import { RECENT_DAYS } from '../../nodes/AlternativePayments/trigger/overdueReading';
import { readOverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';

jest.setTimeout(30_000);

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const ids = (items: Array<{ json: Record<string, unknown> }>) => items.map((item) => item.json.id).sort();

describe('Alternative Payments Overdue Trigger', () => {
	let emulator: AltPaymentsEmulator;
	let baseUrl: string;
	beforeEach(async () => {
		emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 2, invoices: 0 } });
		baseUrl = await emulator.listen();
	});
	afterEach(async () => {
		restoreNodeClock();
		await emulator.close();
	});
	const trigger = (options: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) =>
		new PollingWorkflow({ options, ...parameters }, undefined, {
			nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
			oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
		});
	const invoiceCalls = () => emulator.requests.filter((request) => request.path === '/invoices');
	/**
	 * Every invoice request, the lists and the checks by id; not one refused because the OAuth token
	 * ran out (the clock moves by days here: n8n renews the token and sends it again).
	 */
	const invoiceRequests = () => emulator.requests.filter((request) => request.path.startsWith('/invoices') && request.status !== 401);

	const stateOf = (poller: PollingWorkflow) => {
		const stored = poller.storedState()['node:PayRequest Trigger'] as { overdueInvoices: unknown; overdueReading: { lastReadingAt?: number; reading?: object } };
		return { ...stored, overdueInvoices: readOverdueState(stored.overdueInvoices) };
	};
	/** The reconcile interval has passed: the last reading ended a day ago. */
	const aDayLater = (poller: PollingWorkflow) => {
		const progress = (poller.workflow.staticData['node:PayRequest Trigger'] as { overdueReading: { lastReadingAt?: number } }).overdueReading;
		progress.lastReadingAt = (progress.lastReadingAt ?? Date.now()) - DAY;
	};

	test('each poll asks only for the last few days of due dates; the backlog is read one page a poll and recorded; a newly overdue invoice is emitted once, with event and the invoice as it came', async () => {
		for (let index = 0; index < 230; index++) emulator.addInvoice({ due_date: daysAgo(10) });
		emulator.addInvoice({ due_date: daysAgo(-5) });
		// Simplify off: this test is also about the invoice as it came (the raw shape). With Simplify on,
		// its default, the trigger also reads the customers its items name.
		const poller = trigger({}, { simple: false });
		expect((await poller.poll()).items).toEqual([]);
		const [recent, reading] = invoiceCalls();
		expect(recent.query).toMatchObject({ due_date_start: `${daysAgo(RECENT_DAYS)}T00:00:00Z`, due_date_end: `${daysAgo(1)}T23:59:59Z` });
		expect(reading.query).toMatchObject({ due_date_end: `${daysAgo(RECENT_DAYS + 1)}T23:59:59Z`, limit: '100' });
		// The first reading takes three polls of two requests, and emits nothing of the backlog.
		for (let index = 0; index < 2; index++) {
			const before = invoiceCalls().length;
			expect((await poller.poll()).items).toEqual([]);
			expect(invoiceCalls().length - before).toBe(2);
		}
		expect(stateOf(poller).overdueReading.reading).toBeUndefined();
		expect(Object.keys(stateOf(poller).overdueInvoices.seen)).toHaveLength(230);
		// Reading done: a quiet poll is one request.
		const before = invoiceCalls().length;
		expect((await poller.poll()).items).toEqual([]);
		expect(invoiceCalls().length - before).toBe(1);

		const fresh = emulator.addInvoice({ due_date: daysAgo(1), status: 'open' });
		const { items } = await poller.poll();
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ id: fresh.id, invoice_number: fresh.invoice_number, total: fresh.total, event: 'invoiceOverdue' })]);
		expect((await poller.poll()).items).toEqual([]);
	});

	test('the daily reading finds what the window cannot: an invoice created with an old due date is emitted, one paid long after it fell due leaves the state', async () => {
		const old = emulator.addInvoice({ due_date: daysAgo(20) });
		const poller = trigger();
		await poller.poll();
		const backdated = emulator.addInvoice({ due_date: daysAgo(15), created_at: new Date().toISOString() });
		emulator.updateInvoice(old.id, { status: 'paid' });
		// Within the day: not read.
		expect((await poller.poll()).items).toEqual([]);
		aDayLater(poller);
		expect(ids((await poller.poll()).items)).toEqual([backdated.id]);
		expect(stateOf(poller).overdueInvoices.seen[old.id]).toEqual(expect.objectContaining({ goneSince: expect.any(Number) }));
	});

	test('a backlog invoice that an answer of the first reading left out is recorded by the next reading, not emitted', async () => {
		const backlog = Array.from({ length: 150 }, () => emulator.addInvoice({ due_date: daysAgo(10) }));
		const poller = trigger();
		await poller.poll();
		// The first reading's second page leaves one out (archived for a moment), then it is back.
		const leftOut = backlog[140];
		emulator.updateInvoice(leftOut.id, { archived: true });
		expect((await poller.poll()).items).toEqual([]);
		expect(stateOf(poller).overdueReading.reading).toBeUndefined();
		expect(stateOf(poller).overdueInvoices.seen[leftOut.id]).toBeUndefined();
		emulator.updateInvoice(leftOut.id, { archived: false });
		aDayLater(poller);
		for (let index = 0; index < 3; index++) expect((await poller.poll()).items).toEqual([]);
		expect(stateOf(poller).overdueInvoices.seen[leftOut.id]).toEqual(expect.objectContaining({ settled: true }));
	});

	test('an escalation mark outside the window is checked against the invoice as it is now: paid, no escalation', async () => {
		const stillOpen = emulator.addInvoice({ due_date: daysAgo(1) });
		const paidSince = emulator.addInvoice({ due_date: daysAgo(1) });
		const poller = trigger({ escalationDays: '5' });
		await poller.poll();
		// A poll a day; four days on, the mark is passed outside the recent window.
		const start = Date.now();
		for (let days = 1; days < 4; days++) {
			setNodeClock(start + days * DAY);
			expect((await poller.poll()).items).toEqual([]);
		}
		expect(emulator.requests.filter((request) => request.path.startsWith('/invoices/'))).toEqual([]);
		setNodeClock(start + 4 * DAY);
		emulator.updateInvoice(paidSince.id, { status: 'paid' });
		const { items } = await poller.poll();
		expect(items.map((item) => [item.json.id, item.json.event, item.json.escalationDays])).toEqual([[stillOpen.id, 'invoiceEscalated', 5]]);
		expect(emulator.requests.filter((request) => request.path.startsWith('/invoices/')).map((request) => request.path).sort()).toEqual([`/invoices/${paidSince.id}`, `/invoices/${stillOpen.id}`].sort());
	});

	test('invoices a filter holds back are not asked for by id: with 30 of them, every quiet poll is at most 2 requests, day after day', async () => {
		for (let index = 0; index < 30; index++) emulator.addInvoice({ due_date: daysAgo(10) });
		const poller = trigger({ currency: 'EUR', minDaysOverdue: 5, escalationDays: '7, 14' });
		const start = Date.now();
		expect((await poller.poll()).items).toEqual([]);
		for (let day = 0; day < 6; day++) {
			setNodeClock(start + day * DAY + 60_000);
			for (let again = 0; again < 2; again++) {
				const before = invoiceRequests().length;
				expect((await poller.poll()).items).toEqual([]);
				expect(invoiceRequests().length - before).toBeLessThanOrEqual(2);
			}
		}
		expect(invoiceRequests().filter((request) => request.path !== '/invoices')).toEqual([]);
	});

	test('a check that keeps failing (500) holds up neither the poll nor the other checks: it is logged, skipped, asked again after a backoff, and escalated once it answers', async () => {
		const failing = emulator.addInvoice({ due_date: daysAgo(1) });
		const others = [0, 1, 2].map(() => emulator.addInvoice({ due_date: daysAgo(1) }));
		// The whole list is read only at activation here: what is escalated comes from the checks.
		const poller = trigger({ escalationDays: '5', reconcileHours: 1_000 });
		await poller.poll();
		const start = Date.now();
		for (let days = 1; days < 4; days++) {
			setNodeClock(start + days * DAY);
			expect((await poller.poll()).items).toEqual([]);
		}
		const byId = (id: string) => (request: { path: string }) => request.path === `/invoices/${id}`;
		emulator.injectFaults(1_000, { status: 500 }, byId(failing.id));
		const warnings = jest.spyOn(Container.get(Logger), 'warn');
		// The mark is passed outside the recent window: each is asked for by id.
		setNodeClock(start + 4 * DAY);
		const first = await poller.poll();
		expect(first.error).toBeUndefined();
		expect(ids(first.items)).toEqual(others.map((invoice) => invoice.id).sort());
		expect(emulator.requests.filter(byId(failing.id)).length).toBeGreaterThan(0);
		expect(warnings.mock.calls.map(([message]) => String(message))).toEqual([expect.stringContaining(`checking invoice ${failing.id} failed`)]);
		warnings.mockRestore();
		// Within the backoff it is not asked again, and the poll is quiet.
		const asked = emulator.requests.filter(byId(failing.id)).length;
		setNodeClock(start + 4 * DAY + 30_000);
		expect((await poller.poll()).items).toEqual([]);
		expect(emulator.requests.filter(byId(failing.id)).length).toBe(asked);
		// After it, asked again: still failing, the poll still goes through; then it answers.
		setNodeClock(start + 4 * DAY + 2 * 60_000);
		const second = await poller.poll();
		expect([second.error, second.items]).toEqual([undefined, []]);
		expect(emulator.requests.filter(byId(failing.id)).length).toBeGreaterThan(asked);
		emulator.clearFaults();
		setNodeClock(start + 4 * DAY + 10 * 60_000);
		const answered = await poller.poll();
		expect(answered.items.map((item) => [item.json.id, item.json.event, item.json.escalationDays])).toEqual([[failing.id, 'invoiceEscalated', 5]]);
		expect((await poller.poll()).items).toEqual([]);
	});

	test('an n8n restart after quiet polls (state as last saved), then one newly overdue invoice: emitted exactly once', async () => {
		for (let index = 0; index < 150; index++) emulator.addInvoice({ due_date: daysAgo(9) });
		const poller = trigger();
		poller.saveRule = 'n8n';
		for (let index = 0; index < 4; index++) expect((await poller.poll()).items).toEqual([]);
		poller.restart();
		expect((await poller.poll()).items).toEqual([]);
		const fresh = emulator.addInvoice({ due_date: daysAgo(1) });
		expect(ids((await poller.poll()).items)).toEqual([fresh.id]);
		poller.restart();
		for (let index = 0; index < 3; index++) expect((await poller.poll()).items).toEqual([]);
	});

	test('durable poll cursors: n8n drops the quiet activation poll\'s state, the process remembers it, so an invoice fallen due before the first scheduled poll is emitted once; after a restart in that time, the trigger records afresh', async () => {
		for (let index = 0; index < 3; index++) emulator.addInvoice({ due_date: daysAgo(9) });
		const poller = trigger();
		poller.saveRule = 'durable';
		expect((await poller.poll()).items).toEqual([]);
		expect(poller.hasSaved).toBe(false);
		const fresh = emulator.addInvoice({ due_date: daysAgo(1) });
		expect(ids((await poller.poll()).items)).toEqual([fresh.id]);
		expect(poller.hasSaved).toBe(true);
		expect((await poller.poll()).items).toEqual([]);

		// Another activation, and n8n restarts before its first scheduled poll: nothing to start from.
		const other = trigger();
		other.saveRule = 'durable';
		await other.poll();
		emulator.addInvoice({ due_date: daysAgo(1) });
		other.restart();
		// The invoice fallen due in that time is recorded with the rest.
		expect((await other.poll()).items).toEqual([]);
		const later = emulator.addInvoice({ due_date: daysAgo(1) });
		expect(ids((await other.poll()).items)).toEqual([later.id]);
	});

	test('an answer that comes back empty once repeats nothing', async () => {
		const poller = trigger();
		await poller.poll();
		const fresh = Array.from({ length: 5 }, () => emulator.addInvoice({ due_date: daysAgo(1) }));
		expect((await poller.poll()).items).toHaveLength(5);
		// Left out of one answer (archived for a moment), then back.
		for (const invoice of fresh) emulator.updateInvoice(invoice.id, { archived: true });
		expect((await poller.poll()).items).toEqual([]);
		for (const invoice of fresh) emulator.updateInvoice(invoice.id, { archived: false });
		expect((await poller.poll()).items).toEqual([]);
	});

	test('closed statuses do not count as unpaid (editable); an unknown status counts as unpaid', async () => {
		const poller = trigger({ closedStatuses: 'paid, archived, void, cancelled, written_off' });
		await poller.poll();
		const paid = emulator.addInvoice({ due_date: daysAgo(2), status: 'paid' });
		const writtenOff = emulator.addInvoice({ due_date: daysAgo(2), status: 'written_off' });
		const odd = emulator.addInvoice({ due_date: daysAgo(2), status: 'collections' });
		const { items } = await poller.poll();
		expect(ids(items)).toEqual([odd.id]);
		expect(ids(items)).not.toContain(paid.id);
		expect(ids(items)).not.toContain(writtenOff.id);
	});

	test('Emit Existing emits the backlog that passes Min Days Overdue; marks it already passed are no backlog of escalations', async () => {
		const old = emulator.addInvoice({ due_date: daysAgo(10) });
		emulator.addInvoice({ due_date: daysAgo(1) });
		const poller = trigger({ emitExisting: true, minDaysOverdue: 5, escalationDays: '3, 20' });
		const { items } = await poller.poll();
		expect(items.map((item) => [item.json.id, item.json.event])).toEqual([[old.id, 'invoiceOverdue']]);
		expect((await poller.poll()).items).toEqual([]);
	});

	test('a failed poll saves nothing: the next one emits what it missed, once', async () => {
		const poller = trigger();
		await poller.poll();
		const fresh = emulator.addInvoice({ due_date: daysAgo(1) });
		emulator.injectFaults(4, { status: 500 }, (request) => request.path === '/invoices');
		const failed = await poller.poll();
		expect(failed.error?.message).toMatch(/server error \(HTTP 500\)/);
		expect(ids((await poller.poll()).items)).toEqual([fresh.id]);
		expect((await poller.poll()).items).toEqual([]);
	});
});

describe('Paisr Overdue Trigger', () => {
	let emulator: PaisrEmulator;
	let baseUrl: string;
	beforeEach(async () => {
		emulator = new PaisrEmulator({ rateLimit: false, now: new Date().toISOString(), seed: { customers: 2, invoices: 0 } });
		baseUrl = await emulator.listen();
	});
	afterEach(async () => {
		await emulator.close();
	});
	const trigger = (options: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) =>
		new PollingWorkflow({ options, ...parameters }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' } });
	const dueAt = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');

	test('one request for the unpaid (limit 1,000); what is past the day it is due is overdue; emitted once with the invoice as it came', async () => {
		emulator.addInvoice({ due_at: dueAt(4) });
		emulator.addInvoice({ due_at: dueAt(-2) });
		// Simplify off: this test is about the invoice as it came (the raw shape).
		const poller = trigger({}, { simple: false });
		expect((await poller.poll()).items).toEqual([]);
		expect(emulator.requests.map((request) => request.query)).toEqual([{ status: 'unpaid', limit: '1000' }]);
		const fresh = emulator.addInvoice({ due_at: dueAt(1) });
		const { items } = await poller.poll();
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ id: fresh.id, sid: fresh.sid, event: 'invoiceOverdue', amount: expect.objectContaining({ net_total: 100 }) })]);
		expect(items[0].json).not.toHaveProperty('listMayBeCutOff');
		expect((await poller.poll()).items).toEqual([]);
		// Paid: it leaves the unpaid list, with nothing emitted; the state keeps a tombstone of what was emitted.
		emulator.markPaid(fresh.id);
		expect((await poller.poll()).items).toEqual([]);
		const { seen } = readOverdueState((poller.storedState()['node:PayRequest Trigger'] as { overdueInvoices: unknown }).overdueInvoices);
		expect(seen[fresh.id]).toEqual(expect.objectContaining({ settled: true, goneSince: expect.any(Number) }));
	});

	test('a cut-off answer (1,000) keeps what it could not see: an invoice pushed out and back in is not emitted twice; items say the list may be cut off', async () => {
		for (let index = 0; index < 1000; index++) emulator.addInvoice({ due_at: dueAt(5) });
		const poller = trigger();
		expect((await poller.poll()).items).toEqual([]);
		const oldest = emulator.listInvoices().slice(0, 3).map((invoice) => invoice.id);
		// Three new overdue invoices push the three oldest out of the 1,000 (newest first).
		const fresh = [0, 1, 2].map(() => emulator.addInvoice({ due_at: dueAt(1) }).id);
		const second = await poller.poll();
		expect(ids(second.items)).toEqual([...fresh].sort());
		expect(second.items.every((item) => item.json.listMayBeCutOff === true)).toBe(true);
		// The three new ones are paid: the three oldest come back into the answer, and are not new.
		for (const id of fresh) emulator.markPaid(id);
		expect((await poller.poll()).items).toEqual([]);
		const { seen } = readOverdueState((poller.storedState()['node:PayRequest Trigger'] as { overdueInvoices: unknown }).overdueInvoices);
		for (const id of oldest) expect(seen).toHaveProperty(id);
	});

	test('Customer ID and Min Amount filter on the mapped record', async () => {
		const [first, second] = emulator.listCustomers();
		const poller = trigger({ customerId: second.id, minAmount: 150 });
		await poller.poll();
		emulator.addInvoice({ customer_id: first.id, due_at: dueAt(1), items: [{ description: 'x', quantity: 1, unit_price: 500 }] });
		const small = emulator.addInvoice({ customer_id: second.id, due_at: dueAt(1), items: [{ description: 'x', quantity: 1, unit_price: 100 }] });
		const big = emulator.addInvoice({ customer_id: second.id, due_at: dueAt(1), items: [{ description: 'x', quantity: 2, unit_price: 100 }] });
		expect(ids((await poller.poll()).items)).toEqual([big.id]);
		expect(ids((await poller.poll()).items)).not.toContain(small.id);
	});
});

describe('Alternative Payments Overdue Trigger: restarts at random poll boundaries (property, through the engine)', () => {
	type Step =
		| { kind: 'fallsDue' }
		| { kind: 'backdated'; daysAgo: number }
		| { kind: 'pay'; pick: number }
		| { kind: 'hideOnce'; pick: number }
		| { kind: 'aDayLater' }
		| { kind: 'poll'; restartAfter: boolean; fails: boolean };
	const stepArb: fc.Arbitrary<Step> = fc.oneof(
		{ weight: 2, arbitrary: fc.record({ kind: fc.constant('fallsDue' as const) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('backdated' as const), daysAgo: fc.integer({ min: 5, max: 40 }) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('hideOnce' as const), pick: fc.nat() }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('aDayLater' as const) }) },
		{ weight: 4, arbitrary: fc.record({ kind: fc.constant('poll' as const), restartAfter: fc.boolean(), fails: fc.constantFrom(false, false, false, false, false, true) }) },
	);

	test("under n8n's save rule and durable cursors: every invoice that falls due or is created overdue after activation is emitted once, none of the backlog, none twice", async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(fc.constantFrom<'n8n' | 'durable'>('n8n', 'durable'), fc.integer({ min: 0, max: 250 }), fc.array(stepArb, { maxLength: 25 }), async (rule, backlogSize, steps) => {
				run++;
				const prefix = `r${run}_`;
				const emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 1, invoices: 0 } });
				const baseUrl = await emulator.listen();
				try {
				const ids = (items: Array<{ json: Record<string, unknown> }>) => items.map((item) => String(item.json.id)).filter((id) => id.startsWith(prefix));
				let made = 0;
				// Created now (the emulator's own clock is fixed): what the trigger compares with its first poll.
				const add = (dueDaysAgo: number) => emulator.addInvoice({ id: `${prefix}${++made}`, due_date: daysAgo(dueDaysAgo), created_at: new Date().toISOString() }).id;
				for (let index = 0; index < backlogSize; index++) emulator.addInvoice({ id: `${prefix}${++made}`, due_date: daysAgo(3 + (index % 60)), created_at: new Date(Date.now() - 100 * DAY).toISOString() });
				const backlog = new Set(emulator.listInvoices().map((invoice) => invoice.id).filter((id) => id.startsWith(prefix)));
				const poller = new PollingWorkflow({ options: {} }, undefined, {
					nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
					oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
				});
				poller.saveRule = rule;
				const emitted: string[] = [];
				const expected = new Set<string>();
				// Durable cursors: a restart before n8n saved anything (the activation poll's state lives in the
				// process's memory until the first scheduled poll) leaves nothing to start from: the next poll that
				// succeeds records the account afresh, so what is overdue then counts as backlog (README).
				let startsAfresh = false;
				/** Hidden while the trigger recorded afresh: it may come back as new, or not. */
				const unknown = new Set<string>();
				const pollOnce = async () => {
					const listed = emulator.listInvoices().filter((invoice) => invoice.id.startsWith(prefix));
					const outcome = await poller.poll();
					emitted.push(...ids(outcome.items));
					if (startsAfresh && !outcome.error) {
						startsAfresh = false;
						for (const invoice of listed) {
							expected.delete(invoice.id);
							if (invoice.archived) unknown.add(invoice.id);
							else backlog.add(invoice.id);
						}
					}
				};
				await pollOnce();
				const paid = new Set<string>();
				const open = () => emulator.listInvoices().filter((invoice) => invoice.id.startsWith(prefix) && invoice.status === 'open');
				for (const step of steps) {
					if (step.kind === 'fallsDue') expected.add(add(1));
					else if (step.kind === 'backdated') expected.add(add(step.daysAgo));
					else if (step.kind === 'pay' || step.kind === 'hideOnce') {
						const candidates = open();
						if (candidates.length === 0) continue;
						const invoice = candidates[step.pick % candidates.length];
						if (step.kind === 'pay') {
							emulator.updateInvoice(invoice.id, { status: 'paid' });
							paid.add(invoice.id);
						} else {
							// Left out of the next answers (archived for a moment), then back.
							emulator.updateInvoice(invoice.id, { archived: true });
							await pollOnce();
							emulator.updateInvoice(invoice.id, { archived: false });
						}
					} else if (step.kind === 'aDayLater') {
						const progress = (poller.workflow.staticData['node:PayRequest Trigger'] as { overdueReading?: { lastReadingAt?: number } } | undefined)?.overdueReading;
						if (progress?.lastReadingAt !== undefined) progress.lastReadingAt -= DAY;
					} else {
						if (step.fails) emulator.injectFaults(4, { status: 500 }, (request) => request.path === '/invoices');
						await pollOnce();
						if (step.restartAfter) {
							if (!poller.hasSaved) startsAfresh = true;
							poller.restart();
						}
					}
				}
				// To the end: the reconcile interval passes and every reading ends.
				// (Under durable cursors the state may still be in the process's memory only: then at the first poll that finds it saved.)
				for (let index = 0, passed = false; index < 9; index++) {
					const progress = (poller.workflow.staticData['node:PayRequest Trigger'] as { overdueReading?: { lastReadingAt?: number } } | undefined)?.overdueReading;
					if (progress?.lastReadingAt !== undefined && !passed) {
						progress.lastReadingAt -= DAY;
						passed = true;
					}
					await pollOnce();
				}
				expect(new Set(emitted).size).toBe(emitted.length);
				for (const id of emitted) if (!unknown.has(id)) expect(backlog.has(id)).toBe(false);
				for (const id of expected) if (!paid.has(id)) expect(emitted).toContain(id);
				} finally {
					await emulator.close();
				}
			}),
			{ numRuns: 12 },
		);
	}, 240_000);
});
