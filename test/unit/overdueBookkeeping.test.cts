import fc from 'fast-check';

import {
	checksDue,
	compactOverdueState,
	emptyOverdueState,
	planChecks,
	recordChecks,
	type CheckProgress,
	parseEscalationDays,
	readOverdueState,
	reconcileOverdue as reconcileRecords,
	TOMBSTONE_DAYS,
	type OverdueOptions,
	type OverdueState,
} from '../../nodes/shared/overdue/overdueBookkeeping';
import type { OverdueRecord } from '../../nodes/shared/overdue/overdueBookkeeping';
import { alternativePaymentsOverdueRecord } from '../../nodes/AlternativePayments/trigger/overdueRecord';
import { paisrOverdueRecord } from '../../nodes/Paisr/trigger/overdueRecord';
import { payRequestOverdueRecord } from '../../nodes/PayRequest/trigger/overdueRecord';

/** An overdue invoice as PayRequest's overdue endpoint returns it (the scenarios below are written in its shape). */
type OverdueInvoice = Record<string, unknown> & { id: unknown; due_date?: unknown; days_overdue?: unknown };
type OverdueEvent = { kind: 'overdue' | 'escalation'; invoice: OverdueInvoice & { escalation_days?: number } };

/**
 * The bookkeeping as the PayRequest Trigger runs it: its invoices mapped onto records, and each
 * event back to what the trigger emits (the invoice as it came, plus escalation_days).
 */
function reconcileOverdue(
	previous: OverdueState,
	fetched: OverdueInvoice[],
	options: OverdueOptions,
	now: Date,
	mapping: (entry: unknown) => OverdueRecord = payRequestOverdueRecord,
	complete = true,
) {
	const { records, at } = onTheirClock(previous, fetched, mapping, now);
	const result = reconcileRecords(previous, records, options, at, { complete });
	const events: OverdueEvent[] = result.events.map((event) => ({
		kind: event.kind,
		invoice: { ...(event.record.raw as OverdueInvoice), ...(event.escalationDays !== undefined ? { escalation_days: event.escalationDays } : {}) },
	}));
	return { ...result, events };
}

const NOW = new Date('2024-03-20T10:00:00Z');
const MS_PER_DAY = 86_400_000;
const DEFAULT_DUE_DATE = '2024-02-01';

/**
 * The scenarios speak in days overdue (days_overdue), most of them of invoices due on one day: the
 * bookkeeping counts days from the due date to the day of `now` (in the workflow's time zone, UTC
 * here). So at NOW the clock is set by the first invoice that gives both: its due date (for one on
 * the default day, the one the state keeps for it) plus its days; each other invoice on the default
 * day is due its days before that day, which keeps its key while its days grow poll by poll.
 */
function onTheirClock(previous: OverdueState, fetched: OverdueInvoice[], mapping: (entry: unknown) => OverdueRecord, now: Date): { records: OverdueRecord[]; at: Date } {
	const days = (invoice: OverdueInvoice) => (String(invoice.days_overdue ?? '').trim() === '' ? Number.NaN : Number(invoice.days_overdue));
	const plain = fetched.filter((invoice): invoice is OverdueInvoice => invoice !== null && typeof invoice === 'object' && !Array.isArray(invoice));
	const anchor = now === NOW ? plain.find((invoice) => Number.isFinite(days(invoice)) && /^\d{4}-\d{2}-\d{2}$/.test(String(invoice.due_date))) : undefined;
	if (!anchor) return { records: fetched.map((invoice) => mapping(invoice)), at: now };
	const known = Object.prototype.hasOwnProperty.call(previous.seen, String(anchor.id)) ? previous.seen[String(anchor.id)] : undefined;
	const anchorDue = anchor.due_date === DEFAULT_DUE_DATE && known ? known.dueDate : String(anchor.due_date);
	const today = Date.parse(`${anchorDue}T00:00:00Z`) + days(anchor) * MS_PER_DAY;
	const records = fetched.map((invoice) => {
		const record = mapping(invoice);
		if (!plain.includes(invoice) || invoice.due_date !== DEFAULT_DUE_DATE || !Number.isFinite(days(invoice))) return record;
		return { ...record, dueDate: new Date(today - days(invoice) * MS_PER_DAY).toISOString().slice(0, 10) };
	});
	return { records, at: new Date(today + 10 * 3_600_000) };
}

type OptionOverrides = Partial<Omit<OverdueOptions, 'filters'>> & { filters?: Partial<OverdueOptions['filters']> };

function buildOptions(overrides: OptionOverrides = {}): OverdueOptions {
	return {
		emitExisting: overrides.emitExisting ?? false,
		minDaysOverdue: overrides.minDaysOverdue ?? 0,
		escalationDays: overrides.escalationDays ?? [],
		filters: { status: [], currency: [], ...overrides.filters },
	};
}

/** An overdue invoice as the API returns it. The due date stays fixed unless overridden, so days can grow without changing the key. */
function invoice(id: number | string, daysOverdue: number, extra: Partial<OverdueInvoice> = {}): OverdueInvoice {
	return {
		id,
		due_date: DEFAULT_DUE_DATE,
		days_overdue: daysOverdue,
		status: 'sent',
		currency: 'EUR',
		amount: 120,
		customer: { id: 7, name: 'Acme' },
		payment_link: `https://pay.example/${String(id).trim()}`,
		...extra,
	};
}

function describeEvent(event: OverdueEvent): string {
	const id = String(event.invoice.id).trim();
	return event.kind === 'escalation' ? `escalation:${id}@${event.invoice.escalation_days}` : `overdue:${id}`;
}

/** Threads the state through polls the way the trigger does, including n8n's JSON persistence. */
function runPolls(polls: OverdueInvoice[][], options: OverdueOptions) {
	let stored: unknown = undefined;
	const eventsPerPoll: string[][] = [];
	const seenPerPoll: string[][] = [];
	let state = emptyOverdueState();
	for (const fetched of polls) {
		state = readOverdueState(stored);
		const result = reconcileOverdue(state, fetched, options, NOW);
		eventsPerPoll.push(result.events.map(describeEvent));
		// What is on the list now: tombstones (goneSince) are not.
		seenPerPoll.push(Object.keys(result.next.seen).filter((key) => result.next.seen[key].goneSince === undefined).sort());
		stored = JSON.parse(JSON.stringify(compactOverdueState(result.next)));
		state = result.next;
	}
	return { eventsPerPoll, seenPerPoll, finalState: state };
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const child of Object.values(value)) deepFreeze(child);
		Object.freeze(value);
	}
	return value;
}

interface Scenario {
	name: string;
	options?: OptionOverrides;
	polls: OverdueInvoice[][];
	events: string[][];
	seen?: string[][];
}

