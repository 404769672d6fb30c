import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isPlainObject } from '../../shared/actions/shapes';
import type { PayRequestClient } from '../transport';
import { PER_PAGE_MAX } from '../transport';
import { listInvoicePage } from '../transport/pagination';
import type { ChangeEvent, ChangeScanState } from './changeScan';
import { countsOf, planPoll, readChangeState, readScanPage, readTail, startScan, withCounts } from './changeScan';

const STATE_KEY = 'invoiceChanges';

/**
 * Pages one poll reads at most while a scan is under way: with the statistics, inside PayRequest's
 * 60 a minute and n8n's 45 s for a poll. A longer list is read over several polls.
 */
export const MAX_PAGES_PER_POLL = 40;

/** Options of the Invoice Created and Invoice Paid events. */
export const changeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { event: ['invoiceCreated', 'invoicePaid'] } },
	options: [
		{
			displayName: 'Max Wait',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description: "Seconds one poll may wait in all for PayRequest's rate limit. A poll that would take longer fails, saves nothing, and the next poll catches up.",
		},
		{
			displayName: 'Reconcile Every (Minutes)',
			name: 'reconcileMinutes',
			type: 'number',
			typeOptions: { minValue: 5 },
			default: 60,
			description:
				"How often the whole list is read even when PayRequest's counts did not move: it catches what the counts can hide, such as an invoice created and another deleted between two polls",
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description: 'Seconds to wait for PayRequest to answer before the poll fails. A failed poll saves nothing; the next one emits what it missed.',
		},
	],
};

/**
 * One poll for Invoice Created or Invoice Paid: the statistics (one request), and only when their
 * counts moved or the reconcile interval passed, the next pages of a scan. See changeScan.ts.
 */
export async function pollChanges(context: IPollFunctions, client: PayRequestClient, event: ChangeEvent): Promise<INodeExecutionData[][] | null> {
	const reconcileRaw = (context.getNodeParameter('options', {}) as IDataObject).reconcileMinutes;
	const reconcileMinutes = reconcileRaw === undefined || reconcileRaw === '' ? 60 : Number(reconcileRaw);
	if (!Number.isFinite(reconcileMinutes) || reconcileMinutes < 5) {
		throw new NodeOperationError(context.getNode(), `Reconcile Every (Minutes): must be a number of at least 5, not "${String(reconcileRaw)}"`);
	}
	if (context.getMode() === 'manual') return await sample(context, client, event);

	const staticData = context.getWorkflowStaticData('node');
	let state = readChangeState(staticData[STATE_KEY]);
	if (!state.scan) {
		const request = { method: 'GET' as const, path: '/v1/invoices/stats' };
		const stats = client.expectShape((await client.request(request)).data, isPlainObject, 'statistics in data', request);
		const counts = countsOf(stats);
		const plan = planPoll(state, counts, event, Date.now(), reconcileMinutes * 60_000);
		if (plan === 'quiet') {
			staticData[STATE_KEY] = withCounts(state, counts) as unknown as IDataObject;
			return null;
		}
		const tail = plan === 'tail' ? await readNewest(client, state, counts, stats) : undefined;
		if (tail) {
			staticData[STATE_KEY] = tail.next as unknown as IDataObject;
			return tail.events.length === 0 ? null : [tail.events.map((invoice) => changeItem(invoice, event))];
		}
		state = startScan(state, counts);
	}
	const emitted: INodeExecutionData[] = [];
	for (let read = 0; read < MAX_PAGES_PER_POLL && state.scan; read++) {
		const pageNumber = state.scan.nextPage;
		const page = await listInvoicePage(client, pageNumber);
		const lastPage = page.items.length === 0 || (page.lastPage !== undefined && pageNumber >= page.lastPage);
		const { events, next } = readScanPage(state, page.items, event, lastPage, Date.now(), page.total);
		for (const invoice of events) emitted.push(changeItem(invoice, event));
		state = next;
	}
	// Saved only now: a poll that failed on the way keeps the state it started with, and reads those pages again.
	staticData[STATE_KEY] = state as unknown as IDataObject;
	return emitted.length === 0 ? null : [emitted];
}

/** Invoices were added to a list in ascending id order: they follow its last recorded invoice, on the last page or two. */
async function readNewest(client: PayRequestClient, state: ChangeScanState, counts: string, stats: Record<string, unknown>) {
	const [totalBefore] = JSON.parse(state.counts) as number[];
	const total = Number(stats.total_invoices);
	if (!Number.isSafeInteger(total)) return undefined;
	const lastPage = Math.max(1, Math.ceil(total / PER_PAGE_MAX));
	// From the page that held the last recorded invoice, to the end.
	const firstNeeded = Math.max(1, Math.ceil(totalBefore / PER_PAGE_MAX));
	const tail: Array<Record<string, unknown>> = [];
	for (let page = firstNeeded; page <= lastPage; page++) tail.push(...(await listInvoicePage(client, page)).items);
	return readTail(state, tail, counts);
}

/** Fetch Test Event: from the first page, the newest invoice (created) or a paid one (paid); the saved state is left alone. */
async function sample(context: IPollFunctions, client: PayRequestClient, event: ChangeEvent): Promise<INodeExecutionData[][]> {
	const { items } = await listInvoicePage(client, 1);
	const candidates = items.filter((invoice) => event === 'invoiceCreated' || String(invoice.status).toLowerCase() === 'paid');
	const newest = candidates.sort((a, b) => Number(b.id) - Number(a.id))[0];
	if (!newest) {
		throw new NodeOperationError(context.getNode(), `No ${event === 'invoicePaid' ? 'paid ' : ''}invoice on PayRequest's first page to show as a sample`);
	}
	return [[changeItem(newest, event)]];
}

/** What the trigger emits: PayRequest's invoice as it came, and the event. */
function changeItem(invoice: unknown, event: ChangeEvent): INodeExecutionData {
	return { json: { ...(invoice as IDataObject), event } };
}
