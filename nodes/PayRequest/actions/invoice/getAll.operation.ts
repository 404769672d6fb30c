import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from '../../../shared/actions/options';
import { readSimplify, simplifyProperty } from '../../../shared/simplify';
import type { PayRequestClient } from '../../transport';
import { listInvoices } from '../../transport/pagination';
import { positiveNumberOption, readOptions, optionsCollection } from './common';
import { hasFilters, matchesInvoiceFilters, readInvoiceFilters, statusOptions } from './filters';
import { simplifyInvoice } from './simplify';

export const DEFAULT_MAX_CONCURRENCY = 4;

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	simplifyProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			"PayRequest's API has no filters: the node applies these while paging, so every page is still fetched until the limit of matching invoices is met",
		options: [
			{
				displayName: 'Customer ID',
				name: 'customerId',
				type: 'string',
				default: '',
				description: 'Keep only invoices of this customer',
			},
			{
				displayName: 'Due Date From',
				name: 'dueDateFrom',
				type: 'dateTime',
				default: '',
				description: 'Keep only invoices due on or after this date',
			},
			{
				displayName: 'Due Date To',
				name: 'dueDateTo',
				type: 'dateTime',
				default: '',
				description: 'Keep only invoices due on or before this date',
			},
			{
				displayName: 'Invoice Date From',
				name: 'dateFrom',
				type: 'dateTime',
				default: '',
				description: 'Keep only invoices dated on or after this date',
			},
			{
				displayName: 'Invoice Date To',
				name: 'dateTo',
				type: 'dateTime',
				default: '',
				description: 'Keep only invoices dated on or before this date',
			},
			{
				displayName: 'Invoice Number',
				name: 'invoiceNumber',
				type: 'string',
				default: '',
				placeholder: 'INV-000042',
				description: 'Keep only the invoice with this number. Use it to find the numeric ID that Get and Send Reminder take.',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description: 'Keep only invoices in one of these statuses',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Max Concurrency',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 16 },
			default: DEFAULT_MAX_CONCURRENCY,
			description:
				'How many pages to fetch at once with Return All. 1 fetches one page after another. All requests share the rate limit.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit(this, itemIndex);
	const filters = readInvoiceFilters(this.getNode(), this.getNodeParameter('filters', itemIndex, {}) as IDataObject, itemIndex);
	const options = readOptions(this, itemIndex);
	const maxConcurrency = positiveNumberOption(this, options, 'maxConcurrency', 'Max Concurrency', DEFAULT_MAX_CONCURRENCY, 1, itemIndex);

	const invoices = await listInvoices(client, {
		limit,
		keep: hasFilters(filters) ? (invoice) => matchesInvoiceFilters(invoice, filters) : undefined,
		maxConcurrency,
		itemIndex,
	});
	const simple = readSimplify(this, itemIndex);
	const now = new Date();
	const timeZone = this.getTimezone();
	return invoices.map((invoice) => ({ json: simple ? simplifyInvoice(invoice as IDataObject, now, timeZone) : (invoice as IDataObject), pairedItem: { item: itemIndex } }));
}