describe('reconcileOverdue scenarios', () => {
	const scenarios: Scenario[] = [
		// First poll
		{
			name: 'first poll without emitExisting records the overdue list silently',
			polls: [[invoice(2, 10), invoice(1, 3)]],
			events: [[]],
			seen: [['1', '2']],
		},
		{
			name: 'first poll with emitExisting emits every overdue invoice in fetch order',
			options: { emitExisting: true },
			polls: [[invoice(2, 10), invoice(1, 3)], [invoice(2, 11), invoice(1, 4)]],
			events: [['overdue:2', 'overdue:1'], []],
			seen: [['1', '2'], ['1', '2']],
		},
		{
			name: 'an empty first poll still initializes, so the next new invoice is emitted',
			polls: [[], [invoice(1, 1)]],
			events: [[], ['overdue:1']],
		},
		// New and already seen invoices
		{
			name: 'a new invoice is emitted once and not at the following polls',
			polls: [[invoice(1, 3)], [invoice(1, 4), invoice(2, 1)], [invoice(1, 5), invoice(2, 2)], [invoice(2, 3)]],
			events: [[], ['overdue:2'], [], []],
			seen: [['1'], ['1', '2'], ['1', '2'], ['2']],
		},
		{
			name: 'new invoices are emitted in fetch order (most overdue first)',
			polls: [[], [invoice(3, 9), invoice(1, 4), invoice(2, 1)]],
			events: [[], ['overdue:3', 'overdue:1', 'overdue:2']],
		},
		// Paid / re-dated
		{
			name: 'an invoice that leaves the list (paid, or an answer that left it out) and comes back with the same due date is not emitted again',
			polls: [[], [invoice(1, 3)], [], [invoice(1, 3)], [invoice(1, 4)]],
			events: [[], ['overdue:1'], [], [], []],
			seen: [[], ['1'], [], ['1'], ['1']],
		},
		{
			name: 'an invoice recorded on the first poll that leaves and comes back with another due date is newly overdue',
			polls: [[invoice(1, 3)], [], [invoice(1, 1, { due_date: '2024-03-19' })], [invoice(1, 2, { due_date: '2024-03-19' })]],
			events: [[], [], ['overdue:1'], []],
		},
		{
			name: 'a whole answer that comes back empty once repeats none of the backlog',
			options: { emitExisting: true },
			polls: [[invoice(1, 3), invoice(2, 5)], [], [invoice(1, 4), invoice(2, 6), invoice(3, 1)]],
			events: [['overdue:1', 'overdue:2'], [], ['overdue:3']],
		},
		{
			name: 'a moved due date is a new key and is emitted again, once',
			polls: [
				[],
				[invoice(1, 3, { due_date: '2024-03-01' })],
				[invoice(1, 1, { due_date: '2024-03-10' })],
				[invoice(1, 2, { due_date: '2024-03-10' })],
			],
			events: [[], ['overdue:1'], ['overdue:1'], []],
		},
		{
			name: 'a due date moved on the first-poll invoice is emitted even without emitExisting',
			polls: [[invoice(1, 3, { due_date: '2024-03-01' })], [invoice(1, 1, { due_date: '2024-03-10' })]],
			events: [[], ['overdue:1']],
		},
		// minDaysOverdue
		{
			name: 'below minDaysOverdue it is kept unsettled, not emitted, and is emitted on reaching it',
			options: { minDaysOverdue: 3 },
			polls: [[], [invoice(1, 1)], [invoice(1, 2)], [invoice(1, 3)], [invoice(1, 4)]],
			events: [[], [], [], ['overdue:1'], []],
			seen: [[], ['1'], ['1'], ['1'], ['1']],
		},
		{
			name: 'exactly at minDaysOverdue it is emitted',
			options: { minDaysOverdue: 3 },
			polls: [[], [invoice(1, 3)]],
			events: [[], ['overdue:1']],
		},
		{
			name: 'first seen above minDaysOverdue it is emitted once',
			options: { minDaysOverdue: 3 },
			polls: [[], [invoice(1, 8)], [invoice(1, 9)]],
			events: [[], ['overdue:1'], []],
		},
		{
			name: 'first poll without emitExisting records those at the minimum, the ones below are emitted later',
			options: { minDaysOverdue: 3 },
			polls: [[invoice(1, 5), invoice(2, 1)], [invoice(1, 6), invoice(2, 2)], [invoice(1, 7), invoice(2, 3)]],
			events: [[], [], ['overdue:2']],
			seen: [['1', '2'], ['1', '2'], ['1', '2']],
		},
		{
			name: 'first poll with emitExisting emits only those at the minimum',
			options: { minDaysOverdue: 3, emitExisting: true },
			polls: [[invoice(1, 5), invoice(2, 1)], [invoice(1, 6), invoice(2, 3)]],
			events: [['overdue:1'], ['overdue:2']],
		},
		{
			name: 'a recorded invoice whose days_overdue dips below the minimum is kept, not emitted again',
			options: { minDaysOverdue: 3 },
			polls: [[], [invoice(1, 3)], [invoice(1, 2)], [invoice(1, 4)]],
			events: [[], ['overdue:1'], [], []],
			seen: [[], ['1'], ['1'], ['1']],
		},
		// Escalation marks
		{
			name: 'crossing a single mark emits one escalation',
			options: { escalationDays: [7] },
			polls: [[], [invoice(1, 5)], [invoice(1, 6)], [invoice(1, 7)], [invoice(1, 8)]],
			events: [[], ['overdue:1'], [], ['escalation:1@7'], []],
		},
		{
			name: 'jumping past several marks emits one escalation for the highest',
			options: { escalationDays: [7, 14, 30] },
			polls: [[], [invoice(1, 3)], [invoice(1, 20)], [invoice(1, 21)], [invoice(1, 30)]],
			events: [[], ['overdue:1'], ['escalation:1@14'], [], ['escalation:1@30']],
		},
		{
			name: 'each mark fires once per key',
			options: { escalationDays: [7, 14, 30] },
			polls: [[], [invoice(1, 1)], [invoice(1, 7)], [invoice(1, 8)], [invoice(1, 14)], [invoice(1, 15)], [invoice(1, 30)], [invoice(1, 31)]],
			events: [[], ['overdue:1'], ['escalation:1@7'], [], ['escalation:1@14'], [], ['escalation:1@30'], []],
		},
		{
			name: 'first poll without emitExisting records passed marks, no backlog',
			options: { escalationDays: [7, 14] },
			polls: [[invoice(1, 10)], [invoice(1, 11)], [invoice(1, 14)]],
			events: [[], [], ['escalation:1@14']],
		},
		{
			name: 'first poll with emitExisting emits one overdue event and settles passed marks',
			options: { escalationDays: [7, 14], emitExisting: true },
			polls: [[invoice(1, 10)], [invoice(1, 11)], [invoice(1, 14)]],
			events: [['overdue:1'], [], ['escalation:1@14']],
		},
		{
			name: 'a newly overdue invoice already past marks gets only the overdue event',
			options: { escalationDays: [7, 14] },
			polls: [[], [invoice(1, 10)], [invoice(1, 12)], [invoice(1, 14)]],
			events: [[], ['overdue:1'], [], ['escalation:1@14']],
		},
		{
			name: 'a new key re-arms the marks',
			options: { escalationDays: [7] },
			polls: [[], [invoice(1, 7)], [invoice(1, 8)], [], [invoice(1, 3, { due_date: '2024-03-17' })], [invoice(1, 7, { due_date: '2024-03-17' })]],
			events: [[], ['overdue:1'], [], [], ['overdue:1'], ['escalation:1@7']],
		},
		{
			name: 'marks combine with minDaysOverdue: the overdue event settles marks below the minimum',
			options: { escalationDays: [2, 5], minDaysOverdue: 3 },
			polls: [[], [invoice(1, 1)], [invoice(1, 3)], [invoice(1, 5)]],
			events: [[], [], ['overdue:1'], ['escalation:1@5']],
		},
		// Filters (fixed for the whole run)
		{
			name: 'status filter: a non-matching invoice is kept unsettled and is emitted when its status matches',
			options: { filters: { status: ['sent'] } },
			polls: [
				[],
				[invoice(1, 3, { status: 'partially_paid' })],
				[invoice(1, 4, { status: 'sent' })],
				[invoice(1, 5, { status: 'sent' })],
			],
			events: [[], [], ['overdue:1'], []],
			seen: [[], ['1'], ['1'], ['1']],
		},
		{
			name: 'status filter: an emitted invoice whose status flips away and back is not emitted again',
			options: { filters: { status: ['sent'] } },
			polls: [[], [invoice(1, 3)], [invoice(1, 4, { status: 'viewed' })], [invoice(1, 5)], [invoice(1, 6, { status: 'viewed' })], [invoice(1, 7)]],
			events: [[], ['overdue:1'], [], [], [], []],
			seen: [[], ['1'], ['1'], ['1'], ['1'], ['1']],
		},
		{
			name: 'escalation marks fire only while the invoice passes the filters, once',
			options: { filters: { status: ['sent'] }, escalationDays: [7] },
			polls: [[], [invoice(1, 3)], [invoice(1, 8, { status: 'viewed' })], [invoice(1, 9)], [invoice(1, 10)]],
			events: [[], ['overdue:1'], [], ['escalation:1@7'], []],
		},
		{
			name: 'status filter: an invoice without status does not match',
			options: { filters: { status: ['sent'] } },
			polls: [[], [invoice(1, 3, { status: undefined })]],
			events: [[], []],
			seen: [[], ['1']],
		},
		{
			name: 'currency filter is case-insensitive',
			options: { filters: { currency: ['eur'] } },
			polls: [[], [invoice(1, 3, { currency: 'EUR' }), invoice(2, 3, { currency: 'USD' }), invoice(3, 3, { currency: 'eur' })]],
			events: [[], ['overdue:1', 'overdue:3']],
			seen: [[], ['1', '2', '3']],
		},
		{
			name: 'minAmount filter accepts numeric-string amounts',
			options: { filters: { minAmount: 100 } },
			polls: [
				[],
				[
					invoice(1, 3, { amount: '150.50' }),
					invoice(2, 3, { amount: '99.99' }),
					invoice(3, 3, { amount: 100 }),
					invoice(4, 3, { amount: 'n/a' }),
					invoice(5, 3, { amount: undefined }),
				],
			],
			events: [[], ['overdue:1', 'overdue:3']],
			seen: [[], ['1', '2', '3', '4', '5']],
		},
		{
			name: 'customerId filter matches number and string ids',
			options: { filters: { customerId: '7' } },
			polls: [
				[],
				[
					invoice(1, 3, { customer: { id: 7 } }),
					invoice(2, 3, { customer: { id: '7' } }),
					invoice(3, 3, { customer: { id: 8 } }),
					invoice(4, 3, { customer: null }),
				],
			],
			events: [[], ['overdue:1', 'overdue:2']],
		},
		{
			name: 'a filtered-out invoice on the first poll is emitted once it passes (it was never settled)',
			options: { filters: { status: ['sent'] } },
			polls: [[invoice(1, 3, { status: 'draft' })], [invoice(1, 4, { status: 'sent' })]],
			events: [[], ['overdue:1']],
		},
		// Tolerance
		{
			name: 'id as number or string is the same key',
			polls: [[invoice(1, 3)], [invoice('1', 4)], [invoice(' 001 ', 5)], [invoice(1, 6)]],
			events: [[], [], [], []],
			seen: [['1'], ['1'], ['1'], ['1']],
		},
		{
			name: 'string ids that are not numeric still work as keys',
			polls: [[], [invoice('INV-9', 3)], [invoice('INV-9', 4)]],
			events: [[], ['overdue:INV-9'], []],
			seen: [[], ['INV-9'], ['INV-9']],
		},
		{
			name: 'duplicate ids within one fetch count once',
			options: { emitExisting: true },
			polls: [[invoice(1, 5), invoice('1', 5), invoice(2, 3), invoice(1, 5)]],
			events: [['overdue:1', 'overdue:2']],
		},
		{
			name: 'ids that clash with Object.prototype names are plain keys',
			polls: [[], [invoice('constructor', 3), invoice('__proto__', 3), invoice('toString', 3)]],
			events: [[], ['overdue:constructor', 'overdue:__proto__', 'overdue:toString']],
			seen: [[], ['__proto__', 'constructor', 'toString']],
		},
	];

	test.each(scenarios)('$name', ({ options, polls, events, seen }) => {
		const run = runPolls(polls, buildOptions(options));
		expect(run.eventsPerPoll).toEqual(events);
		if (seen) expect(run.seenPerPoll).toEqual(seen);
	});
});

