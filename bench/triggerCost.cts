/**
 * What each polling trigger costs per poll, in requests, at 10,000 and 50,000 invoices: every
 * trigger and event through n8n-core's real poll path (PollContext, static data as JSON between
 * polls) against its emulator, PayRequest's list oldest and newest first, rate limits off (this
 * counts requests, not time), with the size of the state n8n stores (for the webhook triggers, their
 * record of deliveries at its bound, which does not grow with the account).
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { DELIVERY_MEMORY_COUNT, isRepeatedDelivery } from '../nodes/shared/webhooks/deliveries';
import { addInvoices } from '../test/engine/emulatorFixture.cjs';
import { AltPaymentsEmulator } from '../test/emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../test/emulator/PaisrEmulator.cjs';
import type { ListOrder } from '../test/emulator/PayRequestEmulator.cjs';
import { PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, PAISR_OVERDUE_TRIGGER_TYPE, PollingWorkflow } from '../test/engine/harness.cjs';

export const SIZES = [10_000, 50_000];
const DAY = 86_400_000;
/**
 * Options users pick, which must not make a quiet poll dearer: a Currency filter that holds back
 * every overdue invoice (none is in that currency), Min Days Overdue above the recent window, marks.
 */
const filters = (currency: string) => ({ currency, minDaysOverdue: 5, escalationDays: '7, 14, 30' });
const FILTERS_TEXT = 'a Currency filter holding back every overdue invoice, Min Days Overdue 5, Escalation Days 7, 14, 30';

export interface CostRow {
	trigger: string;
	invoices: number;
	situation: string;
	/** Polls it took until the trigger was done with the situation. */
	polls: number;
	requests: number;
	/** The most requests one of those polls made. */
	maxPerPoll: number;
	events: number;
	/** The static data n8n stores for the node afterwards, as JSON. */
	stateBytes: number;
}

/**
 * Polls until a poll makes at most `quietRequests` requests and emits nothing (that poll is not
 * counted), or `maxPolls`; counts requests and events.
 */
async function pollUntilQuiet(poller: PollingWorkflow, requestCount: () => number, quietRequests: number, maxPolls = 20) {
	let polls = 0;
	let requests = 0;
	let maxPerPoll = 0;
	let events = 0;
	while (polls < maxPolls) {
		const before = requestCount();
		const outcome = await poller.poll();
		if (outcome.error) throw outcome.error;
		const sent = requestCount() - before;
		if (polls > 0 && sent <= quietRequests && outcome.items.length === 0) break;
		polls++;
		requests += sent;
		maxPerPoll = Math.max(maxPerPoll, sent);
		events += outcome.items.length;
	}
	return { polls, requests, maxPerPoll, events, stateBytes: JSON.stringify(poller.storedState()).length };
}

/** One poll, counted. */
async function onePoll(poller: PollingWorkflow, requestCount: () => number) {
	const before = requestCount();
	const outcome = await poller.poll();
	if (outcome.error) throw outcome.error;
	const requests = requestCount() - before;
	return { polls: 1, requests, maxPerPoll: requests, events: outcome.items.length, stateBytes: JSON.stringify(poller.storedState()).length };
}

