import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { toCalendarDate } from '../../../shared/calendarDate';
import { readOptions } from '../../../shared/actions/options';
import type { AlternativePaymentsClient } from '../../transport';
import { listAll } from '../../transport/pagination';
import { optionsCollection } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		// Sent to the API, which filters on its side.
		options: [
			{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '', description: 'Keep only invoices created on or after this moment' },
			{ displayName: 'Created Before', name: 'createdBefore', type: 'dateTime', default: '', description: 'Keep only invoices created on or before this moment' },
			{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '', description: 'Keep only the invoices of this customer' },
			{ displayName: 'Due After', name: 'dueAfter', type: 'dateTime', default: '', description: 'Keep only invoices due on or after this date' },
			{ displayName: 'Due Before', name: 'dueBefore', type: 'dateTime', default: '', description: 'Keep only invoices due on or before this date' },
			{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '', description: 'Keep only the invoice with this number' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'string',
				default: '',
				description: 'Keep only invoices in this status, as Alternative Payments names it (the API publishes no list of statuses)',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getAll'] } }, properties);

/**
 * A filter date as RFC 3339, which the API wants: a calendar date is the start of that day (From)
 * or its last second (To), in UTC; a date-time keeps its instant.
 */
function rfc3339(node: INode, value: unknown, label: string, end: boolean, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = typeof value === 'string' ? value.trim() : value;
	if (typeof text === 'string' && /T\d{2}:\d{2}/.test(text) && /(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
		return new Date(text).toISOString().replace('.000Z', 'Z');
	}
	const date = toCalendarDate(value);
	if (!date) {
		throw new NodeOperationError(node, `The ${label} filter is not a date: "${String(value).slice(0, 60)}" [item ${itemIndex}]`, {
			description: 'Use a date such as 2025-01-31, a date-time with its zone such as 2025-01-31T09:00:00Z, or pick one in the date field.',
			itemIndex,
		});
	}
	return `${date}T${end ? '23:59:59' : '00:00:00'}Z`;
}

export function readInvoiceFilters(node: INode, raw: IDataObject, itemIndex: number): Record<string, string> {
	const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');
	const filters: Record<string, string | undefined> = {
		customer_id: text(raw.customerId) || undefined,
		invoice_number: text(raw.invoiceNumber) || undefined,
		status: text(raw.status) || undefined,
		created_at_start: rfc3339(node, raw.createdAfter, 'Created After', false, itemIndex),
		created_at_end: rfc3339(node, raw.createdBefore, 'Created Before', true, itemIndex),
		due_date_start: rfc3339(node, raw.dueAfter, 'Due After', false, itemIndex),
		due_date_end: rfc3339(node, raw.dueBefore, 'Due Before', true, itemIndex),
	};
	for (const [start, end, label] of [
		['created_at_start', 'created_at_end', 'Created'],
		['due_date_start', 'due_date_end', 'Due'],
	] as const) {
		const from = filters[start];
		const to = filters[end];
		if (from && to && Date.parse(from) > Date.parse(to)) {
			throw new NodeOperationError(node, `The ${label} After filter (${from}) is after ${label} Before (${to}) [item ${itemIndex}]`, { itemIndex });
		}
	}
	return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	let limit: number | undefined;
	if (!returnAll) {
		const raw = this.getNodeParameter('limit', itemIndex, 50);
		limit = Number(raw);
		if (!Number.isSafeInteger(limit) || limit < 1) {
			throw new NodeOperationError(this.getNode(), `The Limit must be a whole number of at least 1, not "${String(raw)}" [item ${itemIndex}]`, { itemIndex });
		}
	}
	readOptions(this, itemIndex);
	const filters = readInvoiceFilters(this.getNode(), this.getNodeParameter('filters', itemIndex, {}) as IDataObject, itemIndex);
	const invoices = await listAll(client, '/invoices', filters, { limit, itemIndex, what: 'invoices' });
	return invoices.map((invoice) => ({ json: invoice as IDataObject, pairedItem: { item: itemIndex } }));
}
