/**
 * Property tests over the option combinations users pick, for every overdue trigger (PayRequest,
 * Alternative Payments, Paisr), through n8n-core's engine against the emulators: a filter (none,
 * Currency, Min Amount, Customer ID), Escalation Days, Min Days Overdue, Simplify on and off, the
 * workflow's time zone (UTC−10, UTC, UTC+13), the clock moved across local midnight, under n8n's
 * save rule and under durable poll cursors, with n8n restarts. Nothing lost, nothing twice, none
 * of the backlog, and a quiet poll (one right after another, nothing changed) costs at most 2
 * requests whatever the options.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import type { RecordedRequest } from '../emulator/server/EmulatorServer.cjs';
import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, PAISR_OVERDUE_TRIGGER_TYPE, PollingWorkflow } from '../engine/harness.cjs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The zones, with their offsets written out (none of them changes it in March 2025). */
const ZONES = [
	{ zone: 'Pacific/Honolulu', offset: -10 },
	{ zone: 'UTC', offset: 0 },
	{ zone: 'Pacific/Tongatapu', offset: 13 },
];
/** 20:00 local on 2025-03-10, in each zone: polls start four hours before a local midnight. */
const START_DAY = Date.parse('2025-03-10T00:00:00Z');

type Filter = 'none' | 'currency' | 'minAmount' | 'customerId';
interface Invoice {
	id: string;
	/** Local day number (days since 1970-01-01 in the zone) it is due. */
	dueDay: number;
	euro: boolean;
	big: boolean;
	second: boolean;
	paid: boolean;
}

interface Provider {
	name: string;
	/** Runs of the property: fewer where a poll costs more (a few dozen in all, under a minute each on CI). */
	runs: number;
	start(at: number): Promise<Emulator>;
}

interface Emulator {
	baseUrl: string;
	requests: RecordedRequest[];
	setClock(at: number): void;
	/** Adds an unpaid invoice due at local noon of `dueDay` (a day number in the zone), created `at`. */
	add(invoice: Omit<Invoice, 'id' | 'paid'>, offsetHours: number, at: number): string;
	pay(id: string): void;
	trigger(parameters: IDataObject, timezone: string): PollingWorkflow;
	/** Whether the provider's own list holds the invoice at `at` (PayRequest: due before its UTC day). */
	lists(invoice: Invoice, offsetHours: number, at: number): boolean;
	/** The filter values this provider's invoices are told apart by. */
	filterValue(filter: Filter): unknown;
	close(): Promise<void>;
}

const isoDay = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const localDay = (at: number, offsetHours: number) => Math.floor((at + offsetHours * HOUR) / DAY);

