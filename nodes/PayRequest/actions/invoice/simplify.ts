import { roundToCents } from '../../../shared/actions/input';
import type { SimpleInvoice } from '../../../shared/simplify';
import { customerRef, daysOverdueOrNull, dueDateOrNull, moneyOrNull, objectOrEmpty, textOrNull } from '../../../shared/simplify';

/** Statuses in which an invoice is not owed (any other, unknown ones included, counts as unpaid). */
const NOT_OWED = new Set(['paid', 'cancelled', 'draft']);

/**
 * The tax PayRequest implies: its amount is before tax, and each line has a tax rate in percent.
 * Null when the answer has no lines to read it from.
 */
function impliedTax(items: unknown): number | null {
	if (!Array.isArray(items) || items.length === 0) return null;
	let tax = 0;
	for (const entry of items) {
		const item = objectOrEmpty(entry);
		const quantity = moneyOrNull(item.quantity);
		const unitPrice = moneyOrNull(item.unit_price);
		if (quantity === null || unitPrice === null) return null;
		tax += (quantity * unitPrice * (moneyOrNull(item.tax_rate) ?? 0)) / 100;
	}
	return roundToCents(tax);
}

/** A PayRequest invoice in the compact shape every provider shares. */
export function simplifyInvoice(invoice: Record<string, unknown>, now: Date, timeZone: string): SimpleInvoice {
	const customer = objectOrEmpty(invoice.customer);
	const status = textOrNull(invoice.status);
	const dueDate = dueDateOrNull(invoice.due_date);
	const amountNet = moneyOrNull(invoice.amount);
	const amountTax = impliedTax(invoice.invoice_items);
	const open = !NOT_OWED.has(String(status ?? '').toLowerCase());
	return {
		id: String(invoice.id),
		number: textOrNull(invoice.invoice_number),
		status,
		currency: textOrNull(invoice.currency),
		amountNet,
		amountTax,
		amountTotal: amountNet === null || amountTax === null ? null : roundToCents(amountNet + amountTax),
		dueDate,
		// Counted in the workflow's time zone, not taken from days_overdue (PayRequest counts UTC days).
		daysOverdue: daysOverdueOrNull(dueDate, open, now, timeZone),
		customer: customerRef(customer.id, customer.name, customer.email),
		paymentLink: textOrNull(invoice.payment_link),
		provider: 'payRequest',
	};
}
