import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as refund from './refund.operation';

export const operations = { get, getAll, refund };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a payment', action: 'Get a payment' },
			{ name: 'Get Many', value: 'getAll', description: 'List payments (at most 1,000: Paisr lists have no paging)', action: 'Get many payments' },
			{ name: 'Refund', value: 'refund', description: 'Refund a payment, in full or in part (asks for confirmation)', action: 'Refund a payment' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...refund.description,
];
