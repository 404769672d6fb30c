import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionsCollection as sharedOptionsCollection } from '../../../shared/actions/options';

/**
 * An invoice URL as PayRequest shows it: the dashboard's /invoices/<id> or a payment link's
 * /invoice/<id>, with anything after the id.
 */
export const INVOICE_URL_REGEX = 'https?://[^/\\s]+/(?:[^\\s?#]*/)?invoices?/([0-9]+)(?:[/?#].*)?$';

export const invoiceIdLocator: INodeProperties = {
	displayName: 'Invoice',
	name: 'invoiceId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The invoice to work on, by PayRequest's numeric invoice ID (such as 1234), not its invoice number (INV-…). With only the number, find the invoice first with Get Many and map its ID.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an invoice…',
			typeOptions: { searchListMethod: 'searchInvoices', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '1234',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[1-9][0-9]{0,15}$', errorMessage: 'An invoice ID is a whole number, such as 1234' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://payrequest.app/invoices/1234',
			extractValue: { type: 'regex', regex: INVOICE_URL_REGEX },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: INVOICE_URL_REGEX,
						errorMessage: 'Paste an invoice URL from PayRequest, ending in /invoices/<ID>',
					},
				},
			],
		},
	],
};

const INVOICE_ID = /^[1-9][0-9]{0,15}$/;

/** Reads an invoice id from any mode of the locator; refuses what is not an id before any request. */
export function readInvoiceId(context: IExecuteFunctions, itemIndex: number): string {
	const locator = context.getNodeParameter('invoiceId', itemIndex) as IDataObject | string | number;
	const mode = typeof locator === 'object' && locator !== null ? String(locator.mode ?? 'id') : 'id';
	let raw: unknown = typeof locator === 'object' && locator !== null ? locator.value : locator;
	if (mode === 'url') {
		raw = new RegExp(INVOICE_URL_REGEX).exec(String(raw ?? '').trim())?.[1] ?? raw;
	}
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!INVOICE_ID.test(text) || !Number.isSafeInteger(Number(text))) {
		const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
		const shown = typeof raw === 'string' || typeof raw === 'number' ? `"${String(raw).slice(0, 80)}"` : typeof raw;
		const problem = empty ? 'The Invoice field is empty' : `The Invoice field is not an invoice ID: ${shown}`;
		throw new NodeOperationError(context.getNode(), `${problem}`, {
			description:
				mode === 'url'
					? 'Paste the invoice URL from PayRequest, such as https://payrequest.app/invoices/1234.'
					: 'An invoice ID is a whole number, such as 1234. Pick the invoice from the list, or map the "id" field of an earlier PayRequest node.',
			itemIndex,
		});
	}
	return text;
}

const PAYREQUEST_WORDING = { name: 'PayRequest', rateLimit: '60 requests a minute' };

/** The Options collection of a PayRequest operation: its own options, then the kit's Timeout and Max Wait. */
export function optionsCollection(operationOptions: INodeProperties[] = []): INodeProperties {
	return sharedOptionsCollection(PAYREQUEST_WORDING, operationOptions);
}

export { positiveNumberOption, readOptions } from '../../../shared/actions/options';

// An invoice as the API returns it is an object with an id.
export { isObjectArray, isObjectWithId as isInvoiceObject, isPlainObject } from '../../../shared/actions/shapes';
