// The PayRequest Trigger activated in a real n8n: each invoice that becomes overdue starts exactly
// one execution, across deactivation, reactivation and an n8n restart. Polls are driven by
// activation (n8n polls at once on activate, and again on start for active workflows): n8n refuses
// schedules under a minute, and the emulator's clock decides what is overdue.
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import {
	allExecutions,
	CREDENTIAL_TYPE,
	expectExecutionCount,
	importWorkflow,
	nodeItems,
	readWorkflow,
	SANDBOX_CREDENTIAL_NAME,
	startN8nWithPackage,
	stopAndListLeftovers,
	waitFor,
} from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';
import { readOverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';

jest.setTimeout(120_000);

const READ_WRITE_TOKEN = 'test-token-rw';
const TRIGGER = 'PayRequest Trigger';
const REMINDER = 'Remind the customer';
const OVERDUE_PATH = '/api/v1/invoices/overdue';

/**
 * The example workflow with its schedule replaced by one that cannot fire during the test (00:00:00
 * on 1 January): a scheduled poll between two steps would move events to an unpredictable moment.
 */
function triggerWorkflow(name: string, options: Record<string, unknown>): Record<string, any> {
	const workflow = readWorkflow('overdue-trigger.json');
	workflow.name = name;
	const trigger = workflow.nodes.find((node: { name: string }) => node.name === TRIGGER);
	trigger.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] };
	trigger.parameters.options = options;
	return workflow;
}

