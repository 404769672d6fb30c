/**
 * What each polling trigger costs per poll, in requests, with 10,000 invoices in the account:
 * every trigger and event through n8n-core's real poll path (PollContext, static data as JSON
 * between polls) against its emulator, rate limits off (this counts requests, not time).
 */
import { addInvoices } from '../test/engine/emulatorFixture.cjs';
import { AltPaymentsEmulator } from '../test/emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../test/emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, PAISR_OVERDUE_TRIGGER_TYPE, PollingWorkflow } from '../test/engine/harness.cjs';

const INVOICES = 10_000;
const DAY = 86_400_000;

export interface CostRow {
	trigger: string;
	situation: string;
	/** Polls it took until the poll was done with the situation (several when a scan spans polls). */
	polls: number;
	requests: number;
	events: number;
}

/** Polls until one reads only what a quiet poll reads (or `maxPolls`), counting requests and events. */
async function pollUntilQuiet(poller: PollingWorkflow, requestCount: () => number, quietRequests: number, maxPolls = 5) {
	let polls = 0;
	let requests = 0;
	let events = 0;
	for (; polls < maxPolls; ) {
		const before = requestCount();
		const outcome = await poller.poll();
		if (outcome.error) throw outcome.error;
		const sent = requestCount() - before;
		// A poll that only did the quiet read after the situation was handled ends the count.
		if (polls > 0 && sent <= quietRequests && outcome.items.length === 0) break;
		polls++;
		requests += sent;
		events += outcome.items.length;
		if (sent <= quietRequests && outcome.items.length > 0) break;
	}
	return { polls, requests, events };
}

export async function benchTriggerCost(): Promise<CostRow[]> {
	const rows: CostRow[] = [];

	// PayRequest: Invoice Created and Invoice Paid over 10,000 invoices (100 pages).
	for (const event of ['invoiceCreated', 'invoicePaid'] as const) {
		const emulator = new PayRequestEmulator({ rateLimit: false, seed: { customers: 5, invoices: 0, seed: 2 } });
		const baseUrl = await emulator.listen();
		try {
			addInvoices(emulator, INVOICES);
			const count = () => emulator.requests.length;
			const poller = new PollingWorkflow({ event, options: {} }, { accessToken: 'test-token-rw', baseUrl });
			const label = `PayRequest Trigger, ${event === 'invoiceCreated' ? 'Invoice Created' : 'Invoice Paid'}`;
			rows.push({ trigger: label, situation: 'first polls after activation (record the account)', ...(await pollUntilQuiet(poller, count, 1)) });
			rows.push({ trigger: label, situation: 'nothing changed', ...(await pollUntilQuiet(poller, count, 0, 1)) });
			const customer = emulator.customers()[0].id;
			emulator.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: '2025-06-30', status: 'pending', items: [{ description: 'x', quantity: 1, unit_price: 10 }] });
			rows.push({ trigger: label, situation: 'one invoice created', ...(await pollUntilQuiet(poller, count, 1)) });
			const unpaid = emulator.listInvoices().find((invoice) => invoice.status !== 'paid')!;
			emulator.markPaid(unpaid.id);
			rows.push({ trigger: label, situation: 'one invoice paid', ...(await pollUntilQuiet(poller, count, 1)) });
		} finally {
			await emulator.close();
		}
	}

	// PayRequest: Invoice Became Overdue (its overdue endpoint lists them all at once).
	{
		const emulator = new PayRequestEmulator({ rateLimit: false, now: '2025-03-01T12:00:00Z', seed: { customers: 5, invoices: 0, seed: 2 } });
		const baseUrl = await emulator.listen();
		try {
			addInvoices(emulator, INVOICES, '2025-02-01');
			const poller = new PollingWorkflow({ event: 'invoiceOverdue', options: {} }, { accessToken: 'test-token-rw', baseUrl });
			await poller.poll();
			const before = emulator.requests.length;
			await poller.poll();
			rows.push({ trigger: 'PayRequest Trigger, Invoice Became Overdue', situation: `any poll (${emulator.listInvoices().filter((invoice) => invoice.status !== 'paid').length.toLocaleString('en')} overdue)`, polls: 1, requests: emulator.requests.length - before, events: 0 });
		} finally {
			await emulator.close();
		}
	}

	// Alternative Payments: every invoice due yesterday or earlier, 100 a page.
	{
		const emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 5, invoices: 0 } });
		const baseUrl = await emulator.listen();
		try {
			for (let index = 0; index < INVOICES; index++) {
				emulator.addInvoice({ due_date: new Date(Date.now() + (index % 4 === 0 ? -5 : 20) * DAY).toISOString().slice(0, 10) });
			}
			const overdue = INVOICES / 4;
			const poller = new PollingWorkflow({ options: {} }, undefined, {
				nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
				oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
			});
			await poller.poll();
			const api = () => emulator.requests.filter((request) => request.path === '/invoices').length;
			const before = api();
			await poller.poll();
			rows.push({ trigger: 'Alternative Payments Overdue Trigger', situation: `any poll (${overdue.toLocaleString('en')} of ${INVOICES.toLocaleString('en')} overdue)`, polls: 1, requests: api() - before, events: 0 });
		} finally {
			await emulator.close();
		}
	}

	// Paisr: one request, at most 1,000 unpaid.
	{
		const emulator = new PaisrEmulator({ rateLimit: false, now: new Date().toISOString(), seed: { customers: 5, invoices: 0 } });
		const baseUrl = await emulator.listen();
		try {
			for (let index = 0; index < INVOICES; index++) {
				emulator.addInvoice({ status: index % 4 === 0 ? 'unpaid' : 'paid', due_at: new Date(Date.now() - 5 * DAY).toISOString() });
			}
			const poller = new PollingWorkflow({ options: {} }, undefined, { nodeType: PAISR_OVERDUE_TRIGGER_TYPE, paisr: { environment: 'custom', baseUrl, accessToken: 'paisr-full' } });
			await poller.poll();
			const before = emulator.requests.length;
			await poller.poll();
			rows.push({ trigger: 'Paisr Overdue Trigger', situation: `any poll (${(INVOICES / 4).toLocaleString('en')} unpaid and overdue: the answer holds 1,000)`, polls: 1, requests: emulator.requests.length - before, events: 0 });
		} finally {
			await emulator.close();
		}
	}
	return rows;
}