describe('filters changed between polls', () => {
	const rows: Array<[string, OptionOverrides['filters'], OverdueInvoice]> = [
		['status', { status: ['sent'] }, invoice(1, 3, { status: 'disputed' })],
		['currency', { currency: ['usd'] }, invoice(1, 3, { currency: 'EUR' })],
		['minAmount', { minAmount: 500 }, invoice(1, 3, { amount: '120.00' })],
		['customerId', { customerId: 99 }, invoice(1, 3, { customer: { id: 7 } })],
	];

	test.each(rows)('%s: loosening the filter acts as a first poll for what it newly lets through; later invoices are emitted', (_name, filters, failing) => {
		const strict = buildOptions({ filters });
		const first = reconcileOverdue(emptyOverdueState(), [], strict, NOW);
		const blocked = reconcileOverdue(first.next, [failing], strict, NOW);
		expect(blocked.events).toEqual([]);
		expect(blocked.next.seen['1']).toEqual({ dueDate: '2024-02-01', settled: false, marks: [] });

		// Emit Existing off: recorded, not emitted, now or later.
		const loosened = reconcileOverdue(blocked.next, [failing], buildOptions(), NOW);
		expect(loosened.events).toEqual([]);
		expect(loosened.next.seen['1'].settled).toBe(true);
		const later = reconcileOverdue(loosened.next, [failing, invoice(2, 1)], buildOptions(), NOW);
		expect(later.events.map(describeEvent)).toEqual(['overdue:2']);

		// Emit Existing on: emitted once.
		const withExisting = reconcileOverdue(blocked.next, [failing], buildOptions({ emitExisting: true }), NOW);
		expect(withExisting.events.map(describeEvent)).toEqual(['overdue:1']);
		expect(reconcileOverdue(withExisting.next, [failing], buildOptions({ emitExisting: true }), NOW).events).toEqual([]);
	});

	test.each(rows)('%s: an invoice that stops passing stays in state, and is not emitted again when it passes again', (_name, filters, failing) => {
		const recorded = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, [failing], buildOptions(), NOW);
		expect(recorded.events.map(describeEvent)).toEqual(['overdue:1']);
		const filtered = reconcileOverdue(recorded.next, [failing], buildOptions({ filters }), NOW);
		expect(filtered.events).toEqual([]);
		expect(filtered.next.seen['1'].settled).toBe(true);
		const open = reconcileOverdue(filtered.next, [failing], buildOptions({ emitExisting: true }), NOW);
		expect(open.events).toEqual([]);
	});

	test('editing Min Days Overdue does not dump the backlog', () => {
		const options = buildOptions({ minDaysOverdue: 10 });
		const first = reconcileOverdue(emptyOverdueState(), [], options, NOW);
		const held = reconcileOverdue(first.next, [invoice(1, 3), invoice(2, 5)], options, NOW);
		expect(held.events).toEqual([]);
		const lowered = reconcileOverdue(held.next, [invoice(1, 3), invoice(2, 5)], buildOptions({ minDaysOverdue: 0 }), NOW);
		expect(lowered.events).toEqual([]);
		const next = reconcileOverdue(lowered.next, [invoice(1, 4), invoice(2, 6), invoice(3, 1)], buildOptions({ minDaysOverdue: 0 }), NOW);
		expect(next.events.map(describeEvent)).toEqual(['overdue:3']);
	});
});

describe('event payloads', () => {
	test('an overdue event carries an unchanged copy of the invoice, extra fields included', () => {
		const fetched = invoice(1, 3, { amount: '120.00', line_items: [{ sku: 'A' }], notes: null });
		const { events } = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, [fetched], buildOptions(), NOW);
		expect(events).toHaveLength(1);
		expect(events[0].kind).toBe('overdue');
		expect(events[0].invoice).toEqual(fetched);
		expect(events[0].invoice).not.toBe(fetched);
		expect(events[0].invoice).not.toHaveProperty('escalation_days');
	});

	test('an escalation event is a shallow copy plus escalation_days', () => {
		const options = buildOptions({ escalationDays: [7] });
		const before = invoice(1, 6, { extra_field: 'kept' });
		const first = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, [before], options, NOW);
		const after = invoice(1, 7, { extra_field: 'kept' });
		const { events } = reconcileOverdue(first.next, [after], options, NOW);
		expect(events).toEqual([{ kind: 'escalation', invoice: { ...after, escalation_days: 7 } }]);
		expect(after).not.toHaveProperty('escalation_days');
	});

	test('an escalation jump records every crossed mark as done', () => {
		const options = buildOptions({ escalationDays: [7, 14, 30] });
		const first = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, [invoice(1, 3)], options, NOW);
		const jumped = reconcileOverdue(first.next, [invoice(1, 20)], options, NOW);
		expect(jumped.next.seen['1']).toEqual({ dueDate: '2024-02-01', settled: true, marks: [7, 14] });
	});

	test('with duplicates the first occurrence is the one emitted', () => {
		const fetched = [invoice(1, 5, { marker: 'first' }), invoice(1, 5, { marker: 'second' })];
		const { events, skipped } = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, fetched, buildOptions(), NOW);
		expect(events.map((event) => event.invoice.marker)).toEqual(['first']);
		expect(skipped).toBe(0);
	});
});

describe('unusable entries', () => {
	const badEntries: Array<[string, unknown]> = [
		['null', null],
		['a string', 'INV-1'],
		['an array', [1, '2024-01-01']],
		['an empty object', {}],
		['no due_date', { id: 1 }],
		['no id', { due_date: '2024-03-01' }],
		['empty string id', { id: '  ', due_date: '2024-03-01' }],
		['NaN id', { id: Number.NaN, due_date: '2024-03-01' }],
		['object id', { id: { value: 1 }, due_date: '2024-03-01' }],
		['due_date not a date', { id: 1, due_date: 'soon' }],
		['impossible calendar date', { id: 1, due_date: '2024-02-30' }],
		['due_date as a number', { id: 1, due_date: 20240301 }],
	];

	test.each(badEntries)('%s is skipped, counted, and not recorded', (_name, entry) => {
		const fetched = [entry as OverdueInvoice, invoice(2, 3)];
		const { events, next, skipped } = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, fetched, buildOptions(), NOW);
		expect(skipped).toBe(1);
		expect(events.map(describeEvent)).toEqual(['overdue:2']);
		expect(Object.keys(next.seen)).toEqual(['2']);
	});

	test('a skipped entry does not claim its id for a later valid duplicate', () => {
		const fetched = [{ id: 1 } as OverdueInvoice, invoice(1, 3)];
		const { events, skipped } = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, fetched, buildOptions(), NOW);
		expect(skipped).toBe(1);
		expect(events.map(describeEvent)).toEqual(['overdue:1']);
	});

	test('an ISO timestamp due date keys on its date part', () => {
		const state: OverdueState = { version: 2, initialized: true, gate: '', seen: { '1': { dueDate: '2024-03-01', settled: true, marks: [] } } };
		const { events, next } = reconcileOverdue(state, [invoice(1, 3, { due_date: '2024-03-01T00:00:00Z' })], buildOptions(), NOW);
		expect(events).toEqual([]);
		expect(next.seen['1'].dueDate).toBe('2024-03-01');
	});
});

