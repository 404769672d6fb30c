import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { customerIdLocator, one, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [customerIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	return one(await client.data({ method: 'GET', path: resourcePath('customers', id), itemIndex }, 'customer'), itemIndex);
}
