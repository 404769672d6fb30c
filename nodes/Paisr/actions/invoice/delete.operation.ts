import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { allowAsAiToolProperty, refuseAsAiToolUnlessAllowed } from '../../../shared/actions/aiTool';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, invoiceIdLocator, optionsCollection, readId } from '../common';

const DELETE_EFFECT = 'deletes an invoice for good';

const properties: INodeProperties[] = [
	{
		displayName: 'This deletes the invoice permanently. It cannot be undone: Paisr has no void and no restore for invoices.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	invoiceIdLocator,
	allowAsAiToolProperty(DELETE_EFFECT),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	refuseAsAiToolUnlessAllowed(this, itemIndex, DELETE_EFFECT);
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const answer = await client.request({
		method: 'DELETE',
		path: resourcePath('invoices', invoiceId),
		itemIndex,
		effectIfAnswerLost: `Invoice ${invoiceId} may have been deleted (for good); Get it to see`,
	});
	return actionResult({ id: invoiceId, deleted: true }, answer, itemIndex);
}
