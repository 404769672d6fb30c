import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText, readEmail } from '../../../shared/actions/input';
import type { AlternativePaymentsClient } from '../../transport';
import { isApiObject, optionsCollection } from '../common';

const properties: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', description: 'The customer’s company name' },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', required: true, default: '', description: 'Where invoices and reminders go' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'Your own ID for the customer, such as its ID in your CRM. Alternative Payments refuses one that is already used.',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const name = optionalText(this.getNodeParameter('name', itemIndex, ''));
	if (!name) problem.fail('Name', 'is required');
	const email = readEmail(this.getNodeParameter('email', itemIndex, ''), problem);
	const externalId = optionalText((this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject).externalId);
	return [{ json: await createCustomer(client, { name, email, externalId }, itemIndex), pairedItem: { item: itemIndex } }];
}

/** POST /customers, never repeated after a lost answer; the created customer as the API gives it. */
export async function createCustomer(client: AlternativePaymentsClient, customer: { name: string; email: string; externalId?: string }, itemIndex: number): Promise<IDataObject> {
	const { name, email, externalId } = customer;
	const request = {
		method: 'POST' as const,
		path: '/customers',
		body: { name, email, ...(externalId ? { external_id: externalId } : {}) },
		itemIndex,
		effectIfAnswerLost: `The customer ${name} (${email}) may have been created; find it with Get Many and Company Name to see`,
	};
	return client.expectShape(await client.request(request), isApiObject, 'created customer (an object with an id)', request) as IDataObject;
}
