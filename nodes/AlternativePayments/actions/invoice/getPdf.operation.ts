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
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'invoice-{{ $json.invoice_number }}.pdf',
		displayOptions: { show: { download: [true] } },
		hint: 'Empty: invoice-<invoice ID>.pdf. ".pdf" is added when the name has no extension.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getPdf'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const download = this.getNodeParameter('download', itemIndex, false) === true;
	// What a download needs is checked before anything is sent.
	const field = download ? String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() : '';
	if (download && field === '') throw new NodeOperationError(this.getNode(), 'Put Output File in Field: is empty', { itemIndex });
	const fileName = download ? readFileName(this, id, itemIndex) : '';
	const request = { method: 'GET' as const, path: resourcePath('invoices', id, 'pdf-link'), itemIndex };
	const { url } = client.expectShape(await client.request(request), isLink, 'PDF link in url', request);
	const json = { invoiceId: id, url };
	if (!download) return [{ json, pairedItem: { item: itemIndex } }];

	// The link is signed: it needs no token, and the token must not go to the PDF's host.
	const pdf = await client.fetchUnauthenticated(url, itemIndex);
	const binary = await this.helpers.prepareBinaryData(pdf, fileName, 'application/pdf');
	return [{ json, binary: { [field]: binary }, pairedItem: { item: itemIndex } }];
}

/** The file's name: as given (with .pdf when it has no extension), or invoice-<id>.pdf; a name, not a path. */
function readFileName(context: IExecuteFunctions, id: string, itemIndex: number): string {
	const given = String(context.getNodeParameter('fileName', itemIndex, '') ?? '').trim();
	if (given === '') return `invoice-${id}.pdf`;
	if (/[\\/]/.test(given) || given === '.' || given === '..') {
		throw new NodeOperationError(context.getNode(), `File Name: is a path, not a file name: ${JSON.stringify(given.slice(0, 80))}`, {
			description: 'Give a name such as invoice-2025-001.pdf, without folders.',
			itemIndex,
		});
	}
	return /\.[A-Za-z0-9]{1,5}$/.test(given) ? given : `${given}.pdf`;
}
