import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { EMAIL_PATTERN, InputProblem, optionalText } from '../../../shared/actions/input';
import { ID_PATTERN } from '../../../shared/actions/locator';
import type { PaisrClient } from '../../transport';
import { resourcePath } from '../../transport';
import type { PaisrLineItem } from '../common';
import { createSimplifyProperty, readCreateSimplify } from '../../../shared/simplify';
import { simplifyInvoice } from '../simplify';
import { CURRENCY_OPTIONS, DUE_IN_DAYS, DUE_TEXT, duePhrase, invoiceCustomerLocator, itemProperties, one, optionsCollection, readInvoice, readItems, withDuePhrase } from '../common';

/** The Currency field's choice of sending none: Paisr then bills in the customer's default_currency. */
const CUSTOMER_DEFAULT = 'customerDefault';

/** What one create takes; the rest go through the items endpoint. */
export const MAX_CREATE_ITEMS = 50;

const properties: INodeProperties[] = [
	invoiceCustomerLocator,
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'March consulting',
		description: 'What the invoice is for, as the customer sees it',
	},
	{ ...DUE_IN_DAYS, required: true },
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: [
			{ name: "Customer's Default Currency", value: CUSTOMER_DEFAULT, description: "The Default Currency set on the customer in Paisr (SRD unless it was changed)" },
			...CURRENCY_OPTIONS,
		],
		default: CUSTOMER_DEFAULT,
		hint: "Paisr bills in the customer's own Default Currency unless you pick one here; the customer list shows each customer's currency",
		// Version 1 kept the currency under Additional Fields; its saved workflows still send it from there.
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
	},
	...itemProperties(),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'options',
				options: CURRENCY_OPTIONS,
				default: 'SRD',
				description: "The invoice currency. Left out, Paisr uses the customer's default currency.",
				displayOptions: { show: { '@version': [1] } },
			},
			DUE_TEXT,
		],
	},
	createSimplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['create'] } }, properties);

export interface CreateInvoiceBody {
	customer: string;
	summary: string;
	due: string;
	currency?: string;
	items: PaisrLineItem[];
}

/** The whole create, checked before anything is sent: the customer, summary, due phrase, currency and up to 500 items. */
export function readCreateInvoice(context: IExecuteFunctions, itemIndex: number): CreateInvoiceBody {
	const problem: InputProblem = new InputProblem(context.getNode(), itemIndex);
	const locator = context.getNodeParameter('customer', itemIndex) as IDataObject | string;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const customerText = optionalText(typeof locator === 'object' && locator !== null ? locator.value : locator);
	if (customerText === undefined) problem.fail('Customer', 'is empty', 'Pick a customer, or give its ID (cus_…) or email address.');
	const isEmail = EMAIL_PATTERN.test(customerText);
	if (mode === 'email' ? !isEmail : !isEmail && !ID_PATTERN.test(customerText)) {
		problem.fail('Customer', `is neither a customer ID nor an email address: ${JSON.stringify(customerText.slice(0, 80))}`);
	}
	const summary = optionalText(context.getNodeParameter('summary', itemIndex, ''));
	if (summary === undefined) problem.fail('Summary', 'is empty', 'Say what the invoice is for.');
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const due = duePhrase(additional.dueText, context.getNodeParameter('dueInDays', itemIndex, undefined), problem, true) as string;
	const chosen = optionalText(context.getNodeParameter('currency', itemIndex, CUSTOMER_DEFAULT));
	const currency = chosen === CUSTOMER_DEFAULT || chosen === undefined ? optionalText(additional.currency) : chosen;
	if (currency !== undefined && !CURRENCY_OPTIONS.some((option) => option.value === currency)) problem.fail('Currency', `must be SRD, USD or EUR, not ${JSON.stringify(currency)}`);
	const items = readItems(context, itemIndex, problem);
	return { customer: customerText, summary, due, ...(currency ? { currency } : {}), items };
}

/**
 * Creates the invoice with its first 50 items and adds the rest in one more call (an invoice holds
 * 500 at most, checked before anything is sent). Neither call is repeated after a lost answer. If
 * the second fails, the error names the invoice that now exists. The output is the invoice read
 * back, since the create answers with its id and status only.
 */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const { items, ...fields } = readCreateInvoice(this, itemIndex);
	const first = items.slice(0, MAX_CREATE_ITEMS);
	const rest = items.slice(MAX_CREATE_ITEMS);
	const body = { ...fields, ...(first.length > 0 ? { items: first } : {}) };
	let created: IDataObject;
	try {
		created = await client.data(
			{
				method: 'POST',
				path: '/invoices',
				body,
				itemIndex,
				effectIfAnswerLost: `The invoice for ${fields.customer} ("${fields.summary.slice(0, 60)}") may have been created; list the customer's invoices (Get Many with Customer ID) to see`,
			},
			'created invoice (data with an id)',
		);
	} catch (error) {
		throw withDuePhrase(error, fields.due);
	}
	const invoiceId = String(created.id);
	if (rest.length > 0) {
		try {
			await client.request({
				method: 'POST',
				path: resourcePath('invoices', invoiceId, 'items'),
				body: { items: rest },
				itemIndex,
				effectIfAnswerLost: `Invoice ${invoiceId} was created with its first ${first.length} items; the other ${rest.length} may have been added`,
			});
		} catch (error) {
			const cause = error instanceof Error ? error.message : String(error);
			throw new NodeOperationError(this.getNode(), `Invoice ${invoiceId} was created with its first ${first.length} of ${items.length} line items, but adding the other ${rest.length} failed: ${cause}`, {
				description: `The invoice exists. Look at it (Get with ID ${invoiceId}) and add what is missing with Add Line Items, or delete it, rather than creating it again.${error instanceof NodeApiError && error.description ? ` ${error.description}` : ''}`,
				itemIndex,
			});
		}
	}
	const invoice = await readInvoice(client, invoiceId, itemIndex);
	// Simplified: the total and the checkout link of the invoice read back.
	return one(readCreateSimplify(this, itemIndex) ? (simplifyInvoice(invoice, new Date(), this.getTimezone()) as unknown as IDataObject) : invoice, itemIndex);
}
