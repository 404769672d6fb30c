// The PayRequest Trigger through n8n-core's real poll path (PollContext + TriggersAndPollers),
// its static data persisted as JSON between polls, against the emulator and its clock.
import type { IDataObject } from 'n8n-workflow';

import { createPrng } from '../emulator/seed.cjs';
import type { AddInvoiceInput, EmulatorInvoice, Fault } from '../emulator/PayRequestEmulator.cjs';
import { READ_WRITE_TOKEN, useEmulator } from '../engine/emulatorFixture.cjs';
import type { PollOutcome } from '../engine/harness.cjs';
import { followClock, restoreNodeClock } from '../engine/clock.cjs';
import { loadTriggerType, PollingWorkflow } from '../engine/harness.cjs';
import type { OverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';
import { readOverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';

// Failing reads are repeated with backoff (300 + 600 + 1200 ms), so a few tests take seconds.
jest.setTimeout(20_000);

const fixture = useEmulator();

const OVERDUE_PATH = '/api/v1/invoices/overdue';
const STATE_OWNER = 'node:PayRequest Trigger';


interface Poll extends PollOutcome {
	/** Every request the emulator received during this poll. */
	requests: typeof fixture.emulator.requests;
}

function triggerWorkflow(options: IDataObject = {}, parameters: IDataObject = {}) {
	return new PollingWorkflow({ event: 'invoiceOverdue', options, ...parameters }, fixture.credential);
}

afterEach(restoreNodeClock);

/** A poll at the emulator's moment: the trigger counts days on the same clock as PayRequest. */
async function poll(workflow: PollingWorkflow, mode: 'trigger' | 'manual' = 'trigger'): Promise<Poll> {
	followClock(fixture.emulator.now().getTime());
	const before = fixture.emulator.requests.length;
	const outcome = await workflow.poll(mode);
	return { ...outcome, requests: fixture.emulator.requests.slice(before) };
}

/** A poll that must succeed with exactly one authenticated GET /v1/invoices/overdue. */
async function goodPoll(workflow: PollingWorkflow, mode: 'trigger' | 'manual' = 'trigger'): Promise<Poll> {
	const result = await poll(workflow, mode);
	expect(result.error).toBeUndefined();
	expect(result.requests.map((request) => [request.method, request.path, request.query, request.headers.authorization])).toEqual([
		['GET', OVERDUE_PATH, {}, `Bearer ${READ_WRITE_TOKEN}`],
	]);
	return result;
}

function emittedIds(result: PollOutcome): unknown[] {
	return result.items.map((item) => Number(item.json.id));
}

/** The trigger's own part of the workflow's static data as n8n stored it (JSON), read as the trigger reads it. */
function storedTriggerState(workflow: PollingWorkflow): OverdueState | undefined {
	const owner = workflow.storedState()[STATE_OWNER] as IDataObject | undefined;
	return owner?.overdueInvoices === undefined ? undefined : readOverdueState(owner.overdueInvoices);
}

/** Every invoice on the overdue list that the trigger keeps, whether or not it passes the filters (tombstones are not on it). */
function recordedIds(workflow: PollingWorkflow): string[] {
	const seen = storedTriggerState(workflow)?.seen ?? {};
	return Object.keys(seen)
		.filter((id) => seen[id].goneSince === undefined)
		.sort();
}

/** The invoices whose overdue event went out (or that were recorded as existing). */
function settledIds(workflow: PollingWorkflow): string[] {
	const seen = storedTriggerState(workflow)?.seen ?? {};
	return Object.keys(seen)
		.filter((id) => seen[id].settled)
		.sort();
}

/** The emulator's own overdue list, read directly (not over HTTP, so no request is recorded). */
function overdueIdsNow(): string[] {
	const today = fixture.emulator.today();
	return fixture.emulator
		.listInvoices()
		.filter((invoice) => invoice.due_date < today && !['paid', 'cancelled', 'draft'].includes(invoice.status))
		.map((invoice) => String(invoice.id))
		.sort();
}

/** An unpaid invoice; the emulator's clock starts at 2025-03-01. */
function addOpenInvoice(dueDate: string, extra: AddInvoiceInput = {}): EmulatorInvoice {
	return fixture.emulator.addInvoice({ status: 'sent', date: '2025-01-01', due_date: dueDate, amount: 250, ...extra });
}

/** Error text as a user or a log could see it: message, description, stack and every own field. */
function everythingShownOf(error: unknown): string {
	const seen = new WeakSet<object>();
	const json = JSON.stringify(error, (_key, value: unknown) => {
		if (typeof value === 'object' && value !== null) {
			if (seen.has(value)) return '[circular]';
			seen.add(value);
		}
		return value;
	});
	const shown = error as { message?: string; description?: string; stack?: string };
	return [shown.message, shown.description, shown.stack, json].join('\n');
}

/** One poll per fault, its requests answered `times` times with that fault; returns the errors the polls ended with. */
async function pollEachWithFault(workflow: PollingWorkflow, faults: Array<[number, Fault]>): Promise<unknown[]> {
	const errors: unknown[] = [];
	for (const [times, fault] of faults) {
		fixture.emulator.injectFaults(times, fault);
		const result = await poll(workflow);
		if (result.error) errors.push(result.error);
	}
	return errors;
}

describe('first poll after activation', () => {
	test('without Emit Existing it records the overdue invoices and emits nothing, now or on the next poll', async () => {
		const longOverdue = addOpenInvoice('2025-01-15');
		const justOverdue = addOpenInvoice('2025-02-27');
		addOpenInvoice('2025-03-20'); // not due yet
		const workflow = triggerWorkflow();

		const first = await goodPoll(workflow);
		expect(first.items).toEqual([]);
		expect(storedTriggerState(workflow)).toEqual({
			version: 2,
			initialized: true,
			gate: expect.any(String),
			seen: {
				[longOverdue.id]: { dueDate: '2025-01-15', settled: true, marks: [] },
				[justOverdue.id]: { dueDate: '2025-02-27', settled: true, marks: [] },
			},
		});

		const second = await goodPoll(workflow);
		expect(second.items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([String(longOverdue.id), String(justOverdue.id)]);
	});

	test('without Emit Existing and nothing overdue, the next poll emits what became overdue since', async () => {
		const workflow = triggerWorkflow();
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(storedTriggerState(workflow)).toEqual({ version: 2, initialized: true, gate: expect.any(String), seen: {} });

		const invoice = addOpenInvoice('2025-02-20');
		expect(emittedIds(await goodPoll(workflow))).toEqual([invoice.id]);
	});

	test('with Emit Existing it emits each overdue invoice once, exactly as the API gives it, most overdue first', async () => {
		const justOverdue = addOpenInvoice('2025-02-27');
		const longOverdue = addOpenInvoice('2025-01-15');
		fixture.emulator.setPaymentStarted(justOverdue.id, true);
		const customer = fixture.emulator.customers()[0];
		// Simplify off: this test is about the invoice exactly as PayRequest gives it.
		const workflow = triggerWorkflow({ emitExisting: true }, { simple: false });

		const first = await goodPoll(workflow);
		expect(first.items.map((item) => item.json)).toEqual([
			{
				id: longOverdue.id,
				invoice_number: longOverdue.invoice_number,
				reference: null,
				amount: 250,
				currency: 'EUR',
				status: 'sent',
				date: '2025-01-01',
				due_date: '2025-01-15',
				days_overdue: 45,
				customer: { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone },
				invoice_items: longOverdue.invoice_items,
				payment_link: `https://payrequest.me/emulator/invoice/${longOverdue.id}`,
				event: 'invoiceOverdue',
			},
			expect.objectContaining({ id: justOverdue.id, due_date: '2025-02-27', days_overdue: 2, payment_link: null, event: 'invoiceOverdue' }),
		]);
		expect(first.items.some((item) => 'escalation_days' in item.json)).toBe(false);

		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([String(justOverdue.id), String(longOverdue.id)].sort());
	});
});

describe('invoices changing between polls', () => {
	test('an invoice that falls due later is emitted once, at the first poll where it is overdue', async () => {
		const workflow = triggerWorkflow();
		await goodPoll(workflow);
		const invoice = addOpenInvoice('2025-03-05');

		expect((await goodPoll(workflow)).items).toEqual([]); // due in 4 days
		fixture.emulator.setNow('2025-03-05T23:00:00Z');
		expect((await goodPoll(workflow)).items).toEqual([]); // due today is not overdue yet
		fixture.emulator.advanceDays(1);

		const becameOverdue = await goodPoll(workflow);
		expect(becameOverdue.items.map((item) => [Number(item.json.id), item.json.dueDate, item.json.daysOverdue])).toEqual([[invoice.id, '2025-03-05', 1]]);
		for (let day = 0; day < 3; day++) {
			fixture.emulator.advanceDays(1);
			expect((await goodPoll(workflow)).items).toEqual([]);
		}
		expect(storedTriggerState(workflow)?.seen).toEqual({ [invoice.id]: { dueDate: '2025-03-05', settled: true, marks: [] } });
	});

	test('a paid invoice is dropped from the state without an event, and the others stay', async () => {
		const paid = addOpenInvoice('2025-02-10');
		const unpaid = addOpenInvoice('2025-02-11');
		const workflow = triggerWorkflow({ emitExisting: true });
		expect(emittedIds(await goodPoll(workflow))).toEqual([paid.id, unpaid.id]);

		fixture.emulator.markPaid(paid.id);
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([String(unpaid.id)]);

		fixture.emulator.advanceDays(3);
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([String(unpaid.id)]);
	});

	test('a moved due date is a new key: silent while not due, emitted once when overdue again', async () => {
		const invoice = addOpenInvoice('2025-02-10');
		const workflow = triggerWorkflow({ emitExisting: true });
		expect(emittedIds(await goodPoll(workflow))).toEqual([invoice.id]);

		fixture.emulator.setDueDate(invoice.id, '2025-03-10');
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([]); // not overdue now, so not kept

		fixture.emulator.setNow('2025-03-11T09:00:00Z');
		const overdueAgain = await goodPoll(workflow);
		expect(overdueAgain.items.map((item) => [Number(item.json.id), item.json.dueDate, item.json.daysOverdue])).toEqual([[invoice.id, '2025-03-10', 1]]);
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(storedTriggerState(workflow)?.seen).toEqual({ [invoice.id]: { dueDate: '2025-03-10', settled: true, marks: [] } });
	});

	test('a due date moved while the invoice stays overdue is emitted at once with the new due date', async () => {
		const invoice = addOpenInvoice('2025-01-20');
		const workflow = triggerWorkflow();
		await goodPoll(workflow);

		fixture.emulator.setDueDate(invoice.id, '2025-02-25');
		const moved = await goodPoll(workflow);
		expect(moved.items.map((item) => [Number(item.json.id), item.json.dueDate, item.json.daysOverdue])).toEqual([[invoice.id, '2025-02-25', 4]]);
		expect((await goodPoll(workflow)).items).toEqual([]);
	});

	test('Min Days Overdue: an invoice is newly overdue at the first poll where it reaches the minimum', async () => {
		const invoice = addOpenInvoice('2025-02-28'); // 1 day overdue
		const workflow = triggerWorkflow({ minDaysOverdue: 3 });
		await goodPoll(workflow);
		expect(settledIds(workflow)).toEqual([]); // below the minimum: not settled, so not swallowed by the silent first poll

		fixture.emulator.advanceDays(1);
		expect((await goodPoll(workflow)).items).toEqual([]);
		fixture.emulator.advanceDays(1);
		const reached = await goodPoll(workflow);
		expect(reached.items.map((item) => [Number(item.json.id), item.json.daysOverdue])).toEqual([[invoice.id, 3]]);
		fixture.emulator.advanceDays(1);
		expect((await goodPoll(workflow)).items).toEqual([]);
	});
});

describe('stored state (durable poll cursors write it after every poll)', () => {
	test('a state as the previous release stored it (version 2) is read on: nothing recorded is emitted again, nothing new is lost, and it is stored compact from then on', async () => {
		const settled = addOpenInvoice('2025-02-10');
		const tombstoned = addOpenInvoice('2025-02-12');
		const heldBack = addOpenInvoice('2025-02-14', { status: 'viewed' });
		const workflow = triggerWorkflow({ status: ['sent'] });
		// What the previous release wrote (version 2, one entry per invoice), as n8n kept it.
		const gate = JSON.stringify([0, ['sent'], [], null, null]);
		workflow.workflow.staticData[STATE_OWNER] = {
			overdueInvoices: {
				version: 2,
				initialized: true,
				gate,
				seen: {
					[settled.id]: { dueDate: '2025-02-10', settled: true, marks: [] },
					[tombstoned.id]: { dueDate: '2025-02-12', settled: true, marks: [], goneSince: Date.parse('2025-02-27T10:00:00Z') },
					[heldBack.id]: { dueDate: '2025-02-14', settled: false, marks: [] },
				},
			},
		};
		const fresh = addOpenInvoice('2025-02-20');
		expect(emittedIds(await goodPoll(workflow))).toEqual([fresh.id]);
		expect((workflow.storedState()[STATE_OWNER] as IDataObject).overdueInvoices).toMatchObject({ version: 3 });
		fixture.emulator.setStatus(heldBack.id, 'sent');
		expect(emittedIds(await goodPoll(workflow))).toEqual([heldBack.id]);
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(settledIds(workflow)).toEqual([settled.id, tombstoned.id, heldBack.id, fresh.id].map(String).sort());
	});
});

describe('Escalation Days', () => {
	test('7, 14, 30: the overdue event, then one event at each mark with escalation_days, each once', async () => {
		const workflow = triggerWorkflow({ escalationDays: '30,7, 14' });
		await goodPoll(workflow);
		const invoice = addOpenInvoice('2025-03-01');
		const events: Array<[number, unknown]> = [];
		// One poll a day for 45 days, recording which events came out on which day overdue.
		for (let day = 1; day <= 45; day++) {
			fixture.emulator.advanceDays(1);
			const result = await goodPoll(workflow);
			for (const item of result.items) {
				expect(item.json.id).toBe(String(invoice.id));
				expect(item.json.daysOverdue).toBe(day);
				events.push([day, item.json.escalationDays]);
			}
		}
		expect(events).toEqual([
			[1, undefined],
			[7, 7],
			[14, 14],
			[30, 30],
		]);
		expect(storedTriggerState(workflow)?.seen).toEqual({ [invoice.id]: { dueDate: '2025-03-01', settled: true, marks: [7, 14, 30] } });
	});

	test('marks passed before the invoice was first seen are settled by its overdue event; a poll skipping marks fires once for the highest', async () => {
		const invoice = addOpenInvoice('2025-02-20'); // 9 days overdue: past mark 7
		const workflow = triggerWorkflow({ emitExisting: true, escalationDays: '7,14,30' });
		const first = await goodPoll(workflow);
		expect(first.items.map((item) => [Number(item.json.id), item.json.escalationDays])).toEqual([[invoice.id, undefined]]);
		expect(storedTriggerState(workflow)?.seen[invoice.id]?.marks).toEqual([7]);

		fixture.emulator.advanceDays(25); // 34 days: past 14 and 30 in one step
		const skipped = await goodPoll(workflow);
		expect(skipped.items.map((item) => [Number(item.json.id), item.json.daysOverdue, item.json.escalationDays])).toEqual([[invoice.id, 34, 30]]);
		expect(storedTriggerState(workflow)?.seen[invoice.id]?.marks).toEqual([7, 14, 30]);
		fixture.emulator.advanceDays(30);
		expect((await goodPoll(workflow)).items).toEqual([]);
	});

	test('a new due date starts the marks afresh', async () => {
		const invoice = addOpenInvoice('2025-02-20');
		const workflow = triggerWorkflow({ escalationDays: '7' });
		await goodPoll(workflow);
		fixture.emulator.setDueDate(invoice.id, '2025-02-27'); // 2 days overdue under the new key
		expect((await goodPoll(workflow)).items.map((item) => item.json.escalationDays)).toEqual([undefined]);
		fixture.emulator.advanceDays(5);
		expect((await goodPoll(workflow)).items.map((item) => [item.json.dueDate, item.json.escalationDays])).toEqual([['2025-02-27', 7]]);
	});

	test.each(['7, two weeks', '7,-3', '0', '1.5', '14;30'])(
		'"%s" fails the poll with an error naming the option and the bad part, before any request and without touching state',
		async (badValue) => {
			addOpenInvoice('2025-02-10');
			const good = triggerWorkflow();
			await goodPoll(good);
			const stateBefore = good.storedState();

			// Same workflow, its option now edited to a bad value.
			good.node.parameters.options = { escalationDays: badValue };
			const result = await poll(good);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toMatch(/^Escalation Days: Escalation days must be positive whole numbers separated by commas/);
			expect(result.error?.message).toContain('(e.g. "7, 14, 30")');
			expect(result.items).toEqual([]);
			expect(result.requests).toEqual([]);
			expect(good.storedState()).toEqual(stateBefore);
		},
	);

	test('the error quotes the offending part', async () => {
		const result = await poll(triggerWorkflow({ escalationDays: '7, two weeks, 30' }));
		expect(result.error?.message).toContain('"two weeks" is not one');
	});
});

describe('filters', () => {
	test('only matching invoices are emitted and recorded; one that starts matching later is newly overdue then', async () => {
		const [customerA, customerB] = fixture.emulator.customers();
		const matching = addOpenInvoice('2025-02-01', { customer_id: customerA.id, currency: 'USD', amount: 150 });
		const wrongStatus = addOpenInvoice('2025-02-02', { customer_id: customerA.id, status: 'viewed', amount: 150 });
		addOpenInvoice('2025-02-03', { customer_id: customerA.id, currency: 'GBP', amount: 150 });
		addOpenInvoice('2025-02-04', { customer_id: customerA.id, amount: 99.99 });
		addOpenInvoice('2025-02-05', { customer_id: customerB.id, amount: 150 });
		const workflow = triggerWorkflow({
			emitExisting: true,
			status: ['sent', 'pending'],
			currency: 'eur, USD',
			minAmount: 100,
			customerId: ` ${customerA.id} `,
		});

		const first = await goodPoll(workflow);
		expect(emittedIds(first)).toEqual([matching.id]);
		expect(settledIds(workflow)).toEqual([String(matching.id)]);
		expect(recordedIds(workflow)).toHaveLength(5);

		// Not settled while filtered out, so when it starts matching it is newly overdue.
		fixture.emulator.setStatus(wrongStatus.id, 'sent');
		expect(emittedIds(await goodPoll(workflow))).toEqual([wrongStatus.id]);
		expect(settledIds(workflow)).toEqual([String(matching.id), String(wrongStatus.id)].sort());
		expect((await goodPoll(workflow)).items).toEqual([]);
	});

	test('an invoice whose status flips from sent to viewed and back is emitted once, while it stays overdue', async () => {
		const invoice = addOpenInvoice('2025-02-01', { status: 'sent' });
		const workflow = triggerWorkflow({ emitExisting: true, status: ['sent'] });
		expect(emittedIds(await goodPoll(workflow))).toEqual([invoice.id]);

		fixture.emulator.setStatus(invoice.id, 'viewed');
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(settledIds(workflow)).toEqual([String(invoice.id)]);

		fixture.emulator.setStatus(invoice.id, 'sent');
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(settledIds(workflow)).toEqual([String(invoice.id)]);

		// Paid, then overdue again: newly overdue.
		fixture.emulator.markPaid(invoice.id);
		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toEqual([]);
	});

	test.each([
		['off', false, []],
		['on', true, ['viewed']],
	])('editing the filters with Emit Existing %s: what they newly let through is recorded (emitted only with Emit Existing); later invoices are emitted', async (_label, emitExisting, expected) => {
		const viewed = addOpenInvoice('2025-02-01', { status: 'viewed' });
		const sent = addOpenInvoice('2025-02-02', { status: 'sent' });
		const strict = triggerWorkflow({ emitExisting, status: ['sent'] });
		const first = await goodPoll(strict);
		expect(emittedIds(first)).toEqual(emitExisting ? [sent.id] : []);

		// The user widens the filter: the same workflow (same static data) with other options.
		const widened = strict.withParameters({ event: 'invoiceOverdue', options: { emitExisting, status: ['sent', 'viewed'] } });
		const afterEdit = await goodPoll(widened);
		expect(afterEdit.items.map((item) => item.json.status)).toEqual(expected);
		expect(settledIds(widened)).toEqual([String(viewed.id), String(sent.id)].sort());

		const later = addOpenInvoice('2025-02-20', { status: 'viewed' });
		expect(emittedIds(await goodPoll(widened))).toEqual([later.id]);
		expect((await goodPoll(widened)).items).toEqual([]);
	});

	test('a bad Min Amount fails with an error naming the option, before any request', async () => {
		addOpenInvoice('2025-02-01');
		const result = await poll(triggerWorkflow({ minAmount: 'lots' }));
		expect(result.error?.message).toBe('Min Amount: must be a number of 0 or more, not "lots"');
		expect(result.requests).toEqual([]);
	});
	test('Min Amount 0 (the field default) is no minimum: an invoice without an amount still counts', async () => {
		const withoutAmount = { id: 77, due_date: '2025-02-01', days_overdue: 28, status: 'sent', currency: 'EUR' };
		fixture.emulator.injectFaults(1, { status: 200, body: JSON.stringify({ success: true, count: 1, data: [withoutAmount] }) });
		const result = await poll(triggerWorkflow({ emitExisting: true, minAmount: 0 }));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([expect.objectContaining({ id: '77', dueDate: '2025-02-01', daysOverdue: 28, amountTotal: null, event: 'invoiceOverdue' })]);
	});
});

describe('a poll that always ends (n8n abandons a poll after about 45 s)', () => {
	test('the defaults keep a whole poll within 35 s: Timeout 15 s + Max Wait 20 s', () => {
		const trigger = loadTriggerType()!;
		const options = trigger.description.properties.find((property) => property.name === 'options')?.options as Array<{ name: string; default: unknown }>;
		const defaults = Object.fromEntries(options.filter((option) => ['timeout', 'maxWaitSeconds'].includes(option.name)).map((option) => [option.name, option.default]));
		expect(defaults).toEqual({ timeout: 15, maxWaitSeconds: 20 });
	});

	test('a 429 asking longer than Max Wait: the poll fails at once naming Max Wait, saves nothing; once the limit has passed, the next poll emits what it missed', async () => {
		const workflow = triggerWorkflow({ maxWaitSeconds: 1 });
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();
		const missed = addOpenInvoice('2025-02-20');
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '2' } });
		const started = Date.now();
		const failed = await poll(workflow);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(failed.error?.message).toBe("PayRequest's rate limit asks to wait 2 s more, which would pass Max Wait (1 s)");
		expect(failed.items).toEqual([]);
		expect(workflow.storedState()).toEqual(stateBefore);
		// A poll while the account is still limited sends nothing and fails the same way.
		const early = await poll(workflow);
		expect(early.requests).toEqual([]);
		expect(early.error?.message).toMatch(/which would pass Max Wait \(1 s\)/);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(emittedIds(await goodPoll(workflow))).toEqual([missed.id]);
	});

	test('a request that hangs: the poll fails after Timeout naming it, saves nothing, and the next poll emits what it missed', async () => {
		const workflow = triggerWorkflow({ timeout: 1 });
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();
		const missed = addOpenInvoice('2025-02-20');
		fixture.emulator.injectFaults(1, { delayMs: 30_000 });
		const started = Date.now();
		const failed = await poll(workflow);
		expect(Date.now() - started).toBeLessThan(3_000);
		expect(failed.error?.message).toBe('PayRequest did not answer GET /v1/invoices/overdue within 1 s');
		expect(failed.error?.description).toMatch(/Raise the Timeout option/);
		expect(workflow.storedState()).toEqual(stateBefore);
		expect(emittedIds(await goodPoll(workflow))).toEqual([missed.id]);
	});

	test('slow failures and repeats together: the whole poll ends within Timeout + Max Wait, with an error that names both', async () => {
		const workflow = triggerWorkflow({ timeout: 2, maxWaitSeconds: 1 });
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();
		// Each answer is a 503 after 1.5 s: alone within Timeout, but repeated they would run for 4 × 1.5 s and more.
		fixture.emulator.injectFaults(4, { status: 503, delayMs: 1_500 });
		const started = Date.now();
		const failed = await poll(workflow);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeLessThan(3_000 + 300);
		expect(failed.error?.message).toMatch(/^PayRequest did not (answer GET \/v1\/invoices\/overdue within [\d.]+ s|finish GET \/v1\/invoices\/overdue within the 3 s this run may take)$/);
		expect(workflow.storedState()).toEqual(stateBefore);
	});

	test('a bad Timeout fails the poll naming the option, before any request', async () => {
		const result = await poll(triggerWorkflow({ timeout: 0 }));
		expect(result.error?.message).toBe('Timeout: must be at least 1 second, not 0');
		expect(result.requests).toEqual([]);
	});
});

