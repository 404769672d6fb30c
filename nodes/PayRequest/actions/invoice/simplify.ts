import type { Decimal } from '../../../shared/money';
import { centsOf, decimalOf, percent, product, roundedCents, sum } from '../../../shared/money';
import type { SimpleInvoice } from '../../../shared/simplify';
import { centsOrNull, customerRef, daysOverdueOrNull, dueDateOrNull, objectOrEmpty, textOrNull } from '../../../shared/simplify';

/** Statuses in which an invoice is not owed (any other, unknown ones included, counts as unpaid). */
const NOT_OWED = new Set(['paid', 'cancelled', 'draft']);

/**
 * The tax PayRequest implies, in whole cents: its amount is before tax, and each line has a tax
 * rate in percent. Each line's quantity × unit price × rate is summed exactly and the sum rounded
 * once (half away from zero). Undefined when the answer has no lines to read it from.
 */
function impliedTaxCents(items: unknown): number | undefined {
	if (!Array.isArray(items) || items.length === 0) return undefined;
	const lines: Decimal[] = [];
	for (const entry of items) {
		const item = objectOrEmpty(entry);
		const quantity = decimalOf(item.quantity);
		const unitPrice = decimalOf(item.unit_price);
		if (quantity === undefined || unitPrice === undefined) return undefined;
		lines.push(product(quantity, unitPrice, percent(decimalOf(item.tax_rate) ?? { units: 0n, scale: 0 })));
	}
	return roundedCents(sum(lines));
}

/** A PayRequest invoice in the compact shape every provider shares. */
export function simplifyInvoice(invoice: Record<string, unknown>, now: Date, timeZone: string): SimpleInvoice {
	const customer = objectOrEmpty(invoice.customer);
	const status = textOrNull(invoice.status);
	const dueDate = dueDateOrNull(invoice.due_date);
	const net = centsOf(invoice.amount);
	const tax = impliedTaxCents(invoice.invoice_items);
	const open = !NOT_OWED.has(String(status ?? '').toLowerCase());
	return {
		id: String(invoice.id),
		number: textOrNull(invoice.invoice_number),
		status,
		currency: textOrNull(invoice.currency),
		amountNet: centsOrNull(net),
		amountTax: centsOrNull(tax),
		// PayRequest states no total with tax: its own amount plus that tax, in whole cents.
		amountTotal: net === undefined || tax === undefined ? null : centsOrNull(net + tax),
		dueDate,
		// Counted in the workflow's time zone, not taken from days_overdue (PayRequest counts UTC days).
		daysOverdue: daysOverdueOrNull(dueDate, open, now, timeZone),
		customer: customerRef(customer.id, customer.name, customer.email),
		paymentLink: textOrNull(invoice.payment_link),
		provider: 'payRequest',
	};
}
