import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, invoiceIdLocator, optionsCollection, readId } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['send'] } }, properties);

/** Paisr emails the invoice to the customer. Not repeated after a lost answer: the customer would get it twice. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const answer = await client.request({
		method: 'POST',
		path: resourcePath('invoices', invoiceId, 'send'),
		itemIndex,
		effectIfAnswerLost: `Invoice ${invoiceId} may have been emailed to the customer`,
	});
	return actionResult({ id: invoiceId, sent: true }, answer, itemIndex);
}
