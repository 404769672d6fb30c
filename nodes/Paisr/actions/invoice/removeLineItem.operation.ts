import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, invoiceIdLocator, optionsCollection, readId } from '../common';
import { itemIdField } from './lineItem';

const properties: INodeProperties[] = [invoiceIdLocator, itemIdField, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['removeLineItem'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const itemId = readId(this, 'itemId', 'Item ID', itemIndex);
	const answer = await client.request({
		method: 'DELETE',
		path: resourcePath('invoices', invoiceId, 'items', itemId),
		itemIndex,
		effectIfAnswerLost: `Line item ${itemId} may have been removed from invoice ${invoiceId}`,
	});
	return actionResult({ invoiceId, itemId, removed: true }, answer, itemIndex);
}
