import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [{ name: 'Get Many', value: 'getAll', description: 'List payments, filtered by Alternative Payments', action: 'Get many payments' }],
		default: 'getAll',
	},
	...getAll.description,
];
