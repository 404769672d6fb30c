import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayRequestClient } from '../../transport';
import { invoicePath } from '../../transport';
import { readSimplify, simplifyProperty } from '../../../shared/simplify';
import { invoiceIdLocator, isPlainObject, readInvoiceId, optionsCollection } from './common';
import { simplifyInvoice } from './simplify';

const properties: INodeProperties[] = [
	invoiceIdLocator,
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceId = readInvoiceId(this, itemIndex);
	const request = { method: 'GET' as const, path: invoicePath(invoiceId), itemIndex };
	const envelope = await client.request(request);
	const invoice = client.expectShape(envelope.data, isPlainObject, 'invoice in data', request);
	return [{ json: readSimplify(this, itemIndex) ? simplifyInvoice(invoice, new Date(), this.getTimezone()) : (invoice as IDataObject), pairedItem: { item: itemIndex } }];
}
