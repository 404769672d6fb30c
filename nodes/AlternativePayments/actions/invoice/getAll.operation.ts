import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import type { ListFilter } from '../list';
import { executeList, listProperties } from '../list';
import { simplifyInvoices } from '../simplify';

const FILTERS: ListFilter[] = [
	{ displayName: 'Created After', name: 'createdAfter', param: 'created_at_start', kind: 'from', description: 'Keep only invoices created on or after this moment' },
	{ displayName: 'Created Before', name: 'createdBefore', param: 'created_at_end', kind: 'to', description: 'Keep only invoices created before this moment' },
	{ displayName: 'Customer ID', name: 'customerId', param: 'customer_id', kind: 'text', description: 'Keep only the invoices of this customer' },
	{ displayName: 'Due After', name: 'dueAfter', param: 'due_date_start', kind: 'from', description: 'Keep only invoices due on or after this day', calendarDay: true },
	{ displayName: 'Due Before', name: 'dueBefore', param: 'due_date_end', kind: 'to', description: 'Keep only invoices due before this day', calendarDay: true },
	{ displayName: 'Invoice Number', name: 'invoiceNumber', param: 'invoice_number', kind: 'text', description: 'Keep only the invoice with this number' },
	{
		displayName: 'Status',
		name: 'status',
		param: 'status',
		kind: 'text',
		description: 'Keep only invoices in this status, as Alternative Payments names it (the API publishes no list of statuses)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getAll'] } }, listProperties(FILTERS));

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return await executeList(this, client, itemIndex, { path: '/invoices', what: 'invoices', filters: FILTERS, simplify: simplifyInvoices });
}
