import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { one, optionsCollection, paymentLocator, readId } from '../common';

const properties: INodeProperties[] = [
	paymentLocator,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'paymentId', 'Payment', itemIndex);
	return one(await client.data({ method: 'GET', path: resourcePath('payments', id), itemIndex }, 'payment'), itemIndex);
}
