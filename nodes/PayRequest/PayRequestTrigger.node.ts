import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { isObjectArray } from './actions/invoice/common';
import { statusOptions } from './actions/invoice/filters';
import { simplifyInvoice } from './actions/invoice/simplify';
import { PayRequestClient } from './transport';
import { changeOptions, pollChanges, withEventState } from './trigger/changePoll';
import { payRequestOverdueRecord } from './trigger/overdueRecord';
import { FIRST_POLL_NOTICE, overdueTriggerOptions, pollOverdue, readOverdueTriggerOptions } from '../shared/overdue/overduePoll';
import type { InvoiceSimplifier } from '../shared/simplify';
import { eachInvoice, simplifyProperty, triggerSimplifies } from '../shared/simplify';

export class PayRequestTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PayRequest Trigger',
		name: 'payRequestTrigger',
		icon: { light: 'file:../../icons/payrequest.svg', dark: 'file:../../icons/payrequest.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"invoiceOverdue": "Invoice Became Overdue", "invoiceCreated": "Invoice Created", "invoicePaid": "Invoice Paid"}[$parameter["event"]] }}',
		// n8n's node panel merges this with the PayRequest node into one entry and shows this text: say what the package does.
		description: 'List, create and chase PayRequest invoices, and start a workflow when one becomes overdue, is created or is paid',
		defaults: { name: 'PayRequest Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'payRequestApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-payrequest#payrequest-trigger',
		properties: [
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
					{
						name: 'Invoice Created',
						value: 'invoiceCreated',
						description: 'An invoice was created (each invoice once)',
					},
					{
						name: 'Invoice Paid',
						value: 'invoicePaid',
						description: 'An invoice became paid (once per change to paid)',
					},
				],
				default: 'invoiceOverdue',
			},
			{ ...FIRST_POLL_NOTICE, displayOptions: { show: { event: ['invoiceOverdue'] } } },
			{
				displayName:
					'On its first poll after activation the trigger only notes the invoices that exist, so turning the workflow on does not process them. PayRequest sends no events: each poll reads the newest page of the invoice list (one request while nothing is new).',
				name: 'createdNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['invoiceCreated'] } },
			},
			{
				displayName:
					"On its first poll after activation the trigger only notes which invoices are unpaid, so turning the workflow on does not process the paid ones. PayRequest sends no events: each poll reads PayRequest's statistics and one page of the list (two requests while nothing is paid), and the pages that hold unpaid invoices when the paid count moved, or once per Reconcile Every.",
				name: 'paidNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['invoicePaid'] } },
			},
			simplifyProperty,
			changeOptions,
			{
				...overdueTriggerOptions('PayRequest', [
					{
						displayName: 'Status',
						name: 'status',
						type: 'multiOptions',
						options: statusOptions,
						default: [],
						description: 'Only invoices in one of these statuses',
					},
				]),
				displayOptions: { show: { event: ['invoiceOverdue'] } },
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// Timeout and Max Wait (and, for overdue events, the rest) from whichever Options the event shows.
		const options = readOverdueTriggerOptions(this);
		const client = new PayRequestClient(this, options.transport);
		const event = this.getNodeParameter('event', 'invoiceOverdue') as string;
		const simplify: InvoiceSimplifier | undefined = triggerSimplifies(this) ? eachInvoice(simplifyInvoice) : undefined;
		const poll = async () => {
			if (event === 'invoiceCreated' || event === 'invoicePaid') return await pollChanges(this, client, event, simplify);
			return await pollOverdue(this, 'PayRequest', options, async () => {
				// One request: the overdue endpoint lists every overdue invoice, without paging.
				const request = { method: 'GET' as const, path: '/v1/invoices/overdue' };
				const envelope = await client.request(request);
				const fetched = client.expectShape(envelope.data, isObjectArray, 'list of invoices in data', request);
				return { records: fetched.map(payRequestOverdueRecord), complete: true };
			}, simplify);
		};
		// Fetch Test Event reads and writes no state; a poll keeps each event's state apart.
		return this.getMode() === 'manual' ? await poll() : await withEventState(this, event, poll);
	}
}
