import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { alphabetical } from '../actions/options';
import type { TransportSettings } from '../http/types';
import { withPollState } from '../pollState';
import type { InvoiceSimplifier } from '../simplify';
import type { OverdueAnswerScope, OverdueEvent, OverdueOptions, OverdueRecord, OverdueState } from './overdueBookkeeping';
import { compactOverdueState, markGone, parseEscalationDays, readOverdueState, reconcileOverdue } from './overdueBookkeeping';

/** Where each overdue trigger keeps its bookkeeping in the workflow's static data. */
const STATE_KEY = 'overdueInvoices';

/**
 * n8n's scheduler gives up on a poll after about 45 s (n8n 2.x): a whole poll, requests, repeats
 * and rate-limit waits together, ends within Timeout + Max Wait (35 s by default).
 */
const POLL_DEFAULTS = { timeoutSeconds: 15, maxWaitSeconds: 20 };

/** What one poll of an overdue trigger fetched: the provider's overdue invoices as records, and what the answer proves (see OverdueAnswerScope). */
export interface OverdueAnswer extends OverdueAnswerScope {
	records: OverdueRecord[];
	/** Whether the answer proves that invoices missing from it (within its scope) are gone. */
	complete: boolean;
	/** The provider returned its maximum without paging: what is missing from it is unknown, and every item says so. */
	cutOff?: boolean;
	/** A reading of the whole list spread over polls ends with this answer: what it showed, and the last due date it covered. */
	endsReading?: { present: unknown[]; dueThrough: string };
}

export type OverdueTriggerOptions = OverdueOptions & { transport: TransportSettings };

export const FIRST_POLL_NOTICE: INodeProperties = {
	displayName:
		'On its first poll after activation the trigger only records the invoices already overdue, so turning the workflow on does not process the whole backlog. Turn on "Emit Existing" to get them too.',
	name: 'firstPollNotice',
	type: 'notice',
	default: '',
};

/**
 * The options every overdue trigger has, in the editor's alphabetical order, with the provider's
 * own filters (a status list, closed statuses) among them.
 */
