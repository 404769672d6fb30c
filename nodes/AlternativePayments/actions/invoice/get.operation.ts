import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readSimplify, simplifyProperty } from '../../../shared/simplify';
import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, optionsCollection, readId } from '../common';
import { simplifyInvoices } from '../simplify';

const properties: INodeProperties[] = [invoiceIdLocator, simplifyProperty, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

const isInvoice = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && (value as IDataObject).id !== undefined;

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const request = { method: 'GET' as const, path: resourcePath('invoices', id), itemIndex };
	const invoice = client.expectShape(await client.request(request), isInvoice, 'invoice', request);
	const [json] = readSimplify(this, itemIndex) ? await simplifyInvoices(client, [invoice as IDataObject], itemIndex) : [invoice as IDataObject];
	return [{ json, pairedItem: { item: itemIndex } }];
}
