import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, optionalText, pick, readCalendarDate, readRawLineItems, shown, toNumber } from '../../../shared/actions/input';
import type { PayRequestClient } from '../../transport';
import { createSimplifyProperty, readCreateSimplify } from '../../../shared/simplify';
import { isInvoiceObject, isPlainObject, optionsCollection } from './common';
import { simplifyInvoice } from './simplify';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer',
		name: 'customerId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: 'The existing PayRequest customer to bill. PayRequest has no customer list: From List shows the customers on your invoices.',
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
				placeholder: '567',
				validation: [{ type: 'regex', properties: { regex: '^[1-9][0-9]{0,15}$', errorMessage: 'A customer ID is a whole number, such as 567' } }],
			},
		],
	},
	{
		displayName: 'Invoice Date',
		name: 'date',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Sent as the calendar date written here (YYYY-MM-DD); a time or offset never moves the day',
	},
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'On or after the invoice date',
	},
	{
		// PayRequest's create takes no currency: the form says which one the invoice gets.
		displayName: "Amounts are in your PayRequest account's currency: PayRequest bills every invoice in it, and the API takes no other",
		name: 'currencyNotice',
		type: 'notice',
		default: '',
	},
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
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						// No editor minimum: it would quietly put a typed -3 back; the run refuses it by name instead.
						typeOptions: { numberPrecision: 2 },
						default: 1,
						description: 'At least 0.01',
					},
					{
						displayName: 'Unit Price',
						name: 'unitPrice',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description: 'Price per unit, before tax',
						hint: 'Net of tax: PayRequest adds the Tax Rate (%). 0 makes a free line.',
					},
					{
						displayName: 'Tax Rate (%)',
						name: 'taxRate',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description: 'A percentage from 0 to 100',
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
		placeholder: '[{ "description": "Consulting", "quantity": 8, "unitPrice": 150, "taxRate": 21 }]',
		description:
			'A JSON array of line items with description, quantity, unitPrice and taxRate (unit_price and tax_rate work too). Map it from a field of an earlier node, such as its lines.',
		displayOptions: { show: { itemsInputMode: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Invoice Number',
				name: 'invoiceNumber',
				type: 'string',
				default: '',
				description: 'Your own invoice number; PayRequest generates one (INV-000043) when empty',
			},
			{ displayName: 'Notes', name: 'notes', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Printed on the invoice' },
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				description: 'Your internal reference, such as a project name or PO number',
			},
		],
	},
	createSimplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['create'] } }, properties);

export interface LineItemBody {
	description: string;
	quantity: number;
	unit_price: number;
	tax_rate: number;
}

export interface CreateInvoiceBody {
	customer_id: number;
	date: string;
	due_date: string;
	items: LineItemBody[];
	invoice_number?: string;
	reference?: string;
	notes?: string;
}

function readLineItem(raw: Record<string, unknown>, label: string, problem: InputProblem): LineItemBody {
	const description = pick(raw, 'description');
	if (typeof description !== 'string' || description.trim() === '') {
		problem.fail(`${label} Description`, `is empty`, 'Every line item needs a description.');
	}
	const quantityRaw = pick(raw, 'quantity');
	const quantity = toNumber(quantityRaw);
	if (quantity === undefined) problem.fail(`${label} Quantity`, `is not a number: ${shown(quantityRaw)}`);
	if (quantity < 0.01) problem.fail(`${label} Quantity`, `must be at least 0.01, not ${quantity}`);
	const priceRaw = pick(raw, 'unitPrice', 'unit_price');
	const unitPrice = toNumber(priceRaw);
	if (unitPrice === undefined) problem.fail(`${label} Unit Price`, `is not a number: ${shown(priceRaw)}`);
	// PayRequest documents no credit lines: a negative price would make a negative invoice.
	if (unitPrice < 0) problem.fail(`${label} Unit Price`, `must not be negative, not ${unitPrice}`, 'PayRequest invoices have no credit lines; 0 makes a free line.');
	const taxRaw = pick(raw, 'taxRate', 'tax_rate');
	const taxRate = taxRaw === undefined || taxRaw === null || taxRaw === '' ? 0 : toNumber(taxRaw);
	if (taxRate === undefined) problem.fail(`${label} Tax Rate`, `is not a number: ${shown(taxRaw)}`);
	if (taxRate < 0 || taxRate > 100) problem.fail(`${label} Tax Rate`, `must be a percentage from 0 to 100, not ${taxRate}`);
	return { description: description.trim(), quantity, unit_price: unitPrice, tax_rate: taxRate };
}

