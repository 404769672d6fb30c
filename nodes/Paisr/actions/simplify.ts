import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SimpleCustomer, SimpleInvoice, SimplePayment } from '../../shared/simplify';
import { customerRef, daysOverdueOrNull, dueDateOrNull, moneyOrNull, objectOrEmpty, readSimplify, textOrNull } from '../../shared/simplify';

/**
 * A Paisr invoice in the compact shape every provider shares. Paisr states no tax on an invoice:
 * its net total (after any voucher) is both the net and the total to pay, and the tax is null.
 * Its due date is a moment: its day is the day that moment falls on in the workflow's time zone,
 * and an unpaid invoice is overdue from the next local midnight, as every provider's is.
 */
export function simplifyInvoice(invoice: Record<string, unknown>, now: Date, timeZone: string): SimpleInvoice {
	const amount = objectOrEmpty(invoice.amount);
	const customer = objectOrEmpty(invoice.customer);
	const status = textOrNull(invoice.status);
	const dueDate = dueDateOrNull(invoice.due_at, timeZone);
	const net = moneyOrNull(amount.net_total);
	return {
		id: String(invoice.id),
		number: textOrNull(invoice.sid),
		status,
		currency: textOrNull(invoice.currency),
		amountNet: net,
		amountTax: null,
		amountTotal: net,
		dueDate,
		daysOverdue: daysOverdueOrNull(invoice.due_at, status === 'unpaid', now, timeZone),
		customer: customerRef(customer.id ?? invoice.customer_id, customer.name, customer.email),
		// The checkout link expires (about 30 minutes): a later step that needs one reads the invoice again.
		paymentLink: textOrNull(objectOrEmpty(invoice.session).url),
		provider: 'paisr',
	};
}

export function simplifyCustomer(customer: Record<string, unknown>): SimpleCustomer {
	return {
		id: String(customer.id),
		name: textOrNull(customer.name),
		email: textOrNull(customer.email),
		// The customer portal link expires too (30 minutes, the portal guide says).
		portalLink: textOrNull(objectOrEmpty(customer.session).url),
		provider: 'paisr',
	};
}

export function simplifyPayment(payment: Record<string, unknown>): SimplePayment {
	return {
		id: String(payment.id),
		status: textOrNull(payment.status),
		currency: textOrNull(payment.currency),
		amount: moneyOrNull(objectOrEmpty(payment.amount).due_total),
		invoiceId: textOrNull(payment.invoice_id),
		customerId: null,
		createdAt: textOrNull(payment.initiated_at),
		provider: 'paisr',
	};
}

/** The compact shape of a record of the given resource, when asked for (else the record as it came). */
export function simplifyRecord(resource: 'invoice' | 'customer' | 'payment', record: IDataObject, now: Date, timeZone: string): IDataObject {
	if (resource === 'invoice') return simplifyInvoice(record, now, timeZone);
	return resource === 'customer' ? simplifyCustomer(record) : simplifyPayment(record);
}

/** The output items of a Get or Get Many: compact unless Simplify is off. */
export function recordItems(context: IExecuteFunctions, resource: 'invoice' | 'customer' | 'payment', records: IDataObject[], itemIndex: number): INodeExecutionData[] {
	const simple = readSimplify(context, itemIndex);
	const now = new Date();
	const timeZone = context.getTimezone();
	return records.map((json) => ({ json: simple ? simplifyRecord(resource, json, now, timeZone) : json, pairedItem: { item: itemIndex } }));
}
