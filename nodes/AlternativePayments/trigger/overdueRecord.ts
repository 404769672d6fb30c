import { addDays, localDate } from '../../shared/calendarDate';
import type { OverdueRecord } from '../../shared/overdue/overdueBookkeeping';
import { entryObject } from '../../shared/overdue/overdueBookkeeping';

/** What the API publishes no list of: the statuses that do not count as unpaid, unless the user says otherwise. */
export const DEFAULT_CLOSED_STATUSES = 'paid, archived, void, cancelled';

/** An Alternative Payments invoice as the shared bookkeeping reads it (amounts in dollars, one customer id). */
export function alternativePaymentsOverdueRecord(entry: unknown): OverdueRecord {
	const invoice = entryObject(entry);
	return {
		id: invoice.id,
		dueDate: invoice.due_date,
		amount: invoice.total,
		currency: invoice.currency,
		customerId: invoice.customer_id,
		status: invoice.status,
		raw: invoice,
	};
}

/** Whether an invoice counts as unpaid: any status that is not named closed (unknown ones count as unpaid). */
export function openInvoices(closedStatuses: string[]): (entry: unknown) => boolean {
	const closed = new Set(closedStatuses.map((value) => value.trim().toLowerCase()));
	return (entry) => {
		const { status } = entryObject(entry);
		return !closed.has(typeof status === 'string' ? status.trim().toLowerCase() : '');
	};
}

/** The last day an invoice may be due and be overdue now: yesterday in the workflow's time zone, as the API's RFC 3339 end of that day. */
export function overdueDueDateEnd(now: Date, timeZone = 'UTC'): string {
	return `${addDays(localDate(now.getTime(), timeZone), -1)}T23:59:59Z`;
}
