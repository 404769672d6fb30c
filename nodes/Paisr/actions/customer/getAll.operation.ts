import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from '../../../shared/actions/options';
import type { PaisrClient } from '../../transport';
import { optionsCollection } from '../common';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
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
	return (limit === undefined ? customers : customers.slice(0, limit)).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
