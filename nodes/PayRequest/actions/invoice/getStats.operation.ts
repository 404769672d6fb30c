import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayRequestClient } from '../../transport';
import { isPlainObject, optionsCollection } from './common';

const properties: INodeProperties[] = [
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getStats'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const request = { method: 'GET' as const, path: '/v1/invoices/stats', itemIndex };
	const envelope = await client.request(request);
	const totals = client.expectShape(envelope.data, isPlainObject, 'totals in data', request);
	return [{ json: totals as IDataObject, pairedItem: { item: itemIndex } }];
}
