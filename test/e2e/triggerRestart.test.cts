// Every polling trigger in a real n8n, polled by n8n's own scheduler (not by reactivation, which
// saves the state): activation, one event for each trigger before the first scheduled poll, a quiet
// scheduled poll (whose state n8n does not save by default), an n8n restart, then one event each
// again: exactly one execution per event, and none more at the next poll. On n8n 2.41.1 also with
// durable poll cursors (state saved after every scheduled poll; the activation poll's only when it emits).
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { CREDENTIAL_TYPE, DURABLE_CURSORS, expectExecutionCount, nodeItems, nodeType, SANDBOX_CREDENTIAL_NAME, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';

jest.setTimeout(600_000);

const DAY = 86_400_000;
const TRIGGER = 'Trigger';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const N8N_LINE_2 = !(process.env.N8N_VERSION ?? '2.41.1').startsWith('1.');

const modes: Array<{ name: string; env?: Record<string, string> }> = [{ name: "n8n's default save rule" }, ...(N8N_LINE_2 ? [{ name: 'durable poll cursors', env: DURABLE_CURSORS }] : [])];

describe.each(modes)('every polling trigger across an n8n restart after a quiet scheduled poll ($name)', ({ name, env }) => {
	let n8n: N8nInstance;
	let payRequest: PayRequestEmulator;
	let alt: AltPaymentsEmulator;
	let paisr: PaisrEmulator;
	/** The second of each minute at which every trigger polls. */
	let second = 0;
	const workflows: Record<string, string> = {};

	/** Until just after the next scheduled poll (n8n fires at `second`, the poll takes a moment). */
	const pastNextPoll = async () => {
		const now = new Date();
		const wait = ((second - now.getSeconds() + 60) % 60 || 60) * 1000 - now.getMilliseconds();
		await sleep(wait + 12_000);
	};

	beforeAll(async () => {
		payRequest = new PayRequestEmulator({ now: '2025-03-01T12:00:00Z', seed: { customers: 2, invoices: 250, seed: 4 } });
		alt = new AltPaymentsEmulator({ seed: { customers: 1, invoices: 0 } });
		paisr = new PaisrEmulator({ now: new Date().toISOString(), seed: { customers: 1, invoices: 0 } });
		for (let index = 0; index < 150; index++) alt.addInvoice({ due_date: new Date(Date.now() - 9 * DAY).toISOString().slice(0, 10) });
		paisr.addInvoice({ due_at: new Date(Date.now() - 9 * DAY).toISOString() });
		const [payRequestUrl, altUrl, paisrUrl] = [await payRequest.listen(), await alt.listen(), await paisr.listen()];
		n8n = await startN8nWithPackage(`trigger-restart-${env ? 'durable' : 'default'}`, env);
		const payRequestCredential = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: 'test-token-rw', baseUrl: payRequestUrl });
		const altCredential = await n8n.createCredentialAsEditor('Alternative Payments sandbox', 'alternativePaymentsOAuth2Api', { environment: 'custom', baseUrl: altUrl, clientId: 'client-full', clientSecret: 'secret-full' });
		const paisrCredential = await n8n.createCredentialAsEditor('Paisr sandbox', 'paisrApi', { environment: 'custom', baseUrl: paisrUrl, accessToken: 'paisr-full' });
		second = (new Date().getSeconds() + 25) % 60;
		const triggers = [
			['created', 'payRequestTrigger', { event: 'invoiceCreated' }, CREDENTIAL_TYPE, payRequestCredential, SANDBOX_CREDENTIAL_NAME],
			['paid', 'payRequestTrigger', { event: 'invoicePaid' }, CREDENTIAL_TYPE, payRequestCredential, SANDBOX_CREDENTIAL_NAME],
			['overdue', 'payRequestTrigger', { event: 'invoiceOverdue' }, CREDENTIAL_TYPE, payRequestCredential, SANDBOX_CREDENTIAL_NAME],
			['alt', 'alternativePaymentsOverdueTrigger', {}, 'alternativePaymentsOAuth2Api', altCredential, 'Alternative Payments sandbox'],
			['paisr', 'paisrOverdueTrigger', {}, 'paisrApi', paisrCredential, 'Paisr sandbox'],
		] as const;
		for (const [key, type, parameters, credentialType, credential, credentialName] of triggers) {
			const { id } = await n8n.createWorkflow({
				name: `restart: ${key}`,
				nodes: [
					{
						id: `trigger-${key}`,
						name: TRIGGER,
						type: nodeType(type),
						typeVersion: 1,
						position: [0, 0],
						// Once a minute, at a fixed second: n8n's scheduler drives the polls.
						parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: `${second} * * * * *` }] }, ...parameters, options: {} },
						credentials: { [credentialType]: { id: credential.id, name: credentialName } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			workflows[key] = id;
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
		await Promise.all([payRequest?.close(), alt?.close(), paisr?.close()]);
	});

	it(`an event each before the first scheduled poll, a quiet poll, an n8n restart, an event each again: exactly one execution per event and trigger (${name})`, async () => {
		const customer = payRequest.customers()[0].id;
		const open = () => payRequest.listInvoices().filter((invoice) => invoice.status !== 'paid' && invoice.status !== 'draft' && invoice.status !== 'cancelled');
		/** One event for each trigger: a new invoice (overdue already, so Invoice Became Overdue sees it too), a payment, an Alternative Payments and a Paisr invoice fallen due. */
		const oneEventEach = (dueDay: string, hoursAgo: number) => {
			const unpaid = open().find((invoice) => invoice.due_date > '2025-03-01') ?? open()[0];
			const fresh = payRequest.addInvoice({ customer_id: customer, date: '2025-02-01', due_date: dueDay, status: 'sent', items: [{ description: 'Work', quantity: 1, unit_price: 100 }] });
			payRequest.markPaid(unpaid.id);
			const altFresh = alt.addInvoice({ due_date: new Date(Date.now() - (hoursAgo / 24 + 1) * DAY).toISOString().slice(0, 10) });
			const paisrFresh = paisr.addInvoice({ due_at: new Date(Date.now() - (hoursAgo / 24 + 1) * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z') });
			return { created: fresh.id, paid: unpaid.id, overdue: fresh.id, alt: altFresh.id, paisr: paisrFresh.id } as Record<string, unknown>;
		};
		const expectExecutions = async (count: number, expected?: Record<string, unknown>) => {
			for (const [key, id] of Object.entries(workflows)) {
				const executions = await expectExecutionCount(n8n, id, count);
				if (expected) expect([key, nodeItems(executions[count - 1], TRIGGER).map((item) => String(item.id))]).toEqual([key, [String(expected[key])]]);
			}
		};

		for (const id of Object.values(workflows)) await n8n.activate(id);
		// n8n may run the activation polls after it answers (its publication service does): until each has
		// read its provider and the reading stopped. An event before that is one the trigger finds already there.
		const reads = () => payRequest.requests.length + alt.requests.length + paisr.requests.length;
		const read = (emulator: { requests: Array<{ path: string }> }, path: string) => emulator.requests.filter((request) => request.path === path).length;
		await waitFor('every activation poll', () =>
			read(payRequest, '/api/v1/invoices/stats') >= 1 && read(payRequest, '/api/v1/invoices/overdue') >= 1 && read(alt, '/invoices') >= 1 && read(paisr, '/v2/invoices') >= 1 ? true : undefined,
		);
		for (let before = -1; before !== reads(); ) {
			before = reads();
			await sleep(2_000);
		}
		// Before the first scheduled poll. (Under durable cursors n8n does not keep what the quiet activation
		// poll wrote; the trigger remembers it in the process.)
		const first = oneEventEach('2025-02-20', 1);
		await pastNextPoll();
		await expectExecutions(1, first);
		// A quiet poll by the schedule: what it changes lives in memory only (under the default rule).
		await pastNextPoll();
		expect(read(payRequest, '/api/v1/invoices/overdue')).toBeGreaterThanOrEqual(3);
		await expectExecutions(1);
		await n8n.restart();

		const second = oneEventEach('2025-02-21', 2);
		await pastNextPoll();
		await expectExecutions(2, second);
		// The next scheduled poll starts nothing more.
		await pastNextPoll();
		await expectExecutions(2);
		for (const id of Object.values(workflows)) await n8n.deactivate(id);
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
