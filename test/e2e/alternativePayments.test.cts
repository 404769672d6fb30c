// Alternative Payments in a real n8n, installed from the packed tarball: n8n's own OAuth2 credential
// (its Test button, tokens minted, stored and renewed by n8n), a workflow that reads invoices, and the
// webhook trigger's whole lifecycle through n8n's real webhook path.

import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { expectExecutionCount, readWorkflow, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';
import { bindCredentials } from './harness/n8nInstance.cjs';

jest.setTimeout(120_000);

const CREDENTIAL = 'alternativePaymentsOAuth2Api';

describe('Alternative Payments in a real n8n', () => {
	let n8n: N8nInstance;
	let emulator: AltPaymentsEmulator;
	let baseUrl: string;
	let credential: { id: string; name: string };
	const data = (clientSecret = 'secret-full') => ({ environment: 'custom', baseUrl, clientId: 'client-full', clientSecret });

	beforeAll(async () => {
		emulator = new AltPaymentsEmulator({ seed: { customers: 2, invoices: 150 } });
		baseUrl = await emulator.listen();
		n8n = await startN8nWithPackage('alternative-payments');
		const { id } = await n8n.createCredentialAsEditor('Alternative Payments sandbox', CREDENTIAL, data());
		credential = { id, name: 'Alternative Payments sandbox' };
	});

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	/** An example workflow of test/e2e/workflows/, bound to the sandbox credential. */
	const example = async (file: string) => await n8n.createWorkflow(bindCredentials(readWorkflow(file), { [CREDENTIAL]: credential }));

	it("the credential's test (of the saved credential, as the editor saves an OAuth2 credential first): a token minted with the client id and secret, one invoice read; a wrong secret fails", async () => {
		emulator.clearRequests();
		expect(await n8n.testCredential({ type: CREDENTIAL, data: data(), id: credential.id, name: credential.name })).toEqual({ status: 'OK', message: 'Connection successful!' });
		const minted = emulator.requests.filter((request) => request.path === '/oauth/token');
		expect(minted.every((request) => request.headers.authorization === `Basic ${Buffer.from('client-full:secret-full').toString('base64')}`)).toBe(true);
		const read = emulator.requests.filter((request) => request.path === '/invoices');
		expect(read.map((request) => [request.status, request.query])).toEqual([[200, { limit: '1' }]]);

		const { id } = await n8n.createCredentialAsEditor('Alternative Payments wrong secret', CREDENTIAL, data('wrong-secret'));
		const refused = await n8n.testCredential({ type: CREDENTIAL, data: data('wrong-secret'), id, name: 'Alternative Payments wrong secret' });
		expect(refused.status).toBe('Error');
		// n8n words it itself: 2.x "Failed to acquire OAuth2 access token: …", 1.x "Forbidden - perhaps check your credentials?".
		expect(refused.message).toMatch(/403|Invalid credentials|access token|Forbidden/i);
	});

	it('a workflow reads every invoice; after the token expires, n8n renews it once and the run succeeds', async () => {
		const { id } = await example('alternative-payments-invoices.json');
		emulator.clearRequests();
		const first = await n8n.runWorkflowOnce(id);
		expect(first.errors).toEqual([]);
		expect(first.outputs['Get invoices'][0].map((item) => item.id)).toEqual(emulator.listInvoices().map((invoice) => invoice.id));
		const mintedBefore = emulator.tokensIssued;

		emulator.expireTokens();
		emulator.clearRequests();
		const second = await n8n.runWorkflowOnce(id);
		expect(second.errors).toEqual([]);
		expect(second.outputs['Get invoices'][0]).toHaveLength(150);
		expect(emulator.tokensIssued).toBe(mintedBefore + 1);
		expect(emulator.requests.filter((request) => request.path === '/invoices').map((request) => request.status)).toEqual([401, 200, 200]);
	});

	it('the trigger: activation subscribes (a 429 on the way waited out), a delivery starts one execution with its topic, a forged one none, deactivation unsubscribes', async () => {
		const { id } = await example('alternative-payments-invoice-paid.json');
		// The API's 5 requests a second hold for subscribing too: a 429 on the way is waited out.
		emulator.injectFaults(1, { status: 429 }, (request) => request.method === 'POST' && request.path === '/webhooks');
		await n8n.activate(id);
		const [subscription] = await waitFor('the subscription', () => (emulator.listSubscriptions().length === 1 ? emulator.listSubscriptions() : undefined));
		expect(subscription).toMatchObject({ topic: 'invoice_paid', is_active: true });
		expect(emulator.requests.filter((request) => request.path === '/webhooks' && request.method === 'POST').map((request) => request.status)).toEqual([429, 201]);
		expect(subscription.endpoint_url.startsWith(n8n.url)).toBe(true);

		const forged = await fetch(subscription.endpoint_url, { method: 'POST', headers: { Authorization: 'Bearer forged', 'Content-Type': 'application/json' }, body: '{}' });
		expect(forged.status).toBe(401);
		const sent = await emulator.deliver('invoice_paid', { id: 'inv_000001', total: 120 });
		expect(sent.map((delivery) => delivery.status)).toEqual([200]);
		const executions = await n8n.waitForExecutions(id, 1, 15_000);
		expect(executions).toHaveLength(1);
		const items = executions[0].data.resultData.runData['Invoice paid'][0].data.main[0].map((item: { json: unknown }) => item.json);
		expect(items).toEqual([expect.objectContaining({ topic: 'invoice_paid', data: { id: 'inv_000001', total: 120 } })]);

		// The same delivery again, as Alternative Payments sends it when its answer was lost: 200, and nothing starts.
		const again = await fetch(subscription.endpoint_url, { method: 'POST', headers: sent[0].headers, body: JSON.stringify(sent[0].body) });
		expect(again.status).toBe(200);
		await expectExecutionCount(n8n, id, 1);

		await n8n.deactivate(id);
		await waitFor('the subscription to go', () => (emulator.listSubscriptions().length === 0 ? true : undefined));
	});

	/** One node of the Alternative Payments node behind a Manual Trigger, run in n8n; its output items. */
	const runOperation = async (parameters: Record<string, unknown>) => {
		const { id } = await n8n.createWorkflow({
			name: `Alternative Payments: ${String(parameters.resource)} ${String(parameters.operation)}`,
			nodes: [
				{ id: `start-${Date.now()}`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: `op-${Date.now()}`,
					name: 'Operation',
					type: 'n8n-nodes-alternative-payments.alternativePayments',
					typeVersion: 1,
					position: [240, 0],
					// The tests read Alternative Payments' own objects: Simplify off.
					parameters: { simple: false, ...parameters },
					credentials: { [CREDENTIAL]: credential },
				},
			],
			connections: { Start: { main: [[{ node: 'Operation', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const run = await n8n.runWorkflowOnce(id);
		expect(run.errors).toEqual([]);
		return run;
	};
	const byId = (value: unknown) => ({ __rl: true, mode: 'id', value: String(value) });

	it('every operation of the node in n8n: customers, an invoice from create to restore, its links and PDF, payments', async () => {
		const customer = (await runOperation({ resource: 'customer', operation: 'create', name: 'Granite Dental', email: 'ap@granite.example' })).outputs.Operation[0][0];
		expect(customer).toMatchObject({ name: 'Granite Dental' });
		expect((await runOperation({ resource: 'customer', operation: 'get', customerId: byId(customer.id) })).outputs.Operation[0]).toEqual([expect.objectContaining({ id: customer.id })]);
		expect((await runOperation({ resource: 'customer', operation: 'findOrCreate', name: 'granite dental', email: 'AP@granite.example' })).outputs.Operation[0]).toEqual([expect.objectContaining({ id: customer.id })]);
		const made = (await runOperation({ resource: 'customer', operation: 'findOrCreate', name: 'Basalt Clinic', email: 'billing@basalt.example' })).outputs.Operation[0][0];
		expect((await runOperation({ resource: 'customer', operation: 'findOrCreate', name: 'Basalt Clinic' })).outputs.Operation[0][0].id).toBe(made.id);
		const found = (await runOperation({ resource: 'customer', operation: 'getAll', returnAll: true, filters: { companyName: 'granite' } })).outputs.Operation[0];
		expect(found.map((item) => item.id)).toEqual([customer.id]);

		const invoice = (
			await runOperation({
				resource: 'invoice',
				operation: 'create',
				customerId: byId(customer.id),
				dueDate: '2025-04-01',
				lineItems: { item: [{ description: 'Audit', quantity: 2, amount: 125.5 }] },
			})
		).outputs.Operation[0][0];
		expect(invoice).toMatchObject({ customer_id: customer.id, currency: 'USD', due_date: '2025-04-01', total: 251 });
		expect((await runOperation({ resource: 'invoice', operation: 'get', invoiceId: byId(invoice.id) })).outputs.Operation[0][0].id).toBe(invoice.id);

		emulator.useSchemelessPaymentLinks(true);
		expect((await runOperation({ resource: 'invoice', operation: 'getPaymentLink', invoiceId: byId(invoice.id) })).outputs.Operation[0][0]).toEqual({
			invoiceId: invoice.id,
			url: `https://pay.partner.example/i/${invoice.id}`,
			rawUrl: `pay.partner.example/i/${invoice.id}`,
		});
		emulator.useSchemelessPaymentLinks(false);
		const pdf = await runOperation({ resource: 'invoice', operation: 'getPdf', invoiceId: byId(invoice.id), download: true, binaryPropertyName: 'data' });
		expect(pdf.outputs.Operation[0][0]).toMatchObject({ invoiceId: invoice.id });
		const fileRequest = emulator.requests.find((request) => request.path.startsWith('/files/'));
		expect(fileRequest?.status).toBe(200);
		expect(fileRequest?.headers.authorization).toBeUndefined();

		expect((await runOperation({ resource: 'invoice', operation: 'archive', invoiceId: byId(invoice.id) })).outputs.Operation[0][0].id).toBe(invoice.id);
		const afterArchive = (await runOperation({ resource: 'invoice', operation: 'getAll', returnAll: true, filters: { customerId: customer.id } })).outputs.Operation[0];
		expect(afterArchive).toEqual([]);
		expect((await runOperation({ resource: 'invoice', operation: 'restore', invoiceId: byId(invoice.id) })).outputs.Operation[0][0].id).toBe(invoice.id);

		const paid = emulator.listInvoices()[0];
		const payment = emulator.addPayment({ invoice_id: paid.id, payment_method: 'card' });
		const payments = (await runOperation({ resource: 'payment', operation: 'getAll', returnAll: true, filters: { invoiceId: paid.id } })).outputs.Operation[0];
		expect(payments.map((item) => item.id)).toEqual([payment.id]);

		expect((await runOperation({ resource: 'customer', operation: 'archive', customerId: byId(customer.id) })).outputs.Operation[0][0].id).toBe(customer.id);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