describe('days are counted from the due date, whatever days_overdue says', () => {
	// now is late in the UTC day: only whole calendar days count.
	const lateNow = new Date('2024-03-20T23:59:00Z');
	const rows: Array<[string, Partial<OverdueInvoice>, boolean]> = [
		['missing, due 5 days ago → at the minimum', { due_date: '2024-03-15', days_overdue: undefined }, true],
		['missing, due 4 days ago → below the minimum', { due_date: '2024-03-16', days_overdue: undefined }, false],
		['missing, due across a month boundary', { due_date: '2024-02-28', days_overdue: undefined }, true],
		['a provider count of 6 is not taken: 1 day from its due date', { due_date: '2024-03-19', days_overdue: '6' as unknown as number }, false],
		['not a number → computed', { due_date: '2024-03-19', days_overdue: 'many' as unknown as number }, false],
	];

	test.each(rows)('%s', (_name, extra, emitted) => {
		const fetched = [invoice(1, 0, extra)];
		const { events } = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, fetched, buildOptions({ minDaysOverdue: 5 }), lateNow);
		expect(events.length).toBe(emitted ? 1 : 0);
	});

	test('computed days drive escalation marks too', () => {
		const options = buildOptions({ escalationDays: [7] });
		const withoutDays = (dueDate: string) => [invoice(1, 0, { due_date: dueDate, days_overdue: undefined })];
		const first = reconcileOverdue({ ...emptyOverdueState(), initialized: true }, withoutDays('2024-03-15'), options, new Date('2024-03-20T08:00:00Z'));
		const later = reconcileOverdue(first.next, withoutDays('2024-03-15'), options, new Date('2024-03-22T08:00:00Z'));
		expect(later.events.map(describeEvent)).toEqual(['escalation:1@7']);
	});
});

describe('purity', () => {
	test('the previous state and the fetched list are not mutated', () => {
		const previous = deepFreeze<OverdueState>({
			version: 2,
			initialized: true,
			gate: '',
			seen: { '1': { dueDate: '2024-02-01', settled: true, marks: [2] }, '9': { dueDate: '2024-02-01', settled: false, marks: [] } },
		});
		const fetched = deepFreeze([invoice(1, 20), invoice(2, 3), invoice(3, 1)]);
		const snapshot = JSON.stringify({ previous, fetched });
		const options = deepFreeze(buildOptions({ escalationDays: [2, 5, 9], minDaysOverdue: 2 }));
		const result = reconcileOverdue(previous, fetched, options, NOW);
		expect(JSON.stringify({ previous, fetched })).toBe(snapshot);
		expect(result.next).not.toBe(previous);
		expect(result.next.seen['1']).not.toBe(previous.seen['1']);
		expect(result.events.map(describeEvent)).toEqual(['escalation:1@9', 'overdue:2']);
	});

	test('the next state survives JSON persistence unchanged', () => {
		const { next } = reconcileOverdue(
			emptyOverdueState(),
			[invoice(1, 20), invoice('2', 3), invoice('__proto__', 4)],
			buildOptions({ escalationDays: [2, 5, 9] }),
			NOW,
		);
		const persisted = JSON.parse(JSON.stringify(next));
		expect(persisted).toEqual(next);
		expect(readOverdueState(persisted)).toEqual(next);
		expect(readOverdueState(JSON.parse(JSON.stringify(compactOverdueState(next))))).toEqual(next);
	});
});

describe('readOverdueState', () => {
	const garbage: Array<[string, unknown]> = [
		['undefined', undefined],
		['null', null],
		['empty string', ''],
		['a string', 'state'],
		['a number', 42],
		['an empty array', []],
		['an array of entries', [{ version: 1, initialized: true, seen: {} }]],
		['an empty object', {}],
		['a future version', { version: 99, initialized: true, seen: { '1': { dueDate: '2024-01-01', marks: [] } } }],
		['version as a string', { version: '1', initialized: true, seen: {} }],
		['seen missing', { version: 1, initialized: true }],
		['seen as an array', { version: 1, initialized: true, seen: [{ dueDate: '2024-01-01', marks: [] }] }],
		['seen as a string', { version: 1, initialized: true, seen: 'x' }],
		['seen null', { version: 1, initialized: true, seen: null }],
		['version 3 without keys', { version: 3, initialized: true, gate: '' }],
		['version 3 keys as a string', { version: 3, initialized: true, gate: '', keys: '1.2' }],
	];

	test.each(garbage)('%s → empty state', (_name, stored) => {
		expect(readOverdueState(stored)).toEqual(emptyOverdueState());
	});

	test('bad seen entries are dropped, good ones kept and cleaned', () => {
		const stored = {
			version: 1,
			initialized: true,
			seen: {
				'1': { dueDate: '2024-01-01', marks: [7, 14] },
				'2': null,
				'3': { dueDate: 'yesterday', marks: [] },
				'4': { dueDate: '2024-01-04', marks: 'x' },
				'5': { dueDate: '2024-01-05', marks: [14, -1, 'x', 7, 2.5, 7, 0] },
				'6': { marks: [7] },
				'7': [{ dueDate: '2024-01-07' }],
				' ': { dueDate: '2024-01-08', marks: [] },
				'9': { dueDate: '2024-01-09' },
			},
		};
		// A version-1 state kept only keys it had settled.
		expect(readOverdueState(stored)).toEqual({
			version: 2,
			initialized: true,
			gate: '',
			seen: {
				'1': { dueDate: '2024-01-01', settled: true, marks: [7, 14] },
				'4': { dueDate: '2024-01-04', settled: true, marks: [] },
				'5': { dueDate: '2024-01-05', settled: true, marks: [7, 14] },
				'9': { dueDate: '2024-01-09', settled: true, marks: [] },
			},
		});
		// Version 2 says for each key whether it is settled; anything but true is not.
		expect(
			readOverdueState({
				version: 2,
				initialized: true,
				gate: '["x"]',
				seen: { '1': { dueDate: '2024-01-01', settled: true, marks: [7] }, '2': { dueDate: '2024-01-02', settled: 'yes', marks: [] } },
			}),
		).toEqual({
			version: 2,
			initialized: true,
			gate: '["x"]',
			seen: { '1': { dueDate: '2024-01-01', settled: true, marks: [7] }, '2': { dueDate: '2024-01-02', settled: false, marks: [] } },
		});
	});

	test('a version-1 state carried over: what it recorded is not emitted again, and the next poll emits what is new', () => {
		const stored: unknown = { version: 1, initialized: true, seen: { '1': { dueDate: '2024-02-01', marks: [] } } };
		const { events, next } = reconcileOverdue(readOverdueState(stored), [invoice(1, 3), invoice(2, 1)], buildOptions({ filters: { status: ['sent'] } }), NOW);
		expect(events.map(describeEvent)).toEqual(['overdue:2']);
		expect(next.version).toBe(2);
	});

	test.each([
		['missing', false, undefined],
		['false', false, false],
		['a truthy non-boolean', false, 'yes'],
		['true', true, true],
	])('stored initialized %s reads as %s', (_name, expected, initialized) => {
		expect(readOverdueState({ version: 1, initialized, seen: {} }).initialized).toBe(expected);
	});

	test('version 3: groups whose key or ids cannot be read are dropped, the others kept', () => {
		const stored = { version: 3, initialized: true, gate: '', keys: { '2024-01-01 m7': '1.1', 'yesterday': '5', '2024-01-02 x': '7', '2024-01-03': 'no runs', '2024-01-04 u': { inv_: '0' } } };
		expect(readOverdueState(stored)).toEqual({
			version: 2,
			initialized: true,
			gate: '',
			seen: { '1': { dueDate: '2024-01-01', settled: true, marks: [7] }, '2': { dueDate: '2024-01-01', settled: true, marks: [7] }, inv_0: { dueDate: '2024-01-04', settled: false, marks: [] } },
		});
	});

	test('the stored object is not mutated and not shared', () => {
		const stored = deepFreeze({ version: 2, initialized: true, gate: '', seen: { '1': { dueDate: '2024-01-01', settled: true, marks: [7] } } });
		const state = readOverdueState(stored);
		expect(state).toEqual(stored);
		expect(state.seen['1']).not.toBe(stored.seen['1']);
	});
});

