import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, isApiObject, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['restore'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const request = {
		method: 'POST' as const,
		path: resourcePath('invoices', id, 'restore'),
		itemIndex,
		effectIfAnswerLost: `Invoice ${id} may have been restored`,
	};
	const invoice = client.expectShape(await client.request(request), isApiObject, 'restored invoice', request);
	return [{ json: invoice as IDataObject, pairedItem: { item: itemIndex } }];
}
