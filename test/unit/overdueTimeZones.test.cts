/**
 * Days in the workflow's time zone, for the three overdue triggers and Get Overdue, through
 * n8n-core's engine against the emulators, with the nodes' clock and the emulators' clocks set to
 * the hours around local midnight: an invoice due on a day is overdue from the first local
 * midnight after it; days overdue (Simplify's daysOverdue), Min Days Overdue and escalation marks
 * count local days. Zones: UTC−10 (Pacific/Honolulu), UTC, UTC+13 (Pacific/Tongatapu), and
 * Europe/Amsterdam across the change to summer time (2025-03-30, 01:00 UTC).
 */
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { restoreNodeClock, setNodeClock } from '../engine/clock.cjs';
import type { PollOutcome } from '../engine/harness.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, PAISR_OVERDUE_TRIGGER_TYPE, PollingWorkflow, runNode } from '../engine/harness.cjs';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

interface Zone {
	zone: string;
	/** The day the invoice is due there. */
	due: string;
	/** Hours the zone is ahead of UTC at a UTC instant (written out, not computed by the code under test). */
	offset: (utcMs: number) => number;
}

const ZONES: Zone[] = [
	{ zone: 'Pacific/Honolulu', due: '2025-03-10', offset: () => -10 },
	{ zone: 'UTC', due: '2025-03-10', offset: () => 0 },
	{ zone: 'Pacific/Tongatapu', due: '2025-03-10', offset: () => 13 },
	// Summer time from 2025-03-30T01:00:00Z: local midnight of the 30th is 23:00Z on the 29th, of the 31st 22:00Z on the 30th.
	{ zone: 'Europe/Amsterdam', due: '2025-03-29', offset: (utcMs) => (utcMs < Date.parse('2025-03-30T01:00:00Z') ? 1 : 2) },
];

