import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { customerIdLocator, optionsCollection, readId } from '../common';
import { recordItems } from '../simplify';

const properties: INodeProperties[] = [customerIdLocator, simplifyProperty, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	return recordItems(this, 'customer', [await client.data({ method: 'GET', path: resourcePath('customers', id), itemIndex }, 'customer')], itemIndex);
}
