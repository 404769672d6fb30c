import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, isApiObject, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['archive'] } }, properties);

/** DELETE archives (the API keeps the invoice; Restore undoes it). Like every write, it is not repeated after a failure that may have reached the API. */
export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const request = {
		method: 'DELETE' as const,
		path: resourcePath('invoices', id),
		itemIndex,
		effectIfAnswerLost: `Invoice ${id} may have been archived`,
	};
	const invoice = client.expectShape(await client.request(request), isApiObject, 'archived invoice', request);
	return [{ json: invoice as IDataObject, pairedItem: { item: itemIndex } }];
}