const PROVIDERS: Provider[] = [
	{
		name: 'PayRequest Trigger',
		runs: 25,
		async start(at) {
			const emulator = new PayRequestEmulator({ now: instant(at), seed: { customers: 2, invoices: 0, seed: 1 } });
			const baseUrl = await emulator.listen();
			const customers = emulator.customers();
			return {
				baseUrl,
				requests: emulator.requests,
				setClock: (ms) => emulator.setNow(instant(ms)),
				add: (invoice) =>
					String(
						emulator.addInvoice({
							customer_id: customers[invoice.second ? 1 : 0].id,
							status: 'sent',
							currency: invoice.euro ? 'EUR' : 'USD',
							date: '2025-01-01',
							due_date: isoDay(invoice.dueDay),
							items: [{ description: 'x', quantity: 1, unit_price: invoice.big ? 500 : 50 }],
						}).id,
					),
				pay: (id) => emulator.markPaid(Number(id)),
				trigger: (parameters, timezone) => new PollingWorkflow({ event: 'invoiceOverdue', ...parameters }, { accessToken: 'test-token-rw', baseUrl }, { timezone }),
				lists: (invoice, _offset, ms) => isoDay(invoice.dueDay) < new Date(ms).toISOString().slice(0, 10),
				filterValue: (filter) => ({ none: undefined, currency: 'EUR', minAmount: 100, customerId: String(customers[0].id) })[filter],
				close: () => emulator.close(),
			};
		},
	},
	{
		name: 'Alternative Payments Overdue Trigger',
		runs: 12,
		async start() {
			const emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 0, invoices: 0 } });
			const baseUrl = await emulator.listen();
			const customers = [emulator.addCustomer(), emulator.addCustomer()];
			return {
				baseUrl,
				requests: emulator.requests,
				setClock: () => {},
				add: (invoice, _offset, at) =>
					emulator.addInvoice({
						customer_id: customers[invoice.second ? 1 : 0].id,
						due_date: isoDay(invoice.dueDay),
						created_at: instant(at),
						line_items: [{ description: 'x', quantity: 1, amount: invoice.big ? 500 : 50 }],
					}).id,
				pay: (id) => emulator.updateInvoice(id, { status: 'paid' }),
				trigger: (parameters, timezone) =>
					new PollingWorkflow(parameters, undefined, {
						nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
						oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
						timezone,
					}),
				lists: () => true,
				// Its invoices are all in USD: a Currency filter of EUR holds every one back.
				filterValue: (filter) => ({ none: undefined, currency: 'EUR', minAmount: 100, customerId: customers[0].id })[filter],
				close: () => emulator.close(),
			};
		},
	},
	{
		name: 'Paisr Overdue Trigger',
		runs: 25,
		async start(at) {
			const emulator = new PaisrEmulator({ rateLimit: false, now: instant(at), seed: { customers: 0, invoices: 0 } });
			const baseUrl = await emulator.listen();
			const customers = [emulator.addCustomer(), emulator.addCustomer()];
			return {
				baseUrl,
				requests: emulator.requests,
				setClock: (ms) => emulator.setNow(instant(ms)),
				add: (invoice, offset) =>
					emulator.addInvoice({
						customer_id: customers[invoice.second ? 1 : 0].id,
						currency: invoice.euro ? 'EUR' : 'USD',
						// Paisr's due date is a moment: local noon of the due day.
						due_at: instant(invoice.dueDay * DAY + 12 * HOUR - offset * HOUR),
						items: [{ description: 'x', quantity: 1, unit_price: invoice.big ? 500 : 50 }],
					}).id,
				pay: (id) => emulator.markPaid(id),
				trigger: (parameters, timezone) => new PollingWorkflow(parameters, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' }, timezone }),
				lists: () => true,
				filterValue: (filter) => ({ none: undefined, currency: 'EUR', minAmount: 100, customerId: customers[0].id })[filter],
				close: () => emulator.close(),
			};
		},
	},
];

type Step =
	| { kind: 'add'; dueIn: number; euro: boolean; big: boolean; second: boolean }
	| { kind: 'pay'; pick: number }
	| { kind: 'later'; hours: number }
	| { kind: 'poll'; restartAfter: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), dueIn: fc.integer({ min: -3, max: 1 }), euro: fc.boolean(), big: fc.boolean(), second: fc.boolean() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }) },
	// Five hours or a day: local midnight is crossed often, at every hour of the day in turn.
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('later' as const), hours: fc.constantFrom(5, 24) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('poll' as const), restartAfter: fc.boolean() }) },
);

const optionsArb = fc.record({
	zone: fc.constantFrom(...ZONES),
	simple: fc.boolean(),
	filter: fc.constantFrom<Filter>('none', 'currency', 'minAmount', 'customerId'),
	minDaysOverdue: fc.constantFrom(0, 2),
	escalationDays: fc.constantFrom('', '2', '1, 3'),
	rule: fc.constantFrom<'n8n' | 'durable'>('n8n', 'durable'),
});

afterEach(restoreNodeClock);

