import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText } from '../../../shared/actions/input';
import { alphabetical } from '../../../shared/actions/options';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { CURRENCY_OPTIONS, DUE_IN_DAYS, DUE_TEXT, duePhrase, invoiceIdLocator, one, optionsCollection, readId, readInvoice, withDuePhrase } from '../common';

const properties: INodeProperties[] = [
	invoiceIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical<INodeProperties>([
			{ displayName: 'Currency', name: 'currency', type: 'options', options: CURRENCY_OPTIONS, default: 'SRD' },
			{ ...DUE_IN_DAYS, description: 'Move the due date to this many days from today; sent to Paisr as "In N days"' },
			DUE_TEXT,
			{ displayName: 'Summary', name: 'summary', type: 'string', default: '', description: 'What the invoice is for, as the customer sees it' },
		]),
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['update'] } }, properties);

/** PUT answers with a message only: the output is the invoice read back. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.summary !== undefined) {
		const summary = optionalText(fields.summary);
		if (summary === undefined) problem.fail('Summary', 'is empty', 'Remove the field to keep the summary as it is.');
		body.summary = summary;
	}
	if (fields.currency !== undefined) {
		if (!CURRENCY_OPTIONS.some((option) => option.value === fields.currency)) problem.fail('Currency', `must be SRD, USD or EUR, not ${JSON.stringify(fields.currency)}`);
		body.currency = fields.currency;
	}
	const due = duePhrase(fields.dueText, fields.dueInDays, problem, false);
	if (due !== undefined) body.due = due;
	if (Object.keys(body).length === 0) problem.fail('Update Fields', 'has nothing to change', 'Add Summary, Currency, Due In Days or Due (Text).');
	try {
		await client.request({ method: 'PUT', path: resourcePath('invoices', invoiceId), body, itemIndex, effectIfAnswerLost: `Invoice ${invoiceId} may have been changed` });
	} catch (error) {
		throw withDuePhrase(error, due);
	}
	return one(await readInvoice(client, invoiceId, itemIndex), itemIndex);
}
