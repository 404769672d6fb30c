import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { optionsCollection, paymentLocator, readId } from '../common';
import { recordItems } from '../simplify';

const properties: INodeProperties[] = [
	paymentLocator,
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'paymentId', 'Payment', itemIndex);
	return recordItems(this, 'payment', [await client.data({ method: 'GET', path: resourcePath('payments', id), itemIndex }, 'payment')], itemIndex);
}
