import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputProblem, readCalendarDate, readItemDescription, readItemMoney, readRawLineItems, readWholeQuantity } from '../../../shared/actions/input';
import { centsOf, formatCents } from '../../../shared/money';
import type { AlternativePaymentsClient } from '../../transport';
import { createSimplifyProperty, readCreateSimplify } from '../../../shared/simplify';
import { customerIdLocator, isApiObject, optionsCollection, readId } from '../common';
import { readCustomers, simplifyInvoice } from '../simplify';

const properties: INodeProperties[] = [
	customerIdLocator,
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Sent as the calendar date written here (YYYY-MM-DD); a time or offset never moves the day',
	},
	{
		displayName: 'Amounts are in US dollars (USD), the only currency Alternative Payments takes for invoices',
		name: 'currencyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Line Items Input',
		name: 'lineItemsInputMode',
		type: 'options',
		options: [
			{ name: 'Define Below', value: 'fields', description: 'Enter each line item in the fields below' },
			{ name: 'From JSON', value: 'json', description: 'Take an array of line items, e.g. from an earlier node' },
		],
		default: 'fields',
	},
	{
		displayName: 'Line Items',
		name: 'lineItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Line Item',
		default: {},
		displayOptions: { show: { lineItemsInputMode: ['fields'] } },
		options: [
			{
				displayName: 'Line Item',
				name: 'item',
				values: [
					{ displayName: 'Description', name: 'description', type: 'string', default: '', required: true },
					{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { numberPrecision: 0 }, default: 1, description: 'A whole number of at least 1' },
					{
						displayName: 'Unit Price',
						name: 'amount',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description: 'Price of one unit in dollars (not cents), such as 125.50; sent as the line\'s amount',
						hint: '0 makes a free line',
					},
				],
			},
		],
	},
	{
		displayName: 'Line Items (JSON)',
		name: 'lineItemsJson',
		type: 'json',
		// Empty, not a sample line: a sample that nobody replaced would be billed.
		default: '[]',
		placeholder: '[{ "description": "Managed services", "quantity": 1, "unitPrice": 1250.5 }]',
		description: 'A JSON array of line items with description, quantity (a whole number) and unitPrice (or amount, dollars). Map it from a field of an earlier node.',
		displayOptions: { show: { lineItemsInputMode: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Exclude From Autopay',
				name: 'excludeFromAutopay',
				type: 'boolean',
				default: false,
				description:
					'Whether Autopay must never charge this invoice. Autopay charges the customer’s saved payment method on the due date; turn this on when you collect the invoice some other way.',
			},
		],
	},
	createSimplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['create'] } }, properties);

const LINE_ITEM_FIELDS = {
	mode: 'lineItemsInputMode',
	collection: 'lineItems',
	json: 'lineItemsJson',
	example: '[{"description": "Managed services", "quantity": 1, "unitPrice": 1250.5}]',
	shape: 'description, quantity and unitPrice',
};

export interface CreateInvoiceBody {
	customer_id: string;
	currency: 'USD';
	due_date: string;
	line_items: Array<{ description: string; quantity: number; amount: number }>;
	exclude_from_autopay: boolean;
}

/** Builds the create body, refusing bad input before any request. Amounts are dollars, sent as given (rounded to cents), never times 100. */
export function readCreateInvoiceBody(context: IExecuteFunctions, itemIndex: number): CreateInvoiceBody {
	// Typed explicitly, so that TypeScript narrows after each problem.fail() (it returns never).
	const problem: InputProblem = new InputProblem(context.getNode(), itemIndex);
	const customerId = readId(context, 'customerId', 'Customer', itemIndex);
	const dueDate = readCalendarDate(context, 'dueDate', 'Due Date', itemIndex, problem);
	const lineItems = readRawLineItems(context, itemIndex, LINE_ITEM_FIELDS, problem).map(({ raw, label }) => ({
		description: readItemDescription(raw, label, problem),
		quantity: readWholeQuantity(raw, label, problem),
		amount: readItemMoney(raw, { label: `${label} Unit Price`, names: ['unitPrice', 'unit_price', 'amount'], minimum: 0, example: '125.50 dollars' }, problem),
	}));
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return { customer_id: customerId, currency: 'USD', due_date: dueDate, line_items: lineItems, exclude_from_autopay: additional.excludeFromAutopay === true };
}

function describeInvoice(body: CreateInvoiceBody): string {
	// Whole cents: each amount is already rounded to cents, each quantity whole.
	const total = body.line_items.reduce((sum, item) => sum + item.quantity * (centsOf(item.amount) ?? 0), 0);
	return `The invoice (customer ${body.customer_id}, due ${body.due_date}, $${formatCents(total)}) may have been created; list the customer's invoices (Get Many with Customer ID) to see`;
}

export async function execute(this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const body = readCreateInvoiceBody(this, itemIndex);
	const request = { method: 'POST' as const, path: '/invoices', body, itemIndex, effectIfAnswerLost: describeInvoice(body) };
	const invoice = client.expectShape(await client.request(request), isApiObject, 'created invoice (an object with an id)', request);
	if (!readCreateSimplify(this, itemIndex)) return [{ json: invoice as IDataObject, pairedItem: { item: itemIndex } }];
	// The invoice exists: a customer that cannot be read leaves its name null rather than losing the output.
	const customers = await readCustomers(client, [invoice], itemIndex, true);
	return [{ json: simplifyInvoice(invoice, customers, new Date(), this.getTimezone()) as unknown as IDataObject, pairedItem: { item: itemIndex } }];
}