export function overdueTriggerOptions(provider: string, ownFilters: INodeProperties[]): INodeProperties {
	const options: INodeProperties[] = [
		{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'EUR, USD', description: 'Only invoices in one of these currencies (comma-separated)' },
		{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '', description: 'Only invoices of this customer' },
		{
			displayName: 'Emit Existing',
			name: 'emitExisting',
			type: 'boolean',
			default: false,
			description: 'Whether the first poll after activation also emits the invoices that are already overdue. Off: it only records them.',
		},
		{
			displayName: 'Escalation Days',
			name: 'escalationDays',
			type: 'string',
			default: '',
			placeholder: '7, 14, 30',
			description: 'Emit the invoice again each time it passes one of these numbers of days overdue, each once, with escalationDays (escalation_days when not simplified) set to the mark',
		},
		{
			displayName: 'Max Wait',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description: `Seconds one poll may wait in all for ${provider}'s rate limit. A whole poll ends within Timeout + Max Wait: one that would take longer fails, saves nothing, and the next poll emits what it missed. Keep the two together under 45 s, n8n's limit for a poll.`,
		},
		{ displayName: 'Min Amount', name: 'minAmount', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Only invoices of at least this amount' },
		{
			displayName: 'Min Days Overdue',
			name: 'minDaysOverdue',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'An invoice counts as newly overdue when it first shows up at least this many days overdue',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description: `Seconds to wait for ${provider} to answer before the poll fails. A failed poll saves nothing; the next one emits what it missed.`,
		},
		...ownFilters,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(options),
	};
}

/** A comma-separated option (or a multi-select) as a list of non-empty entries. */
export function optionList(value: unknown): string[] {
	return (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
}

/** The trigger's options, checked: an error naming the field otherwise. */
export function readOverdueTriggerOptions(context: IPollFunctions): OverdueTriggerOptions {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const fail = (field: string, problem: string): never => {
		throw new NodeOperationError(context.getNode(), `${field}: ${problem}`);
	};
	const number = (value: unknown, field: string, fallback: number | undefined) => {
		if (value === undefined || value === null || value === '') return fallback;
		const parsed = typeof value === 'number' ? value : Number(value);
		return Number.isFinite(parsed) && parsed >= 0 ? parsed : fail(field, `must be a number of 0 or more, not "${String(value)}"`);
	};
	let escalationDays: number[] = [];
	try {
		escalationDays = parseEscalationDays(String(options.escalationDays ?? ''));
	} catch (error) {
		fail('Escalation Days', (error as Error).message);
	}
	const customerId = String(options.customerId ?? '').trim();
	// 0, the field's default, means no minimum: it must not drop invoices that carry no amount.
	const minAmount = number(options.minAmount, 'Min Amount', undefined);
	const timeoutSeconds = number(options.timeout, 'Timeout', POLL_DEFAULTS.timeoutSeconds) ?? POLL_DEFAULTS.timeoutSeconds;
	if (timeoutSeconds < 1) fail('Timeout', `must be at least 1 second, not ${timeoutSeconds}`);
	const maxWaitSeconds = number(options.maxWaitSeconds, 'Max Wait', POLL_DEFAULTS.maxWaitSeconds) ?? POLL_DEFAULTS.maxWaitSeconds;
	return {
		transport: { timeoutSeconds, maxWaitSeconds, wholeRunSeconds: timeoutSeconds + maxWaitSeconds },
		emitExisting: options.emitExisting === true,
		minDaysOverdue: number(options.minDaysOverdue, 'Min Days Overdue', 0) ?? 0,
		escalationDays,
		filters: {
			status: optionList(options.status),
			currency: optionList(options.currency),
			minAmount: minAmount === undefined || minAmount <= 0 ? undefined : minAmount,
			customerId: customerId === '' ? undefined : customerId,
		},
		timeZone: context.getTimezone(),
	};
}

/**
 * What the trigger emits for an event: the provider's invoice as it came, or its compact shape
 * (Simplify), with the event and the mark an escalation passed.
 */
export function overdueItem(event: OverdueEvent, extra: IDataObject = {}, simple?: IDataObject): INodeExecutionData {
	const mark = event.escalationDays;
	return {
		json: {
			...(simple ?? (event.record.raw as IDataObject)),
			...(mark === undefined ? {} : simple ? { escalationDays: mark } : { escalation_days: mark }),
			...extra,
			// `event` tells the two kinds apart in one workflow (a Switch on it, for example).
			event: event.kind === 'escalation' ? 'invoiceEscalated' : 'invoiceOverdue',
		},
	};
}

async function overdueItems(events: OverdueEvent[], extra: IDataObject, simplify: InvoiceSimplifier | undefined, timeZone: string | undefined): Promise<INodeExecutionData[]> {
	const simple = simplify ? await simplify(events.map((event) => event.record.raw), new Date(), timeZone ?? 'UTC') : undefined;
	return events.map((event, index) => overdueItem(event, extra, simple?.[index]));
}

/**
 * One poll of an overdue trigger, whatever the provider: in the editor (manual mode) a sample,
 * the most overdue invoice, leaving the saved state alone; when active, the events since the last
 * poll, with the state saved only once every fetch succeeded (a failed poll saves nothing). A
 * provider may answer in several parts (recent due dates, invoices checked one by one, a page of a
 * longer reading): each goes through the bookkeeping in turn.
 */
export async function pollOverdue(
	context: IPollFunctions,
	provider: string,
	options: OverdueTriggerOptions,
	fetchOverdue: (previous: OverdueState) => Promise<OverdueAnswer | OverdueAnswer[]>,
	simplify?: InvoiceSimplifier,
): Promise<INodeExecutionData[][] | null> {
	if (context.getMode() === 'manual') {
		const { answers, extra } = await fetchAnswers(context, provider, readOverdueState(undefined), fetchOverdue);
		const records = answers.flatMap((answer) => answer.records);
		const { events } = reconcileOverdue(readOverdueState(undefined), records, { ...options, emitExisting: true }, new Date());
		const sample = events.sort((a, b) => dueMs(a.record) - dueMs(b.record))[0];
		if (!sample) {
			throw new NodeOperationError(context.getNode(), `No overdue invoice in ${provider} matches this trigger right now`, {
				description: 'There is nothing to show as a sample. Check the filters in Options, or wait until an invoice is overdue.',
			});
		}
		return [await overdueItems([sample], extra, simplify, options.timeZone)];
	}
	return await withPollState(context, async (staticData) => {
		let state = readOverdueState(staticData[STATE_KEY]);
		const { answers, extra } = await fetchAnswers(context, provider, state, fetchOverdue);
		const now = new Date();
		const events: OverdueEvent[] = [];
		for (const answer of answers) {
			const scope: OverdueAnswerScope = { complete: answer.complete, dueFrom: answer.dueFrom, ids: answer.ids, backlog: answer.backlog };
			const result = reconcileOverdue(state, answer.records, options, now, scope);
			events.push(...result.events);
			state = result.next;
			if (answer.endsReading) state = markGone(state, answer.endsReading.present, answer.endsReading.dueThrough, now);
		}
		// The items are made before the state is written: nothing that fails on the way loses an event.
		const items = await overdueItems(events, extra, simplify, options.timeZone);
		// Compact (version 3): n8n writes it after every poll under durable poll cursors.
		staticData[STATE_KEY] = compactOverdueState(state) as unknown as IDataObject;
		return items.length === 0 ? null : [items];
	});
}

/** The provider's answers, and what every item then carries (where an answer may be cut off, every item says so: n8n gives a poll no execution hints). */
async function fetchAnswers(
	context: IPollFunctions,
	provider: string,
	previous: OverdueState,
	fetchOverdue: (previous: OverdueState) => Promise<OverdueAnswer | OverdueAnswer[]>,
): Promise<{ answers: OverdueAnswer[]; extra: IDataObject }> {
	const fetched = await fetchOverdue(previous);
	const answers = Array.isArray(fetched) ? fetched : [fetched];
	const cutOff = answers.some((answer) => answer.cutOff === true);
	if (cutOff) {
		context.logger.warn(`${provider} returned the most one answer holds: invoices missing from it are kept as they were, not taken as paid`);
	}
	return { answers, extra: cutOff ? { listMayBeCutOff: true } : {} };
}

/** The sample is the most overdue invoice: the earliest due. */
function dueMs(record: OverdueRecord): number {
	const due = Date.parse(String(record.dueDate ?? ''));
	return Number.isFinite(due) ? due : 0;
}
