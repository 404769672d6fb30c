import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayRequestClient } from '../../transport';
import { invoicePath } from '../../transport';
import { invoiceIdLocator, readInvoiceId, optionsCollection } from './common';

const properties: INodeProperties[] = [
	invoiceIdLocator,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['sendReminder'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceId = readInvoiceId(this, itemIndex);
	const envelope = await client.request({
		method: 'POST',
		path: invoicePath(invoiceId, '/reminder'),
		itemIndex,
		effectIfAnswerLost: `The reminder for invoice ${invoiceId} may have been sent`,
	});
	const message = typeof envelope.message === 'string' ? envelope.message : 'Invoice reminder sent';
	return [{ json: { success: envelope.success !== false, message, invoiceId: Number(invoiceId) }, pairedItem: { item: itemIndex } }];
}
