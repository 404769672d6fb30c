import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { InputProblem } from '../../shared/actions/input';
import { optionalText, readItemDescription, readItemMoney, readRawLineItems, readWholeQuantity, shown, toNumber } from '../../shared/actions/input';
import { idMode, listMode, readLocatorId } from '../../shared/actions/locator';
import { optionsCollection as sharedOptionsCollection } from '../../shared/actions/options';
import { keepMessage } from '../../shared/http/errorChain';
import type { ApiBody } from '../../shared/http/types';
import type { PaisrClient } from '../transport';
import { resourcePath } from '../transport';

const WORDING = { name: 'Paisr', rateLimit: '250 requests a minute' };

/** The Options collection of a Paisr operation: its own options, then the kit's Timeout and Max Wait. */
export function optionsCollection(operationOptions: INodeProperties[] = []): INodeProperties {
	return sharedOptionsCollection(WORDING, operationOptions);
}

export const CURRENCY_OPTIONS = [
	{ name: 'EUR', value: 'EUR' },
	{ name: 'SRD', value: 'SRD' },
	{ name: 'USD', value: 'USD' },
];

export const invoiceIdLocator: INodeProperties = {
	displayName: 'Invoice',
	name: 'invoiceId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The invoice to work on, by its Paisr ID (inv_…, not its number)',
	modes: [listMode('searchInvoices', 'Select an invoice…'), idMode('inv_123456', 'invoice')],
};

export const paymentLocator: INodeProperties = {
	displayName: 'Payment',
	name: 'paymentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The payment: picked from the list, or by its Paisr ID (pmt_…)',
	modes: [listMode('searchPayments', 'Select a payment…'), idMode('pmt_123456', 'payment')],
};

const customerListMode = listMode('searchCustomers', 'Select a customer…');

export const customerIdLocator: INodeProperties = {
	displayName: 'Customer',
	name: 'customerId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A Paisr customer',
	modes: [customerListMode, idMode('cus_123456', 'customer')],
};

/** Create's customer: Paisr takes a customer ID or an email address. */
export const invoiceCustomerLocator: INodeProperties = {
	displayName: 'Customer',
	name: 'customer',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The customer to bill: picked from the list, by ID (cus_…) or by the email address of an existing customer',
	modes: [
		customerListMode,
		idMode('cus_123456', 'customer'),
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'jane@example.com',
			validation: [{ type: 'regex', properties: { regex: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', errorMessage: 'Not an email address' } }],
		},
	],
};

/** An id from a locator or a plain string parameter; refuses what cannot be an id before any request. */
export function readId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	return readLocatorId(context, name, label, itemIndex, 'Paisr');
}

/** The due date as Paisr takes it: a relative phrase. A typed phrase wins over a number of days. */
export function duePhrase(dueText: unknown, dueInDays: unknown, problem: InputProblem, required: boolean): string | undefined {
	const text = optionalText(dueText);
	if (text !== undefined) {
		if (text.length > 100) problem.fail('Due (Text)', 'is longer than 100 characters', 'Write a relative time such as "In 3 days".');
		return text;
	}
	if (dueInDays === undefined || dueInDays === null || dueInDays === '') {
		if (required) problem.fail('Due In Days', 'is empty', 'Set how many days from today the invoice is due, or a relative phrase in Due (Text).');
		return undefined;
	}
	const days = toNumber(dueInDays);
	if (days === undefined || !Number.isSafeInteger(days) || days < 0) problem.fail('Due In Days', `must be a whole number of 0 or more, not ${shown(dueInDays)}`);
	return `In ${days} days`;
}

/** Paisr refused a due phrase: its message, and the phrase that was sent, so the user can see what it read. */
export function withDuePhrase(error: unknown, phrase: string | undefined): unknown {
	if (phrase === undefined || !(error instanceof NodeApiError) || !/^4\d\d$/.test(error.httpCode ?? '') || !/\bdue\b/i.test(error.message)) return error;
	const message = `${error.message} (the due date was sent as "${phrase}")`;
	error.description = `Paisr takes the due date as a relative time, such as "In 3 days". Use Due In Days, or write another phrase in Due (Text). ${error.description ?? ''}`.trim();
	return keepMessage(error, message);
}

export const DUE_IN_DAYS: INodeProperties = {
	displayName: 'Due In Days',
	name: 'dueInDays',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 14,
	description: 'How many days from today the invoice is due. Paisr sets the date (due_at in the output).',
};

export const DUE_TEXT: INodeProperties = {
	displayName: 'Due (Text)',
	name: 'dueText',
	type: 'string',
	default: '',
	placeholder: 'In 2 weeks',
	description: 'A relative time sent as typed, for forms other than days. Wins over Due In Days when set. Paisr documents only "In 3 days"; what else it reads is up to Paisr.',
};

/** Line items as Paisr takes them: description, whole quantity, unit price in major units (at least 0.01). */
export function itemProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Line Items Input',
			name: 'itemsInputMode',
			type: 'options',
			options: [
				{ name: 'Define Below', value: 'fields', description: 'Enter each line item in the fields below' },
				{ name: 'From JSON', value: 'json', description: 'Take an array of line items, e.g. from an earlier node' },
			],
			default: 'fields',
		},
		{
			displayName: 'Line Items',
			name: 'items',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Line Item',
			default: {},
			displayOptions: { show: { itemsInputMode: ['fields'] } },
			options: [
				{
					displayName: 'Line Item',
					name: 'item',
					values: [
						{ displayName: 'Description', name: 'description', type: 'string', default: '', required: true },
						{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { numberPrecision: 0 }, default: 1, description: 'A whole number of at least 1' },
						{
							displayName: 'Unit Price',
							name: 'unitPrice',
							type: 'number',
							typeOptions: { numberPrecision: 2 },
							default: 0,
							description: 'Price of one unit in the invoice currency, in major units (75.50, not cents)',
							hint: "At least 0.01: Paisr's minimum, so a free line cannot be sent",
						},
					],
				},
			],
		},
		{
			displayName: 'Line Items (JSON)',
			name: 'itemsJson',
			type: 'json',
			// Empty, not a sample line: a sample that nobody replaced would be billed.
			default: '[]',
			placeholder: '[{ "description": "Small Pizza", "quantity": 2, "unitPrice": 75 }]',
			description: 'A JSON array of line items with description, quantity (a whole number) and unitPrice (or unit_price, major units)',
			displayOptions: { show: { itemsInputMode: ['json'] } },
		},
	];
}