describe('failed polls', () => {
	const failures = [
		['a 5xx that outlives the retries', { status: 503, body: '<html>Service Unavailable</html>' }, 4, /server error \(HTTP 503\)/],
		['a dropped connection that outlives the retries', { drop: 'before' as const }, 4, /^The connection to PayRequest failed during GET \/v1\/invoices\/overdue/],
		['a 429 that outlives the retries', { status: 429, headers: { 'Retry-After': '0' } }, 6, /rate limit was still exceeded/],
		['a malformed body', { status: 200, body: '{"success":tru' }, 1, /with a body that is not JSON/],
		['an HTML page with status 200', { status: 200, body: '<html>Login</html>' }, 1, /with a body that is not JSON/],
		['a body without the invoice list', { status: 200, body: '{"success":true,"data":{"count":2}}' }, 1, /has no list of invoices in data/],
		['success false', { status: 200, body: '{"success":false,"error":"Maintenance"}' }, 1, /^PayRequest refused GET \/v1\/invoices\/overdue: Maintenance$/],
	] as const;

	test.each(failures)('%s emits nothing and changes no state; the next poll catches up', async (_label, fault, requestCount, message) => {
		const paid = addOpenInvoice('2025-02-01');
		const stays = addOpenInvoice('2025-02-02');
		const workflow = triggerWorkflow({ escalationDays: '30' });
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();

		// Meanwhile: one paid, one new overdue invoice, and the other reaches its 30-day mark (27 → 30).
		fixture.emulator.markPaid(paid.id);
		const added = addOpenInvoice('2025-02-26');
		fixture.emulator.advanceDays(3);
		fixture.emulator.injectFaults(requestCount, fault, (request) => request.path === OVERDUE_PATH);

		const failed = await poll(workflow);
		expect(failed.error?.message).toMatch(message);
		expect(failed.items).toEqual([]);
		expect(failed.requests).toHaveLength(requestCount);
		expect(failed.requests.every((request) => request.path === OVERDUE_PATH)).toBe(true);
		expect(workflow.storedState()).toEqual(stateBefore);

		const recovered = await goodPoll(workflow);
		expect(recovered.items.map((item) => [Number(item.json.id), item.json.escalationDays])).toEqual([
			[stays.id, 30],
			[added.id, undefined],
		]);
		expect(recordedIds(workflow)).toEqual([String(stays.id), String(added.id)]);
	});

	test('a 401 gives an error about the access token, is not repeated, and leaves the state alone', async () => {
		addOpenInvoice('2025-02-01');
		const workflow = triggerWorkflow();
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();
		const added = addOpenInvoice('2025-02-20');
		fixture.emulator.injectFaults(1, { status: 401, body: '{"success":false,"error":"Unauthenticated."}' });

		const failed = await poll(workflow);
		expect(failed.error).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expect(failed.error?.message).toBe('PayRequest rejected the access token: Unauthenticated.');
		expect(failed.error?.description).toMatch(/Check the Access Token/);
		expect(failed.requests).toHaveLength(1);
		expect(workflow.storedState()).toEqual(stateBefore);

		expect(emittedIds(await goodPoll(workflow))).toEqual([added.id]);
	});

	test('a 5xx that recovers within the retries is a good poll', async () => {
		const workflow = triggerWorkflow();
		await goodPoll(workflow);
		const added = addOpenInvoice('2025-02-20');
		fixture.emulator.injectFaults(2, { status: 502, body: '<html>Bad gateway</html>' });

		const result = await poll(workflow);
		expect(result.error).toBeUndefined();
		expect(result.requests.map((request) => request.status)).toEqual([502, 502, 200]);
		expect(emittedIds(result)).toEqual([added.id]);
	});

	test('the access token appears neither in the stored state nor in any error, even when an answer echoes it', async () => {
		addOpenInvoice('2025-02-01');
		const workflow = triggerWorkflow({ emitExisting: true, escalationDays: '7,14' });
		// [times, fault]: a 5xx is repeated by the transport, so it has to outlive the retries.
		const faults: Array<[number, Fault]> = [
			[1, { status: 401, body: '{"success":false,"error":"Unauthenticated."}' }],
			[1, { status: 200, body: `{"success":tru Authorization: Bearer ${READ_WRITE_TOKEN}` }],
			[1, { status: 200, body: JSON.stringify({ success: true, data: `token=${READ_WRITE_TOKEN}` }) }],
			[1, { status: 400, body: JSON.stringify({ success: false, error: `Bad header Bearer ${READ_WRITE_TOKEN}` }) }],
			[4, { status: 502, body: `<html>upstream refused Authorization: Bearer ${READ_WRITE_TOKEN}</html>` }],
		];
		await goodPoll(workflow);
		const errors = await pollEachWithFault(workflow, faults);
		fixture.emulator.advanceDays(10);
		await goodPoll(workflow);

		expect(JSON.stringify(workflow.storedState())).not.toContain(READ_WRITE_TOKEN);
		expect(errors).toHaveLength(faults.length);
		for (const error of errors) expect(everythingShownOf(error)).not.toContain(READ_WRITE_TOKEN);
		// The requests did carry it: the checks above are not vacuous.
		expect(fixture.emulator.requests.every((request) => request.headers.authorization === `Bearer ${READ_WRITE_TOKEN}`)).toBe(true);
	});
});

