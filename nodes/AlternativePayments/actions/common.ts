import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionsCollection as sharedOptionsCollection } from '../../shared/actions/options';

const WORDING = { name: 'Alternative Payments', rateLimit: '5 requests a second' };

/** The Options collection of an Alternative Payments operation: its own options, then the kit's Timeout and Max Wait. */
export function optionsCollection(operationOptions: INodeProperties[] = []): INodeProperties {
	return sharedOptionsCollection(WORDING, operationOptions);
}

export const customerIdLocator: INodeProperties = {
	displayName: 'Customer',
	name: 'customerId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'An existing Alternative Payments customer',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a customer…',
			typeOptions: { searchListMethod: 'searchCustomers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'cus_2b7f…',
			validation: [{ type: 'regex', properties: { regex: '^[A-Za-z0-9_-]{1,128}$', errorMessage: 'A customer ID is letters, digits, - and _' } }],
		},
	],
};

export const invoiceIdLocator: INodeProperties = {
	displayName: 'Invoice',
	name: 'invoiceId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The invoice to work on, by its Alternative Payments ID (not its invoice number)',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'inv_2b7f…',
			validation: [{ type: 'regex', properties: { regex: '^[A-Za-z0-9_-]{1,128}$', errorMessage: 'An invoice ID is letters, digits, - and _' } }],
		},
	],
};

/** Reads an id from the locator; refuses what cannot be an id before any request. */
export function readId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const locator = context.getNodeParameter(name, itemIndex) as IDataObject | string;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) {
		const problem = text === '' ? `The ${label} field is empty` : `The ${label} field is not an ID: "${text.slice(0, 80)}"`;
		throw new NodeOperationError(context.getNode(), `${problem} [item ${itemIndex}]`, {
			description: `Map the "id" field of an earlier Alternative Payments node, or paste the ${label.toLowerCase()}'s ID.`,
			itemIndex,
		});
	}
	return text;
}

export { isObjectWithId as isApiObject } from '../../shared/actions/shapes';

/** `{ "url": "…" }`, as the link endpoints answer. */
export const isLink = (value: unknown): value is { url: string } =>
	typeof value === 'object' && value !== null && typeof (value as { url?: unknown }).url === 'string' && (value as { url: string }).url.trim() !== '';

