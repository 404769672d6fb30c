import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toCalendarDate } from '../../../shared/calendarDate';
import type { Invoice } from '../../transport/pagination';

export const INVOICE_STATUSES = ['draft', 'pending', 'sent', 'viewed', 'paid', 'partial', 'overdue', 'cancelled'];

export const statusOptions = INVOICE_STATUSES.map((status) => ({
	name: status.charAt(0).toUpperCase() + status.slice(1),
	value: status,
})).sort((a, b) => a.name.localeCompare(b.name));

export interface InvoiceFilters {
	statuses: string[];
	customerId?: string;
	/** Exact invoice number (INV-000042), compared without regard to case. */
	invoiceNumber?: string;
	dateFrom?: string;
	dateTo?: string;
	dueDateFrom?: string;
	dueDateTo?: string;
}

function filterDate(node: INode, value: unknown, label: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = toCalendarDate(value);
	if (!date) {
		throw new NodeOperationError(node, `The ${label} filter is not a date: "${String(value).slice(0, 60)}"`, {
			description: 'Use a date such as 2025-01-31, or pick one in the date field.',
			itemIndex,
		});
	}
	return date;
}

export function readInvoiceFilters(node: INode, raw: IDataObject, itemIndex: number): InvoiceFilters {
	const statuses = Array.isArray(raw.status) ? raw.status.map((status) => String(status)) : raw.status ? [String(raw.status)] : [];
	const customer = raw.customerId;
	const customerId = customer === undefined || customer === null || String(customer).trim() === '' ? undefined : String(customer).trim();
	const filters: InvoiceFilters = {
		statuses,
		customerId,
		invoiceNumber: typeof raw.invoiceNumber === 'string' && raw.invoiceNumber.trim() !== '' ? raw.invoiceNumber.trim() : undefined,
		dateFrom: filterDate(node, raw.dateFrom, 'Invoice Date From', itemIndex),
		dateTo: filterDate(node, raw.dateTo, 'Invoice Date To', itemIndex),
		dueDateFrom: filterDate(node, raw.dueDateFrom, 'Due Date From', itemIndex),
		dueDateTo: filterDate(node, raw.dueDateTo, 'Due Date To', itemIndex),
	};
	for (const [from, to, label] of [
		[filters.dateFrom, filters.dateTo, 'Invoice Date'],
		[filters.dueDateFrom, filters.dueDateTo, 'Due Date'],
	] as const) {
		if (from && to && from > to) {
			throw new NodeOperationError(node, `The ${label} From filter (${from}) is after ${label} To (${to})`, { itemIndex });
		}
	}
	return filters;
}

export function hasFilters(filters: InvoiceFilters): boolean {
	return (
		filters.statuses.length > 0 ||
		[filters.customerId, filters.invoiceNumber, filters.dateFrom, filters.dateTo, filters.dueDateFrom, filters.dueDateTo].some((v) => v !== undefined)
	);
}

/** Dates compare as YYYY-MM-DD text; an invoice without the date a filter asks about does not match. */
export function matchesInvoiceFilters(invoice: Invoice, filters: InvoiceFilters): boolean {
	if (filters.statuses.length && !filters.statuses.includes(String(invoice.status))) return false;
	if (filters.customerId !== undefined) {
		const customer = invoice.customer as IDataObject | null | undefined;
		const id = customer?.id ?? invoice.customer_id;
		if (id === undefined || id === null || String(id) !== filters.customerId) return false;
	}
	if (filters.invoiceNumber !== undefined && String(invoice.invoice_number ?? '').toLowerCase() !== filters.invoiceNumber.toLowerCase()) {
		return false;
	}
	const inRange = (value: unknown, from?: string, to?: string) => {
		if (from === undefined && to === undefined) return true;
		const date = toCalendarDate(value);
		return date !== undefined && (from === undefined || date >= from) && (to === undefined || date <= to);
	};
	return inRange(invoice.date, filters.dateFrom, filters.dateTo) && inRange(invoice.due_date, filters.dueDateFrom, filters.dueDateTo);
}