const LINE_ITEM_FIELDS = {
	mode: 'itemsInputMode',
	collection: 'items',
	json: 'itemsJson',
	example: '[{"description": "Consulting", "quantity": 8, "unitPrice": 150}]',
	shape: 'description, quantity and unitPrice',
};

/** Builds the create body from the node's parameters, refusing bad input before any request. */
export function readCreateInvoiceBody(context: IExecuteFunctions, itemIndex: number): CreateInvoiceBody {
	const problem: InputProblem = new InputProblem(context.getNode(), itemIndex);
	// The locator's value; a plain value too (an ID mapped before Customer was a locator).
	const given = context.getNodeParameter('customerId', itemIndex, '') as unknown;
	const customerRaw = isPlainObject(given) && ('__rl' in given || 'mode' in given) ? given.value : given;
	const customerText = typeof customerRaw === 'number' ? String(customerRaw) : typeof customerRaw === 'string' ? customerRaw.trim() : '';
	if (!/^[1-9][0-9]{0,15}$/.test(customerText) || !Number.isSafeInteger(Number(customerText))) {
		problem.fail('Customer', `is not a customer ID: ${shown(customerRaw)}`, 'Pick the customer from the list, or give its ID, a whole number such as 567.');
	}
	const date = readCalendarDate(context, 'date', 'Invoice Date', itemIndex, problem);
	const dueDate = readCalendarDate(context, 'dueDate', 'Due Date', itemIndex, problem);
	if (dueDate < date) problem.fail('Due Date', `(${dueDate}) is before the Invoice Date (${date})`);
	const items = readRawLineItems(context, itemIndex, LINE_ITEM_FIELDS, problem).map(({ raw, label }) => readLineItem(raw, label, problem));
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: CreateInvoiceBody = { customer_id: Number(customerText), date, due_date: dueDate, items };
	const invoiceNumber = optionalText(additional.invoiceNumber);
	const reference = optionalText(additional.reference);
	const notes = optionalText(additional.notes);
	if (invoiceNumber) body.invoice_number = invoiceNumber;
	if (reference) body.reference = reference;
	if (notes) body.notes = notes;
	return body;
}

function describeInvoice(body: CreateInvoiceBody): string {
	const names = [
		body.invoice_number && `number ${body.invoice_number}`,
		body.reference && `reference "${body.reference}"`,
		`customer ${body.customer_id}`,
		`dated ${body.date}`,
	].filter(Boolean);
	return `The invoice (${names.join(', ')}) may have been created`;
}

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const body = readCreateInvoiceBody(this, itemIndex);
	const request = {
		method: 'POST' as const,
		path: '/v1/invoices',
		body,
		itemIndex,
		effectIfAnswerLost: describeInvoice(body),
	};
	const envelope = await client.request(request);
	// One invoice with its id, nothing else: a list or an empty object is not what was created.
	const invoice = client.expectShape(envelope.data, isInvoiceObject, 'created invoice (an object with an id) in data', request);
	// Simplified: the total with tax (PayRequest's amount is before it); PayRequest's create gives no payment link.
	const json = readCreateSimplify(this, itemIndex) ? simplifyInvoice(invoice, new Date(), this.getTimezone()) : invoice;
	return [{ json: json as IDataObject, pairedItem: { item: itemIndex } }];
}
