import type { IDataObject } from 'n8n-workflow';

import { roundToCents } from '../../shared/actions/input';
import { asNodeError, isNotFound } from '../../shared/http/errorChain';
import { optionList } from '../../shared/overdue/overduePoll';
import type { InvoiceSimplifier, SimpleCustomer, SimpleInvoice, SimplePayment } from '../../shared/simplify';
import { customerRef, daysOverdueOrNull, dueDateOrNull, eventName, moneyOrNull, objectOrEmpty, textOrNull } from '../../shared/simplify';
import type { AlternativePaymentsClient } from '../transport';
import { resourcePath } from '../transport';
import { DEFAULT_CLOSED_STATUSES, openInvoices } from '../trigger/overdueRecord';

/** The customers simplified invoices name, by id: null for one Alternative Payments no longer has. */
export type CustomerDirectory = Map<string, IDataObject | null>;

const isDefaultOpen = openInvoices(optionList(DEFAULT_CLOSED_STATUSES));

/**
 * An Alternative Payments invoice in the compact shape every provider shares. Its tax is implied
 * (total less sub_total); its customer's name and email come from the directory, because the
 * invoice carries only the customer's id.
 */
export function simplifyInvoice(invoice: Record<string, unknown>, customers: CustomerDirectory, now: Date, timeZone: string, isOpen: (invoice: unknown) => boolean = isDefaultOpen): SimpleInvoice {
	const customerId = textOrNull(invoice.customer_id);
	const customer = objectOrEmpty(customerId === null ? undefined : customers.get(customerId));
	const amountNet = moneyOrNull(invoice.sub_total);
	const amountTotal = moneyOrNull(invoice.total);
	const dueDate = dueDateOrNull(invoice.due_date);
	return {
		id: String(invoice.id),
		number: textOrNull(invoice.invoice_number),
		status: textOrNull(invoice.status),
		currency: textOrNull(invoice.currency),
		amountNet,
		amountTax: amountNet === null || amountTotal === null ? null : roundToCents(amountTotal - amountNet),
		amountTotal,
		dueDate,
		daysOverdue: daysOverdueOrNull(dueDate, isOpen(invoice), now, timeZone),
		customer: customerRef(customerId, customer.name ?? customer.company_name, customer.email),
		// Lists and Get carry no payment link: Get Payment Link asks for one.
		paymentLink: null,
		provider: 'alternativePayments',
	};
}

export function simplifyCustomer(customer: Record<string, unknown>): SimpleCustomer {
	return {
		id: String(customer.id),
		name: textOrNull(customer.name) ?? textOrNull(customer.company_name),
		email: textOrNull(customer.email),
		portalLink: null,
		provider: 'alternativePayments',
	};
}

export function simplifyPayment(payment: Record<string, unknown>): SimplePayment {
	return {
		id: String(payment.id),
		status: textOrNull(payment.status),
		currency: textOrNull(payment.currency),
		amount: moneyOrNull(payment.total),
		invoiceId: textOrNull(payment.invoice_id),
		customerId: textOrNull(payment.customer_id),
		createdAt: textOrNull(payment.created_at),
		provider: 'alternativePayments',
	};
}

/**
 * Reads each customer the invoices name, once (one request each): what Simplify costs on
 * Alternative Payments. A customer it no longer has is null; any other failure is thrown, unless
 * `tolerant` (a trigger, whose events must not be lost to a name): then that customer is null too.
 */
export async function readCustomers(client: AlternativePaymentsClient, invoices: Array<Record<string, unknown>>, itemIndex?: number, tolerant = false): Promise<CustomerDirectory> {
	const directory: CustomerDirectory = new Map();
	for (const id of new Set(invoices.map((invoice) => textOrNull(invoice.customer_id)))) {
		if (id === null || directory.has(id)) continue;
		try {
			directory.set(id, (await client.request({ method: 'GET', path: resourcePath('customers', id), itemIndex })) as IDataObject);
		} catch (error) {
			if (!tolerant && !isNotFound(error)) throw asNodeError(client.node, error, itemIndex);
			directory.set(id, null);
		}
	}
	return directory;
}

/** How one resource's records become compact ones (invoices read their customers first). */
export type Simplifier = (client: AlternativePaymentsClient, records: IDataObject[], itemIndex: number) => Promise<IDataObject[]>;

export const simplifyInvoices: Simplifier = async (client, invoices, itemIndex) => {
	const customers = await readCustomers(client, invoices, itemIndex);
	const now = new Date();
	return invoices.map((invoice) => simplifyInvoice(invoice, customers, now, client.timeZone));
};

export const simplifyCustomers: Simplifier = async (_client, customers) => customers.map(simplifyCustomer);

export const simplifyPayments: Simplifier = async (_client, payments) => payments.map(simplifyPayment);

/** Simplify for the triggers: a customer that cannot be read in time leaves its name and email null. */
export function triggerSimplifier(client: AlternativePaymentsClient, isOpen: (invoice: unknown) => boolean = isDefaultOpen): InvoiceSimplifier {
	return async (invoices, now, timeZone) => {
		const customers = await readCustomers(client, invoices, undefined, true);
		return invoices.map((invoice) => simplifyInvoice(invoice, customers, now, timeZone, isOpen));
	};
}

/**
 * A webhook delivery in the compact shape: the invoice, customer or payment it carries, and the
 * event in the spelling every provider's trigger shares ("invoice_paid" is "invoicePaid").
 */
export async function simplifyDelivery(client: AlternativePaymentsClient, topic: string | undefined, body: IDataObject, now: Date): Promise<IDataObject> {
	const event = eventName(topic);
	const data = objectOrEmpty(body.data);
	const resource = /^(invoice|customer|payment)_/.exec(topic ?? '')?.[1];
	if (data.id === undefined || data.id === null || resource === undefined) {
		return { id: textOrNull(data.id), event, provider: 'alternativePayments' };
	}
	if (resource === 'invoice') return { ...(await triggerSimplifier(client)([data], now, client.timeZone))[0], event };
	return { ...(resource === 'customer' ? simplifyCustomer(data) : simplifyPayment(data)), event };
}
