// Every operation of the PayRequest node, run in a real n8n through the example workflows of
// test/e2e/workflows/, each checked against the emulator's state and the requests it saw.
import { PayRequestEmulator, type RecordedRequest } from '../emulator/PayRequestEmulator.cjs';
import { createInvoiceDates, CREDENTIAL_TYPE, dateInN8n, fixedItemsInvoice, importWorkflow, readWorkflow, SANDBOX_CREDENTIAL_NAME, startN8nWithPackage, stopAndListLeftovers } from './harness/e2e.cjs';
import type { N8nInstance, WorkflowRunResult } from './harness/n8nInstance.cjs';

jest.setTimeout(120_000);

const READ_WRITE_TOKEN = 'test-token-rw';
const EMULATOR_NOW = '2025-03-01T12:00:00Z';
// 250 invoices: Return All needs three pages of 100, a Limit of 150 two.
const INVOICE_COUNT = 250;
const FIRST_INVOICE_ID = 1001;

/**
 * The seeded ledger, as a rule the expectations below are computed from (not read back from the
 * emulator): invoice 1001 + i belongs to customer 501 or 502, every fifth is paid, and two in 25
 * were due in February: the paid one of them is settled, the other is overdue (19, 17 … 1 days).
 */
function seededInvoice(index: number) {
	const pastDue = index % 25 <= 1;
	const februaryDay = 10 + 2 * Math.floor(index / 25);
	return {
		id: FIRST_INVOICE_ID + index,
		customer_id: 501 + (index % 2),
		status: index % 5 === 0 ? 'paid' : 'pending',
		date: pastDue ? '2025-01-20' : '2025-02-20',
		due_date: pastDue ? `2025-02-${String(februaryDay).padStart(2, '0')}` : '2025-04-30',
		reference: `Seed ${index + 1}`,
		items: [{ description: `Work ${index + 1}`, quantity: 1, unit_price: 100 + index, tax_rate: 21 }],
	};
}
const SEEDED = Array.from({ length: INVOICE_COUNT }, (_, index) => seededInvoice(index));
const amountOf = (invoice: ReturnType<typeof seededInvoice>) => invoice.items[0].unit_price;
const isOverdue = (invoice: ReturnType<typeof seededInvoice>) => invoice.status !== 'paid' && invoice.due_date < EMULATOR_NOW.slice(0, 10);
const idsFrom = (first: number, count: number) => Array.from({ length: count }, (_, index) => first + index);
const sum = (values: number[]) => Math.round(values.reduce((total, value) => total + value, 0) * 100) / 100;

