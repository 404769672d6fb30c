import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPaymentLink from './getPaymentLink.operation';
import * as getPdf from './getPdf.operation';
import * as restore from './restore.operation';

export const operations = { archive, create, get, getAll, getPaymentLink, getPdf, restore };

export type InvoiceOperation = keyof typeof operations;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{
				name: 'Archive',
				value: 'archive',
				description: 'Archive an invoice: it leaves the payer\'s portal, and Restore brings it back',
				action: 'Archive an invoice',
			},
			{ name: 'Create', value: 'create', description: 'Create an invoice in US dollars with line items', action: 'Create an invoice' },
			{ name: 'Get', value: 'get', description: 'Get an invoice with its line items', action: 'Get an invoice' },
			{ name: 'Get Many', value: 'getAll', description: 'List invoices, filtered by Alternative Payments', action: 'Get many invoices' },
			{ name: 'Get Payment Link', value: 'getPaymentLink', description: 'Get the hosted page where the payer pays the invoice', action: 'Get an invoice payment link' },
			{ name: 'Get PDF', value: 'getPdf', description: 'Get the signed link to the invoice PDF, or the PDF itself', action: 'Get an invoice PDF' },
			{ name: 'Restore', value: 'restore', description: 'Bring an archived invoice back', action: 'Restore an invoice' },
		],
		default: 'getAll',
	},
	...archive.description,
	...create.description,
	...get.description,
	...getAll.description,
	...getPaymentLink.description,
	...getPdf.description,
	...restore.description,
];