describe('parseEscalationDays', () => {
	test.each([
		['7, 14,30', [7, 14, 30]],
		['30,7,14,7', [7, 14, 30]],
		['', []],
		['   ', []],
		['5,', [5]],
		[' 1 ', [1]],
		['007', [7]],
	])('%j → %j', (text, expected) => {
		expect(parseEscalationDays(text)).toEqual(expected);
	});

	test.each([
		['0', '"0"'],
		['7, -3', '"-3"'],
		['2.5', '"2.5"'],
		['abc', '"abc"'],
		['7 14', '"7 14"'],
		['1e3', '"1e3"'],
		['7,x,14', '"x"'],
		['99999999999999999999', '"99999999999999999999"'],
	])('%j throws naming the bad part', (text, badPart) => {
		expect(() => parseEscalationDays(text)).toThrow(Error);
		expect(() => parseEscalationDays(text)).toThrow(badPart);
		expect(() => parseEscalationDays(text)).toThrow(/positive whole numbers/);
	});
});

/**
 * Property test: random worlds of invoices 1..8 evolve (become overdue, get paid, are
 * re-dated, days pass, temporarily vanish) between polls, some of which fail. The
 * implementation is checked against a plainly written reference model and against
 * invariants tracked per "episode" (a key staying in the overdue list across successful polls).
 */
/**
 * Each provider's invoice as its API gives it, for the same invoice of the property test: the
 * provider's mapping must make the bookkeeping behave the same. Paisr's answers may be cut off.
 */
interface ProviderShape {
	name: string;
	mapping: (entry: unknown) => OverdueRecord;
	render: (item: { id: string | number; dueDate: string; days: number; status: string; currency: string; customer: number }, withDays: boolean) => OverdueInvoice;
	/** Its answers may be cut off (no paging): polls then drop some invoices and say so. */
	truncates: boolean;
}

const PROVIDERS: ProviderShape[] = [
	{
		name: 'PayRequest',
		mapping: payRequestOverdueRecord,
		render: (item, withDays) => ({
			id: item.id,
			due_date: item.dueDate,
			status: item.status,
			currency: item.currency,
			amount: 120,
			customer: { id: item.customer },
			...(withDays ? { days_overdue: item.days } : {}),
		}),
		truncates: false,
	},
	{
		name: 'Alternative Payments',
		mapping: alternativePaymentsOverdueRecord,
		render: (item) => ({ id: item.id, due_date: item.dueDate, status: item.status, currency: item.currency, total: 120, customer_id: item.customer }),
		truncates: false,
	},
	{
		name: 'Paisr',
		mapping: paisrOverdueRecord,
		// A due time late in the day (UTC): the date as written is the due date, whatever the hour.
		render: (item) => ({ id: item.id, due_at: `${item.dueDate}T18:30:00Z`, status: item.status, currency: item.currency, amount: { net_total: 120 }, customer: { id: item.customer } }),
		truncates: true,
	},
];

