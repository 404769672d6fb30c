import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as customer from './actions/customer';
import * as invoice from './actions/invoice';
import * as payment from './actions/payment';
import { router } from './actions/router';
import { searchCustomers, searchInvoices, searchPayments } from './methods/listSearch';

export class Paisr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paisr',
		name: 'paisr',
		icon: { light: 'file:../../icons/paisr.svg', dark: 'file:../../icons/paisr.dark.svg' },
		group: ['transform'],
		// 1.1: the invoice's Currency on Create's main form (version 1 kept it under Additional Fields), and Simplify on Create.
		version: [1, 1.1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, send and change Paisr invoices and customers, get checkout links, and start a workflow on signed Paisr events',
		defaults: { name: 'Paisr' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'paisrApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-paisr#operations',
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Customer', value: 'customer' },
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Payment', value: 'payment' },
				],
				default: 'invoice',
			},
			...customer.description,
			...invoice.description,
			...payment.description,
		],
	};

	methods = { listSearch: { searchCustomers, searchInvoices, searchPayments } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