describe.each(PROVIDERS)('$name: option combinations users pick (property, through the engine)', (provider) => {
	test('nothing lost, nothing twice, none of the backlog; a quiet poll is at most 2 requests', async () => {
		await fc.assert(
			fc.asyncProperty(optionsArb, fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (options, steps) => {
				const { zone, offset } = options.zone;
				let now = START_DAY + 20 * HOUR - offset * HOUR;
				const emulator = await provider.start(now);
				try {
					const filterValue = emulator.filterValue(options.filter);
					const marks = options.escalationDays === '' ? [] : options.escalationDays.split(',').map(Number);
					const poller = emulator.trigger(
						{
							simple: options.simple,
							options: {
								minDaysOverdue: options.minDaysOverdue,
								escalationDays: options.escalationDays,
								...(options.filter === 'none' ? {} : { [options.filter]: filterValue }),
							},
						},
						zone,
					);
					poller.saveRule = options.rule;
					const invoices: Invoice[] = [];
					const passes = (invoice: Invoice) =>
						options.filter === 'none' ||
						(options.filter === 'currency' && invoice.euro && provider.name !== 'Alternative Payments Overdue Trigger') ||
						(options.filter === 'minAmount' && invoice.big) ||
						(options.filter === 'customerId' && !invoice.second);
					const days = (invoice: Invoice) => localDay(now, offset) - invoice.dueDay;
					const qualifies = (invoice: Invoice) => !invoice.paid && passes(invoice) && days(invoice) >= Math.max(1, options.minDaysOverdue) && emulator.lists(invoice, offset, now);
					/** What may be emitted without being owed (recorded afresh after a restart before n8n saved anything), and the backlog. */
					const backlog = new Set<string>();
					const overdue = new Map<string, number>();
					const escalations: string[] = [];
					let activated = false;
					let startsAfresh = false;
					const counted = () => emulator.requests.filter((request) => request.status !== 401 && !request.path.includes('oauth/token')).length;

					const poll = async (quiet = false) => {
						setNodeClock(now);
						emulator.setClock(now);
						const before = counted();
						const outcome = await poller.poll();
						expect(outcome.error).toBeUndefined();
						if (quiet) {
							// Right after another poll, nothing changed: nothing to emit, at most 2 requests.
							expect(outcome.items).toEqual([]);
							expect(counted() - before).toBeLessThanOrEqual(2);
						}
						if (!activated || startsAfresh) {
							for (const invoice of invoices) if (qualifies(invoice)) backlog.add(invoice.id);
							activated = true;
							startsAfresh = false;
						}
						for (const item of outcome.items) {
							const id = String(item.json.id);
							const invoice = invoices.find((one) => one.id === id);
							expect(invoice && passes(invoice)).toBe(true);
							// Days in the zone: overdue from the first local midnight after the due day, Simplify's count the same.
							expect([id, days(invoice!) >= Math.max(1, options.minDaysOverdue)]).toEqual([id, true]);
							if (options.simple) expect([id, item.json.daysOverdue]).toEqual([id, days(invoice!)]);
							if (item.json.event === 'invoiceOverdue') {
								expect(overdue.has(id)).toBe(false);
								overdue.set(id, days(invoice!));
							} else {
								const mark = Number(item.json[options.simple ? 'escalationDays' : 'escalation_days']);
								expect(escalations).not.toContain(`${id}@${mark}`);
								expect(marks).toContain(mark);
								expect(days(invoice!)).toBeGreaterThanOrEqual(mark);
								escalations.push(`${id}@${mark}`);
							}
						}
					};

					await poll();
					for (const step of steps) {
						if (step.kind === 'add') {
							const invoice: Invoice = { id: '', dueDay: localDay(now, offset) + step.dueIn, euro: step.euro, big: step.big, second: step.second, paid: false };
							invoice.id = emulator.add(invoice, offset, now);
							invoices.push(invoice);
						} else if (step.kind === 'pay') {
							const open = invoices.filter((invoice) => !invoice.paid);
							if (open.length === 0) continue;
							const invoice = open[step.pick % open.length];
							emulator.pay(invoice.id);
							invoice.paid = true;
						} else if (step.kind === 'later') {
							now += step.hours * HOUR;
						} else {
							await poll();
							await poll(true);
							if (step.restartAfter) {
								if (!poller.hasSaved) startsAfresh = true;
								poller.restart();
							}
						}
					}
					// To the end: two days on (every list holds what is due, and a reading of the whole list ends), a few polls.
					now += 2 * DAY;
					for (let index = 0; index < 3; index++) await poll();
					await poll(true);

					for (const invoice of invoices) {
						if (backlog.has(invoice.id)) {
							expect([invoice.id, 'backlog', overdue.has(invoice.id)]).toEqual([invoice.id, 'backlog', false]);
						} else if (qualifies(invoice)) {
							expect([invoice.id, 'owed', overdue.has(invoice.id)]).toEqual([invoice.id, 'owed', true]);
							// The highest mark passed since the overdue event: its escalation went out.
							const passed = marks.filter((mark) => mark <= days(invoice) && mark > overdue.get(invoice.id)!);
							if (passed.length > 0) expect(escalations).toContain(`${invoice.id}@${Math.max(...passed)}`);
						}
					}
				} finally {
					await emulator.close();
				}
			}),
			{ numRuns: provider.runs },
		);
	}, 120_000);
});