describe('manual mode (Fetch Test Event)', () => {
	test('returns the most overdue matching invoice and leaves the saved state untouched', async () => {
		const workflow = triggerWorkflow({ currency: 'EUR' });
		await goodPoll(workflow);
		const stateBefore = workflow.storedState();
		addOpenInvoice('2025-02-20');
		addOpenInvoice('2025-01-05', { currency: 'USD' }); // the most overdue, but filtered out
		const mostOverdue = addOpenInvoice('2025-01-10');

		const sample = await goodPoll(workflow, 'manual');
		expect(sample.items).toHaveLength(1);
		expect(sample.items[0].json).toMatchObject({ id: String(mostOverdue.id), dueDate: '2025-01-10', daysOverdue: 50 });
		expect(workflow.storedState()).toEqual(stateBefore);

		// The sample was not recorded: the next real poll still emits both new matching invoices.
		expect((await goodPoll(workflow)).items).toHaveLength(2);
	});

	test('before any real poll it stores nothing, so activation still gets its silent first poll', async () => {
		addOpenInvoice('2025-02-01');
		const workflow = triggerWorkflow();
		await goodPoll(workflow, 'manual');
		expect(storedTriggerState(workflow)).toBeUndefined();

		expect((await goodPoll(workflow)).items).toEqual([]);
		expect(recordedIds(workflow)).toHaveLength(1);
	});

	test('applies Min Days Overdue like a real event: no sample below the minimum', async () => {
		addOpenInvoice('2025-02-27'); // 2 days overdue
		const result = await poll(triggerWorkflow({ minDaysOverdue: 5 }), 'manual');
		expect(result.error?.message).toBe('No overdue invoice in PayRequest matches this trigger right now');
	});

	test('with no overdue invoice it fails with an error saying so, and stores nothing', async () => {
		addOpenInvoice('2025-03-20');
		const workflow = triggerWorkflow();
		const result = await poll(workflow, 'manual');
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('No overdue invoice in PayRequest matches this trigger right now');
		expect(result.error?.description).toMatch(/Check the filters in Options, or wait until an invoice is overdue/);
		expect(result.requests).toHaveLength(1);
		expect(storedTriggerState(workflow)).toBeUndefined();
	});

	test('a failed request in manual mode reports the API error', async () => {
		fixture.emulator.injectFaults(1, { status: 200, body: '{"success":tru' });
		const result = await poll(triggerWorkflow(), 'manual');
		expect(result.error?.message).toMatch(/with a body that is not JSON/);
	});
});

