import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isPlainObject } from '../../shared/actions/shapes';
import { withPollState } from '../../shared/pollState';
import type { InvoiceSimplifier } from '../../shared/simplify';
import type { PayRequestClient } from '../transport';
import { listInvoicePage } from '../transport/pagination';
import type { ChangeEvent, ChangeReader } from './invoiceChanges';
import { compactChangeState, pollChanges as pollInvoiceChanges, readChangeState } from './invoiceChanges';

/** Each event keeps its own state (Invoice Became Overdue keeps its own in the overdue poll). */
const STATE_KEYS: Record<ChangeEvent, string> = { invoiceCreated: 'invoiceCreatedState', invoicePaid: 'invoicePaidState' };
/** Where Invoice Created and Invoice Paid kept one shared state before they had their own. */
const SHARED_STATE_KEY = 'invoiceChanges';
/** The event the node's static data was recorded for. */
const EVENT_KEY = 'event';

/**
 * Runs a poll (not the editor's sample) of the trigger's Event on the static data recorded for that
 * event. When the Event was changed since the last poll, everything recorded for the other event is
 * dropped first, so the new event (or the old one, switched back to) starts a fresh recording and
 * emits nothing from before. Inside, each event's poll runs withPollState again, which then finds
 * the state restored here.
 */
export async function withEventState<T>(context: IPollFunctions, event: string, poll: () => Promise<T>): Promise<T> {
	return await withPollState(context, async (staticData) => {
		const recordedFor = staticData[EVENT_KEY];
		if (recordedFor === undefined) {
			// Recorded before the event was kept: the shared state goes to the event now set.
			const shared = staticData[SHARED_STATE_KEY];
			delete staticData[SHARED_STATE_KEY];
			if (shared !== undefined && (event === 'invoiceCreated' || event === 'invoicePaid')) staticData[STATE_KEYS[event]] = shared;
		} else if (recordedFor !== event) {
			for (const key of Object.keys(staticData)) delete staticData[key];
		}
		staticData[EVENT_KEY] = event;
		return await poll();
	});
}

/**
 * Requests one poll makes at most (pages, and the statistics for Paid): inside PayRequest's 60 a
 * minute and n8n's 45 s for a poll. More is read over several polls.
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
				"Invoice Paid: how often the pages that hold unpaid invoices are read even when PayRequest's paid count did not move. It catches what the count can hide, such as one invoice paid and a paid one deleted between two polls.",
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
 * One poll for Invoice Created or Invoice Paid (see invoiceChanges.ts): the state is written back
 * only once the poll succeeded, so a poll that failed on the way keeps the state it started with.
 */
export async function pollChanges(context: IPollFunctions, client: PayRequestClient, event: ChangeEvent, simplify?: InvoiceSimplifier): Promise<INodeExecutionData[][] | null> {
	const reconcileRaw = (context.getNodeParameter('options', {}) as IDataObject).reconcileMinutes;
	const reconcileMinutes = reconcileRaw === undefined || reconcileRaw === '' ? 60 : Number(reconcileRaw);
	if (!Number.isFinite(reconcileMinutes) || reconcileMinutes < 5) {
		throw new NodeOperationError(context.getNode(), `Reconcile Every (Minutes): must be a number of at least 5, not "${String(reconcileRaw)}"`);
	}
	if (context.getMode() === 'manual') return await sample(context, client, event, simplify);

	const reader: ChangeReader = {
		page: async (pageNumber) => await listInvoicePage(client, pageNumber),
		paidCount: async () => {
			const request = { method: 'GET' as const, path: '/v1/invoices/stats' };
			const stats = client.expectShape((await client.request(request)).data, isPlainObject, 'statistics in data', request);
			const paid = Number(stats.paid_invoices);
			return Number.isSafeInteger(paid) ? paid : undefined;
		},
	};
	return await withPollState(context, async (staticData) => {
		const { events, next } = await pollInvoiceChanges(readChangeState(staticData[STATE_KEYS[event]]), reader, {
			event,
			nowMs: Date.now(),
			reconcileMs: reconcileMinutes * 60_000,
			pageBudget: MAX_PAGES_PER_POLL,
		});
		const items = await changeItems(events, event, simplify, context.getTimezone());
		// Compact (version 3): n8n writes it after every poll under durable poll cursors.
		staticData[STATE_KEYS[event]] = compactChangeState(next) as unknown as IDataObject;
		return items.length === 0 ? null : [items];
	});
}

/** Fetch Test Event: from the first page, the newest invoice (created) or a paid one (paid); the saved state is left alone. */
async function sample(context: IPollFunctions, client: PayRequestClient, event: ChangeEvent, simplify: InvoiceSimplifier | undefined): Promise<INodeExecutionData[][]> {
	const { items } = await listInvoicePage(client, 1);
	const candidates = items.filter((invoice) => event === 'invoiceCreated' || String(invoice.status).toLowerCase() === 'paid');
	const newest = candidates.sort((a, b) => Number(b.id) - Number(a.id))[0];
	if (!newest) {
		throw new NodeOperationError(context.getNode(), `No ${event === 'invoicePaid' ? 'paid ' : ''}invoice on PayRequest's first page to show as a sample`);
	}
	return [await changeItems([newest], event, simplify, context.getTimezone())];
}

/** What the trigger emits: PayRequest's invoice as it came, or its compact shape (Simplify), and the event. */
async function changeItems(invoices: unknown[], event: ChangeEvent, simplify: InvoiceSimplifier | undefined, timeZone: string): Promise<INodeExecutionData[]> {
	const records = invoices as Array<Record<string, unknown>>;
	const shown = simplify ? await simplify(records, new Date(), timeZone) : (records as IDataObject[]);
	return shown.map((json) => ({ json: { ...json, event } }));
}
