import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { invoicePickerName } from '../../shared/actions/locator';
import { LIST_SEARCH_SETTINGS } from '../../shared/http/types';
import { PayRequestClient } from '../transport';
import type { Invoice } from '../transport/pagination';
import { listInvoicePage } from '../transport/pagination';

const SEARCH_PAGE_SIZE = 50;
/** A search reads at most this many pages per scroll before it hands back what it found. */
const SEARCH_MAX_PAGES = 5;

function toSearchItem(invoice: Invoice): INodeListSearchItems {
	const customer = (invoice.customer ?? {}) as Record<string, unknown>;
	const customerName = customer.company || customer.name || `customer ${String(customer.id ?? '?')}`;
	return {
		name: invoicePickerName({ number: invoice.invoice_number ?? `#${String(invoice.id)}`, customer: customerName, amount: invoice.amount, currency: invoice.currency, dueDate: invoice.due_date, status: invoice.status }),
		value: String(invoice.id),
	};
}

function matches(invoice: Invoice, filter: string): boolean {
	const customer = (invoice.customer ?? {}) as Record<string, unknown>;
	return [invoice.id, invoice.invoice_number, invoice.reference, customer.name, customer.company, customer.email]
		.filter((field) => field !== undefined && field !== null)
		.some((field) => String(field).toLowerCase().includes(filter));
}

/**
 * Invoices for the "From List" mode, a page at a time as the user scrolls. The API cannot search,
 * so a search term is matched here against number, reference and customer, reading on until a few
 * pages have been looked at.
 */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new PayRequestClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim().toLowerCase() ?? '';
	let page = Math.max(1, Number(paginationToken) || 1);
	const results: INodeListSearchItems[] = [];
	for (let read = 0; read < (term ? SEARCH_MAX_PAGES : 1); read++) {
		const { items: invoices, lastPage } = await listInvoicePage(client, page, SEARCH_PAGE_SIZE);
		for (const invoice of invoices) if (!term || matches(invoice, term)) results.push(toSearchItem(invoice));
		const isLast = lastPage === undefined ? invoices.length < SEARCH_PAGE_SIZE : page >= lastPage;
		if (isLast || invoices.length === 0) return { results };
		page++;
	}
	return { results, paginationToken: String(page) };
}

/**
 * Customers for Create's "From List" mode. PayRequest has no customer list, so they are the
 * customers named on invoices: a few pages of invoices a scroll, each customer once per scroll
 * (one billed on many pages may show again further down).
 */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new PayRequestClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim().toLowerCase() ?? '';
	let page = Math.max(1, Number(paginationToken) || 1);
	const found = new Map<string, INodeListSearchItems>();
	for (let read = 0; read < SEARCH_MAX_PAGES; read++) {
		const { items: invoices, lastPage } = await listInvoicePage(client, page, SEARCH_PAGE_SIZE);
		for (const invoice of invoices) {
			const customer = (invoice.customer ?? {}) as Record<string, unknown>;
			const id = customer.id === undefined || customer.id === null ? '' : String(customer.id);
			if (id === '' || found.has(id)) continue;
			const fields = [id, customer.name, customer.company, customer.email].filter((field) => field !== undefined && field !== null && field !== '');
			if (term && !fields.some((field) => String(field).toLowerCase().includes(term))) continue;
			const label = String(customer.company || customer.name || `customer ${id}`);
			found.set(id, { name: customer.email ? `${label} · ${String(customer.email)}` : label, value: id });
		}
		const isLast = lastPage === undefined ? invoices.length < SEARCH_PAGE_SIZE : page >= lastPage;
		if (isLast || invoices.length === 0) return { results: [...found.values()] };
		page++;
	}
	return { results: [...found.values()], paginationToken: String(page) };
}
