import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { InputProblem } from '../../../shared/actions/input';
import { optionalText } from '../../../shared/actions/input';
import { CURRENCY_OPTIONS } from '../common';

/** Paisr keeps at most 5 metadata pairs per customer. */
export const MAX_METADATA = 5;

const ADDRESS_FIELDS: Array<{ name: string; label: string; api: string; required: boolean }> = [
	{ name: 'line1', label: 'Line 1', api: 'line_1', required: true },
	{ name: 'line2', label: 'Line 2', api: 'line_2', required: false },
	{ name: 'city', label: 'City', api: 'city', required: true },
	{ name: 'state', label: 'State', api: 'state', required: false },
	{ name: 'zipCode', label: 'Zip Code', api: 'zip_code', required: false },
	{ name: 'country', label: 'Country', api: 'country', required: true },
];

/** The customer fields that create (beside its email) and update share. */
export const customerFields: INodeProperties[] = [
	{
		displayName: 'Billing Address',
		name: 'billingAddress',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Billing Address',
		options: [
			{
				displayName: 'Address',
				name: 'address',
				values: ADDRESS_FIELDS.map(({ name, label, required }) => ({
					displayName: label,
					name,
					type: 'string' as const,
					default: '',
					...(name === 'country' ? { placeholder: 'SR', description: 'Country code, such as SR, TT or JM' } : {}),
					...(required ? { required: true } : {}),
				})),
			},
		],
	},
	{ displayName: 'Default Currency', name: 'defaultCurrency', type: 'options', options: CURRENCY_OPTIONS, default: 'SRD', description: "The currency of this customer's invoices unless one says otherwise" },
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Pair',
		description: 'Up to 5 key-value pairs of your own',
		options: [
			{
				displayName: 'Pair',
				name: 'pair',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: '+597-8123456' },
];

/** The API's body from the fields the user set, checked: required address parts, at most 5 metadata pairs, a known currency. */
export function readCustomerFields(fields: IDataObject, problem: InputProblem): IDataObject {
	const body: IDataObject = {};
	for (const [name, api] of [['name', 'name'], ['phone', 'phone']] as const) {
		if (fields[name] !== undefined) {
			const text = optionalText(fields[name]);
			if (text === undefined) problem.fail(name === 'name' ? 'Name' : 'Phone', 'is empty', 'Remove the field, or fill it in.');
			body[api] = text;
		}
	}
	if (fields.defaultCurrency !== undefined) {
		if (!CURRENCY_OPTIONS.some((option) => option.value === fields.defaultCurrency)) problem.fail('Default Currency', `must be SRD, USD or EUR, not ${JSON.stringify(fields.defaultCurrency)}`);
		body.default_currency = fields.defaultCurrency;
	}
	const address = (fields.billingAddress as IDataObject | undefined)?.address as IDataObject | undefined;
	if (address) {
		const billing: IDataObject = {};
		for (const { name, label, api, required } of ADDRESS_FIELDS) {
			const text = optionalText(address[name]);
			if (text === undefined && required) problem.fail(`Billing Address ${label}`, 'is empty', 'Paisr needs Line 1, City and Country in an address.');
			if (text !== undefined) billing[api] = text;
		}
		body.billing_details = billing;
	}
	const pairs = ((fields.metadata as IDataObject | undefined)?.pair as IDataObject[] | undefined) ?? [];
	if (pairs.length > 0) {
		if (pairs.length > MAX_METADATA) problem.fail('Metadata', `has ${pairs.length} pairs; Paisr keeps at most ${MAX_METADATA}`);
		const metadata: IDataObject = {};
		for (const [index, pair] of pairs.entries()) {
			const key = optionalText(pair.key);
			if (key === undefined) problem.fail(`Metadata Pair ${index + 1} Key`, 'is empty');
			if (key in metadata) problem.fail(`Metadata Pair ${index + 1} Key`, `repeats "${key}"`);
			metadata[key] = String(pair.value ?? '');
		}
		body.metadata = metadata;
	}
	return body;
}

