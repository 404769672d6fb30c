import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceIdLocator, itemProperties, MAX_INVOICE_ITEMS, one, optionsCollection, readId, readInvoice, readItems } from '../common';

const properties: INodeProperties[] = [invoiceIdLocator, ...itemProperties(), optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['addLineItems'] } }, properties);

/** One call of up to 500 items (Paisr answers with a message, not the new ids); the output is the invoice read back. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const items = readItems(this, itemIndex, problem);
	await client.request({
		method: 'POST',
		path: resourcePath('invoices', invoiceId, 'items'),
		body: { items },
		itemIndex,
		effectIfAnswerLost: `The ${items.length} line items may have been added to invoice ${invoiceId} (at most ${MAX_INVOICE_ITEMS} in all)`,
	});
	return one(await readInvoice(client, invoiceId, itemIndex), itemIndex);
}
