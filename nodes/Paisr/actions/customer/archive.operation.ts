import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, customerIdLocator, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [customerIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['archive'] } }, properties);

/** DELETE archives a customer (Restore brings it back). */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	const answer = await client.request({ method: 'DELETE', path: resourcePath('customers', id), itemIndex, effectIfAnswerLost: `Customer ${id} may have been archived` });
	return actionResult({ id, archived: true }, answer, itemIndex);
}
