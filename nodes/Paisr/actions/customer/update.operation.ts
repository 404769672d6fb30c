import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, readEmail } from '../../../shared/actions/input';
import { alphabetical } from '../../../shared/actions/options';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import { customerIdLocator, one, optionsCollection, readId } from '../common';
import { customerFields, readCustomerFields } from './fields';

const properties: INodeProperties[] = [
	customerIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical<INodeProperties>([...customerFields, { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' }]),
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['update'] } }, properties);

/** PUT answers with a message only: the output is the customer read back. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const problem: InputProblem = new InputProblem(this.getNode(), itemIndex);
	const id = readId(this, 'customerId', 'Customer', itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = readCustomerFields(fields, problem);
	if (fields.email !== undefined) body.email = readEmail(fields.email, problem);
	if (Object.keys(body).length === 0) problem.fail('Update Fields', 'has nothing to change');
	await client.request({ method: 'PUT', path: resourcePath('customers', id), body, itemIndex, effectIfAnswerLost: `Customer ${id} may have been changed` });
	return one(await client.data({ method: 'GET', path: resourcePath('customers', id), itemIndex }, 'customer'), itemIndex);
}
