// Scale-out: n8n 2.41 in queue mode (PostgreSQL and Redis from Debian's packages on loopback, one
// main and two workers), the packed package installed into every n8n. The example workflows run on
// the workers, and the PayRequest Trigger and the Paisr Overdue Trigger, polled on the main only,
// start exactly one execution per newly overdue invoice across the whole instance.
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator, type RecordedRequest } from '../emulator/PayRequestEmulator.cjs';
import { allExecutions, createInvoiceDates, CREDENTIAL_TYPE, expectExecutionCount, fixedItemsInvoice, harnessLog, importWorkflow, nodeItems, readWorkflow, waitFor } from '../e2e/harness/e2e.cjs';
import type { N8nInstance, WorkflowRunResult } from '../e2e/harness/n8nInstance.cjs';
import { e2eSetup } from '../e2e/harness/packedPackage.cjs';
import { QueueModeCluster } from './harness/queueModeCluster.cjs';
import { readOverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';

jest.setTimeout(60_000);
// A fresh machine first installs n8n (about 4.5 minutes), Redis with apt-get, and builds the package.
const SETUP_TIMEOUT_MS = 15 * 60_000;

const READ_WRITE_TOKEN = 'test-token-rw';
const LEDGER_NOW = '2025-03-01T12:00:00Z';
// More than two pages of 100: Return All fetches pages in parallel, on a worker.
const LEDGER_INVOICES = 230;
const TRIGGER = 'PayRequest Trigger';
const REMINDER = 'Remind the customer';
const OVERDUE_PATH = '/api/v1/invoices/overdue';
// The slow request of the load-sharing test: long enough that the other run surely starts meanwhile.
const SLOW_REQUEST_MS = 4_000;

/**
 * The example trigger workflow with Emit Existing off and a schedule that cannot fire during the
 * test (00:00:00 on 1 January): polls happen only on activation, at moments the test chooses.
 */
function dunningWorkflow(): Record<string, any> {
	const workflow = readWorkflow('overdue-trigger.json');
	workflow.name = 'dunning in queue mode';
	const trigger = workflow.nodes.find((node: { name: string }) => node.name === TRIGGER);
	trigger.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] };
	trigger.parameters.options = { emitExisting: false };
	return workflow;
}

