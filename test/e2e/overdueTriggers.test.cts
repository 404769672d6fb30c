// The Alternative Payments and Paisr overdue triggers activated in a real n8n, installed from the
// packed tarball: each invoice that becomes overdue starts exactly one execution, across
// reactivation and an n8n restart. Polls are driven by activation (n8n polls at once on activate,
// and on start for active workflows); their schedule cannot fire during the test.
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { expectExecutionCount, nodeItems, nodeType, startN8nWithPackage, stopAndListLeftovers, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';
import { readOverdueState } from '../../nodes/shared/overdue/overdueBookkeeping';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const TRIGGER = 'Overdue';

describe('the overdue triggers of Alternative Payments and Paisr in a real n8n', () => {
	let n8n: N8nInstance;
	let alt: AltPaymentsEmulator;
	let paisr: PaisrEmulator;
	const workflows: Record<string, string> = {};

	const altDue = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
	const paisrDue = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
	/** Answered polls so far: each Alternative Payments poll asks once for the recent due dates, Paisr reads /v2/invoices. */
	const polls = {
		alt: () => alt.requests.filter((request) => request.path === '/invoices' && request.status === 200 && request.query.due_date_start !== undefined).length,
		paisr: () => paisr.requests.filter((request) => request.path === '/v2/invoices' && request.status === 200).length,
	};
	const waitForPolls = async (which: 'alt' | 'paisr', count: number) =>
		await waitFor(`${count} ${which} polls`, () => (polls[which]() >= count ? true : undefined), 30_000);
	const reactivate = async (id: string) => {
		await n8n.deactivate(id);
		await n8n.activate(id);
	};
	const emittedIds = (executions: any[]) => executions.map((execution) => nodeItems(execution, TRIGGER).map((item) => item.id));

	beforeAll(async () => {
		alt = new AltPaymentsEmulator({ seed: { customers: 1, invoices: 0 } });
		paisr = new PaisrEmulator({ now: new Date().toISOString(), seed: { customers: 1, invoices: 0 } });
		const [altUrl, paisrUrl] = [await alt.listen(), await paisr.listen()];
		alt.addInvoice({ id: 'inv_backlog', due_date: altDue(9) });
		alt.addInvoice({ id: 'inv_future', due_date: altDue(-9) });
		paisr.addInvoice({ id: 'inv_backlog', due_at: paisrDue(9) });
		paisr.addInvoice({ id: 'inv_future', due_at: paisrDue(-9) });
		n8n = await startN8nWithPackage('overdue-triggers');
		const altCredential = await n8n.createCredentialAsEditor('Alternative Payments sandbox', 'alternativePaymentsOAuth2Api', {
			environment: 'custom',
			baseUrl: altUrl,
			clientId: 'client-full',
			clientSecret: 'secret-full',
		});
		const paisrCredential = await n8n.createCredentialAsEditor('Paisr sandbox', 'paisrApi', { environment: 'custom', baseUrl: paisrUrl, accessToken: 'paisr-full' });
		for (const [key, type, credentialType, credential] of [
			['alt', 'alternativePaymentsOverdueTrigger', 'alternativePaymentsOAuth2Api', altCredential],
			['paisr', 'paisrOverdueTrigger', 'paisrApi', paisrCredential],
		] as const) {
			const { id } = await n8n.createWorkflow({
				name: `${type}: newly overdue invoices`,
				nodes: [
					{
						id: `trigger-${key}`,
						name: TRIGGER,
						type: nodeType(type),
						typeVersion: 1,
						position: [0, 0],
						// A schedule that cannot fire during the test (00:00:00 on 1 January): activation drives the polls.
						parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] }, options: {} },
						credentials: { [credentialType]: { id: credential.id, name: key === 'alt' ? 'Alternative Payments sandbox' : 'Paisr sandbox' } },
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
		await alt?.close();
		await paisr?.close();
	});

	it('activation records the backlog of each and starts no execution', async () => {
		for (const which of ['alt', 'paisr'] as const) {
			await n8n.activate(workflows[which]);
			await waitForPolls(which, 1);
			await expectExecutionCount(n8n, workflows[which], 0);
			const stored = await n8n.getWorkflow(workflows[which]);
			expect(Object.keys(readOverdueState(stored.staticData[`node:${TRIGGER}`].overdueInvoices).seen)).toEqual(['inv_backlog']);
		}
	});

	it('an invoice that becomes overdue starts exactly one execution, with that invoice and its event', async () => {
		alt.addInvoice({ id: 'inv_new_1', due_date: altDue(1) });
		paisr.addInvoice({ id: 'inv_new_1', due_at: paisrDue(1.2) });
		for (const which of ['alt', 'paisr'] as const) {
			const before = polls[which]();
			await reactivate(workflows[which]);
			await waitForPolls(which, before + 1);
			const executions = await expectExecutionCount(n8n, workflows[which], 1);
			expect(emittedIds(executions)).toEqual([['inv_new_1']]);
			expect(nodeItems(executions[0], TRIGGER)[0]).toMatchObject({ id: 'inv_new_1', event: 'invoiceOverdue' });
		}
	});

	it('an n8n restart re-activates both and polls, and starts nothing', async () => {
		const before = { alt: polls.alt(), paisr: polls.paisr() };
		await n8n.restart();
		await waitForPolls('alt', before.alt + 1);
		await waitForPolls('paisr', before.paisr + 1);
		for (const which of ['alt', 'paisr'] as const) await expectExecutionCount(n8n, workflows[which], 1);
	});

	it('a second invoice becoming overdue starts exactly one more execution each, with that invoice only; paid ones leave the state', async () => {
		alt.addInvoice({ id: 'inv_new_2', due_date: altDue(2) });
		alt.addInvoice({ id: 'inv_paid', due_date: altDue(2), status: 'paid' });
		paisr.addInvoice({ id: 'inv_new_2', due_at: paisrDue(1) });
		paisr.markPaid('inv_new_1');
		for (const which of ['alt', 'paisr'] as const) {
			const before = polls[which]();
			await reactivate(workflows[which]);
			await waitForPolls(which, before + 1);
			const executions = await expectExecutionCount(n8n, workflows[which], 2);
			expect(emittedIds(executions)).toEqual([['inv_new_1'], ['inv_new_2']]);
			expect(executions.every((execution) => execution.status === 'success')).toBe(true);
			await n8n.deactivate(workflows[which]);
		}
		// The paid one stays only as a tombstone (so it is not emitted again if it comes back with the same due date).
		const stored = await n8n.getWorkflow(workflows.paisr);
		const { seen } = readOverdueState(stored.staticData[`node:${TRIGGER}`].overdueInvoices);
		expect(Object.keys(seen).filter((id) => seen[id].goneSince === undefined).sort()).toEqual(['inv_backlog', 'inv_new_2']);
		expect(seen.inv_new_1).toEqual(expect.objectContaining({ goneSince: expect.any(Number) }));
	});

	it('stops without leaving a process behind', async () => {
		expect(await stopAndListLeftovers(n8n)).toEqual([]);
	});
});
