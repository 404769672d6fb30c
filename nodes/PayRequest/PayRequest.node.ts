import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as invoice from './actions/invoice';
import { router } from './actions/router';
import { searchCustomers, searchInvoices } from './methods/listSearch';

export class PayRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PayRequest',
		name: 'payRequest',
		icon: { light: 'file:../../icons/payrequest.svg', dark: 'file:../../icons/payrequest.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify on Create (version 1 returns PayRequest's own answer, as saved workflows expect).
		version: [1, 1.1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'List, create and chase PayRequest invoices, and start a workflow when one becomes overdue, is created or is paid',
		defaults: { name: 'PayRequest' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'payRequestApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-payrequest#operations',
		hints: [
			{
				message:
					'Return All reads every invoice of the account, 100 a request, within PayRequest’s limit of 60 requests a minute: a large account takes a while. Use Filters with a Limit, or Get Overdue, when you need only some.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["operation"] === "getAll" && $parameter["returnAll"] === true }}',
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Invoice', value: 'invoice' }],
				default: 'invoice',
			},
			...invoice.description,
		],
	};

	methods = { listSearch: { searchCustomers, searchInvoices } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