describe.each(PROVIDERS)('property: polling sequences, $name', (provider) => {
	// Random worlds of 8 invoices whose due dates move, that are paid and fall due again, whose
	// status flips between 'sent' and 'viewed', polled with filters and minimum days that the user
	// edits between polls, and polls that fail (the trigger then keeps its state untouched).
	const UNIVERSE = [1, 2, 3, 4, 5, 6, 7, 8];
	const BASE_DAY = Date.UTC(2024, 0, 20);

	interface Settings {
		emitExisting: boolean;
		minDaysOverdue: number;
		status: string[];
		currency: string[];
	}

	type Step =
		| { kind: 'becomeOverdue'; id: number; daysAgo: number }
		| { kind: 'pay'; id: number }
		| { kind: 'redate'; id: number; offset: number }
		| { kind: 'flipStatus'; id: number }
		| { kind: 'daysPass'; days: number }
		| { kind: 'editSettings'; settings: Settings }
		| {
				kind: 'poll';
				fails: boolean;
				idsAsStrings: boolean;
				omitDaysOverdue: boolean;
				addGarbage: boolean;
				duplicateFirst: boolean;
				hour: number;
				/** How many invoices a cut-off answer leaves out (Paisr only). */
				cutOff: number;
				/** A glitch: an answer that says it is whole but leaves out this many invoices (all of them: 8). */
				glitch: number;
		  };

	const idArb = fc.constantFrom(...UNIVERSE);
	const settingsArb: fc.Arbitrary<Settings> = fc.record({
		emitExisting: fc.boolean(),
		minDaysOverdue: fc.integer({ min: 0, max: 5 }),
		status: fc.constantFrom<string[]>([], [], ['sent'], ['viewed'], ['sent', 'viewed']),
		currency: fc.constantFrom<string[]>([], [], ['eur'], ['USD']),
	});
	const stepArb: fc.Arbitrary<Step> = fc.oneof(
		{ weight: 2, arbitrary: fc.record({ kind: fc.constant('becomeOverdue' as const), id: idArb, daysAgo: fc.integer({ min: 1, max: 12 }) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('pay' as const), id: idArb }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('redate' as const), id: idArb, offset: fc.integer({ min: -8, max: 8 }) }) },
		{ weight: 2, arbitrary: fc.record({ kind: fc.constant('flipStatus' as const), id: idArb }) },
		{ weight: 2, arbitrary: fc.record({ kind: fc.constant('daysPass' as const), days: fc.integer({ min: 1, max: 7 }) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('editSettings' as const), settings: settingsArb }) },
		{
			weight: 5,
			arbitrary: fc.record({
				kind: fc.constant('poll' as const),
				fails: fc.boolean(),
				idsAsStrings: fc.boolean(),
				omitDaysOverdue: fc.boolean(),
				addGarbage: fc.boolean(),
				duplicateFirst: fc.boolean(),
				hour: fc.integer({ min: 0, max: 23 }),
				cutOff: provider.truncates ? fc.constantFrom(0, 0, 1, 2, 3) : fc.constant(0),
				glitch: fc.constantFrom(0, 0, 0, 0, 1, 8),
			}),
		},
	);
	const escalationArb = fc.subarray([2, 5, 9]);
	// Initial world: per invoice, no open invoice or a due date relative to day 0 (maybe future).
	const initialWorldArb = fc.array(fc.option(fc.integer({ min: -3, max: 12 })), { minLength: 8, maxLength: 8 });

	const dayToDate = (day: number) => new Date(BASE_DAY + day * MS_PER_DAY).toISOString().slice(0, 10);
	const currencyOf = (id: number) => (id % 2 === 1 ? 'EUR' : 'usd');
	const matches = (wanted: string[], value: string) => wanted.length === 0 || wanted.some((one) => one.toLowerCase() === value.toLowerCase());

	interface ObservedInvoice {
		key: string;
		dueDate: string;
		days: number;
		currency: string;
		status: string;
	}

	test('exactly once per (invoice, due date), under status flips, filter edits, due-date moves, failed polls, cut-off answers and answers that leave invoices out by mistake; nothing missed; state bounded', () => {
		fc.assert(
			fc.property(settingsArb, escalationArb, initialWorldArb, fc.array(stepArb, { minLength: 1, maxLength: 50 }), (initialSettings, escalationDays, initialWorld, steps) => {
				let settings = initialSettings;
				let today = 0;
				const world = new Map<number, { dueDay: number | null; status: string }>(
					UNIVERSE.map((id, index) => {
						const daysAgo = initialWorld[index];
						return [id, { dueDay: daysAgo === null ? null : -daysAgo, status: id % 3 === 0 ? 'viewed' : 'sent' }];
					}),
				);
				// What n8n persists between polls.
				let stored: unknown = undefined;
				// What the last successful poll saw, and with which settings: the ledger for the invariants.
				let polledBefore = false;
				let previousGate: string | undefined;
				let previousList = new Map<string, string>();
				// Per key: its due date, whether its overdue event went out (or it was recorded as existing), marks fired,
				// and since when a settled key has been off the list (a tombstone, kept TOMBSTONE_DAYS).
				const episodes = new Map<string, { dueDate: string; settled: boolean; marks: Set<number>; goneAt?: number }>();

				for (const step of steps) {
					switch (step.kind) {
						case 'becomeOverdue':
							world.get(step.id)!.dueDay = today - step.daysAgo;
							continue;
						case 'pay':
							world.get(step.id)!.dueDay = null;
							continue;
						case 'redate': {
							const current = world.get(step.id)!;
							if (current.dueDay !== null) current.dueDay = today + step.offset;
							continue;
						}
						case 'flipStatus': {
							const current = world.get(step.id)!;
							current.status = current.status === 'sent' ? 'viewed' : 'sent';
							continue;
						}
						case 'daysPass':
							today += step.days;
							continue;
						case 'editSettings':
							settings = step.settings;
							continue;
						case 'poll':
							break;
					}
					// A failed poll never reaches the bookkeeping: the trigger keeps the old state.
					if (step.fails) continue;

					const observed: ObservedInvoice[] = [];
					for (const id of UNIVERSE) {
						const { dueDay, status } = world.get(id)!;
						if (dueDay === null || today - dueDay < 1) continue;
						observed.push({ key: String(id), dueDate: dayToDate(dueDay), days: today - dueDay, currency: currencyOf(id), status });
					}
					observed.sort((a, b) => b.days - a.days || Number(a.key) - Number(b.key));
					// A cut-off answer (Paisr's 1,000) leaves out the oldest it would have listed, and says it may be cut.
					const cut = Math.min(step.cutOff, observed.length);
					const complete = cut === 0;
					const answered = observed.slice(cut).slice(step.glitch);
					const fetched: OverdueInvoice[] = answered.map((item) =>
						provider.render({ ...item, id: step.idsAsStrings ? item.key : Number(item.key), customer: 100 + Number(item.key) }, !step.omitDaysOverdue),
					);
					// A repeat of the first entry later in the answer, with other days: the first one wins.
					if (step.duplicateFirst && fetched.length > 0) fetched.push(provider.render({ ...answered[0], id: answered[0].key, days: 0, customer: 100 + Number(answered[0].key) }, true));
					if (step.addGarbage) fetched.splice(Math.floor(fetched.length / 2), 0, { id: null, due_date: 'x' } as unknown as OverdueInvoice);

					const options = buildOptions({
						emitExisting: settings.emitExisting,
						minDaysOverdue: settings.minDaysOverdue,
						escalationDays,
						filters: { status: settings.status, currency: settings.currency },
					});
					const gate = JSON.stringify([settings.minDaysOverdue, [...settings.status].sort(), settings.currency.map((c) => c.toLowerCase()).sort()]);
					const gateChanged = polledBefore && gate !== previousGate;
					const now = new Date(BASE_DAY + today * MS_PER_DAY + step.hour * 3_600_000);
					const previous = readOverdueState(stored);
					const previousSnapshot = JSON.stringify(previous);
					const { events, next, skipped } = reconcileOverdue(previous, fetched, options, now, provider.mapping, complete);

					// Pure, and the state survives n8n's JSON persistence.
					expect(JSON.stringify(previous)).toBe(previousSnapshot);
					// What the trigger stores is the compact form: it reads back as the same state.
					stored = JSON.parse(JSON.stringify(compactOverdueState(next)));
					expect(readOverdueState(stored)).toEqual(next);
					expect(skipped).toBe(step.addGarbage ? 1 : 0);

					const observedByKey = new Map(observed.map((item) => [item.key, item]));
					const passes = (item: ObservedInvoice) => matches(settings.status, item.status) && matches(settings.currency, item.currency);
					// An episode ends when its due date moves. Off the list (as far as the answer can tell: missing from
					// a cut-off answer proves nothing), a settled one stays a tombstone for TOMBSTONE_DAYS, an unsettled one ends.
					const answeredByKey = new Map(answered.map((item) => [item.key, item]));
					const previousTombstones = new Map([...episodes].filter(([, episode]) => episode.goneAt !== undefined && episode.settled).map(([key, episode]) => [key, episode.dueDate]));
					for (const [key, episode] of [...episodes]) {
						const present = answeredByKey.get(key);
						if (present) {
							if (present.dueDate !== episode.dueDate) episodes.delete(key);
							else episode.goneAt = undefined;
							continue;
						}
						if (!complete) continue;
						if (!episode.settled) {
							episodes.delete(key);
							continue;
						}
						// A tombstone counts from the UTC midnight after the key left (one group a day in the stored form).
						episode.goneAt ??= Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
						if (now.getTime() - episode.goneAt >= TOMBSTONE_DAYS * MS_PER_DAY) episodes.delete(key);
					}

					const eventKeys = events.map((event) => String(event.invoice.id));
					expect(new Set(eventKeys).size).toBe(eventKeys.length);
					for (const event of events) {
						const item = observedByKey.get(String(event.invoice.id))!;
						expect(item).toBeDefined();
						// Only what the filters let through now.
						expect(passes(item)).toBe(true);
						const episode = episodes.get(item.key);
						if (event.kind === 'overdue') {
							// Exactly once per (invoice, due date) while it stays on the list.
							expect(episode?.settled ?? false).toBe(false);
							expect(item.days).toBeGreaterThanOrEqual(settings.minDaysOverdue);
							episodes.set(item.key, { dueDate: item.dueDate, settled: true, marks: new Set(escalationDays.filter((mark) => item.days >= mark)) });
						} else {
							const mark = event.invoice.escalation_days!;
							expect(episode?.settled).toBe(true);
							expect(escalationDays).toContain(mark);
							expect(item.days).toBeGreaterThanOrEqual(mark);
							expect(episode!.marks.has(mark)).toBe(false);
							for (const crossed of escalationDays.filter((one) => item.days >= one)) episode!.marks.add(crossed);
						}
					}

					for (const item of answered) {
						const episode = episodes.get(item.key);
						const eligible = passes(item) && item.days >= settings.minDaysOverdue;
						if (eligible) {
							// Nothing missed: every invoice let through is settled after this poll.
							expect(next.seen[item.key]).toMatchObject({ dueDate: item.dueDate, settled: true });
						}
						if (episode === undefined) episodes.set(item.key, { dueDate: item.dueDate, settled: false, marks: new Set() });
					}
					// Settled without an event: only as the backlog of a first poll, or of a filter change for
					// what was already on the list, and only with Emit Existing off.
					for (const item of answered) {
						const wasSettled = previous.seen[item.key]?.settled === true && previous.seen[item.key]?.dueDate === item.dueDate;
						const silentlySettled = next.seen[item.key]?.settled && !wasSettled && !eventKeys.includes(item.key);
						if (silentlySettled) {
							expect(settings.emitExisting).toBe(false);
							const backlog = !polledBefore || (gateChanged && previousList.get(item.key) === item.dueDate);
							expect(backlog).toBe(true);
						}
						if (next.seen[item.key]?.settled) episodes.get(item.key)!.settled = true;
					}
					// A key new to the list, let through, on a poll that is not the first: always an event.
					for (const item of answered) {
						const newToList = previousList.get(item.key) !== item.dueDate && previousTombstones.get(item.key) !== item.dueDate;
						if (polledBefore && newToList && passes(item) && item.days >= settings.minDaysOverdue) expect(eventKeys).toContain(item.key);
					}

					// State: exactly the overdue list now, whatever the filters; after a cut-off answer, plus what it could not see.
					const answeredList = new Map(answered.map((item) => [item.key, item.dueDate]));
					const expectedState = complete ? answeredList : new Map([...Object.entries(previous.seen).filter(([, entry]) => entry.goneSince === undefined).map(([key, entry]) => [key, entry.dueDate] as const), ...answeredList]);
					const onList = Object.keys(next.seen).filter((key) => next.seen[key].goneSince === undefined);
					expect(onList.sort()).toEqual([...expectedState.keys()].sort());
					for (const key of onList) expect(next.seen[key].dueDate).toBe(expectedState.get(key));
					// Tombstones: exactly the settled episodes off the list, each with its due date.
					const tombstones = Object.keys(next.seen).filter((key) => next.seen[key].goneSince !== undefined);
					const expectedTombstones = [...episodes].filter(([key, episode]) => episode.goneAt !== undefined && !expectedState.has(key));
					expect(tombstones.sort()).toEqual(expectedTombstones.map(([key]) => key).sort());
					for (const [key, episode] of expectedTombstones) expect(next.seen[key]).toMatchObject({ dueDate: episode.dueDate, settled: true });

					polledBefore = true;
					previousGate = gate;
					previousList = expectedState;
				}
			}),
			{ numRuns: 2000 },
		);
	});
});

