import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { toCalendarDate } from '../../../shared/calendarDate';
import type { PayRequestClient } from '../../transport';
import { isInvoiceObject, isPlainObject, optionsCollection } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '567',
		description: 'ID of an existing PayRequest customer to bill',
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
						typeOptions: { minValue: 0.01, numberPrecision: 2 },
						default: 1,
					},
					{
						displayName: 'Unit Price',
						name: 'unitPrice',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description: 'Price per unit, before tax',
					},
					{
						displayName: 'Tax Rate (%)',
						name: 'taxRate',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
						default: 0,
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

class InputProblem {
	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
	) {}

	fail(field: string, problem: string, hint?: string): never {
		throw new NodeOperationError(this.node, `${field}: ${problem} [item ${this.itemIndex}]`, {
			description: hint,
			itemIndex: this.itemIndex,
		});
	}
}

const shown = (value: unknown) => {
	if (typeof value === 'string') return `"${value.slice(0, 60)}"`;
	if (value === null || value === undefined) return 'empty';
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
};

/** Numbers may arrive as numbers or, from expressions and JSON, as numeric text. */
function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

function pick(raw: Record<string, unknown>, ...names: string[]): unknown {
	for (const name of names) if (raw[name] !== undefined) return raw[name];
	return undefined;
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
	const taxRaw = pick(raw, 'taxRate', 'tax_rate');
	const taxRate = taxRaw === undefined || taxRaw === null || taxRaw === '' ? 0 : toNumber(taxRaw);
	if (taxRate === undefined) problem.fail(`${label} Tax Rate`, `is not a number: ${shown(taxRaw)}`);
	if (taxRate < 0 || taxRate > 100) problem.fail(`${label} Tax Rate`, `must be a percentage from 0 to 100, not ${taxRate}`);
	return { description: description.trim(), quantity, unit_price: unitPrice, tax_rate: taxRate };
}

function readLineItems(context: IExecuteFunctions, itemIndex: number, problem: InputProblem): LineItemBody[] {
	const mode = context.getNodeParameter('itemsInputMode', itemIndex, 'fields') as string;
	let rawItems: unknown;
	if (mode === 'json') {
		rawItems = context.getNodeParameter('itemsJson', itemIndex, '[]');
		if (typeof rawItems === 'string') {
			try {
				rawItems = JSON.parse(rawItems);
			} catch {
				problem.fail('Line Items (JSON)', 'is not valid JSON', 'Give an array such as [{"description": "Consulting", "quantity": 8, "unitPrice": 150}].');
			}
		}
		if (isPlainObject(rawItems) && Array.isArray(rawItems.items)) rawItems = rawItems.items;
		if (!Array.isArray(rawItems)) {
			problem.fail('Line Items (JSON)', `must be an array of line items, not ${shown(rawItems)}`);
		}
	} else {
		const collection = context.getNodeParameter('items', itemIndex, {}) as IDataObject;
		rawItems = Array.isArray(collection.item) ? collection.item : [];
	}
	const items = rawItems as unknown[];
	if (items.length === 0) {
		problem.fail('Line Items', 'an invoice needs at least one line item', 'Add a line item with a description, quantity and unit price.');
	}
	return items.map((raw, index) => {
		const label = `Line Item ${index + 1}`;
		if (!isPlainObject(raw)) problem.fail(label, `must be an object with description, quantity and unitPrice, not ${shown(raw)}`);
		return readLineItem(raw, label, problem);
	});
}

function readDate(context: IExecuteFunctions, name: string, label: string, itemIndex: number, problem: InputProblem): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw === '' || raw === null || raw === undefined) problem.fail(label, 'is required');
	const date = toCalendarDate(raw);
	if (!date) problem.fail(label, `is not a date: ${shown(raw)}`, 'Use a date such as 2025-01-31, an ISO date-time, or {{ $now }}.');
	return date;
}

function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** Builds the create body from the node's parameters, refusing bad input before any request. */
export function readCreateInvoiceBody(context: IExecuteFunctions, itemIndex: number): CreateInvoiceBody {
	const problem: InputProblem = new InputProblem(context.getNode(), itemIndex);
	const customerRaw = context.getNodeParameter('customerId', itemIndex, '') as unknown;
	const customerText = typeof customerRaw === 'number' ? String(customerRaw) : typeof customerRaw === 'string' ? customerRaw.trim() : '';
	if (!/^[1-9][0-9]{0,15}$/.test(customerText) || !Number.isSafeInteger(Number(customerText))) {
		problem.fail('Customer ID', `is not a customer ID: ${shown(customerRaw)}`, 'A customer ID is a whole number, such as 567.');
	}
	const date = readDate(context, 'date', 'Invoice Date', itemIndex, problem);
	const dueDate = readDate(context, 'dueDate', 'Due Date', itemIndex, problem);
	if (dueDate < date) problem.fail('Due Date', `(${dueDate}) is before the Invoice Date (${date})`);
	const items = readLineItems(context, itemIndex, problem);
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
	return [{ json: invoice as IDataObject, pairedItem: { item: itemIndex } }];
}
