import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, readEmail } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { one, optionsCollection } from '../common';
import { customerFields, readCustomerFields } from './fields';

const properties: INodeProperties[] = [
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', required: true, default: '', description: 'Where Paisr sends this customer\'s invoices' },
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: customerFields },
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['create'] } }, properties);

/** Paisr answers a create with the id only: the output is the customer read back. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const email = readEmail(this.getNodeParameter('email', itemIndex, ''), problem);
	const body = { email, ...readCustomerFields(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, problem) };
	const created = await client.data(
		{ method: 'POST', path: '/customers', body, itemIndex, effectIfAnswerLost: `The customer ${email} may have been created; Get Many customers to see` },
		'created customer (data with an id)',
	);
	const id = String(created.id);
	return one(await client.data({ method: 'GET', path: resourcePath('customers', id), itemIndex }, 'customer'), itemIndex);
}