describe.each(PROVIDERS.flatMap((provider) => (['n8n', 'durable'] as const).map((rule) => ({ provider, rule, name: provider.name }))))(
	'property: n8n restarts at random poll boundaries, $name, save rule $rule',
	({ provider, rule }) => {
		// The state a poll starts from is what n8n last saved (after the activation poll and after polls
		// that emit; durable cursors: after every poll, the activation poll's through the process's memory,
		// nodes/shared/pollState.ts), not always the last poll's.
		type Step =
			| { kind: 'becomeOverdue'; id: number; daysAgo: number }
			| { kind: 'pay'; id: number }
			| { kind: 'redate'; id: number; offset: number }
			| { kind: 'daysPass'; days: number }
			| { kind: 'poll'; fails: boolean; glitch: number; restartAfter: boolean };
		const UNIVERSE = [1, 2, 3, 4, 5, 6];
		const idArb = fc.constantFrom(...UNIVERSE);
		const stepArb: fc.Arbitrary<Step> = fc.oneof(
			{ weight: 2, arbitrary: fc.record({ kind: fc.constant('becomeOverdue' as const), id: idArb, daysAgo: fc.integer({ min: 1, max: 6 }) }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('pay' as const), id: idArb }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('redate' as const), id: idArb, offset: fc.integer({ min: -4, max: 4 }) }) },
			// Under 90 days in all: tombstones do not expire in these histories.
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('daysPass' as const), days: fc.integer({ min: 1, max: 2 }) }) },
			{
				weight: 5,
				arbitrary: fc.record({ kind: fc.constant('poll' as const), fails: fc.constantFrom(false, false, false, true), glitch: fc.constantFrom(0, 0, 0, 1, 6), restartAfter: fc.boolean() }),
			},
		);
		const BASE_DAY = Date.UTC(2024, 0, 20);
		const dayToDate = (day: number) => new Date(BASE_DAY + day * MS_PER_DAY).toISOString().slice(0, 10);

		test('each (invoice, due date) overdue after activation is emitted exactly once; none of the backlog; nothing lost', () => {
			fc.assert(
				fc.property(fc.array(fc.option(fc.integer({ min: 1, max: 6 })), { minLength: 6, maxLength: 6 }), fc.array(stepArb, { maxLength: 40 }), (initial, steps) => {
					let today = 0;
					const dueDay = new Map<number, number | null>(UNIVERSE.map((id, index) => [id, initial[index] === null ? null : -initial[index]!]));
					const options = buildOptions();
					let memory: unknown = undefined;
					let saved: unknown = undefined;
					let activating = true;
					let firstPoll = true;
					// Per invoice, the episode of the due date its overdue answers showed last: a new due date is a new
					// episode; leaving the list is not (a tombstone; under 90 days here).
					const episodes = new Map<number, { date: string; emitted: number; backlog: boolean }>();
					const overdueNow = () =>
						UNIVERSE.filter((id) => dueDay.get(id) !== null && today - dueDay.get(id)! >= 1).map((id) => ({ id, dueDate: dayToDate(dueDay.get(id)!), days: today - dueDay.get(id)! }));
					const poll = (step: { fails: boolean; glitch: number }) => {
						if (step.fails) return;
						// A glitch: a whole answer that leaves invoices out by mistake.
						const answered = overdueNow().slice(step.glitch);
						const fetched = answered.map((item) => provider.render({ id: item.id, dueDate: item.dueDate, days: item.days, currency: 'EUR', status: 'sent', customer: 100 + item.id }, true));
						const now = new Date(BASE_DAY + today * MS_PER_DAY + 12 * 3_600_000);
						const { events, next } = reconcileOverdue(readOverdueState(memory), fetched, options, now, provider.mapping);
						for (const item of answered) {
							const episode = episodes.get(item.id);
							if (!episode || episode.date !== item.dueDate) episodes.set(item.id, { date: item.dueDate, emitted: 0, backlog: firstPoll });
						}
						for (const event of events) episodes.get(Number(event.invoice.id))!.emitted++;
						for (const episode of episodes.values()) {
							// Exactly once per episode, never the backlog (Emit Existing is off).
							expect(episode.emitted).toBeLessThanOrEqual(episode.backlog ? 0 : 1);
						}
						memory = JSON.parse(JSON.stringify(compactOverdueState(next)));
						if (rule === 'durable' || activating || events.length > 0) saved = memory;
						activating = false;
						firstPoll = false;
					};
					poll({ fails: false, glitch: 0 });
					for (const step of steps) {
						switch (step.kind) {
							case 'becomeOverdue':
								dueDay.set(step.id, today - step.daysAgo);
								break;
							case 'pay':
								dueDay.set(step.id, null);
								break;
							case 'redate':
								if (dueDay.get(step.id) !== null) dueDay.set(step.id, today + step.offset);
								break;
							case 'daysPass':
								today += step.days;
								break;
							case 'poll':
								poll(step);
								if (step.restartAfter) {
									memory = saved;
									activating = true;
								}
								break;
						}
					}
					for (let index = 0; index < 2; index++) poll({ fails: false, glitch: 0 });
					// Nothing lost: every invoice overdue now was emitted in its episode, unless it is the backlog.
					for (const item of overdueNow()) {
						const episode = episodes.get(item.id)!;
						expect(episode.date).toBe(item.dueDate);
						expect(episode.emitted).toBe(episode.backlog ? 0 : 1);
					}
				}),
				{ numRuns: 1500 },
			);
		});
	},
);