describe('PayRequest node operations in a real n8n', () => {
	let n8n: N8nInstance;
	let emulator: PayRequestEmulator;
	let credential: { id: string; name: string };

	/** Imports an example workflow, runs it as the editor's "Execute workflow" does, and returns the run. */
	const runExample = async (workflow: string | Record<string, any>): Promise<WorkflowRunResult> => {
		const { id } = await importWorkflow(n8n, workflow, credential);
		emulator.clearRequests();
		return await n8n.runWorkflowOnce(id);
	};
	const requestLine = (request: RecordedRequest) => `${request.method} ${request.path} ${request.status}`;

	beforeAll(async () => {
		emulator = new PayRequestEmulator({ now: EMULATOR_NOW, seed: { customers: 2, invoices: 0, seed: 1 } });
		expect(emulator.customers().map((customer) => customer.id)).toEqual([501, 502]);
		for (const invoice of SEEDED) emulator.addInvoice(invoice);
		const baseUrl = await emulator.listen();
		n8n = await startN8nWithPackage('operations');
		const { id } = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: READ_WRITE_TOKEN, baseUrl });
		credential = { id, name: SANDBOX_CREDENTIAL_NAME };
	});

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	// Reads first: they expect the seeded 250 invoices, before Create adds any.

	it('Get Many with Return All: every invoice in order, one request per page of 100', async () => {
		const run = await runExample('get-many-return-all.json');
		expect(run.errors).toEqual([]);
		expect(run.status).toBe('success');
		const items = run.outputs['Get all invoices'][0];
		expect(items.map((item) => item.id)).toEqual(idsFrom(FIRST_INVOICE_ID, INVOICE_COUNT));
		expect(items[1]).toMatchObject({ id: 1002, status: 'pending', customer: { id: 502 }, reference: 'Seed 2' });

		expect(emulator.requests.map(requestLine)).toEqual(Array(Math.ceil(INVOICE_COUNT / 100)).fill('GET /api/v1/invoices 200'));
		// Pages 2 and 3 go out together, so they may arrive in either order.
		expect(emulator.requests.map((request) => request.query).sort((a, b) => Number(a.page) - Number(b.page))).toEqual([
			{ page: '1', per_page: '100' },
			{ page: '2', per_page: '100' },
			{ page: '3', per_page: '100' },
		]);
	});

	it('Get Many with a Limit of 150: the first 150, and no page beyond the second', async () => {
		const run = await runExample('get-many-limit.json');
		expect(run.errors).toEqual([]);
		expect(run.outputs['Get 150 invoices'][0].map((item) => item.id)).toEqual(idsFrom(FIRST_INVOICE_ID, 150));
		expect(emulator.requests.map((request) => [requestLine(request), request.query])).toEqual([
			['GET /api/v1/invoices 200', { page: '1', per_page: '100' }],
			['GET /api/v1/invoices 200', { page: '2', per_page: '100' }],
		]);
	});

	it('Get by ID and by URL: the full invoice each', async () => {
		const run = await runExample('get-invoice.json');
		expect(run.errors).toEqual([]);
		expect(run.outputs['Get invoice by ID']).toEqual([
			[
				expect.objectContaining({
					id: 1001,
					status: 'paid',
					amount: 100,
					due_date: '2025-02-10',
					customer: expect.objectContaining({ id: 501, email: emulator.customers()[0].email }),
					invoice_items: [{ description: 'Work 1', quantity: 1, unit_price: 100, tax_rate: 21, total: 100 }],
					transactions: [],
					subscription: null,
				}),
			],
		]);
		// The URL is the dashboard's https://payrequest.app/invoices/1002: only its id is used.
		expect(run.outputs['Get invoice by URL']).toEqual([
			[expect.objectContaining({ id: 1002, status: 'pending', amount: 101, customer: expect.objectContaining({ id: 502 }) })],
		]);
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/1001 200', 'GET /api/v1/invoices/1002 200']);
	});

	it('Get Statistics: the totals of the seeded ledger', async () => {
		const run = await runExample('get-statistics.json');
		expect(run.errors).toEqual([]);
		const paid = SEEDED.filter((invoice) => invoice.status === 'paid');
		const overdue = SEEDED.filter(isOverdue);
		const open = SEEDED.filter((invoice) => invoice.status !== 'paid');
		expect(run.outputs['Get statistics']).toEqual([
			[
				{
					total_invoices: 250,
					paid_invoices: 50,
					overdue_invoices: 10,
					pending_invoices: 190,
					total_outstanding: sum(open.map(amountOf)),
					total_overdue: sum(overdue.map(amountOf)),
					currency: 'EUR',
				},
			],
		]);
		expect([paid.length, overdue.length, open.length - overdue.length]).toEqual([50, 10, 190]);
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/stats 200']);
	});

	it('Get Overdue with Min Days Overdue 14: the overdue invoices due two weeks ago or more (counted from today), most overdue first', async () => {
		const run = await runExample('get-overdue.json');
		expect(run.errors).toEqual([]);
		const items = run.outputs['Get overdue invoices'][0];
		// Overdue in the emulator's list (as of 2025-03-01): 1002, 1027 … 1227, due Feb 10, 12 … 28, which
		// PayRequest counts as 19, 17 … 1 days. Min Days Overdue counts the workflow's days from n8n's
		// own clock (today), by which every one of them is well past 14 days: all of them, most overdue first.
		expect(items.map((item) => [item.id, item.days_overdue])).toEqual([19, 17, 15, 13, 11, 9, 7, 5, 3, 1].map((days, index) => [1002 + 25 * index, days]));
		expect(items[0]).toMatchObject({ due_date: '2025-02-10', status: 'pending', payment_link: 'https://payrequest.me/emulator/invoice/1002' });
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/overdue 200']);
	});

	// Writes.

	it('Create with line items from the node: the invoice exists once, with those lines', async () => {
		const before = emulator.listInvoices().length;
		const startedAt = Date.now();
		const run = await runExample('create-invoice.json');
		expect(run.errors).toEqual([]);
		const [created] = run.outputs['Create invoice'][0];
		// Dated today and due in 14 days ($today in the example), in n8n's time zone.
		const dates = createInvoiceDates(startedAt, created);
		expect(created).toMatchObject(fixedItemsInvoice(dates));
		expect(run.outputs['Create invoice'][0]).toHaveLength(1);

		expect(emulator.requests.map(requestLine)).toEqual(['POST /api/v1/invoices 201']);
		expect(emulator.requests[0].body).toEqual({
			customer_id: 501,
			...dates,
			items: [
				{ description: 'Consulting Services', quantity: 8, unit_price: 150, tax_rate: 21 },
				{ description: 'Software License', quantity: 1, unit_price: 500, tax_rate: 21 },
			],
			reference: 'PO-2025-0042',
			notes: 'Thank you for your business!',
		});
		const stored = emulator.listInvoices().filter((invoice) => invoice.reference === 'PO-2025-0042');
		expect(stored.map((invoice) => [invoice.id, invoice.customer_id, invoice.amount])).toEqual([[created.id, 501, 1700]]);
		expect(emulator.listInvoices()).toHaveLength(before + 1);
	});

	it('Create from JSON items of an earlier node: one invoice per order, in order, each once', async () => {
		const before = emulator.listInvoices().length;
		const startedAt = Date.now();
		const run = await runExample('create-invoices-from-json.json');
		expect(run.errors).toEqual([]);
		const created = run.outputs['Create invoice per order'][0];
		// Dated today, due in 30 days ($today in the example); a run across midnight sees the later day.
		const dueDate = created[0]?.date === dateInN8n(0, startedAt) ? dateInN8n(30, startedAt) : dateInN8n(31, startedAt);
		expect(created.map((invoice) => [invoice.reference, (invoice.customer as { id: number }).id, invoice.amount, invoice.due_date])).toEqual([
			['e2e order A', 501, 99, dueDate], // 2 × "49.50" (numeric text), tax_rate / unit_price spelled the API's way
			['e2e order B', 502, 80, dueDate], // unitPrice spelled the node's way, no tax rate: 0
		]);
		expect(created.map((invoice) => invoice.invoice_items)).toEqual([
			[{ description: 'Hosting', quantity: 2, unit_price: 49.5, tax_rate: 9, total: 99 }],
			[{ description: 'Support', quantity: 1, unit_price: 80, tax_rate: 0, total: 80 }],
		]);

		expect(emulator.requests.map((request) => [requestLine(request), (request.body as { reference: string }).reference])).toEqual([
			['POST /api/v1/invoices 201', 'e2e order A'],
			['POST /api/v1/invoices 201', 'e2e order B'],
		]);
		for (const reference of ['e2e order A', 'e2e order B']) {
			const stored = emulator.listInvoices().filter((invoice) => invoice.reference === reference);
			expect(stored.map((invoice) => invoice.id)).toEqual([created.find((invoice) => invoice.reference === reference)!.id]);
		}
		expect(emulator.listInvoices()).toHaveLength(before + 2);
	});

	it('Send Reminder: the most overdue invoice (1002) is picked, and its reminder recorded once', async () => {
		const run = await runExample('send-reminder.json');
		expect(run.errors).toEqual([]);
		// Simplify counts days overdue in the workflow's zone (UTC here) from n8n's clock, not the emulator's.
		const today = new Date();
		const daysSinceDue = Math.round((Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.UTC(2025, 1, 10)) / 86_400_000);
		expect(run.outputs['Most overdue invoice'][0]).toEqual([expect.objectContaining({ id: '1002', dueDate: '2025-02-10', daysOverdue: daysSinceDue })]);
		expect(run.outputs['Send reminder']).toEqual([[{ success: true, message: 'Invoice reminder sent successfully', invoiceId: 1002 }]]);
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/overdue 200', 'POST /api/v1/invoices/1002/reminder 200']);
		expect(emulator.reminders).toEqual([{ invoiceId: 1002, at: EMULATOR_NOW.replace('Z', '.000Z') }]);
	});

	it('Continue On Fail: a missing invoice and a bad ID become error items, the other items go on', async () => {
		const run = await runExample('continue-on-fail.json');
		expect(run.errors).toEqual([]);
		expect(run.status).toBe('success');
		const items = run.outputs['Get each invoice'][0];
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ id: 1002, status: 'pending' });
		expect(items[1]).toEqual({
			error: expect.stringMatching(/^No such invoice: Invoice not found/),
			description: expect.stringContaining('GET /v1/invoices/999999'),
		});
		expect(items[2]).toEqual({
			error: 'The Invoice field is not an invoice ID: "not-an-id"',
			description: expect.stringContaining('whole number'),
		});
		// Each error item is paired with the input item it came from.
		const pairing = run.runData['Get each invoice'][0].data.main[0].map((item: { pairedItem: unknown }) => item.pairedItem);
		expect(pairing).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The bad ID is refused before any request; the token shows up nowhere in the output.
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/1002 200', 'GET /api/v1/invoices/999999 404']);
		expect(JSON.stringify(run.execution)).not.toContain(READ_WRITE_TOKEN);
	});

	it('without Continue On Fail, the same error stops the execution with the node and its message', async () => {
		const workflow = readWorkflow('continue-on-fail.json');
		for (const node of workflow.nodes) delete node.onError;
		workflow.name = 'PayRequest: errors stop the workflow';
		const run = await runExample(workflow);
		expect(run.status).toBe('error');
		expect(run.errors).toEqual([expect.objectContaining({ node: 'Get each invoice', message: expect.stringMatching(/^No such invoice/) })]);
		expect(emulator.requests.map(requestLine)).toEqual(['GET /api/v1/invoices/1002 200', 'GET /api/v1/invoices/999999 404']);
		expect(JSON.stringify(run.execution)).not.toContain(READ_WRITE_TOKEN);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
