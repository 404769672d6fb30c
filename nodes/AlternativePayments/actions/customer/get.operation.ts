import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readSimplify, simplifyProperty } from '../../../shared/simplify';
import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { customerIdLocator, isApiObject, optionsCollection, readId } from '../common';
import { simplifyCustomers } from '../simplify';

const properties: INodeProperties[] = [customerIdLocator, simplifyProperty, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	const request = { method: 'GET' as const, path: resourcePath('customers', id), itemIndex };
	const customer = client.expectShape(await client.request(request), isApiObject, 'customer', request);
	const [json] = readSimplify(this, itemIndex) ? await simplifyCustomers(client, [customer as IDataObject], itemIndex) : [customer as IDataObject];
	return [{ json, pairedItem: { item: itemIndex } }];
}
