import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, isLink, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getPaymentLink'] } }, properties);

/** Partner-branded payment domains give the link without a scheme: it gets https://, and the raw value is kept. */
export function withScheme(raw: string): string {
	const trimmed = raw.trim();
	return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, '')}`;
}

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const request = { method: 'GET' as const, path: resourcePath('invoices', id, 'payment-link'), itemIndex };
	const { url } = client.expectShape(await client.request(request), isLink, 'payment link in url', request);
	return [{ json: { invoiceId: id, url: withScheme(url), rawUrl: url }, pairedItem: { item: itemIndex } }];
}
