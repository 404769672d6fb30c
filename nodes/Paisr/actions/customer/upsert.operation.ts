import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, readEmail } from '../../../shared/actions/input';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { one, optionsCollection } from '../common';
import { customerFields, readCustomerFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName:
			"Paisr's customer list takes no filter: the node reads it whole (one request) and matches the email there, without regard to case. One match is updated, none creates the customer, several stop with an error naming them.",
		name: 'upsertNotice',
		type: 'notice',
		default: '',
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', required: true, default: '', description: 'The customer to create or update, found by this address' },
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: customerFields },
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['upsert'] } }, properties);

const sameEmail = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.toLowerCase();

/** n8n's upsert: the customer with this email is updated, or created when there is none; the output is the customer read back. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const email = readEmail(this.getNodeParameter('email', itemIndex, ''), problem);
	const fields = readCustomerFields(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, problem);
	const matches = (await client.list({ method: 'GET', path: '/customers', itemIndex }, 'customers')).filter((customer) => sameEmail(customer.email, email));
	if (matches.length > 1) {
		problem.fail('Email', `matches ${matches.length} Paisr customers: ${matches.map((customer) => String(customer.id)).join(', ')}`, 'Update the one you mean by its ID, or archive the others.');
	}
	let id: string;
	if (matches.length === 1) {
		id = String(matches[0].id);
		if (Object.keys(fields).length > 0) {
			await client.request({ method: 'PUT', path: resourcePath('customers', id), body: fields, itemIndex, effectIfAnswerLost: `Customer ${id} may have been changed` });
		}
	} else {
		const created = await client.data(
			{ method: 'POST', path: '/customers', body: { email, ...fields }, itemIndex, effectIfAnswerLost: `The customer ${email} may have been created; Get Many customers to see` },
			'created customer (data with an id)',
		);
		id = String(created.id);
	}
	return one(await client.data({ method: 'GET', path: resourcePath('customers', id), itemIndex }, 'customer'), itemIndex);
}
