import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import { readLimit, returnAllAndLimit } from '../../../shared/actions/options';
import type { PaisrClient } from '../../transport';
import { optionsCollection } from '../common';
import { recordItems } from '../simplify';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	simplifyProperty,
	{
		displayName: 'Paisr returns every customer in one answer (its customer list takes no filter and no limit); Limit is applied by this node',
		name: 'listNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit(this, itemIndex);
	const customers = await client.list({ method: 'GET', path: '/customers', itemIndex }, 'customers');
	return recordItems(this, 'customer', limit === undefined ? customers : customers.slice(0, limit), itemIndex);
}
