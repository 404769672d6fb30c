import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText, readEmail } from '../../../shared/actions/input';
import type { AlternativePaymentsClient } from '../../transport';
import { listAll } from '../../transport/pagination';
import { optionsCollection } from '../common';
import { createCustomer } from './create.operation';

const properties: INodeProperties[] = [
	{
		displayName:
			'Alternative Payments has no customer update: an existing customer is returned as it is. The node asks the API for the customers whose company name contains Name, keeps those whose company name is exactly Name (any case) and, when Email is set, that email. One match is returned, none is created, several stop with an error naming them.',
		name: 'findOrCreateNotice',
		type: 'notice',
		default: '',
	},
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', description: 'The customer’s company name, matched exactly (any case)' },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Narrows the match among customers with this name; needed to create one' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '', description: 'Your own ID for the customer, sent only when it is created' },
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['findOrCreate'] } }, properties);

const same = (value: unknown, wanted: string) => typeof value === 'string' && value.trim().toLowerCase() === wanted.toLowerCase();

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const name = optionalText(this.getNodeParameter('name', itemIndex, ''));
	if (!name) problem.fail('Name', 'is required');
	const emailRaw = this.getNodeParameter('email', itemIndex, '');
	const email = optionalText(emailRaw) === undefined ? undefined : readEmail(emailRaw, problem);
	const externalId = optionalText((this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject).externalId);
	// The server's filter is "contains" over the company name: the exact company name is kept here,
	// matched on the field the server searched, or a customer it found could never match and would be
	// created again on every run. A reply without a company name is matched on its name.
	const named = (await listAll(client, '/customers', { company_name: name }, { itemIndex, what: 'customers' })).filter((customer) =>
		same(customer.company_name ?? customer.name, name),
	);
	const matches = email === undefined ? named : named.filter((customer) => same(customer.email, email));
	if (matches.length > 1) {
		problem.fail(email === undefined ? 'Name' : 'Email', `matches ${matches.length} Alternative Payments customers: ${matches.map((customer) => String(customer.id)).join(', ')}`, 'Set Email to tell them apart, or pick one with Get.');
	}
	if (matches.length === 1) return [{ json: matches[0] as IDataObject, pairedItem: { item: itemIndex } }];
	if (email === undefined) problem.fail('Email', 'is empty, and no customer has this name, so one cannot be created', 'Set the email address of the customer to create.');
	return [{ json: await createCustomer(client, { name, email, externalId }, itemIndex), pairedItem: { item: itemIndex } }];
}
