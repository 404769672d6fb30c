import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { allowAsAiToolProperty, refuseAsAiToolUnlessAllowed } from '../../../shared/actions/aiTool';
import { InputProblem, optionalText, roundToCents, shown, toNumber } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { actionResult, optionsCollection, paymentLocator, readId } from '../common';

const REFUND_EFFECT = 'refunds a payment';

const properties: INodeProperties[] = [
	{
		displayName:
			"A refund moves money back to the payer and cannot be undone. The node sends it only with Confirm Refund on. It reads the payment first and sends nothing when the payment is refunded in full already or, for a partial refund, when Paisr shows at least the Amount refunded already, so Retry On Fail, a re-run or a second item for the same payment does not refund it again; a later partial refund no larger than what is refunded already is refused too.",
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
	allowAsAiToolProperty(REFUND_EFFECT),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['refund'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	refuseAsAiToolUnlessAllowed(this, itemIndex, REFUND_EFFECT);
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
	await refuseRepeat(client, id, amount, problem, itemIndex);
	const answer = await client.request({
		method: 'POST',
		path: resourcePath('payments', id, 'refund'),
		body: { type, ...(amount !== undefined ? { amount } : {}), note },
		itemIndex,
		effectIfAnswerLost: `The refund of payment ${id} may have been made; Get the payment to see its status before refunding again`,
	});
	return actionResult({ id, refund: type, ...(amount !== undefined ? { amount } : {}), note }, answer, itemIndex);
}

/** Whole cents of an amount Paisr gives or takes with at most two decimals. */
const cents = (value: number) => Math.round(value * 100);

/**
 * Paisr has no idempotency key and lists no refunds, so a retry of a refund whose answer was lost,
 * a re-run, or a second item for the payment cannot be told from a new refund, except by what the
 * payment shows: refunds only add up. A payment refunded in full takes none; a partial refund of
 * Amount is refused once the payment shows at least Amount refunded (an earlier attempt of this
 * refund may be in it). Paisr's contract names only the `refunded` status; `refunded_total` is used
 * where the payment carries it.
 */
async function refuseRepeat(client: PaisrClient, id: string, amount: number | undefined, problem: InputProblem, itemIndex: number): Promise<void> {
	const payment = await client.data({ method: 'GET', path: resourcePath('payments', id), itemIndex }, 'payment');
	const again = 'Nothing was sent. A retry, a re-run or a second item for the same payment does not refund it again; refund it in Paisr if a further refund is meant.';
	if (String(payment.status).toLowerCase() === 'refunded') problem.fail('Payment', `${id} is refunded in full already`, again);
	const refunded = toNumber(payment.refunded_total);
	if (amount !== undefined && refunded !== undefined && cents(refunded) >= cents(amount)) {
		problem.fail('Amount', `${amount} is not more than what payment ${id} has refunded already (${refunded})`, again);
	}
}