describe('n8n in queue mode: PostgreSQL, Redis, one main and two workers', () => {
	const log = harnessLog('scale');
	let cluster: QueueModeCluster;
	let main: N8nInstance;
	/** The PayRequest account the example workflows read and write. */
	let ledger: PayRequestEmulator;
	/** The account the trigger watches: a few invoices whose due dates the clock passes one by one. */
	let dunning: PayRequestEmulator;
	let ledgerCredential: { id: string; name: string };
	let dunningCredential: { id: string; name: string };
	/** The Paisr account its overdue trigger watches (real time: what is past its due time is overdue). */
	let paisr: PaisrEmulator;
	let paisrCredential: { id: string; name: string };

	const requestLine = (request: RecordedRequest) => `${request.method} ${request.path} ${request.status}`;

	/** The workers whose logs show the execution started, once each (n8n logs it when a worker takes the job). */
	const workersThatRan = (executionId: string): string[] =>
		cluster.workers.flatMap((worker, index) => cluster.workerExecutions(worker).started.filter((id) => id === executionId).map(() => `worker-${index + 1}`));

	/** Waits until a worker logged the execution finished; returns which worker (exactly one started it). */
	const expectRanOnOneWorker = async (executionId: string): Promise<string> => {
		const finishedBy = await waitFor(`a worker finishing execution ${executionId}`, () => {
			const index = cluster.workers.findIndex((worker) => cluster.workerExecutions(worker).finished.includes(executionId));
			return index === -1 ? undefined : `worker-${index + 1}`;
		});
		expect(workersThatRan(executionId)).toEqual([finishedBy]);
		expect(cluster.enqueuedExecutions()).toContain(executionId);
		return finishedBy;
	};

	const runExample = async (workflow: string | Record<string, any>): Promise<WorkflowRunResult> => {
		const { id } = await importWorkflow(main, workflow, ledgerCredential);
		ledger.clearRequests();
		return await main.runWorkflowOnce(id);
	};

	beforeAll(async () => {
		const setup = await e2eSetup(log);
		ledger = new PayRequestEmulator({ now: LEDGER_NOW, seed: { customers: 3, invoices: LEDGER_INVOICES, seed: 7 } });
		dunning = new PayRequestEmulator({ now: '2025-03-01T12:00:00Z', seed: { customers: 2, invoices: 0, seed: 1 } });
		const invoice = (id: number, customerId: number, dueDate: string, status = 'pending') =>
			dunning.addInvoice({ id, customer_id: customerId, date: '2025-01-15', due_date: dueDate, status, items: [{ description: `Work ${id}`, quantity: 1, unit_price: id - 900 }] });
		invoice(1001, 501, '2025-02-10'); // overdue on 1 March: the backlog, only recorded
		invoice(1002, 502, '2025-03-03'); // overdue from 4 March
		invoice(1003, 501, '2025-03-08', 'viewed'); // overdue from 9 March
		invoice(1004, 502, '2025-02-01', 'paid'); // past due but paid: never overdue
		invoice(1005, 501, '2025-04-30'); // not due during the test
		paisr = new PaisrEmulator({ now: new Date().toISOString(), seed: { customers: 1, invoices: 0 } });
		paisr.addInvoice({ id: 'inv_backlog', due_at: new Date(Date.now() - 5 * 86_400_000).toISOString() });
		const [ledgerUrl, dunningUrl, paisrUrl] = await Promise.all([ledger.listen(), dunning.listen(), paisr.listen()]);

		const started = Date.now();
		// Concurrency 1: a worker busy with one run leaves the next to the other (the load-sharing test).
		cluster = await QueueModeCluster.start({ n8nDir: setup.n8nDir, nodeBin: setup.nodeBin, tarballs: Object.values(setup.tarballs), workerConcurrency: 1, log });
		main = cluster.main;
		const { databaseAndQueueSeconds, servicesSeconds, mainSeconds, workersSeconds } = cluster.timings;
		process.stdout.write(
			`[scale] up in ${((Date.now() - started) / 1000).toFixed(1)} s: PostgreSQL + Redis ${databaseAndQueueSeconds.toFixed(1)} s ` +
				`(package installs alongside: ${servicesSeconds.toFixed(1)} s), ` +
				`main ${mainSeconds.toFixed(1)} s, 2 workers ${workersSeconds.toFixed(1)} s (${cluster.workDir})\n`,
		);
		const ledgerId = (await main.createCredential('PayRequest ledger', CREDENTIAL_TYPE, { accessToken: READ_WRITE_TOKEN, baseUrl: ledgerUrl })).id;
		ledgerCredential = { id: ledgerId, name: 'PayRequest ledger' };
		const dunningId = (await main.createCredential('PayRequest dunning', CREDENTIAL_TYPE, { accessToken: READ_WRITE_TOKEN, baseUrl: dunningUrl })).id;
		dunningCredential = { id: dunningId, name: 'PayRequest dunning' };
		const paisrId = (await main.createCredentialAsEditor('Paisr sandbox', 'paisrApi', { environment: 'custom', baseUrl: paisrUrl, accessToken: 'paisr-full' })).id;
		paisrCredential = { id: paisrId, name: 'Paisr sandbox' };
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await cluster?.stop();
		await Promise.all([ledger?.close(), dunning?.close(), paisr?.close()]);
	});

	it('the main serves the package and both workers report ready (database and Redis connected)', async () => {
		expect(await cluster.workersReady()).toEqual([true, true]);
		const nodeTypes = await main.nodeTypes();
		expect(nodeTypes).toEqual(expect.arrayContaining(['n8n-nodes-payrequest.payRequest', 'n8n-nodes-payrequest.payRequestTrigger']));
		expect(await main.credentialTypes()).toContain(CREDENTIAL_TYPE);
	});

	describe('the example workflows run on the workers', () => {
		it('Get Many with Return All: every invoice of the account, in order, as PayRequest holds it', async () => {
			const run = await runExample('get-many-return-all.json');
			expect(run.errors).toEqual([]);
			expect(run.status).toBe('success');
			const items = run.outputs['Get all invoices'][0];
			const stored = ledger.listInvoices();
			expect(stored).toHaveLength(LEDGER_INVOICES);
			const summary = (invoice: Record<string, any>) => [invoice.id, invoice.invoice_number, invoice.status, invoice.amount, invoice.due_date];
			expect(items.map(summary)).toEqual(stored.map(summary));
			expect(items.map((item) => (item.customer as { id: number }).id)).toEqual(stored.map((invoice) => invoice.customer_id));
			expect(ledger.requests.map(requestLine)).toEqual(['GET /api/v1/invoices 200', 'GET /api/v1/invoices 200', 'GET /api/v1/invoices 200']);
			await expectRanOnOneWorker(run.executionId);
		});

		it('Create: the invoice exists once in PayRequest, with the lines of the node', async () => {
			const before = ledger.listInvoices().length;
			const startedAt = Date.now();
			const run = await runExample('create-invoice.json');
			expect(run.errors).toEqual([]);
			expect(run.outputs['Create invoice'][0]).toHaveLength(1);
			const [created] = run.outputs['Create invoice'][0];
			expect(created).toMatchObject(fixedItemsInvoice(createInvoiceDates(startedAt, created)));
			expect(ledger.requests.map(requestLine)).toEqual(['POST /api/v1/invoices 201']);
			const stored = ledger.listInvoices().filter((invoice) => invoice.reference === 'PO-2025-0042');
			expect(stored.map((invoice) => [invoice.id, invoice.customer_id, invoice.amount])).toEqual([[created.id, 501, 1700]]);
			expect(ledger.listInvoices()).toHaveLength(before + 1);
			await expectRanOnOneWorker(run.executionId);
		});

		it('Send Reminder: one reminder, for the most overdue invoice', async () => {
			const run = await runExample('send-reminder.json');
			expect(run.errors).toEqual([]);
			const [picked] = run.outputs['Most overdue invoice'][0];
			const invoiceId = Number(picked.id);
			expect(run.outputs['Send reminder']).toEqual([[{ success: true, message: 'Invoice reminder sent successfully', invoiceId }]]);
			expect(ledger.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/overdue 200', `POST /api/v1/invoices/${invoiceId}/reminder 200`]);
			expect(ledger.reminders.map((reminder) => reminder.invoiceId)).toEqual([invoiceId]);
			await expectRanOnOneWorker(run.executionId);
		});

		it('the workers share the work: while one waits on a slow request, the other runs the next workflow', async () => {
			const [slow, quick] = await Promise.all(
				['statistics (slow)', 'statistics (quick)'].map(async (name) => await importWorkflow(main, { ...readWorkflow('get-statistics.json'), name }, ledgerCredential)),
			);
			ledger.clearRequests();
			ledger.injectFaults(1, { delayMs: SLOW_REQUEST_MS }, (request) => request.path === '/api/v1/invoices/stats');
			const slowRun = main.runWorkflowOnce(slow.id);
			// The slow run's worker is inside its request: with concurrency 1 it cannot take another job.
			await waitFor('the slow statistics request', () => (ledger.requests.length === 1 ? true : undefined));
			const quickRun = await main.runWorkflowOnce(quick.id);
			const slowResult = await slowRun;

			for (const run of [slowResult, quickRun]) {
				expect(run.errors).toEqual([]);
				expect(run.status).toBe('success');
			}
			// Same answer both times: the ledger's totals.
			expect(quickRun.outputs['Get statistics']).toEqual(slowResult.outputs['Get statistics']);
			expect(slowResult.outputs['Get statistics'][0][0]).toMatchObject({ total_invoices: LEDGER_INVOICES + 1, currency: 'EUR' });
			const slowWorker = await expectRanOnOneWorker(slowResult.executionId);
			const quickWorker = await expectRanOnOneWorker(quickRun.executionId);
			expect(quickWorker).not.toBe(slowWorker);
			// The quick run finished while the slow one was still waiting: they ran side by side.
			expect(new Date(quickRun.execution.stoppedAt).getTime()).toBeLessThan(new Date(slowResult.execution.stoppedAt).getTime());
			expect(ledger.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/stats 200', 'GET /api/v1/invoices/stats 200']);
		});
	});

	describe('the PayRequest Trigger, active on the main, with Emit Existing off', () => {
		let workflowId: string;
		let activations = 0;

		const overduePolls = () => dunning.requests.filter((request) => request.path === OVERDUE_PATH);
		/** Polls answered: n8n polls once per activation, on the main; a worker that polled too would add more. */
		const waitForPolls = async (count: number) =>
			await waitFor(`${count} overdue polls`, () => (overduePolls().filter((poll) => poll.status === 200).length >= count ? true : undefined), 30_000);
		const activate = async () => {
			await main.activate(workflowId);
			activations++;
			await waitForPolls(activations);
		};
		const reactivate = async () => {
			await main.deactivate(workflowId);
			await activate();
		};
		const emitted = (execution: any) => ({
			events: nodeItems(execution, TRIGGER).map((invoice) => invoice.id),
			reminders: nodeItems(execution, REMINDER).map((answer) => answer.invoiceId),
		});
		const reminded = () => dunning.reminders.map((reminder) => reminder.invoiceId);

		it('activation records the overdue backlog and starts no execution', async () => {
			({ id: workflowId } = await importWorkflow(main, dunningWorkflow(), dunningCredential));
			await activate();
			await expectExecutionCount(main, workflowId, 0);
			expect(overduePolls()).toHaveLength(1);
			const stored = await main.getWorkflow(workflowId);
			expect(readOverdueState(stored.staticData[`node:${TRIGGER}`].overdueInvoices).seen).toEqual({ 1001: { dueDate: '2025-02-10', settled: true, marks: [] } });
			expect(reminded()).toEqual([]);
		});

		it('an invoice that becomes overdue starts exactly one execution across the instance, on a worker', async () => {
			dunning.setNow('2025-03-04T12:00:00Z');
			await reactivate();
			const executions = await expectExecutionCount(main, workflowId, 1);
			expect(executions[0]).toMatchObject({ mode: 'trigger', status: 'success' });
			expect(emitted(executions[0])).toEqual({ events: [1002], reminders: [1002] });
			expect(nodeItems(executions[0], TRIGGER)[0]).toMatchObject({ due_date: '2025-03-03', days_overdue: 1 });
			await expectRanOnOneWorker(String(executions[0].id));
			expect(reminded()).toEqual([1002]);
			expect(overduePolls()).toHaveLength(activations);
		});

		it('another reactivation polls again and starts nothing', async () => {
			await reactivate();
			await expectExecutionCount(main, workflowId, 1);
			expect(reminded()).toEqual([1002]);
			expect(overduePolls()).toHaveLength(activations);
		});

		it('a second invoice becoming overdue starts exactly one more execution, with that invoice only', async () => {
			dunning.setNow('2025-03-10T12:00:00Z');
			await reactivate();
			const executions = await expectExecutionCount(main, workflowId, 2);
			expect(executions.map(emitted)).toEqual([
				{ events: [1002], reminders: [1002] },
				{ events: [1003], reminders: [1003] },
			]);
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
				['trigger', 'success'],
				['trigger', 'success'],
			]);
			await expectRanOnOneWorker(String(executions[1].id));
			expect(reminded()).toEqual([1002, 1003]);
			expect(overduePolls()).toHaveLength(activations);
			await main.deactivate(workflowId);
		});
	});

	describe('the Paisr Overdue Trigger, polled on the main', () => {
		let workflowId: string;
		const paisrPolls = () => paisr.requests.filter((request) => request.path === '/v2/invoices' && request.status === 200).length;
		const activateAndPoll = async () => {
			const before = paisrPolls();
			await main.activate(workflowId);
			await waitFor('a Paisr poll', () => (paisrPolls() > before ? true : undefined), 30_000);
		};

		it('activation records the backlog; a newly overdue invoice starts exactly one execution, on a worker; a reactivation none', async () => {
			({ id: workflowId } = await main.createWorkflow({
				name: 'Paisr overdue in queue mode',
				nodes: [
					{
						id: 'paisr-overdue',
						name: 'Paisr Overdue',
						type: 'n8n-nodes-paisr.paisrOverdueTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] }, options: {} },
						credentials: { paisrApi: paisrCredential },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			}));
			await activateAndPoll();
			await expectExecutionCount(main, workflowId, 0);
			// Due a day and an hour ago: overdue from the local midnight after its due day, whatever n8n's zone.
			paisr.addInvoice({ id: 'inv_new', due_at: new Date(Date.now() - 25 * 3_600_000).toISOString() });
			await main.deactivate(workflowId);
			await activateAndPoll();
			const executions = await expectExecutionCount(main, workflowId, 1);
			expect(nodeItems(executions[0], 'Paisr Overdue').map((item) => [item.id, item.event])).toEqual([['inv_new', 'invoiceOverdue']]);
			await expectRanOnOneWorker(String(executions[0].id));
			await main.deactivate(workflowId);
			await activateAndPoll();
			await expectExecutionCount(main, workflowId, 1);
			await main.deactivate(workflowId);
		});
	});

	it('every execution ran exactly once, on a worker, and succeeded; both workers took part', async () => {
		const workflows = await main.api<{ data: Array<{ id: string }> }>('GET', '/workflows');
		const executions = (await Promise.all(workflows.data.map(async (workflow) => await allExecutions(main, workflow.id)))).flat();
		// Five manual runs above, two PayRequest trigger executions and one of the Paisr Overdue Trigger.
		expect(executions.map((execution) => execution.mode).sort()).toEqual(['manual', 'manual', 'manual', 'manual', 'manual', 'trigger', 'trigger', 'trigger']);
		expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
		const ids = executions.map((execution) => String(execution.id)).sort();
		const perWorker = cluster.workers.map((worker) => cluster.workerExecutions(worker));
		expect(perWorker.flatMap((worker) => worker.started).sort()).toEqual(ids);
		expect(perWorker.flatMap((worker) => worker.finished).sort()).toEqual(ids);
		expect([...cluster.enqueuedExecutions()].sort()).toEqual(ids);
		for (const worker of perWorker) expect(worker.started.length).toBeGreaterThan(0);
		expect(await cluster.workersReady()).toEqual([true, true]);
	});

	it('stops the workers, the main, Redis and PostgreSQL without leaving a process behind', async () => {
		expect(cluster.leftoverProcesses().length).toBeGreaterThanOrEqual(6); // main, 2 workers, their task runners, Redis, PostgreSQL…
		await cluster.stop();
		expect(cluster.leftoverProcesses()).toEqual([]);
	});
});
