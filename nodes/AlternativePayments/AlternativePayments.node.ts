import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as customer from './actions/customer';
import * as invoice from './actions/invoice';
import * as payment from './actions/payment';
import { router } from './actions/router';
import { searchCustomers, searchInvoices } from './methods/listSearch';

export class AlternativePayments implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alternative Payments',
		name: 'alternativePayments',
		icon: { light: 'file:../../icons/alternativepayments.svg', dark: 'file:../../icons/alternativepayments.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify on Create (version 1 returns the API's own answer, as saved workflows expect).
		version: [1, 1.1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, archive and restore Alternative Payments invoices and customers, get payment and PDF links, list payments, and start a workflow on its webhook events',
		defaults: { name: 'Alternative Payments' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'alternativePaymentsOAuth2Api', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-alternative-payments#operations',
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

	methods = { listSearch: { searchCustomers, searchInvoices } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
