import type { INodeProperties, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idMode } from '../../../shared/actions/locator';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, optionsCollection, readId } from '../common';

// By ID only: an archived customer is not in Paisr's customer list.
const properties: INodeProperties[] = [
	{
		displayName: 'Customer',
		name: 'customerId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description: 'The archived customer, by its Paisr ID (cus_…): archived customers are not in the list',
		modes: [idMode('cus_123456', 'customer')],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['restore'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	const answer = await client.request({ method: 'PATCH', path: resourcePath('customers', id), itemIndex, effectIfAnswerLost: `Customer ${id} may have been restored` });
	return actionResult({ id, archived: false }, answer, itemIndex);
}
