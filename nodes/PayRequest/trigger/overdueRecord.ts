import type { OverdueRecord } from '../../shared/overdue/overdueBookkeeping';
import { entryObject } from '../../shared/overdue/overdueBookkeeping';

/** A PayRequest invoice of GET /v1/invoices/overdue as the shared bookkeeping reads it. */
export function payRequestOverdueRecord(entry: unknown): OverdueRecord {
	const invoice = entryObject(entry);
	const customer = entryObject(invoice.customer);
	return {
		id: invoice.id,
		dueDate: invoice.due_date,
		amount: invoice.amount,
		currency: invoice.currency,
		customerId: customer.id,
		status: invoice.status,
		raw: invoice,
	};
}
