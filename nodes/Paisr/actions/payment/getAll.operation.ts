import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyProperty } from '../../../shared/simplify';
import { InputProblem } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { MAX_LIST } from '../../transport';
import { CURRENCY_OPTIONS, optionsCollection } from '../common';
import { listLimit, readListLimit, warnIfCut } from '../list';
import { recordItems } from '../simplify';

const properties: INodeProperties[] = [
	...listLimit,
	simplifyProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Currency', name: 'currency', type: 'options', options: CURRENCY_OPTIONS, default: 'SRD' },
			{ displayName: 'Invoice ID', name: 'invoiceId', type: 'string', default: '', placeholder: 'inv_123456', description: 'Only the payments of this invoice' },
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: ['bank', 'card', 'other', 'qr', 'wallet'].map((value) => ({ name: value === 'qr' ? 'QR' : value[0].toUpperCase() + value.slice(1), value })),
				default: 'card',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: ['approved', 'cancelled', 'failed', 'pending', 'refunded', 'settled'].map((value) => ({ name: value[0].toUpperCase() + value.slice(1), value })),
				default: 'settled',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['getAll'] } }, properties);

const FILTER_PARAMS: Record<string, string> = { invoiceId: 'resource_id', currency: 'currency', status: 'status', method: 'method' };

export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const limit = readListLimit(this, itemIndex, problem);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: Record<string, string | number> = { limit: limit ?? MAX_LIST };
	for (const [name, param] of Object.entries(FILTER_PARAMS)) {
		const value = typeof filters[name] === 'string' ? (filters[name] as string).trim() : '';
		if (value !== '') qs[param] = value;
	}
	const payments = await client.list({ method: 'GET', path: '/payments', qs, itemIndex }, 'payments');
	warnIfCut(this, payments.length, 'payments', itemIndex);
	return recordItems(this, 'payment', payments, itemIndex);
}
