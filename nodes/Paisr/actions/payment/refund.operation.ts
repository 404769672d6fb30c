import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText, roundToCents, shown, toNumber } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, optionsCollection, paymentLocator, readId } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'A refund moves money back to the payer and cannot be undone. The node sends it only with Confirm Refund on, and never sends it twice.',
		name: 'refundNotice',
		type: 'notice',
		default: '',
	},
	paymentLocator,
	{
		displayName: 'Refund',
		name: 'refundType',
		type: 'options',
		options: [
			{ name: 'Full', value: 'full', description: 'What is left of the payment' },
			{ name: 'Partial', value: 'partial', description: 'An amount of it' },
		],
		default: 'full',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 0,
		required: true,
		description: "In the payment's currency, major units (75.50, not cents)",
		displayOptions: { show: { refundType: ['partial'] } },
	},
	{
		displayName: 'Note',
		name: 'note',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Order cancelled by the customer',
		description: 'Why the payment is refunded; Paisr requires it',
	},
	{
		displayName: 'Confirm Refund',
		name: 'confirm',
		type: 'boolean',
		default: false,
		description: 'Whether to send the refund. Off, the node stops with an error before sending anything.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['refund'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const id = readId(this, 'paymentId', 'Payment', itemIndex);
	const type = this.getNodeParameter('refundType', itemIndex, 'full') as string;
	if (type !== 'full' && type !== 'partial') problem.fail('Refund', `must be Full or Partial, not ${shown(type)}`);
	let amount: number | undefined;
	if (type === 'partial') {
		const raw = this.getNodeParameter('amount', itemIndex, undefined);
		const value = toNumber(raw);
		if (value === undefined || value < 0.01) problem.fail('Amount', `must be a number of at least 0.01, not ${shown(raw)}`);
		amount = roundToCents(value);
	}
	const note = optionalText(this.getNodeParameter('note', itemIndex, ''));
	if (note === undefined) problem.fail('Note', 'is empty', 'Paisr requires a reason for every refund.');
	if (this.getNodeParameter('confirm', itemIndex, false) !== true) {
		problem.fail('Confirm Refund', 'is off, so nothing was sent', 'Turn on Confirm Refund to send the refund.');
	}
	const answer = await client.request({
		method: 'POST',
		path: resourcePath('payments', id, 'refund'),
		body: { type, ...(amount !== undefined ? { amount } : {}), note },
		itemIndex,
		effectIfAnswerLost: `The refund of payment ${id} may have been made; Get the payment to see its status before refunding again`,
	});
	return actionResult({ id, refund: type, ...(amount !== undefined ? { amount } : {}), note }, answer, itemIndex);
}
