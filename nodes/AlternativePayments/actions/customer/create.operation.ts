import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText, shown } from '../../../shared/actions/input';
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
	const emailRaw = this.getNodeParameter('email', itemIndex, '');
	const email = optionalText(emailRaw);
	if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problem.fail('Email', `is not an email address: ${shown(emailRaw)}`);
	const externalId = optionalText((this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject).externalId);
	const body = { name, email, ...(externalId ? { external_id: externalId } : {}) };
	const request = {
		method: 'POST' as const,
		path: '/customers',
		body,
		itemIndex,
		effectIfAnswerLost: `The customer ${name} (${email}) may have been created; find it with Get Many and Company Name to see`,
	};
	const customer = client.expectShape(await client.request(request), isApiObject, 'created customer (an object with an id)', request);
	return [{ json: customer as IDataObject, pairedItem: { item: itemIndex } }];
}
