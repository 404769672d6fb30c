import type { OverdueRecord } from '../../shared/overdue/overdueBookkeeping';
import { entryObject } from '../../shared/overdue/overdueBookkeeping';

/** A Paisr invoice as the shared bookkeeping reads it: due_at (a moment) is the due date, net_total the amount. */
export function paisrOverdueRecord(entry: unknown): OverdueRecord {
	const invoice = entryObject(entry);
	const amount = entryObject(invoice.amount);
	const customer = entryObject(invoice.customer);
	return {
		id: invoice.id,
		dueDate: invoice.due_at,
		amount: amount.net_total,
		currency: invoice.currency,
		customerId: customer.id,
		status: invoice.status,
		raw: invoice,
	};
}
