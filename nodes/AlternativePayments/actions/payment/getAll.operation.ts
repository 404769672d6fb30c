import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import type { ListFilter } from '../list';
import { executeList, listProperties } from '../list';
import { simplifyPayments } from '../simplify';

// The API publishes no lists of statuses, types or methods: they are free text, as Alternative Payments names them.
const FILTERS: ListFilter[] = [
	{ displayName: 'Created After', name: 'createdAfter', param: 'created_at_start', kind: 'from', description: 'Keep only payments made on or after this moment' },
	{ displayName: 'Created Before', name: 'createdBefore', param: 'created_at_end', kind: 'to', description: 'Keep only payments made before this moment' },
	{ displayName: 'Customer ID', name: 'customerId', param: 'customer_id', kind: 'text', description: 'Keep only the payments of this customer' },
	{ displayName: 'Invoice ID', name: 'invoiceId', param: 'invoice_id', kind: 'text', description: 'Keep only the payments of this invoice' },
	{ displayName: 'Payment Method', name: 'paymentMethod', param: 'payment_method', kind: 'text', description: 'Keep only payments by this method, as Alternative Payments names it' },
	{ displayName: 'Status', name: 'status', param: 'status', kind: 'text', description: 'Keep only payments in this status, as Alternative Payments names it' },
	{ displayName: 'Type', name: 'type', param: 'type', kind: 'text', description: 'Keep only payments of this type, as Alternative Payments names it' },
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['getAll'] } }, listProperties(FILTERS));

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return await executeList(this, client, itemIndex, { path: '/payments', what: 'payments', filters: FILTERS, simplify: simplifyPayments });
}
