import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as restore from './restore.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const operations = { archive, create, get, getAll, restore, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{ name: 'Archive', value: 'archive', description: 'Archive a customer (Restore brings it back)', action: 'Archive a customer' },
			{ name: 'Create', value: 'create', description: 'Create a customer', action: 'Create a customer' },
			{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)', action: 'Create or update a customer' },
			{ name: 'Get', value: 'get', description: 'Get a customer', action: 'Get a customer' },
			{ name: 'Get Many', value: 'getAll', description: 'List every customer', action: 'Get many customers' },
			{ name: 'Restore', value: 'restore', description: 'Bring an archived customer back', action: 'Restore a customer' },
			{ name: 'Update', value: 'update', description: 'Change a customer', action: 'Update a customer' },
		],
		default: 'getAll',
	},
	...archive.description,
	...create.description,
	...get.description,
	...getAll.description,
	...restore.description,
	...update.description,
	...upsert.description,
];