/** The UTC instant of a wall time in the zone ('YYYY-MM-DDTHH:MM', `days` after the due day). */
function local(zone: Zone, days: number, time: string): number {
	const [hours, minutes] = time.split(':').map(Number);
	const wall = Date.parse(`${zone.due}T00:00:00Z`) + days * 24 * HOUR + hours * HOUR + minutes * 60_000;
	// Two passes, so that a wall time after the change takes the offset in force then.
	const first = wall - zone.offset(wall) * HOUR;
	return wall - zone.offset(first) * HOUR;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const events = (outcome: PollOutcome) => {
	expect(outcome.error).toBeUndefined();
	return outcome.items.map((item) => [item.json.event, item.json.daysOverdue, item.json.escalationDays ?? null]);
};

/** The moments every trigger is polled at, and what it emits then (the overdue event at the first local midnight; the mark at 2 days at the second). */
const STEPS: Array<{ days: number; time: string; overdue: unknown[]; minDays: unknown[] }> = [
	{ days: 0, time: '12:00', overdue: [], minDays: [] }, // activation
	{ days: 0, time: '23:59', overdue: [], minDays: [] },
	{ days: 1, time: '00:01', overdue: [['invoiceOverdue', 1, null]], minDays: [] },
	{ days: 1, time: '23:59', overdue: [], minDays: [] },
	{ days: 2, time: '00:01', overdue: [['invoiceEscalated', 2, 2]], minDays: [['invoiceOverdue', 2, null]] },
];

interface Provider {
	name: string;
	/** Starts the emulator with one unpaid invoice due on the zone's day; returns a trigger maker and a clock setter. */
	setUp(zone: Zone): Promise<{ trigger: (options: Record<string, unknown>) => PollingWorkflow; setClock: (ms: number) => void; close: () => Promise<void> }>;
	/** What this provider's list shows at a moment, where it differs from the local rule (PayRequest lists by UTC days). */
	steps?: (zone: Zone) => typeof STEPS;
}

const PROVIDERS: Provider[] = [
	{
		name: 'PayRequest Trigger',
		async setUp(zone) {
			const emulator = new PayRequestEmulator({ now: instant(local(zone, 0, '11:00')), seed: { customers: 1, invoices: 0, seed: 1 } });
			const baseUrl = await emulator.listen();
			emulator.addInvoice({ customer_id: emulator.customers()[0].id, status: 'sent', date: '2025-03-01', due_date: zone.due, items: [{ description: 'x', quantity: 1, unit_price: 50 }] });
			return {
				trigger: (options) => new PollingWorkflow({ event: 'invoiceOverdue', simple: true, options }, { accessToken: 'test-token-rw', baseUrl }, { timezone: zone.zone }),
				setClock: (ms) => emulator.setNow(instant(ms)),
				close: () => emulator.close(),
			};
		},
		// PayRequest's overdue list holds what is due before its day in UTC: ahead of UTC, an invoice is
		// on it only from UTC midnight (13:00 in Tongatapu), so the overdue event comes then.
		steps: (zone) =>
			zone.offset(local(zone, 1, '00:01')) <= 0
				? STEPS
				: [
						STEPS[0],
						STEPS[1],
						{ days: 1, time: '00:01', overdue: [], minDays: [] },
						{ days: 1, time: `${String(zone.offset(local(zone, 1, '00:01')) - 1).padStart(2, '0')}:59`, overdue: [], minDays: [] },
						{ days: 1, time: `${String(zone.offset(local(zone, 1, '00:01'))).padStart(2, '0')}:01`, overdue: [['invoiceOverdue', 1, null]], minDays: [] },
						STEPS[3],
						STEPS[4],
					],
	},
	{
		name: 'Alternative Payments Overdue Trigger',
		async setUp(zone) {
			const emulator = new AltPaymentsEmulator({ rateLimit: false, now: instant(local(zone, 0, '11:00')), seed: { customers: 1, invoices: 0 } });
			const baseUrl = await emulator.listen();
			emulator.addInvoice({ due_date: zone.due });
			return {
				trigger: (options) =>
					new PollingWorkflow({ simple: true, options }, undefined, {
						nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
						oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
						timezone: zone.zone,
					}),
				setClock: () => {},
				close: () => emulator.close(),
			};
		},
	},
	{
		name: 'Paisr Overdue Trigger',
		async setUp(zone) {
			const emulator = new PaisrEmulator({ rateLimit: false, now: instant(local(zone, 0, '11:00')), seed: { customers: 1, invoices: 0 } });
			const baseUrl = await emulator.listen();
			// Paisr's due date is a moment: local noon of the due day there.
			emulator.addInvoice({ due_at: instant(local(zone, 0, '12:00')) });
			return {
				trigger: (options) =>
					new PollingWorkflow({ simple: true, options }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' }, timezone: zone.zone }),
				setClock: (ms) => emulator.setNow(instant(ms)),
				close: () => emulator.close(),
			};
		},
	},
];

afterEach(restoreNodeClock);

describe.each(PROVIDERS)('$name', (provider) => {
	test.each(ZONES)('$zone: overdue from the first local midnight after the due day; days, Min Days Overdue and escalation marks in local days', async (zone) => {
		const { trigger, setClock, close } = await provider.setUp(zone);
		try {
			const escalating = trigger({ escalationDays: '2' });
			const fromTwoDays = trigger({ minDaysOverdue: 2 });
			for (const step of provider.steps?.(zone) ?? STEPS) {
				const at = local(zone, step.days, step.time);
				setNodeClock(at);
				setClock(at);
				const moment = `${step.time} local, day ${step.days} (${instant(at)})`;
				expect([moment, events(await escalating.poll())]).toEqual([moment, step.overdue]);
				expect([moment, events(await fromTwoDays.poll())]).toEqual([moment, step.minDays]);
			}
		} finally {
			await close();
		}
	});
});

describe('PayRequest Get Overdue', () => {
	test.each(ZONES)('$zone: an invoice is on it from the first local midnight after its due day, with its local days; Min Days Overdue counts them', async (zone) => {
		const emulator = new PayRequestEmulator({ now: instant(local(zone, 0, '11:00')), seed: { customers: 1, invoices: 0, seed: 1 } });
		const baseUrl = await emulator.listen();
		try {
			const invoice = emulator.addInvoice({ customer_id: emulator.customers()[0].id, status: 'sent', date: '2025-03-01', due_date: zone.due, items: [{ description: 'x', quantity: 1, unit_price: 50 }] });
			const overdue = async (ms: number, filters: Record<string, unknown> = {}) => {
				setNodeClock(ms);
				emulator.setNow(instant(ms));
				const { items, error } = await runNode({ credential: { accessToken: 'test-token-rw', baseUrl }, timezone: zone.zone, parameters: { resource: 'invoice', operation: 'getOverdue', simple: true, filters } });
				expect(error).toBeUndefined();
				return items.map((item) => [item.json.id, item.json.daysOverdue]);
			};
			// Just before local midnight: not overdue here, whatever PayRequest's UTC day says.
			expect(await overdue(local(zone, 0, '23:59'))).toEqual([]);
			// The next local day, once PayRequest lists it (from UTC midnight, ahead of UTC): one day overdue.
			const listed = Math.max(local(zone, 1, '00:01'), Date.parse(`${isoDate(Date.parse(`${zone.due}T00:00:00Z`) + 24 * HOUR)}T00:01:00Z`));
			expect(await overdue(listed)).toEqual([[String(invoice.id), 1]]);
			expect(await overdue(local(zone, 1, '23:59'), { minDaysOverdue: 2 })).toEqual([]);
			expect(await overdue(local(zone, 2, '00:01'), { minDaysOverdue: 2 })).toEqual([[String(invoice.id), 2]]);
		} finally {
			await emulator.close();
		}
	});
});
