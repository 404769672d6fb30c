import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as create from './create.operation';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { archive, create, findOrCreate, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{ name: 'Archive', value: 'archive', description: 'Archive a customer', action: 'Archive a customer' },
			{ name: 'Create', value: 'create', description: 'Create a customer', action: 'Create a customer' },
			{ name: 'Find or Create', value: 'findOrCreate', description: 'Return the customer with this name (and email), or create it', action: 'Find or create a customer' },
			{ name: 'Get', value: 'get', description: 'Get a customer', action: 'Get a customer' },
			{ name: 'Get Many', value: 'getAll', description: 'List customers, filtered by Alternative Payments', action: 'Get many customers' },
		],
		default: 'getAll',
	},
	...archive.description,
	...create.description,
	...findOrCreate.description,
	...get.description,
	...getAll.description,
];
