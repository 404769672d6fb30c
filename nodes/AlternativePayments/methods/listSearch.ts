import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { LIST_SEARCH_SETTINGS } from '../../shared/http/types';
import { AlternativePaymentsClient } from '../transport';
import { readListPage } from '../transport/pagination';

const SEARCH_PAGE_SIZE = 50;

/** Customers for the "From List" mode, searched by company name on the server, a page at a time as the user scrolls. */
export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = new AlternativePaymentsClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim() ?? '';
	const qs = { limit: SEARCH_PAGE_SIZE, ...(term ? { company_name: term } : {}), ...(paginationToken ? { after: paginationToken } : {}) };
	const page = await readListPage(client, '/customers', qs, 'customers');
	const results = page.items.map((customer) => ({
		name: `${String(customer.name ?? customer.id)}${customer.email ? ` · ${String(customer.email)}` : ''}`,
		value: String(customer.id),
	}));
	const next = page.hasNextPage && page.endCursor && page.endCursor !== paginationToken ? page.endCursor : undefined;
	return { results, ...(next ? { paginationToken: next } : {}) };
}

/** Invoices for the "From List" mode: in the API's order a page at a time, or the one whose number is typed (the API's exact invoice_number filter). */
export async function searchInvoices(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = new AlternativePaymentsClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim() ?? '';
	const qs = { limit: SEARCH_PAGE_SIZE, ...(term ? { invoice_number: term } : {}), ...(paginationToken ? { after: paginationToken } : {}) };
	const page = await readListPage(client, '/invoices', qs, 'invoices');
	const results = page.items.map((invoice) => ({
		name: `#${String(invoice.invoice_number ?? invoice.id)} · ${String(invoice.total ?? '')} USD · due ${String(invoice.due_date ?? '').slice(0, 10)} · ${String(invoice.status ?? '')}`,
		value: String(invoice.id),
	}));
	const next = page.hasNextPage && page.endCursor && page.endCursor !== paginationToken ? page.endCursor : undefined;
	return { results, ...(next ? { paginationToken: next } : {}) };
}
