import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { AlternativePaymentsClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, isLink, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [
	invoiceIdLocator,
	{
		displayName: 'Download',
		name: 'download',
		type: 'boolean',
		default: false,
		description: 'Whether to download the PDF into the item as binary data, instead of returning only its signed link (which expires)',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { download: [true] } },
		hint: 'The name of the output binary field to put the file in',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getPdf'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const request = { method: 'GET' as const, path: resourcePath('invoices', id, 'pdf-link'), itemIndex };
	const { url } = client.expectShape(await client.request(request), isLink, 'PDF link in url', request);
	const json = { invoiceId: id, url };
	if (!this.getNodeParameter('download', itemIndex, false)) return [{ json, pairedItem: { item: itemIndex } }];

	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (field === '') {
		throw new NodeOperationError(this.getNode(), `Put Output File in Field: is empty`, { itemIndex });
	}
	// The link is signed: it needs no token, and the token must not go to the PDF's host.
	const pdf = await client.fetchUnauthenticated(url, itemIndex);
	const binary = await this.helpers.prepareBinaryData(pdf, `invoice-${id}.pdf`, 'application/pdf');
	return [{ json, binary: { [field]: binary }, pairedItem: { item: itemIndex } }];
}
