/**
 * Property tests over the settings users pick, for the PayRequest Trigger's Invoice Created and
 * Invoice Paid events, through n8n-core's engine against the emulator: Simplify on and off,
 * Reconcile Every, the workflow's time zone (UTC−10, UTC, UTC+13) with the clock moved across
 * local midnight, either list order, n8n's save rule and durable poll cursors, with n8n restarts
 * once n8n has saved a state. Each invoice created after activation is emitted once, each change
 * to paid after activation once, nothing from before activation, and a quiet poll (right after
 * another, nothing changed) costs at most 2 requests.
 */
import fc from 'fast-check';

import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import type { ListOrder } from '../emulator/PayRequestEmulator.cjs';
import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import type { SaveRule } from '../engine/harness.cjs';
import { PollingWorkflow } from '../engine/harness.cjs';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const ZONES = [
	{ zone: 'Pacific/Honolulu', offset: -10 },
	{ zone: 'UTC', offset: 0 },
	{ zone: 'Pacific/Tongatapu', offset: 13 },
];
/** 22:00 local on 2025-03-10 in each zone, so that the first moves of the clock cross a local midnight. */
const START_DAY = Date.parse('2025-03-10T00:00:00Z');
const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Step = { kind: 'create'; count: number } | { kind: 'pay'; pick: number } | { kind: 'poll' } | { kind: 'advance'; hours: number } | { kind: 'restart' };

const optionsArb = fc.record({
	event: fc.constantFrom('invoiceCreated' as const, 'invoicePaid' as const),
	simple: fc.boolean(),
	zone: fc.constantFrom(...ZONES),
	order: fc.constantFrom<ListOrder>('oldestFirst', 'newestFirst'),
	saveRule: fc.constantFrom<SaveRule>('n8n', 'durable'),
	reconcileMinutes: fc.constantFrom(5, 60, 1_440),
	backlog: fc.integer({ min: 0, max: 230 }),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 3 }) }),
	fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
	fc.constant({ kind: 'poll' as const }),
	fc.record({ kind: fc.constant('advance' as const), hours: fc.constantFrom(1, 5, 24) }),
	fc.constant({ kind: 'restart' as const }),
);

afterEach(restoreNodeClock);

test('Invoice Created and Invoice Paid: each event once, nothing from before activation, a quiet poll at most 2 requests, whatever the settings', async () => {
	await fc.assert(
		fc.asyncProperty(optionsArb, fc.array(stepArb, { minLength: 4, maxLength: 16 }), async (options, steps) => {
			let now = START_DAY + (22 - options.zone.offset) * HOUR;
			const emulator = new PayRequestEmulator({ now: instant(now), seed: { customers: 1, invoices: 0, seed: 1 } });
			const baseUrl = await emulator.listen();
			try {
				emulator.setListOrder(options.order);
				const customer = emulator.customers()[0].id;
				const add = (status: string) => emulator.addInvoice({ customer_id: customer, date: '2025-03-01', due_date: '2025-04-30', status, items: [{ description: 'x', quantity: 1, unit_price: 5 }] }).id;
				// The account as it is at activation: some invoices paid already, the others open.
				for (let index = 0; index < options.backlog; index++) add(index % 3 === 0 ? 'paid' : 'pending');
				setNodeClock(now);
				const poller = new PollingWorkflow({ event: options.event, simple: options.simple, options: { reconcileMinutes: options.reconcileMinutes } }, { accessToken: 'test-token-rw', baseUrl }, { timezone: options.zone.zone });
				poller.saveRule = options.saveRule;
				const emitted: number[] = [];
				const poll = async () => {
					const before = emulator.requests.length;
					const outcome = await poller.poll();
					expect(outcome.error).toBeUndefined();
					for (const item of outcome.items) {
						expect(item.json.event).toBe(options.event);
						// Simplify gives ids as text, PayRequest as numbers.
						expect(typeof item.json.id).toBe(options.simple ? 'string' : 'number');
						emitted.push(Number(item.json.id));
					}
					return { emitted: outcome.items.length, requests: emulator.requests.length - before };
				};
				// Activation: what exists now is the backlog, never emitted.
				await poll();
				const expected: number[] = [];
				for (const step of steps) {
					if (step.kind === 'create') {
						for (let index = 0; index < step.count; index++) {
							const id = add('pending');
							if (options.event === 'invoiceCreated') expected.push(id);
						}
					} else if (step.kind === 'pay') {
						const open = emulator.listInvoices().filter((invoice) => invoice.status === 'pending');
						if (open.length === 0) continue;
						const invoice = open[step.pick % open.length];
						emulator.markPaid(invoice.id);
						if (options.event === 'invoicePaid') expected.push(invoice.id);
					} else if (step.kind === 'advance') {
						now += step.hours * HOUR;
						emulator.setNow(instant(now));
						setNodeClock(now);
					} else if (step.kind === 'restart') {
						// Before n8n has saved anything, a restart loses what only the process held (README: durable poll cursors).
						if (poller.hasSaved) poller.restart();
					} else {
						await poll();
					}
				}
				// Polls until nothing is left to find (a walk may be spread over polls), then a quiet one.
				for (let index = 0; index < 4; index++) await poll();
				const quiet = await poll();
				expect([...emitted].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
				expect(quiet.emitted).toBe(0);
				expect(quiet.requests).toBeLessThanOrEqual(2);
			} finally {
				await emulator.close();
			}
		}),
		{ numRuns: 40 },
	);
});
