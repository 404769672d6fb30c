// The "overdue invoice reminder" examples, one per provider, in a real n8n installed from the
// packed tarball: their steps after the trigger are the same, node for node, and with Simplify on
// each provider's trigger those same steps write the same reminder from each provider's invoice.
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { expectExecutionCount, nodeItems, readWorkflow, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const TRIGGER = 'Overdue Invoice';
const COMPOSE = 'Compose Reminder';
const FILES = {
	payRequest: 'overdue-reminder-payrequest.json',
	alternativePayments: 'overdue-reminder-alternative-payments.json',
	paisr: 'overdue-reminder-paisr.json',
} as const;
type Provider = keyof typeof FILES;
const PROVIDERS = Object.keys(FILES) as Provider[];

/** What follows the trigger in an example: every node but the trigger and the sticky note, and the connections. */
function downstream(workflow: Record<string, any>) {
	return {
		nodes: workflow.nodes.filter((node: { name: string; type: string }) => node.name !== TRIGGER && node.type !== 'n8n-nodes-base.stickyNote'),
		connections: workflow.connections,
	};
}

describe('the overdue invoice reminder examples in a real n8n', () => {
	let n8n: N8nInstance;
	let payRequest: PayRequestEmulator;
	let alt: AltPaymentsEmulator;
	let paisr: PaisrEmulator;
	const workflows = {} as Record<Provider, string>;

	const dayAgo = (days: number) => new Date(Date.now() - days * DAY);
	/** Answered polls so far, per provider: each poll reads the provider's overdue or unpaid invoices once. */
	const polls: Record<Provider, () => number> = {
		payRequest: () => payRequest.requests.filter((request) => request.path === '/api/v1/invoices/overdue' && request.status === 200).length,
		alternativePayments: () => alt.requests.filter((request) => request.path === '/invoices' && request.status === 200 && request.query.due_date_start !== undefined).length,
		paisr: () => paisr.requests.filter((request) => request.path === '/v2/invoices' && request.status === 200).length,
	};
	const waitForPoll = async (provider: Provider, count: number) =>
		await waitFor(`${count} ${provider} polls`, () => (polls[provider]() >= count ? true : undefined), 30_000);

	beforeAll(async () => {
		payRequest = new PayRequestEmulator({ now: new Date().toISOString(), seed: { customers: 0, invoices: 0, seed: 1 } });
		alt = new AltPaymentsEmulator({ seed: { customers: 0, invoices: 0 } });
		paisr = new PaisrEmulator({ now: new Date().toISOString(), seed: { customers: 0, invoices: 0 } });
		const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
		const payRequestCustomer = payRequest.addCustomer(ada);
		const altCustomer = alt.addCustomer(ada);
		const paisrCustomer = paisr.addCustomer(ada);
		// The backlog: overdue before activation, only recorded.
		payRequest.addInvoice({ id: 7001, customer_id: payRequestCustomer.id, date: dayAgo(40).toISOString().slice(0, 10), due_date: dayAgo(10).toISOString().slice(0, 10) });
		alt.addInvoice({ id: 'inv_backlog', customer_id: altCustomer.id, due_date: dayAgo(10).toISOString().slice(0, 10) });
		paisr.addInvoice({ id: 'inv_backlog', customer_id: paisrCustomer.id, due_at: dayAgo(10).toISOString().replace(/\.\d{3}Z$/, 'Z') });
		const [payRequestUrl, altUrl, paisrUrl] = [await payRequest.listen(), await alt.listen(), await paisr.listen()];

		n8n = await startN8nWithPackage('overdue-reminder');
		const credentials = {
			payRequestApi: await n8n.createCredentialAsEditor('PayRequest sandbox', 'payRequestApi', { accessToken: 'test-token-rw', baseUrl: payRequestUrl }),
			alternativePaymentsOAuth2Api: await n8n.createCredentialAsEditor('Alternative Payments sandbox', 'alternativePaymentsOAuth2Api', {
				environment: 'custom',
				baseUrl: altUrl,
				clientId: 'client-full',
				clientSecret: 'secret-full',
			}),
			paisrApi: await n8n.createCredentialAsEditor('Paisr sandbox', 'paisrApi', { environment: 'custom', baseUrl: paisrUrl, accessToken: 'paisr-full' }),
		};
		for (const provider of PROVIDERS) {
			const workflow = readWorkflow(FILES[provider]);
			const trigger = workflow.nodes.find((node: { name: string }) => node.name === TRIGGER);
			// A schedule that cannot fire during the test (00:00:00 on 1 January): activation drives the polls.
			trigger.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] };
			const [type] = Object.keys(trigger.credentials) as Array<keyof typeof credentials>;
			trigger.credentials = { [type]: { id: credentials[type].id, name: trigger.credentials[type].name } };
			workflows[provider] = (await n8n.createWorkflow(workflow)).id;
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
		await Promise.all([payRequest?.close(), alt?.close(), paisr?.close()]);
	});

	it('the three examples differ only in their trigger, each with Simplify on', () => {
		const [first, ...others] = PROVIDERS.map((provider) => readWorkflow(FILES[provider]));
		expect(downstream(first).nodes.length).toBeGreaterThan(0);
		for (const other of others) expect(downstream(other)).toEqual(downstream(first));
		for (const workflow of [first, ...others]) {
			expect(workflow.nodes.find((node: { name: string }) => node.name === TRIGGER).parameters.simple).toBe(true);
		}
	});

	it('activation records the backlog and starts nothing', async () => {
		for (const provider of PROVIDERS) {
			await n8n.activate(workflows[provider]);
			await waitForPoll(provider, 1);
			await expectExecutionCount(n8n, workflows[provider], 0);
		}
	});

	it('one newly overdue invoice per provider: the same steps write the same reminder from each', async () => {
		const customers = { payRequest: payRequest.addCustomer({ name: 'Grace Hopper', email: 'grace@example.com' }) };
		payRequest.addInvoice({
			id: 7002,
			invoice_number: 'INV-007002',
			customer_id: customers.payRequest.id,
			date: dayAgo(33).toISOString().slice(0, 10),
			due_date: dayAgo(2).toISOString().slice(0, 10),
			// 100 before tax and 21 % tax on it: 121 in all.
			items: [{ description: 'Consulting', quantity: 2, unit_price: 50, tax_rate: 21 }],
		});
		const altCustomer = alt.addCustomer({ name: 'Grace Hopper', email: 'grace@example.com' });
		alt.addInvoice({ id: 'inv_new', invoice_number: 'AP-07002', customer_id: altCustomer.id, due_date: dayAgo(2).toISOString().slice(0, 10), line_items: [{ description: 'Consulting', quantity: 2, amount: 60.5 }] });
		const paisrCustomer = paisr.addCustomer({ name: 'Grace Hopper', email: 'grace@example.com', default_currency: 'USD' });
		const paisrInvoice = paisr.addInvoice({ id: 'inv_new', customer_id: paisrCustomer.id, due_at: dayAgo(2).toISOString().replace(/\.\d{3}Z$/, 'Z'), items: [{ description: 'Consulting', quantity: 2, unit_price: 60.5 }] });

		const expected: Record<Provider, { number: string; currency: string; link: RegExp | undefined; id: string }> = {
			payRequest: { number: 'INV-007002', currency: 'EUR', link: /^https?:\/\/\S+7002$/, id: '7002' },
			alternativePayments: { number: 'AP-07002', currency: 'USD', link: undefined, id: 'inv_new' },
			paisr: { number: String(paisrInvoice.sid), currency: 'USD', link: /^http:\/\/127\.0\.0\.1:\d+\/checkout\/\S+$/, id: 'inv_new' },
		};
		const dueDate = dayAgo(2).toISOString().slice(0, 10);
		for (const provider of PROVIDERS) {
			const before = polls[provider]();
			await n8n.deactivate(workflows[provider]);
			await n8n.activate(workflows[provider]);
			await waitForPoll(provider, before + 1);
			const [execution] = await expectExecutionCount(n8n, workflows[provider], 1);
			expect(execution.status).toBe('success');
			const [event] = nodeItems(execution, TRIGGER);
			expect(event).toMatchObject({ id: expected[provider].id, event: 'invoiceOverdue', provider, amountTotal: 121, daysOverdue: 2, dueDate });
			const reminders = nodeItems(execution, COMPOSE);
			expect(reminders).toHaveLength(1);
			const { number, currency, link } = expected[provider];
			expect(reminders[0]).toMatchObject({
				to: 'grace@example.com',
				subject: `Invoice ${number} is 2 days overdue`,
				invoiceId: expected[provider].id,
				provider,
			});
			const text = String(reminders[0].text);
			expect(text).toContain(`Dear Grace Hopper,\n\ninvoice ${number} of 121 ${currency} was due on ${dueDate} and is still open.`);
			if (link) expect(text).toMatch(new RegExp(` You can pay it here: ${link.source.replace(/^\^|\$$/g, '')}\n`));
			else expect(text).not.toContain('pay it here');
			await n8n.deactivate(workflows[provider]);
		}
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