describe('PayRequest Trigger in a real n8n', () => {
	let n8n: N8nInstance;
	let emulator: PayRequestEmulator;
	let credential: { id: string; name: string };

	const overduePolls = () => emulator.requests.filter((request) => request.path === OVERDUE_PATH);
	/** Waits until the emulator has answered `count` overdue polls in all: the poll n8n ran is over. */
	const waitForPolls = async (count: number) =>
		await waitFor(`${count} overdue polls`, () => (overduePolls().filter((poll) => poll.status === 200).length >= count ? true : undefined), 30_000);
	/** Invoice ids of the events an execution carried, and of the reminders it sent. */
	const emitted = (execution: any) => ({
		events: nodeItems(execution, TRIGGER).map((invoice) => invoice.id),
		reminders: nodeItems(execution, REMINDER).map((answer) => answer.invoiceId),
	});
	const reminded = () => emulator.reminders.map((reminder) => reminder.invoiceId);
	const reactivate = async (workflowId: string) => {
		await n8n.deactivate(workflowId);
		await n8n.activate(workflowId);
	};

	beforeAll(async () => {
		emulator = new PayRequestEmulator({ now: '2025-03-01T12:00:00Z', seed: { customers: 2, invoices: 0, seed: 1 } });
		const invoice = (id: number, customerId: number, dueDate: string, status = 'pending') =>
			emulator.addInvoice({ id, customer_id: customerId, date: '2025-01-15', due_date: dueDate, status, items: [{ description: `Work ${id}`, quantity: 1, unit_price: id - 900 }] });
		invoice(1001, 501, '2025-02-10'); // overdue on 1 March: the backlog
		invoice(1002, 502, '2025-02-20', 'sent'); // overdue on 1 March: the backlog
		invoice(1003, 501, '2025-03-03'); // overdue from 4 March
		invoice(1004, 502, '2025-03-08', 'viewed'); // overdue from 9 March
		invoice(1005, 501, '2025-02-01', 'paid'); // past due but paid: never overdue
		invoice(1006, 502, '2025-04-30'); // not due during the test
		const baseUrl = await emulator.listen();
		n8n = await startN8nWithPackage('trigger');
		const { id } = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: READ_WRITE_TOKEN, baseUrl });
		credential = { id, name: SANDBOX_CREDENTIAL_NAME };
	});

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	describe('Emit Existing off (the default)', () => {
		let workflowId: string;

		it('activation records the overdue backlog without starting an execution', async () => {
			({ id: workflowId } = await importWorkflow(n8n, triggerWorkflow('dunning: new overdue only', {}), credential));
			emulator.clearRequests();
			await n8n.activate(workflowId);
			await waitForPolls(1);
			await expectExecutionCount(n8n, workflowId, 0);
			expect(overduePolls()).toHaveLength(1);

			// The backlog is in the workflow's static data, where the next activation finds it.
			const stored = await n8n.getWorkflow(workflowId);
			// Stored compact (version 3), read back as the trigger reads it.
			expect(stored.staticData[`node:${TRIGGER}`].overdueInvoices).toMatchObject({ version: 3 });
			expect(readOverdueState(stored.staticData[`node:${TRIGGER}`].overdueInvoices)).toEqual({
				version: 2,
				initialized: true,
				gate: expect.any(String),
				seen: { 1001: { dueDate: '2025-02-10', settled: true, marks: [] }, 1002: { dueDate: '2025-02-20', settled: true, marks: [] } },
			});
			expect(reminded()).toEqual([]);
		});

		it('an invoice that becomes overdue starts exactly one execution, which reminds its customer', async () => {
			emulator.setNow('2025-03-04T12:00:00Z');
			await reactivate(workflowId);
			await waitForPolls(2);
			const executions = await expectExecutionCount(n8n, workflowId, 1);
			expect(executions[0]).toMatchObject({ mode: 'trigger', status: 'success' });
			expect(emitted(executions[0])).toEqual({ events: [1003], reminders: [1003] });
			expect(nodeItems(executions[0], TRIGGER)[0]).toMatchObject({ due_date: '2025-03-03', days_overdue: 1, customer: { id: 501 } });
			expect(reminded()).toEqual([1003]);
		});

		it('another reactivation polls again and starts nothing', async () => {
			await reactivate(workflowId);
			await waitForPolls(3);
			await expectExecutionCount(n8n, workflowId, 1);
			expect(reminded()).toEqual([1003]);
		});

		it('an n8n restart re-activates the workflow and polls, and starts nothing', async () => {
			const pollsBefore = overduePolls().length;
			await n8n.restart();
			await waitForPolls(pollsBefore + 1);
			await expectExecutionCount(n8n, workflowId, 1);
			expect(overduePolls()).toHaveLength(pollsBefore + 1);
			expect(reminded()).toEqual([1003]);
		});

		it('a second invoice becoming overdue starts exactly one more execution, with that invoice only', async () => {
			emulator.setNow('2025-03-10T12:00:00Z');
			const pollsBefore = overduePolls().length;
			await reactivate(workflowId);
			await waitForPolls(pollsBefore + 1);
			const executions = await expectExecutionCount(n8n, workflowId, 2);
			expect(executions.map(emitted)).toEqual([
				{ events: [1003], reminders: [1003] },
				{ events: [1004], reminders: [1004] },
			]);
			expect(reminded()).toEqual([1003, 1004]);
			await n8n.deactivate(workflowId);
		});
	});

	describe('Emit Existing on', () => {
		let workflowId: string;

		it('activation emits every invoice already overdue, once, in one execution', async () => {
			({ id: workflowId } = await importWorkflow(n8n, triggerWorkflow('dunning: backlog included', { emitExisting: true }), credential));
			const pollsBefore = overduePolls().length;
			const remindersBefore = reminded().length;
			await n8n.activate(workflowId);
			await waitForPolls(pollsBefore + 1);
			const executions = await expectExecutionCount(n8n, workflowId, 1);
			// On 10 March: all four open invoices past due, most overdue first; not the paid 1005.
			expect(emitted(executions[0])).toEqual({ events: [1001, 1002, 1003, 1004], reminders: [1001, 1002, 1003, 1004] });
			expect(nodeItems(executions[0], TRIGGER).map((invoice) => invoice.days_overdue)).toEqual([28, 18, 7, 2]);
			expect(reminded().slice(remindersBefore)).toEqual([1001, 1002, 1003, 1004]);
		});

		it('a reactivation emits none of them again', async () => {
			const pollsBefore = overduePolls().length;
			const remindersBefore = reminded().length;
			await reactivate(workflowId);
			await waitForPolls(pollsBefore + 1);
			await expectExecutionCount(n8n, workflowId, 1);
			expect(reminded()).toHaveLength(remindersBefore);
			await n8n.deactivate(workflowId);
		});
	});

	it('no trigger execution failed: three in all, each a success', async () => {
		const workflows = await n8n.api<{ data: Array<{ id: string }> }>('GET', '/workflows');
		const statuses: string[] = [];
		for (const workflow of workflows.data) statuses.push(...(await allExecutions(n8n, workflow.id)).map((execution) => execution.status));
		expect(statuses.sort()).toEqual(['success', 'success', 'success']);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