/** Every trigger with Simplify off, as README: Performance states its figures (the harness no longer turns it off). */
export async function benchTriggerCost(sizes = SIZES): Promise<CostRow[]> {
	const rows: CostRow[] = [];
	for (const invoices of sizes) {
		// PayRequest: Invoice Created and Invoice Paid, on either list order.
		for (const order of ['oldestFirst', 'newestFirst'] as ListOrder[]) {
			for (const event of ['invoiceCreated', 'invoicePaid'] as const) {
				const emulator = new PayRequestEmulator({ rateLimit: false, listOrder: order, seed: { customers: 5, invoices: 0, seed: 2 } });
				const baseUrl = await emulator.listen();
				try {
					addInvoices(emulator, invoices);
					const count = () => emulator.requests.length;
					const poller = new PollingWorkflow({ event, options: {}, simple: false }, { accessToken: 'test-token-rw', baseUrl });
					const trigger = `PayRequest Trigger, ${event === 'invoiceCreated' ? 'Invoice Created' : 'Invoice Paid'}, list ${order === 'oldestFirst' ? 'oldest' : 'newest'} first`;
					const row = (situation: string, figures: Omit<CostRow, 'trigger' | 'invoices' | 'situation'>) => rows.push({ trigger, invoices, situation, ...figures });
					row('activation poll', await onePoll(poller, count));
					if (event === 'invoicePaid') row('first recording of unpaid invoices, after activation', await pollUntilQuiet(poller, count, 2, 40));
					row('nothing new', await onePoll(poller, count));
					const customer = emulator.customers()[0].id;
					emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status: 'pending', items: [{ description: 'x', quantity: 1, unit_price: 10 }] });
					row('one invoice created', await onePoll(poller, count));
					if (event === 'invoicePaid') {
						const unpaid = emulator.listInvoices().filter((invoice) => invoice.status !== 'paid');
						emulator.markPaid(unpaid[Math.floor(unpaid.length / 2)].id);
						// Every page holds unpaid invoices here (two in three are unpaid): the pages are read 40 a poll, over several polls.
						row('one invoice paid (mid-list)', await pollUntilQuiet(poller, count, 2, 40));
					}
				} finally {
					await emulator.close();
				}
			}
		}

		// PayRequest: Invoice Became Overdue (its overdue endpoint lists them all at once).
		{
			const emulator = new PayRequestEmulator({ rateLimit: false, now: '2025-03-01T12:00:00Z', seed: { customers: 5, invoices: 0, seed: 2 } });
			const baseUrl = await emulator.listen();
			try {
				addInvoices(emulator, invoices, '2025-02-01');
				const poller = new PollingWorkflow({ event: 'invoiceOverdue', options: {}, simple: false }, { accessToken: 'test-token-rw', baseUrl });
				const count = () => emulator.requests.length;
				const trigger = 'PayRequest Trigger, Invoice Became Overdue';
				const overdue = emulator.listInvoices().filter((invoice) => invoice.status !== 'paid').length;
				rows.push({ trigger, invoices, situation: `activation poll (${overdue.toLocaleString('en')} overdue)`, ...(await onePoll(poller, count)) });
				rows.push({ trigger, invoices, situation: 'any later poll', ...(await onePoll(poller, count)) });
				const filtered = new PollingWorkflow({ event: 'invoiceOverdue', options: filters('USD') }, { accessToken: 'test-token-rw', baseUrl });
				await onePoll(filtered, count);
				rows.push({ trigger, invoices, situation: `any later poll, ${FILTERS_TEXT}`, ...(await onePoll(filtered, count)) });
			} finally {
				await emulator.close();
			}
		}

		// Alternative Payments: a quarter overdue (due 5 to 200 days ago), the rest due later.
		{
			const emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 5, invoices: 0 } });
			const baseUrl = await emulator.listen();
			try {
				for (let index = 0; index < invoices; index++) {
					const daysAgo = index % 4 === 0 ? 5 + (index % 196) : -20;
					emulator.addInvoice({ due_date: new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10) });
				}
				const poller = new PollingWorkflow({ options: {}, simple: false }, undefined, {
					nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
					oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
				});
				const api = () => emulator.requests.filter((request) => request.path.startsWith('/invoices')).length;
				const trigger = 'Alternative Payments Overdue Trigger';
				const situation = (text: string) => `${text} (${(invoices / 4).toLocaleString('en')} overdue)`;
				rows.push({ trigger, invoices, situation: situation('activation poll'), ...(await onePoll(poller, api)) });
				rows.push({ trigger, invoices, situation: situation('first reading of the backlog, one page a poll'), ...(await pollUntilQuiet(poller, api, 1, 200)) });
				rows.push({ trigger, invoices, situation: situation('nothing new'), ...(await onePoll(poller, api)) });
				emulator.addInvoice({ due_date: new Date(Date.now() - DAY).toISOString().slice(0, 10) });
				rows.push({ trigger, invoices, situation: situation('one invoice newly overdue'), ...(await onePoll(poller, api)) });
				const filtered = new PollingWorkflow({ options: filters('EUR') }, undefined, {
					nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
					oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
				});
				await onePoll(filtered, api);
				await pollUntilQuiet(filtered, api, 1, 200);
				rows.push({ trigger, invoices, situation: situation(`nothing new, ${FILTERS_TEXT}`), ...(await onePoll(filtered, api)) });
			} finally {
				await emulator.close();
			}
		}

		// Paisr: one request, at most 1,000 unpaid.
		{
			const emulator = new PaisrEmulator({ rateLimit: false, now: new Date().toISOString(), seed: { customers: 5, invoices: 0 } });
			const baseUrl = await emulator.listen();
			try {
				for (let index = 0; index < invoices; index++) {
					emulator.addInvoice({ status: index % 4 === 0 ? 'unpaid' : 'paid', due_at: new Date(Date.now() - 5 * DAY).toISOString() });
				}
				const poller = new PollingWorkflow({ options: {}, simple: false }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' } });
				const count = () => emulator.requests.length;
				const trigger = 'Paisr Overdue Trigger';
				rows.push({ trigger, invoices, situation: 'activation poll (the answer holds 1,000 unpaid)', ...(await onePoll(poller, count)) });
				rows.push({ trigger, invoices, situation: 'any later poll', ...(await onePoll(poller, count)) });
				const filtered = new PollingWorkflow({ options: filters('EUR') }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' } });
				await onePoll(filtered, count);
				rows.push({ trigger, invoices, situation: `any later poll, ${FILTERS_TEXT}`, ...(await onePoll(filtered, count)) });
			} finally {
				await emulator.close();
			}
		}

		// The webhook triggers keep no state per invoice: a record of the deliveries emitted, bounded in count.
		for (const [trigger, key] of [
			['Alternative Payments Trigger', (index: number) => `invoice.paid ${createHash('sha256').update(String(index)).digest('hex')}`],
			['Paisr Trigger', (index: number) => `invoice.paid inv_${String(100_000 + index)} ${1_765_000_000 + index}`],
		] as const) {
			rows.push({ trigger, invoices, situation: `delivery record at its bound (${DELIVERY_MEMORY_COUNT.toLocaleString('en')} deliveries)`, polls: 0, requests: 0, maxPerPoll: 0, events: DELIVERY_MEMORY_COUNT, stateBytes: deliveryRecordBytes(key) });
		}
	}
	return rows;
}

/** The static data a webhook trigger keeps once it has emitted more deliveries than it remembers, with keys shaped as `key` makes them. */
function deliveryRecordBytes(key: (index: number) => string): number {
	const staticData: IDataObject = {};
	const start = Date.now();
	// A trigger of its own (workflow and node), so that the process memory of another run does not answer.
	const trigger = { getWorkflow: () => ({ id: `bench ${start}` }), getNode: () => ({ name: key(0) }) } as unknown as Parameters<typeof isRepeatedDelivery>[0];
	for (let index = 0; index < DELIVERY_MEMORY_COUNT + 100; index++) isRepeatedDelivery(trigger, staticData, key(index), start + index);
	return JSON.stringify(staticData).length;
}
