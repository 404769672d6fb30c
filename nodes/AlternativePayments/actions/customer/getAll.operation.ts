import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import type { ListFilter } from '../list';
import { executeList, listProperties } from '../list';
import { simplifyCustomers } from '../simplify';

const FILTERS: ListFilter[] = [
	{ displayName: 'Company Name', name: 'companyName', param: 'company_name', kind: 'text', description: 'Keep only customers whose company name contains this' },
	{ displayName: 'Created After', name: 'createdAfter', param: 'created_at_start', kind: 'from', description: 'Keep only customers created on or after this moment' },
	{ displayName: 'Created Before', name: 'createdBefore', param: 'created_at_end', kind: 'to', description: 'Keep only customers created before this moment' },
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getAll'] } }, listProperties(FILTERS));

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return await executeList(this, client, itemIndex, { path: '/customers', what: 'customers', filters: FILTERS, simplify: simplifyCustomers });
}
