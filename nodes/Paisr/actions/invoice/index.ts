import type { INodeProperties } from 'n8n-workflow';

import * as addLineItems from './addLineItems.operation';
import * as create from './create.operation';
import * as deleteInvoice from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPaymentLink from './getPaymentLink.operation';
import * as getStats from './getStats.operation';
import * as removeLineItem from './removeLineItem.operation';
import * as send from './send.operation';
import * as update from './update.operation';
import * as updateLineItem from './updateLineItem.operation';

export const operations = { addLineItems, create, delete: deleteInvoice, get, getAll, getPaymentLink, getStats, removeLineItem, send, update, updateLineItem };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{ name: 'Add Line Items', value: 'addLineItems', description: 'Add up to 500 line items to an invoice', action: 'Add line items to an invoice' },
			{ name: 'Create', value: 'create', description: 'Create an invoice with a relative due date and line items', action: 'Create an invoice' },
			{
				name: 'Delete Permanently',
				value: 'delete',
				description: 'Delete an invoice for good: it cannot be undone or restored',
				action: 'Delete an invoice permanently',
			},
			{ name: 'Get', value: 'get', description: 'Get an invoice with its totals and checkout link', action: 'Get an invoice' },
			{ name: 'Get Many', value: 'getAll', description: 'List invoices (at most 1,000: Paisr lists have no paging)', action: 'Get many invoices' },
			{ name: 'Get Payment Link', value: 'getPaymentLink', description: 'Get a fresh checkout link for an unpaid invoice, with when it expires', action: 'Get an invoice payment link' },
			{ name: 'Get Statistics', value: 'getStats', description: 'Count invoices: total, unpaid and paid', action: 'Get invoice statistics' },
			{ name: 'Remove Line Item', value: 'removeLineItem', description: 'Remove one line item from an invoice', action: 'Remove a line item from an invoice' },
			{ name: 'Send', value: 'send', description: 'Email the invoice to the customer', action: 'Send an invoice' },
			{ name: 'Update', value: 'update', description: "Change an invoice's summary, currency or due date", action: 'Update an invoice' },
			{ name: 'Update Line Item', value: 'updateLineItem', description: 'Change one line item of an invoice', action: 'Update a line item of an invoice' },
		],
		default: 'getAll',
	},
	...addLineItems.description,
	...create.description,
	...deleteInvoice.description,
	...get.description,
	...getAll.description,
	...getPaymentLink.description,
	...getStats.description,
	...removeLineItem.description,
	...send.description,
	...update.description,
	...updateLineItem.description,
];
