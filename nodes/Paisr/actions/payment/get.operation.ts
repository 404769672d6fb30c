import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idMode, listMode } from '../../../shared/actions/locator';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { one, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Payment',
		name: 'paymentId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The payment: picked from the list, or by its Paisr ID (pmt_…)',
		modes: [listMode('searchPayments', 'Select a payment…'), idMode('pmt_123456', 'payment')],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'paymentId', 'Payment', itemIndex);
	return one(await client.data({ method: 'GET', path: resourcePath('payments', id), itemIndex }, 'payment'), itemIndex);
}
