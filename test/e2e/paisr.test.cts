// Paisr in a real n8n, installed from the packed tarball: the token credential's Test, every operation
// of the node, the example workflows, and the signed webhook trigger's whole lifecycle through n8n's
// real webhook path (a signed delivery starts one execution; a tampered, a replayed and an unsigned
// one start none), and the editor's Listen for Test Event.

import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { expectExecutionCount, n8nMessages, readWorkflow, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';
import { bindCredentials } from './harness/n8nInstance.cjs';

jest.setTimeout(120_000);

const CREDENTIAL = 'paisrApi';

describe('Paisr in a real n8n', () => {
	let n8n: N8nInstance;
	let emulator: PaisrEmulator;
	let baseUrl: string;
	let credential: { id: string; name: string };
	const data = (accessToken = 'paisr-full') => ({ environment: 'custom', baseUrl, accessToken });

	beforeAll(async () => {
		emulator = new PaisrEmulator({ now: `${new Date().toISOString().slice(0, 10)}T12:00:00Z`, seed: { customers: 3, invoices: 40 } });
		baseUrl = await emulator.listen();
		n8n = await startN8nWithPackage('paisr');
		const { id } = await n8n.createCredentialAsEditor('Paisr sandbox', CREDENTIAL, data());
		credential = { id, name: 'Paisr sandbox' };
	});

	afterAll(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	const example = async (file: string) => await n8n.createWorkflow(bindCredentials(readWorkflow(file), { [CREDENTIAL]: credential }));

	it("the credential's test reads one invoice with the bearer token; a wrong token and a personal profile's token fail (with what to do, on 2.x)", async () => {
		emulator.clearRequests();
		expect(await n8n.testCredential({ type: CREDENTIAL, data: data(), id: credential.id, name: credential.name })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests.map((request) => [request.path, request.query, request.headers.authorization])).toEqual([['/v2/invoices', { limit: '1' }, 'Bearer paisr-full']]);
		const wrong = await n8n.testCredential({ type: CREDENTIAL, data: data('wrong') });
		expect(wrong.status).toBe('Error');
		// n8n 2.x shows the credential's own words for the status; 1.x applies no responseCode rule and shows its own.
		expect(wrong.message).toMatch(n8nMessages(n8n).credentialTestRuled(401, /refused the token \(HTTP 401\)/));
		const personal = await n8n.testCredential({ type: CREDENTIAL, data: data('paisr-personal') });
		expect(personal.status).toBe('Error');
		expect(personal.message).toMatch(n8nMessages(n8n).credentialTestRuled(403, /business profiles only/));
	});

	it('the example: unpaid invoices, each with a fresh checkout link that works', async () => {
		const { id } = await example('paisr-unpaid-invoices.json');
		const run = await n8n.runWorkflowOnce(id);
		expect(run.errors).toEqual([]);
		const unpaid = emulator.listInvoices().filter((invoice) => invoice.status === 'unpaid');
		expect(run.outputs['Unpaid invoices'][0].map((item) => item.id).sort()).toEqual(unpaid.map((invoice) => invoice.id).sort());
		const links = run.outputs['Checkout link'][0];
		expect(links).toHaveLength(unpaid.length);
		expect((await fetch(String(links[0].url))).status).toBe(200);
	});

	/** One node of the Paisr node behind a Manual Trigger, run in n8n. */
	const runOperation = async (parameters: Record<string, unknown>) => {
		const { id } = await n8n.createWorkflow({
			name: `Paisr: ${String(parameters.resource)} ${String(parameters.operation)}`,
			nodes: [
				{ id: `start-${Date.now()}`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: `op-${Date.now()}`, name: 'Operation', type: 'n8n-nodes-paisr.paisr', typeVersion: 1, position: [240, 0], parameters: { simple: false, ...parameters }, credentials: { [CREDENTIAL]: credential } },
			],
			connections: { Start: { main: [[{ node: 'Operation', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const run = await n8n.runWorkflowOnce(id);
		expect(run.errors).toEqual([]);
		return run.outputs.Operation[0];
	};
	const byId = (value: unknown) => ({ __rl: true, mode: 'id', value: String(value) });

	it('every operation of the node in n8n: a customer from create to restore, an invoice from create (60 items) to permanent delete, payments', async () => {
		const [customer] = await runOperation({ resource: 'customer', operation: 'create', email: 'ap@granite.example', additionalFields: { name: 'Granite Dental', defaultCurrency: 'USD' } });
		expect(customer).toMatchObject({ email: 'ap@granite.example', default_currency: 'USD' });
		expect((await runOperation({ resource: 'customer', operation: 'get', customerId: byId(customer.id) }))[0].id).toBe(customer.id);
		expect((await runOperation({ resource: 'customer', operation: 'update', customerId: byId(customer.id), updateFields: { phone: '+597-8123456' } }))[0]).toMatchObject({ phone: '+597-8123456' });
		expect((await runOperation({ resource: 'customer', operation: 'getAll', returnAll: true })).map((item) => item.id)).toContain(customer.id);

		const items = Array.from({ length: 60 }, (_, index) => ({ description: `Session ${index + 1}`, quantity: 1, unitPrice: 12.5 }));
		const [invoice] = await runOperation({ resource: 'invoice', operation: 'create', customer: { __rl: true, mode: 'email', value: customer.email }, summary: 'Cleanings', dueInDays: 7, items: { item: items } });
		expect(invoice).toMatchObject({ status: 'unpaid', currency: 'USD', amount: { net_total: 750 }, sid: expect.any(Number) });
		expect(emulator.invoice(String(invoice.id))!.items).toHaveLength(60);
		expect((await runOperation({ resource: 'invoice', operation: 'get', invoiceId: byId(invoice.id) }))[0].id).toBe(invoice.id);
		expect((await runOperation({ resource: 'invoice', operation: 'update', invoiceId: byId(invoice.id), updateFields: { summary: 'Cleanings (March)', dueInDays: 10 } }))[0]).toMatchObject({ summary: 'Cleanings (March)' });
		expect((await runOperation({ resource: 'invoice', operation: 'addLineItems', invoiceId: byId(invoice.id), itemsInputMode: 'json', itemsJson: '[{"description":"X-ray","quantity":1,"unitPrice":40}]' }))[0]).toMatchObject({ amount: { net_total: 790 } });
		const itemId = emulator.invoice(String(invoice.id))!.items[0].id;
		expect((await runOperation({ resource: 'invoice', operation: 'updateLineItem', invoiceId: byId(invoice.id), itemId, updateFields: { quantity: 2 } }))[0]).toMatchObject({ updated: true });
		expect((await runOperation({ resource: 'invoice', operation: 'removeLineItem', invoiceId: byId(invoice.id), itemId }))[0]).toMatchObject({ removed: true });
		const [link] = await runOperation({ resource: 'invoice', operation: 'getPaymentLink', invoiceId: byId(invoice.id) });
		expect(link).toMatchObject({ invoiceId: invoice.id, expiresIn: '30 minutes' });
		expect((await fetch(String(link.url))).status).toBe(200);
		expect((await runOperation({ resource: 'invoice', operation: 'send', invoiceId: byId(invoice.id) }))[0]).toMatchObject({ sent: true });
		expect(emulator.sent).toContain(invoice.id);
		const found = await runOperation({ resource: 'invoice', operation: 'getAll', returnAll: true, filters: { customerId: customer.id } });
		expect(found.map((item) => item.id)).toEqual([invoice.id]);
		expect((await runOperation({ resource: 'invoice', operation: 'getStats' }))[0]).toMatchObject({ total: emulator.listInvoices().length });
		expect((await runOperation({ resource: 'invoice', operation: 'delete', invoiceId: byId(invoice.id) }))[0]).toMatchObject({ id: invoice.id, deleted: true });
		expect(emulator.invoice(String(invoice.id))).toBeUndefined();

		const paid = emulator.listInvoices().find((candidate) => candidate.status === 'paid')!;
		const payment = emulator.addPayment({ invoice_id: paid.id });
		expect((await runOperation({ resource: 'payment', operation: 'getAll', returnAll: true, filters: { invoiceId: paid.id } })).map((item) => item.id)).toContain(payment.id);
		expect((await runOperation({ resource: 'payment', operation: 'get', paymentId: { __rl: true, mode: 'id', value: payment.id } }))[0].id).toBe(payment.id);
		expect(
			(await runOperation({ resource: 'payment', operation: 'refund', paymentId: { __rl: true, mode: 'id', value: payment.id }, refundType: 'partial', amount: 5, note: 'Goodwill', confirm: true }))[0],
		).toMatchObject({ id: payment.id, refund: 'partial', amount: 5, message: 'Refund initiated successfully' });
		expect(emulator.listPayments().find((one) => one.id === payment.id)?.refunded_total).toBe(5);

		const upserted = await runOperation({ resource: 'customer', operation: 'upsert', email: String(customer.email).toUpperCase(), additionalFields: { name: 'Upserted' } });
		expect(upserted[0]).toMatchObject({ id: customer.id, name: 'Upserted' });
		expect((await runOperation({ resource: 'customer', operation: 'upsert', email: 'brand.new@customer.example' }))[0]).toMatchObject({ email: 'brand.new@customer.example' });
		expect(emulator.listCustomers().filter((one) => one.email === 'brand.new@customer.example')).toHaveLength(1);
		expect((await runOperation({ resource: 'customer', operation: 'archive', customerId: byId(customer.id) }))[0]).toMatchObject({ archived: true });
		expect((await runOperation({ resource: 'customer', operation: 'restore', customerId: byId(customer.id) }))[0]).toMatchObject({ archived: false });
	});

	it('the trigger: activation registers one signed webhook; a signed delivery starts one execution with the invoice, a late one too; tampered, too old, unsigned and re-stamped ones none; deactivation deletes it', async () => {
		const { id } = await example('paisr-invoice-paid.json');
		await n8n.activate(id);
		const [webhook] = await waitFor('the webhook', () => (emulator.listWebhooks().length === 1 ? emulator.listWebhooks() : undefined));
		expect(webhook.endpoint.startsWith(n8n.url)).toBe(true);
		expect(webhook.triggers.map((trigger) => trigger.type)).toEqual(['invoice.paid']);

		const [invoice, slowOne, lateOne] = emulator.listInvoices().filter((candidate) => candidate.status === 'unpaid');
		for (const one of [invoice, slowOne, lateOne]) emulator.markPaid(one.id);
		expect((await emulator.deliver('invoice.paid', invoice.id, { body: `{"id":"${invoice.id}","event":"invoice.paid","x":1}` }))[0].status).toBe(401);
		expect((await emulator.deliver('invoice.paid', invoice.id, { timestampOffsetSeconds: -(72 * 3600 + 60) }))[0].status).toBe(401);
		expect((await emulator.deliver('invoice.paid', invoice.id, { omitSignature: true }))[0].status).toBe(401);
		expect((await emulator.deliver('invoice.paid', invoice.id))[0].status).toBe(200);
		const executions = await n8n.waitForExecutions(id, 1, 15_000);
		expect(executions).toHaveLength(1);
		const emitted = executions[0].data.resultData.runData['Invoice paid'][0].data.main[0].map((item: { json: unknown }) => item.json);
		expect(emitted).toEqual([expect.objectContaining({ id: invoice.id, event: 'invoice.paid', invoice: expect.objectContaining({ id: invoice.id, status: 'paid' }) })]);

		// Paisr slow to give the details (3 s an answer) and impatient (1 s, then again after 2.5 s): n8n
		// answers once Fetch Details gives up (1.5 s), too late for the first attempt; the retry starts nothing.
		emulator.setLatency(3_000);
		const [slow] = await emulator.deliver('invoice.paid', slowOne.id, {}, { retries: 3, answerWithinMs: 1_000, backoffMs: 2_500 });
		emulator.setLatency(0);
		expect(slow.attempts).toEqual([0, 200]);
		const afterRetry = await expectExecutionCount(n8n, id, 2);
		const late = afterRetry[1].data.resultData.runData['Invoice paid'][0].data.main[0].map((item: { json: unknown }) => item.json);
		expect(late).toEqual([expect.objectContaining({ id: slowOne.id, event: 'invoice.paid', detailsError: expect.any(String) })]);

		// A delivery 10 minutes old (Paisr retrying after n8n was away) starts one execution; the first
		// event sent again, stamped and signed anew, starts none.
		expect((await emulator.deliver('invoice.paid', lateOne.id, { timestampOffsetSeconds: -600 }))[0].status).toBe(200);
		expect((await emulator.deliver('invoice.paid', invoice.id))[0].status).toBe(200);
		const all = await expectExecutionCount(n8n, id, 3);
		expect(all[2].data.resultData.runData['Invoice paid'][0].data.main[0].map((item: { json: { id: unknown } }) => item.json.id)).toEqual([lateOne.id]);

		await n8n.deactivate(id);
		await waitFor('the webhook to go', () => (emulator.listWebhooks().length === 0 ? true : undefined));
	});

	it('after downtime: events Paisr could not deliver while n8n was stopped are asked for again as n8n starts, one execution each; a re-stamped retry of one delivered before starts none', async () => {
		const { id } = await example('paisr-invoice-paid.json');
		await n8n.activate(id);
		await waitFor('the webhook', () => (emulator.listWebhooks().length === 1 ? true : undefined));
		const [before, ...missed] = emulator.listInvoices().filter((candidate) => candidate.status === 'unpaid').slice(0, 3);
		for (const one of [before, ...missed]) emulator.markPaid(one.id);
		expect((await emulator.deliver('invoice.paid', before.id))[0].status).toBe(200);
		await expectExecutionCount(n8n, id, 1);

		await n8n.stop();
		// Nobody there: every attempt fails, and Paisr gives up.
		for (const one of missed) expect((await emulator.deliver('invoice.paid', one.id, {}, { retries: 2, backoffMs: 10 }))[0].attempts).toEqual([0, 0, 0]);
		emulator.clearRequests();
		await n8n.start();
		const executions = await expectExecutionCount(n8n, id, 3);
		const ids = executions.slice(1).map((execution) => execution.data.resultData.runData['Invoice paid'][0].data.main[0][0].json.id);
		expect(ids.sort()).toEqual(missed.map((one) => one.id).sort());
		expect(emulator.requests.filter((request) => request.method === 'POST' && /\/events\/wev_/.test(request.path))).toHaveLength(2);
		// The process that took the first delivery is gone; Paisr's log says it was delivered.
		expect((await emulator.deliver('invoice.paid', before.id))[0].status).toBe(200);
		await expectExecutionCount(n8n, id, 3);

		await n8n.deactivate(id);
		await waitFor('the webhook to go', () => (emulator.listWebhooks().length === 0 ? true : undefined));
	});

	it('Listen for Test Event: the trigger asks Paisr for a test event as it sets up, the listening run gets it, and the test webhook goes', async () => {
		const { id } = await example('paisr-invoice-paid.json');
		emulator.clearRequests();
		await n8n.listenForTestEvent(id, 'Invoice paid');
		const [execution] = await n8n.waitForExecutions(id, 1, 20_000);
		expect(execution.mode).toBe('manual');
		const emitted = execution.data.resultData.runData['Invoice paid'][0].data.main[0].map((item: { json: unknown }) => item.json);
		// The test event names the docs' example invoice, which is no record: a sample in the shape of a
		// real invoice comes beside it, marked as one (n8n runs a test webhook in manual mode).
		expect(emitted).toEqual([
			{ id: 'inv_123456', event: 'invoice.paid', sample: true, invoice: expect.objectContaining({ id: 'inv_123456', sid: 600783, status: 'paid', currency: 'SRD', customer: expect.objectContaining({ email: 'jane@example.com' }) }) },
		]);
		expect(emulator.requests.filter((request) => /^\/v2\/webhooks\/[^/]+\/test$/.test(request.path))).toHaveLength(1);
		// After its one call n8n takes the test webhook down, and the trigger deletes it at Paisr.
		await waitFor('the test webhook to go', () => (emulator.listWebhooks().length === 0 ? true : undefined));
		const testDelivery = emulator.deliveries[emulator.deliveries.length - 1];
		expect([testDelivery.url.includes('/webhook-test/'), testDelivery.status]).toEqual([true, 200]);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
