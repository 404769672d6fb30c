import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import { InputProblem } from '../../../shared/actions/input';
import { alphabetical } from '../../../shared/actions/options';
import type { PaisrClient } from '../../transport';
import { MAX_LIST } from '../../transport';
import { CURRENCY_OPTIONS, optionsCollection } from '../common';
import { dateRangeFilters, INVOICE_RANGES, listLimit, readDateRanges, readListLimit, warnIfCut } from '../list';
import { recordItems } from '../simplify';

const filterOptions: INodeProperties[] = [
	...dateRangeFilters(INVOICE_RANGES),
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: CURRENCY_OPTIONS,
		default: 'SRD',
		description: 'Sent to Paisr',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		placeholder: 'cus_123456',
		description: "Only this customer's invoices (sent to Paisr)",
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Draft', value: 'draft' },
			{ name: 'Paid', value: 'paid' },
			{ name: 'Unpaid', value: 'unpaid' },
			{ name: 'Void', value: 'void' },
		],
		default: 'unpaid',
		description: 'Sent to Paisr',
	},
];

const properties: INodeProperties[] = [
	...listLimit,
	simplifyProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: alphabetical(filterOptions),
	},
	{
		displayName:
			'Paisr lists have no paging: one answer holds at most 1,000 invoices. Status, Customer ID and Currency are filtered by Paisr; the date filters by this node, over what that answer holds.',
		name: 'listNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const limit = readListLimit(this, itemIndex, problem);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const ranges = readDateRanges(filters, problem, INVOICE_RANGES, this.getTimezone());
	const qs: Record<string, string | number> = {};
	if (typeof filters.status === 'string' && filters.status !== '') qs.status = filters.status;
	if (typeof filters.currency === 'string' && filters.currency !== '') qs.currency = filters.currency;
	const customerId = typeof filters.customerId === 'string' ? filters.customerId.trim() : '';
	if (customerId !== '') qs.resource_id = customerId;
	// The date filters are ours: ask for the most, then keep what they let through.
	qs.limit = ranges.active || limit === undefined ? MAX_LIST : limit;
	const invoices = await client.list({ method: 'GET', path: '/invoices', qs, itemIndex }, 'invoices');
	warnIfCut(this, invoices.length, 'invoices', itemIndex);
	const kept = invoices.filter(ranges.keep);
	return recordItems(this, 'invoice', limit === undefined ? kept : kept.slice(0, limit), itemIndex);
}
