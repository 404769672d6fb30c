// The PayRequest Trigger's Invoice Created and Invoice Paid events in a real n8n, installed from the
// packed tarball: each created invoice and each change to paid starts exactly one execution, across
// reactivation and an n8n restart, and a poll where nothing changed reads one page (Created) or the
// statistics and one page (Paid).
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { CREDENTIAL_TYPE, expectExecutionCount, nodeItems, SANDBOX_CREDENTIAL_NAME, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';

jest.setTimeout(180_000);

const TRIGGER = 'PayRequest Trigger';
const STATS_PATH = '/api/v1/invoices/stats';
const LIST_PATH = '/api/v1/invoices';

describe('PayRequest Trigger: Invoice Created and Invoice Paid in a real n8n', () => {
	let n8n: N8nInstance;
	let emulator: PayRequestEmulator;
	const workflows: Record<'invoiceCreated' | 'invoicePaid', string> = { invoiceCreated: '', invoicePaid: '' };

	/** Answered polls so far: every poll of either event reads at least one list page. */
	const listReads = () => emulator.requests.filter((request) => request.path === LIST_PATH && request.status === 200).length;
	const addInvoice = (status = 'pending') =>
		emulator.addInvoice({ customer_id: emulator.customers()[0].id, date: '2025-02-01', due_date: '2025-06-30', status, items: [{ description: 'Work', quantity: 1, unit_price: 100 }] });
	/** Reactivates both workflows; each activation polls once. */
	const pollBoth = async () => {
		for (const id of Object.values(workflows)) {
			const before = listReads();
			await n8n.deactivate(id);
			await n8n.activate(id);
			await waitFor('a poll', () => (listReads() > before ? true : undefined), 30_000);
		}
	};
	const emitted = async (event: keyof typeof workflows, count: number) =>
		(await expectExecutionCount(n8n, workflows[event], count)).map((execution) => nodeItems(execution, TRIGGER).map((item) => [item.id, item.event]));

	beforeAll(async () => {
		emulator = new PayRequestEmulator({ now: '2025-03-01T12:00:00Z', seed: { customers: 2, invoices: 120, seed: 3 } });
		const baseUrl = await emulator.listen();
		n8n = await startN8nWithPackage('trigger-changes');
		const credential = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: 'test-token-rw', baseUrl });
		for (const event of ['invoiceCreated', 'invoicePaid'] as const) {
			const { id } = await n8n.createWorkflow({
				name: `PayRequest: ${event}`,
				nodes: [
					{
						id: `trigger-${event}`,
						name: TRIGGER,
						type: 'n8n-nodes-payrequest.payRequestTrigger',
						typeVersion: 1,
						position: [0, 0],
						// A schedule that cannot fire during the test: activation drives the polls. Simplify on, its
						// default: ids come as text.
						parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] }, event, options: {} },
						credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: SANDBOX_CREDENTIAL_NAME } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			workflows[event] = id;
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	it('activation reads both ends of the list (two pages each; Paid also the statistics) and starts nothing', async () => {
		for (const id of Object.values(workflows)) await n8n.activate(id);
		await waitFor('both first polls', () => (listReads() >= 4 ? true : undefined), 30_000);
		for (const event of ['invoiceCreated', 'invoicePaid'] as const) await emitted(event, 0);
		expect(listReads()).toBe(4);
		expect(emulator.requests.filter((request) => request.path === STATS_PATH).length).toBe(1);
	});

	it('nothing changed: Created reads the newest page, Paid the statistics and one page of its recording', async () => {
		emulator.clearRequests();
		await pollBoth();
		expect(emulator.requests.map((request) => request.path)).toEqual([LIST_PATH, STATS_PATH, LIST_PATH]);
	});

	it('a created invoice starts one execution of Invoice Created; a paid one, one of Invoice Paid', async () => {
		const fresh = addInvoice();
		const unpaid = emulator.listInvoices().find((invoice) => invoice.status !== 'paid' && invoice.id !== fresh.id)!;
		await pollBoth();
		expect(await emitted('invoiceCreated', 1)).toEqual([[[String(fresh.id), 'invoiceCreated']]]);
		await emitted('invoicePaid', 0);
		emulator.markPaid(unpaid.id);
		await pollBoth();
		await emitted('invoiceCreated', 1);
		expect(await emitted('invoicePaid', 1)).toEqual([[[String(unpaid.id), 'invoicePaid']]]);
	});

	it('an n8n restart re-activates both and polls, and starts nothing more; the next change is emitted once', async () => {
		const before = listReads();
		await n8n.restart();
		await waitFor('both polls after the restart', () => (listReads() >= before + 2 ? true : undefined), 30_000);
		await emitted('invoiceCreated', 1);
		await emitted('invoicePaid', 1);
		const next = addInvoice();
		await pollBoth();
		expect(await emitted('invoiceCreated', 2)).toEqual([[[expect.any(String), 'invoiceCreated']], [[String(next.id), 'invoiceCreated']]]);
		await emitted('invoicePaid', 1);
		for (const id of Object.values(workflows)) await n8n.deactivate(id);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