export interface PaisrLineItem {
	description: string;
	quantity: number;
	unit_price: number;
}

const ITEM_FIELDS = {
	mode: 'itemsInputMode',
	collection: 'items',
	json: 'itemsJson',
	example: '[{"description": "Small Pizza", "quantity": 2, "unitPrice": 75}]',
	shape: 'description, quantity and unitPrice',
	jsonLabel: 'Line Items (JSON)',
};

/** The most line items one invoice holds, and so the most one create or one add may carry. */
export const MAX_INVOICE_ITEMS = 500;

/** Line items from the item's parameters, checked before anything is sent: at least one. */
export function readItems(context: IExecuteFunctions, itemIndex: number, problem: InputProblem): PaisrLineItem[] {
	const items = readRawLineItems(context, itemIndex, ITEM_FIELDS, problem).map(({ raw, label }) => ({
		description: readItemDescription(raw, label, problem),
		quantity: readWholeQuantity(raw, label, problem),
		unit_price: readItemMoney(raw, { label: `${label} Unit Price`, names: ['unitPrice', 'unit_price'], minimum: 0.01, example: '75.50' }, problem),
	}));
	if (items.length > MAX_INVOICE_ITEMS) {
		problem.fail('Line Items', `has ${items.length} line items; a Paisr invoice holds at most ${MAX_INVOICE_ITEMS}`, 'Split them over several invoices.');
	}
	return items;
}

/** The invoice as Paisr shows it now (after a create or a change, whose answers carry no totals). */
export async function readInvoice(client: PaisrClient, invoiceId: string, itemIndex: number): Promise<IDataObject> {
	return await client.data({ method: 'GET', path: resourcePath('invoices', invoiceId), itemIndex }, 'invoice');
}

/** What an action endpoint said (`{success, message}`), with what it acted on. */
export function actionResult(fields: IDataObject, answer: ApiBody, itemIndex: number): INodeExecutionData[] {
	const message = typeof answer.message === 'string' ? answer.message : undefined;
	return [{ json: { ...fields, ...(message ? { message } : {}) }, pairedItem: { item: itemIndex } }];
}

export function one(json: IDataObject, itemIndex: number): INodeExecutionData[] {
	return [{ json, pairedItem: { item: itemIndex } }];
}