describe('over many days of changes', () => {
	test('each (invoice, due date) is emitted once when it becomes overdue, and the state is always the current overdue list', async () => {
		const random = createPrng(42);
		const pick = <T,>(values: T[]) => values[Math.floor(random() * values.length)];
		const dueDateAround = (offsetDays: number) => {
			const day = new Date(fixture.emulator.now().getTime() + offsetDays * 86_400_000);
			return day.toISOString().slice(0, 10);
		};
		for (let index = 0; index < 20; index++) addOpenInvoice(dueDateAround(Math.floor(random() * 40) - 20));
		const workflow = triggerWorkflow();
		await goodPoll(workflow);

		// Keys overdue at the previous poll; a key is emitted when it is overdue now and was not then.
		const keyOf = (invoice: EmulatorInvoice) => `${invoice.id}@${invoice.due_date}`;
		const overdueKeys = () => {
			const overdueIds = new Set(overdueIdsNow());
			return new Set(fixture.emulator.listInvoices().filter((invoice) => overdueIds.has(String(invoice.id))).map(keyOf));
		};
		let previousKeys = overdueKeys();
		const emittedKeys: string[] = [];
		for (let day = 0; day < 40; day++) {
			for (let change = 0; change < 3; change++) {
				const open = fixture.emulator.listInvoices().filter((invoice) => invoice.status !== 'paid');
				const action = random();
				if (action < 0.3) addOpenInvoice(dueDateAround(Math.floor(random() * 10) - 5));
				else if (action < 0.5 && open.length > 0) fixture.emulator.markPaid(pick(open).id);
				else if (action < 0.7 && open.length > 0) fixture.emulator.setDueDate(pick(open).id, dueDateAround(Math.floor(random() * 20) - 10));
			}
			fixture.emulator.advanceDays(1);

			const result = await goodPoll(workflow);
			const currentKeys = overdueKeys();
			const expectedNew = [...currentKeys].filter((key) => !previousKeys.has(key)).sort();
			const emitted = result.items.map((item) => `${item.json.id}@${item.json.dueDate}`);
			expect(emitted.sort()).toEqual(expectedNew);
			expect(recordedIds(workflow)).toEqual(overdueIdsNow());
			emittedKeys.push(...emitted);
			previousKeys = currentKeys;
		}
		// (A key that leaves the overdue list and comes back is new again: the state keeps only current keys.)
		expect(emittedKeys.length).toBeGreaterThan(10); // the walk did exercise the trigger
	});
});
