import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { invoiceIdLocator, one, optionsCollection, readId, readInvoice } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return one(await readInvoice(client, readId(this, 'invoiceId', 'Invoice', itemIndex), itemIndex), itemIndex);
}
