import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, readItemDescription, readItemMoney, readWholeQuantity } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, invoiceIdLocator, optionsCollection, readId } from '../common';
import { itemIdField } from './lineItem';

const properties: INodeProperties[] = [
	invoiceIdLocator,
	itemIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { numberPrecision: 0 }, default: 1, description: 'A whole number of at least 1' },
			{ displayName: 'Unit Price', name: 'unitPrice', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0, description: 'Major units (75.50, not cents); at least 0.01' },
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['updateLineItem'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const itemId = readId(this, 'itemId', 'Item ID', itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.description !== undefined) body.description = readItemDescription(fields, 'Line Item', problem);
	if (fields.quantity !== undefined) body.quantity = readWholeQuantity(fields, 'Line Item', problem);
	if (fields.unitPrice !== undefined) body.unit_price = readItemMoney(fields, { label: 'Line Item Unit Price', names: ['unitPrice'], minimum: 0.01, example: '75.50' }, problem);
	if (Object.keys(body).length === 0) problem.fail('Update Fields', 'has nothing to change', 'Add Description, Quantity or Unit Price.');
	const answer = await client.request({
		method: 'PUT',
		path: resourcePath('invoices', invoiceId, 'items', itemId),
		body,
		itemIndex,
		effectIfAnswerLost: `Line item ${itemId} of invoice ${invoiceId} may have been changed`,
	});
	return actionResult({ invoiceId, itemId, updated: true, ...body }, answer, itemIndex);
}
