import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { customerIdLocator, isApiObject, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [customerIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['archive'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	const request = { method: 'DELETE' as const, path: resourcePath('customers', id), itemIndex, effectIfAnswerLost: `Customer ${id} may have been archived` };
	const customer = client.expectShape(await client.request(request), isApiObject, 'archived customer', request);
	return [{ json: customer as IDataObject, pairedItem: { item: itemIndex } }];
}
