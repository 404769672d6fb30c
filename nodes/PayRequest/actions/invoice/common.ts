import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TransportSettings } from '../../transport';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../transport';

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
		throw new NodeOperationError(context.getNode(), `${problem} [item ${itemIndex}]`, {
			description:
				mode === 'url'
					? 'Paste the invoice URL from PayRequest, such as https://payrequest.app/invoices/1234.'
					: 'An invoice ID is a whole number, such as 1234. Pick the invoice from the list, or map the "id" field of an earlier PayRequest node.',
			itemIndex,
		});
	}
	return text;
}

/**
 * Options every operation has: how long a request may take and how long the rate limit may hold it.
 * The defaults are literals because n8n's lint wants them so; they equal DEFAULT_TRANSPORT_SETTINGS.
 */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'Seconds to wait for PayRequest to answer one request before giving up',
	},
	{
		displayName: 'Max Wait',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 300,
		description:
			"Seconds this node may wait in all for PayRequest's rate limit (60 requests a minute) before it stops with an error",
	},
];

/** The Options collection of an operation: its own options, then Timeout and Max Wait. */
export function optionsCollection(operationOptions: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...operationOptions, ...requestOptions],
	};
}

export function positiveNumberOption(
	context: IExecuteFunctions,
	options: IDataObject,
	name: string,
	label: string,
	fallback: number,
	minimum: number,
	itemIndex: number,
): number {
	const value = options[name];
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number) || number < minimum) {
		throw new NodeOperationError(context.getNode(), `The ${label} option must be a number of at least ${minimum} [item ${itemIndex}]`, {
			itemIndex,
		});
	}
	return number;
}

export function readOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {});
	return typeof options === 'object' && options !== null ? (options as IDataObject) : {};
}

/** Timeout and Max Wait of one item: read inside the item's error handling, so Continue On Fail covers them. */
export function readTransportSettings(context: IExecuteFunctions, itemIndex: number): TransportSettings {
	const options = readOptions(context, itemIndex);
	return {
		timeoutSeconds: positiveNumberOption(context, options, 'timeout', 'Timeout', DEFAULT_TRANSPORT_SETTINGS.timeoutSeconds, 1, itemIndex),
		maxWaitSeconds: positiveNumberOption(context, options, 'maxWaitSeconds', 'Max Wait', DEFAULT_TRANSPORT_SETTINGS.maxWaitSeconds, 0, itemIndex),
	};
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** An invoice as the API returns it: an object that has an id. */
export const isInvoiceObject = (value: unknown): value is Record<string, unknown> =>
	isPlainObject(value) && value.id !== undefined && value.id !== null && value.id !== '';

export const isObjectArray = (value: unknown): value is Array<Record<string, unknown>> =>
	Array.isArray(value) && value.every(isPlainObject);
