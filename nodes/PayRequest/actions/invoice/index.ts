import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getOverdue from './getOverdue.operation';
import * as getStats from './getStats.operation';
import * as sendReminder from './sendReminder.operation';

export const operations = { create, get, getAll, getOverdue, getStats, sendReminder };

export type InvoiceOperation = keyof typeof operations;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create an invoice with line items', action: 'Create an invoice' },
			{ name: 'Get', value: 'get', description: 'Get an invoice with its customer and line items', action: 'Get an invoice' },
			{ name: 'Get Many', value: 'getAll', description: 'List invoices, page by page', action: 'Get many invoices' },
			{
				name: 'Get Overdue',
				value: 'getOverdue',
				description: 'List invoices past their due date, with days overdue and payment link',
				action: 'Get overdue invoices',
			},
			{
				name: 'Get Statistics',
				value: 'getStats',
				description: 'Get totals: invoices by status, outstanding and overdue amounts',
				action: 'Get invoice statistics',
			},
			{
				name: 'Send Reminder',
				value: 'sendReminder',
				description: 'Email the customer a payment reminder for an unpaid invoice',
				action: 'Send a payment reminder',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...getStats.description,
	...getOverdue.description,
	...create.description,
	...sendReminder.description,
];
