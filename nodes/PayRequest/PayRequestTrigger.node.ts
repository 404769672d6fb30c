import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isObjectArray } from './actions/invoice/common';
import { statusOptions } from './actions/invoice/filters';
import { PayRequestClient } from './transport';
import type { TransportSettings } from './transport';
import type { OverdueInvoice, OverdueOptions } from '../shared/overdue/overdueBookkeeping';
import { parseEscalationDays, readOverdueState, reconcileOverdue } from '../shared/overdue/overdueBookkeeping';

const STATE_KEY = 'overdueInvoices';

/**
 * n8n's scheduler gives up on a poll after about 45 s (n8n 2.x): a whole poll, requests, repeats
 * and rate-limit waits together, ends within Timeout + Max Wait (35 s by default).
 */
const POLL_DEFAULTS = { timeoutSeconds: 15, maxWaitSeconds: 20 };

function readTriggerOptions(context: IPollFunctions): OverdueOptions & { transport: TransportSettings } {
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
	const list = (value: unknown) =>
		(Array.isArray(value) ? value : String(value ?? '').split(','))
			.map((entry) => String(entry).trim())
			.filter((entry) => entry !== '');
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
			status: list(options.status),
			currency: list(options.currency),
			minAmount: minAmount === undefined || minAmount <= 0 ? undefined : minAmount,
			customerId: customerId === '' ? undefined : customerId,
		},
	};
}

export class PayRequestTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PayRequest Trigger',
		name: 'payRequestTrigger',
		icon: { light: 'file:../../icons/payrequest.svg', dark: 'file:../../icons/payrequest.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Invoice Became Overdue"}}',
		// n8n's node panel merges this with the PayRequest node into one entry and shows this text: say what the package does.
		description: 'List, create and chase PayRequest invoices, and start a workflow when one becomes overdue',
		defaults: { name: 'PayRequest Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'payRequestApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-invoicing#payrequest-trigger',
		properties: [
			{
				displayName:
					'On its first poll after activation the trigger only records the invoices already overdue, so turning the workflow on does not process the whole backlog. Turn on "Emit Existing" to get them too.',
				name: 'firstPollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Invoice Became Overdue',
						value: 'invoiceOverdue',
						description: 'An invoice passed its due date unpaid (each invoice and due date once)',
					},
				],
				default: 'invoiceOverdue',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Currency',
						name: 'currency',
						type: 'string',
						default: '',
						placeholder: 'EUR, USD',
						description: 'Only invoices in one of these currencies (comma-separated)',
					},
					{
						displayName: 'Customer ID',
						name: 'customerId',
						type: 'string',
						default: '',
						description: 'Only invoices of this customer',
					},
					{
						displayName: 'Emit Existing',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after activation also emits the invoices that are already overdue. Off: it only records them.',
					},
					{
						displayName: 'Escalation Days',
						name: 'escalationDays',
						type: 'string',
						default: '',
						placeholder: '7, 14, 30',
						description:
							'Emit the invoice again each time it passes one of these numbers of days overdue, each once, with escalation_days set to the mark',
					},
					{
						displayName: 'Max Wait',
						name: 'maxWaitSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 20,
						description:
							"Seconds one poll may wait in all for PayRequest's rate limit. A whole poll ends within Timeout + Max Wait: one that would take longer fails, saves nothing, and the next poll emits what it missed. Keep the two together under 45 s, n8n's limit for a poll.",
					},
					{
						displayName: 'Min Amount',
						name: 'minAmount',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Only invoices of at least this amount',
					},
					{
						displayName: 'Min Days Overdue',
						name: 'minDaysOverdue',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'An invoice counts as newly overdue when it first shows up at least this many days overdue',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'multiOptions',
						options: statusOptions,
						default: [],
						description: 'Only invoices in one of these statuses',
					},
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 15,
						description:
							'Seconds to wait for PayRequest to answer before the poll fails. A failed poll saves nothing; the next one emits what it missed.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = readTriggerOptions(this);
		const client = new PayRequestClient(this, options.transport);
		const request = { method: 'GET' as const, path: '/v1/invoices/overdue' };
		const envelope = await client.request(request);
		const fetched = client.expectShape(envelope.data, isObjectArray, 'list of invoices in data', request) as OverdueInvoice[];

		if (this.getMode() === 'manual') {
			// A sample for the editor: the most overdue invoice, leaving the saved state alone.
			const { events } = reconcileOverdue(readOverdueState(undefined), fetched, { ...options, emitExisting: true }, new Date());
			const sample = events
				.map((event) => event.invoice)
				.sort((a, b) => Number(b.days_overdue ?? 0) - Number(a.days_overdue ?? 0))[0];
			if (!sample) {
				throw new NodeOperationError(this.getNode(), 'No overdue invoice in PayRequest matches this trigger right now', {
					description: 'There is nothing to show as a sample. Check the filters in Options, or wait until an invoice is overdue.',
				});
			}
			return [[{ json: { ...sample, event: 'invoiceOverdue' } as IDataObject }]];
		}

		const staticData = this.getWorkflowStaticData('node');
		const previous = readOverdueState(staticData[STATE_KEY]);
		const { events, next } = reconcileOverdue(previous, fetched, options, new Date());
		staticData[STATE_KEY] = next as unknown as IDataObject;
		if (events.length === 0) return null;
		// `event` tells the two kinds apart in one workflow (a Switch on it, for example).
		return [
			events.map((event) => ({
				json: { ...event.invoice, event: event.kind === 'escalation' ? 'invoiceEscalated' : 'invoiceOverdue' } as IDataObject,
			})),
		];
	}
}
