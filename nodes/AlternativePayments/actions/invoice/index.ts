import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll };

export type InvoiceOperation = keyof typeof operations;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get an invoice with its line items', action: 'Get an invoice' },
			{ name: 'Get Many', value: 'getAll', description: 'List invoices, filtered by Alternative Payments', action: 'Get many invoices' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