describe('stored form (compactOverdueState): small enough to write after every poll, and lossless', () => {
	const KB = 1024;
	const sizeOf = (value: unknown) => JSON.stringify(value).length;
	/** The state after a first poll of `count` invoices, the ones `overdue` picks on the list, due on `dueDateOf`. */
	function recorded(count: number, overdue: (id: number) => boolean, dueDateOf: (id: number) => string, options = buildOptions()) {
		const fetched: OverdueInvoice[] = [];
		for (let id = 1; id <= count; id++) if (overdue(id)) fetched.push({ id, due_date: dueDateOf(id), status: 'sent', currency: 'EUR', amount: 120, customer: { id: 7 } });
		return reconcileOverdue(emptyOverdueState(), fetched, options, NOW).next;
	}
	const random = (seed: number) => () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed / 2 ** 31;
	};
	const spreadOverAYear = (next: () => number) => () => new Date(Date.UTC(2023, 2, 1) + Math.floor(next() * 365) * MS_PER_DAY).toISOString().slice(0, 10);

	test.each([
		['every invoice overdue, one due date', () => true, () => '2024-02-01'],
		['two in three overdue (every third paid), one due date', (id: number) => id % 3 !== 0, () => '2024-02-01'],
		['one in three overdue, one due date', (id: number) => id % 3 === 0, () => '2024-02-01'],
		['every other invoice overdue, one due date', (id: number) => id % 2 === 0, () => '2024-02-01'],
		['half overdue at random, due dates at random over a year', ((next) => () => next() < 0.5)(random(1)), spreadOverAYear(random(2))],
		['two in three overdue, due dates at random over a year', (id: number) => id % 3 !== 0, spreadOverAYear(random(3))],
		['every invoice overdue, due dates at random over a year', () => true, spreadOverAYear(random(4))],
	])('50,000 invoices, %s: at most 256 KB stored, read back as the same state', (_name, overdue, dueDateOf) => {
		const state = recorded(50_000, overdue as (id: number) => boolean, dueDateOf as (id: number) => string);
		const stored = JSON.parse(JSON.stringify(compactOverdueState(state)));
		expect(sizeOf(stored)).toBeLessThanOrEqual(256 * KB);
		expect(readOverdueState(stored)).toEqual(state);
	});

	test('escalation marks, keys held back by a filter and a day of tombstones stay within 256 KB at 50,000 invoices', () => {
		const options = buildOptions({ escalationDays: [7, 14, 30], filters: { status: ['sent'] } });
		const fetched = (day: number, onList: (id: number) => boolean) => {
			const invoices: OverdueInvoice[] = [];
			for (let id = 1; id <= 50_000; id++) {
				if (!onList(id)) continue;
				const dueDate = new Date(Date.UTC(2024, 0, 1) + (id % 60) * MS_PER_DAY).toISOString().slice(0, 10);
				invoices.push({ id, due_date: dueDate, status: id % 5 === 0 ? 'viewed' : 'sent', currency: 'EUR', amount: 120 });
			}
			return invoices.map((invoice) => ({ ...invoice, days_overdue: Math.round((Date.UTC(2024, 3, day) - Date.parse(String(invoice.due_date))) / MS_PER_DAY) }));
		};
		const first = reconcileOverdue(emptyOverdueState(), fetched(1, (id) => id % 3 !== 0), options, NOW);
		// The next day a tenth of them are paid: tombstones.
		const next = reconcileOverdue(first.next, fetched(2, (id) => id % 3 !== 0 && id % 10 !== 1), options, new Date(NOW.getTime() + MS_PER_DAY)).next;
		const stored = JSON.parse(JSON.stringify(compactOverdueState(next)));
		expect(Object.values(next.seen).some((entry) => entry.goneSince !== undefined)).toBe(true);
		expect(Object.values(next.seen).some((entry) => !entry.settled)).toBe(true);
		expect(sizeOf(stored)).toBeLessThanOrEqual(256 * KB);
		expect(readOverdueState(stored)).toEqual(next);
	});

	test('property: any state reads back unchanged from its stored form (numeric, prefixed, zero-padded and other ids)', () => {
		const idArb = fc.oneof(
			fc.integer({ min: 0, max: 5_000 }).map(String),
			fc.integer({ min: 0, max: 3_000 }).map((n) => `inv_${String(n).padStart(6, '0')}`),
			fc.constantFrom('INV-9', '__proto__', 'constructor', 'a b', 'x-0', '9'.repeat(20), '-', '0', 'inv_', 'é1'),
		);
		const entryArb = fc.record({
			dueDate: fc.constantFrom('2024-01-01', '2024-02-29', '2023-12-31'),
			settled: fc.boolean(),
			marks: fc.subarray([2, 5, 9]),
			goneSince: fc.option(fc.constantFrom(Date.UTC(2024, 2, 21), 1_710_000_000_123), { nil: undefined }),
		});
		fc.assert(
			fc.property(fc.dictionary(idArb, entryArb, { maxKeys: 300 }), fc.boolean(), (entries, initialized) => {
				const seen: OverdueState['seen'] = {};
				for (const [id, entry] of Object.entries(entries)) {
					// The rules keep a tombstone only for a settled key.
					const kept = { dueDate: entry.dueDate, settled: entry.settled || entry.goneSince !== undefined, marks: entry.marks, ...(entry.goneSince !== undefined ? { goneSince: entry.goneSince } : {}) };
					Object.defineProperty(seen, id, { value: kept, enumerable: true, writable: true, configurable: true });
				}
				const state: OverdueState = { version: 2, initialized, gate: '["x"]', seen };
				expect(readOverdueState(JSON.parse(JSON.stringify(compactOverdueState(state))))).toEqual(readOverdueState(JSON.parse(JSON.stringify(state))));
			}),
			{ numRuns: 300 },
		);
	});

	test('a state as the previous release stored it (version 2) is read as it was: from it, the polls emit exactly what they emitted before', () => {
		const options = buildOptions({ escalationDays: [7], minDaysOverdue: 2, filters: { status: ['sent'] } });
		// Settled, with a mark and without; unsettled (held back by the filter; below the minimum); a tombstone.
		const previousRelease = {
			version: 2,
			initialized: true,
			gate: JSON.stringify([2, ['sent'], [], null, null]),
			seen: {
				'1': { dueDate: '2024-02-01', settled: true, marks: [7] },
				'2': { dueDate: '2024-03-14', settled: true, marks: [] },
				'3': { dueDate: '2024-03-14', settled: false, marks: [] },
				'4': { dueDate: '2024-03-19', settled: false, marks: [] },
				'5': { dueDate: '2024-02-10', settled: true, marks: [7], goneSince: 1_710_000_000_123 },
			},
		};
		const due = (id: number, dueDate: string, extra: Partial<OverdueInvoice> = {}) => invoice(id, 0, { due_date: dueDate, days_overdue: undefined, ...extra });
		// A poll a day, from NOW.
		const polls = [
			[due(1, '2024-02-01'), due(2, '2024-03-14'), due(3, '2024-03-14', { status: 'viewed' }), due(4, '2024-03-19'), due(6, '2024-03-15')],
			[due(1, '2024-02-01'), due(2, '2024-03-14'), due(3, '2024-03-14'), due(4, '2024-03-19'), due(5, '2024-02-10'), due(6, '2024-03-15')],
			[due(2, '2024-03-14'), due(3, '2024-03-14'), due(4, '2024-03-19'), due(6, '2024-03-15')],
		];
		const run = (first: unknown, store: (state: OverdueState) => unknown) => {
			let stored = first;
			return polls.map((fetched, day) => {
				const { events, next } = reconcileOverdue(readOverdueState(stored), fetched, options, new Date(NOW.getTime() + day * MS_PER_DAY));
				stored = JSON.parse(JSON.stringify(store(next)));
				return events.map(describeEvent);
			});
		};
		// The migrated state is the same state, and the events from it are those the previous release emitted (stored in version 2 throughout).
		expect(readOverdueState(JSON.parse(JSON.stringify(compactOverdueState(readOverdueState(previousRelease)))))).toEqual(readOverdueState(previousRelease));
		const before = run(previousRelease, (state) => state);
		expect(run(previousRelease, compactOverdueState)).toEqual(before);
		expect(before).toEqual([['overdue:6'], ['escalation:2@7', 'overdue:3', 'overdue:4'], ['escalation:6@7']]);
	});
});

describe('checks by id (checksDue, planChecks, recordChecks)', () => {
	const at = new Date('2024-03-20T10:00:00Z');
	/** A state of settled keys due `daysAgo` days before `at`, none of whose marks fired, and unsettled ones (held back). */
	function stateOf(settled: Array<[string, number]>, unsettled: Array<[string, number]> = []): OverdueState {
		const day = (daysAgo: number) => new Date(at.getTime() - daysAgo * MS_PER_DAY).toISOString().slice(0, 10);
		return {
			version: 2,
			initialized: true,
			gate: '',
			seen: Object.fromEntries([
				...settled.map(([key, daysAgo]) => [key, { dueDate: day(daysAgo), settled: true, marks: [] }]),
				...unsettled.map(([key, daysAgo]) => [key, { dueDate: day(daysAgo), settled: false, marks: [] }]),
			]),
		};
	}

	test('only what a check can change: a mark or Min Days Overdue reached beyond the days the window reads (each key once, from that day: planChecks moves past it); a key a filter holds back is not checked for Min Days Overdue the window reads; the oldest first', () => {
		const state = stateOf([['a', 9], ['b', 6], ['c', 2]], [['held', 40], ['young', 6]]);
		const due = checksDue(state, buildOptions({ escalationDays: [2, 5], minDaysOverdue: 5 }), at, '2024-03-17', 3);
		// Mark 2 is within the window's 3 days (it read them then); 5 is not. 'c' is in the window.
		expect(due).toEqual([
			{ key: 'held', day: '2024-02-14' },
			{ key: 'a', day: '2024-03-16' },
			{ key: 'b', day: '2024-03-19' },
			{ key: 'young', day: '2024-03-19' },
		]);
		// With Min Days Overdue within the window's days, what is held back is never checked.
		expect(checksDue(state, buildOptions({ minDaysOverdue: 0 }), at, '2024-03-17', 3)).toEqual([]);
	});

	test('every key is reached in bounded polls, oldest first; a check that keeps failing is retried later and later, and holds up none of the others', () => {
		const due = Array.from({ length: 25 }, (_, index) => ({ key: `k${String(index).padStart(2, '0')}`, day: '2024-03-19' }));
		let progress: CheckProgress = {};
		const reached = new Set<string>();
		const attempts: number[] = [];
		let now = at.getTime();
		for (let poll = 0; poll < 12; poll++) {
			const planned = planChecks(due, progress, now, 10, '2024-03-18');
			planned.forEach((key) => reached.add(key));
			if (planned.includes('k00')) attempts.push(poll);
			progress = recordChecks(progress, due, planned, planned.filter((key) => key === 'k00'), now, '2024-03-18');
			now += 60_000;
		}
		expect(reached.size).toBe(25);
		// Asked at the first poll, then after 1, 2, 4 and 8 minutes.
		expect(attempts).toEqual([0, 1, 3, 7]);
		expect(Object.keys(progress.retries ?? {})).toEqual(['k00']);
		// What became due up to the day before any progress was read by then.
		expect(planChecks(due, {}, now, 10, '2024-03-19')).toEqual([]);
	});
});
