// Every example workflow that starts by hand, run twice in a real n8n against the playground's demo
// data (test/emulator/playground.cts, what `npm start` serves): a new user's first run and their
// second one are both green and give what the example's note promises.
import * as fs from 'fs';
import { ALT_KEYS } from '../emulator/AltPaymentsEmulator.cjs';
import { PAISR_TOKENS } from '../emulator/PaisrEmulator.cjs';
import { playgroundEmulators } from '../emulator/playground.cjs';
import { dateInN8n, readWorkflow, startN8nWithPackage, stopAndListLeftovers, WORKFLOWS_DIR } from './harness/e2e.cjs';
import { bindCredentials, type N8nInstance, type WorkflowRunResult } from './harness/n8nInstance.cjs';

jest.setTimeout(120_000);

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const DAY = 86_400_000;

const demo = playgroundEmulators();
const payRequest = demo.payRequest!;
const { alt, paisr } = demo;

type Items = Array<Record<string, any>>;
/** What each example must give, checked after each of its two runs against the emulators' state at that moment. */
const EXPECTED: Record<string, (run: WorkflowRunResult, runNumber: 1 | 2) => void> = {
	'alternative-payments-invoices.json': (run) => {
		expect(run.outputs['Get invoices'][0].map((item) => item.id).sort()).toEqual(alt.listInvoices().map((invoice) => invoice.id).sort());
	},
	'continue-on-fail.json': (run) => {
		const items = run.outputs['Get each invoice'][0];
		expect(items[0]).toMatchObject({ id: 1002 });
		expect(items.slice(1).map((item) => item.error)).toEqual([expect.stringMatching(/^No such invoice/), 'The Invoice field is not an invoice ID: "not-an-id"']);
	},
	'create-invoice.json': (run) => {
		const created = run.outputs['Create invoice'][0];
		expect(created).toHaveLength(1);
		// Dated today and due in 14 days, in n8n's time zone (a run across midnight may see either day).
		expect([dateInN8n(), dateInN8n(-1 / 24)]).toContain(created[0].date);
		expect(created[0]).toMatchObject({ status: 'pending', amount: 1700, customer: expect.objectContaining({ id: 501 }) });
		expect(Date.parse(String(created[0].due_date)) - Date.parse(String(created[0].date))).toBe(14 * DAY);
		expect(payRequest.listInvoices().filter((invoice) => invoice.id === created[0].id)).toHaveLength(1);
	},
	'create-invoices-from-json.json': (run) => {
		const created = run.outputs['Create invoice per order'][0];
		expect(created.map((invoice) => [invoice.reference, invoice.amount])).toEqual([
			['e2e order A', 99],
			['e2e order B', 80],
		]);
		for (const invoice of created) expect(Date.parse(String(invoice.due_date)) - Date.parse(String(invoice.date))).toBe(30 * DAY);
	},
	'get-invoice.json': (run) => {
		expect(run.outputs['Get invoice by ID'][0].map((item) => item.id)).toEqual([1001]);
		expect(run.outputs['Get invoice by URL'][0].map((item) => item.id)).toEqual([1002]);
	},
	'get-many-limit.json': (run) => {
		expect(run.outputs['Get 150 invoices'][0]).toHaveLength(150);
	},
	'get-many-return-all.json': (run) => {
		expect(run.outputs['Get all invoices'][0].map((item) => item.id)).toEqual(payRequest.listInvoices().map((invoice) => invoice.id));
	},
	'get-overdue.json': (run) => {
		const items = run.outputs['Get overdue invoices'][0];
		// The demo data has invoices two weeks overdue or more, so the example shows some.
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(item.days_overdue).toBeGreaterThanOrEqual(14);
	},
	'get-statistics.json': (run) => {
		expect(run.outputs['Get statistics'][0]).toEqual([expect.objectContaining({ total_invoices: payRequest.listInvoices().length, currency: 'EUR' })]);
	},
	'paisr-unpaid-invoices.json': (run) => {
		const unpaid = paisr.listInvoices().filter((invoice) => invoice.status === 'unpaid');
		expect(unpaid.length).toBeGreaterThan(0);
		expect(run.outputs['Unpaid invoices'][0].map((item) => item.id).sort()).toEqual(unpaid.map((invoice) => invoice.id).sort());
		const links: Items = run.outputs['Checkout link'][0];
		expect(links).toHaveLength(unpaid.length);
		for (const link of links) expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//);
	},
	'send-reminder.json': (run, runNumber) => {
		const [overdue] = run.outputs['Most overdue invoice'][0];
		expect(overdue).toMatchObject({ status: expect.not.stringMatching(/^paid$/), daysOverdue: expect.any(Number) });
		expect(run.outputs['Send reminder'][0]).toEqual([{ success: true, message: 'Invoice reminder sent successfully', invoiceId: Number(overdue.id) }]);
		expect(payRequest.reminders.map((reminder) => reminder.invoiceId)).toEqual(Array(runNumber).fill(Number(overdue.id)));
	},
};

/** The examples that start with a Manual Trigger: the ones a user runs with "Execute workflow". */
const manualExamples = fs
	.readdirSync(WORKFLOWS_DIR)
	.filter((file) => file.endsWith('.json'))
	.filter((file) => readWorkflow(file).nodes.some((node: { type: string }) => node.type === MANUAL_TRIGGER))
	.sort();

describe('every example that starts by hand, run twice on the playground demo data in a real n8n', () => {
	let n8n: N8nInstance;
	let credentials: Record<string, { id: string; name: string }>;

	beforeAll(async () => {
		const [payRequestUrl, altUrl, paisrUrl] = [await payRequest.listen(), await alt.listen(), await paisr.listen()];
		n8n = await startN8nWithPackage('examples');
		// The credentials `npm start` creates, with the names the examples carry.
		const create = async (name: string, type: string, data: Record<string, unknown>) => ({ [type]: { ...(await n8n.createCredentialAsEditor(name, type, data)), name } });
		credentials = {
			...(await create('PayRequest sandbox', 'payRequestApi', { accessToken: 'test-token-rw', baseUrl: payRequestUrl })),
			...(await create('Alternative Payments sandbox', 'alternativePaymentsOAuth2Api', {
				environment: 'custom',
				baseUrl: altUrl,
				clientId: ALT_KEYS[0].clientId,
				clientSecret: ALT_KEYS[0].clientSecret,
			})),
			...(await create('Paisr sandbox', 'paisrApi', { environment: 'custom', baseUrl: paisrUrl, accessToken: PAISR_TOKENS[0].secret })),
		};
	});

	afterAll(async () => {
		await n8n?.dispose();
		await Promise.all([payRequest.close(), alt.close(), paisr.close()]);
	});

	it('every such example has its expected output here', () => {
		expect(manualExamples.length).toBeGreaterThanOrEqual(11);
		expect(manualExamples).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(manualExamples)('%s: green on the first and the second run', async (file) => {
		const { id } = await n8n.createWorkflow(bindCredentials(readWorkflow(file), credentials));
		for (const runNumber of [1, 2] as const) {
			const run = await n8n.runWorkflowOnce(id);
			expect([runNumber, run.status, run.errors]).toEqual([runNumber, 'success', []]);
			EXPECTED[file](run, runNumber);
		}
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
