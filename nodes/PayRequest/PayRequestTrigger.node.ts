import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { isObjectArray } from './actions/invoice/common';
import { statusOptions } from './actions/invoice/filters';
import { PayRequestClient } from './transport';
import { payRequestOverdueRecord } from './trigger/overdueRecord';
import { FIRST_POLL_NOTICE, overdueTriggerOptions, pollOverdue, readOverdueTriggerOptions } from '../shared/overdue/overduePoll';

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
			FIRST_POLL_NOTICE,
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
			overdueTriggerOptions('PayRequest', [
				{
					displayName: 'Status',
					name: 'status',
					type: 'multiOptions',
					options: statusOptions,
					default: [],
					description: 'Only invoices in one of these statuses',
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = readOverdueTriggerOptions(this);
		const client = new PayRequestClient(this, options.transport);
		return await pollOverdue(this, 'PayRequest', options, async () => {
			// One request: the overdue endpoint lists every overdue invoice, without paging.
			const request = { method: 'GET' as const, path: '/v1/invoices/overdue' };
			const envelope = await client.request(request);
			const fetched = client.expectShape(envelope.data, isObjectArray, 'list of invoices in data', request);
			return { records: fetched.map(payRequestOverdueRecord), complete: true };
		});
	}
}
