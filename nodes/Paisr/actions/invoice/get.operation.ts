import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import type { PaisrClient } from '../../transport';
import { invoiceIdLocator, optionsCollection, readId, readInvoice } from '../common';
import { recordItems } from '../simplify';

const properties: INodeProperties[] = [invoiceIdLocator, simplifyProperty, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return recordItems(this, 'invoice', [await readInvoice(client, readId(this, 'invoiceId', 'Invoice', itemIndex), itemIndex)], itemIndex);
}
