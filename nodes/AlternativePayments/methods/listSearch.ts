import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { LIST_SEARCH_SETTINGS } from '../../shared/http/types';
import { AlternativePaymentsClient } from '../transport';
import type { ApiObject } from '../transport/pagination';
import { readListPage } from '../transport/pagination';

const SEARCH_PAGE_SIZE = 50;

/**
 * One page of a "From List" search, a page at a time as the user scrolls: `filter` goes to the
 * server in the query parameter `searchParam`; `label` names each record.
 */
async function searchPage(
	context: ILoadOptionsFunctions,
	list: { path: string; what: string; searchParam: string; label: (record: ApiObject) => string },
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new AlternativePaymentsClient(context, LIST_SEARCH_SETTINGS);
	const term = filter?.trim() ?? '';
	const qs = { limit: SEARCH_PAGE_SIZE, ...(term ? { [list.searchParam]: term } : {}), ...(paginationToken ? { after: paginationToken } : {}) };
	const page = await readListPage(client, list.path, qs, list.what);
	const results = page.items.map((record) => ({ name: list.label(record), value: String(record.id) }));
	const next = page.hasNextPage && page.endCursor && page.endCursor !== paginationToken ? page.endCursor : undefined;
	return { results, ...(next ? { paginationToken: next } : {}) };
}

/** Customers for the "From List" mode, searched by company name on the server. */
export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const label = (customer: ApiObject) => `${String(customer.name ?? customer.id)}${customer.email ? ` · ${String(customer.email)}` : ''}`;
	return await searchPage(this, { path: '/customers', what: 'customers', searchParam: 'company_name', label }, filter, paginationToken);
}

/** Invoices for the "From List" mode, in the API's order, or the one whose number is typed (the API's exact invoice_number filter). */
export async function searchInvoices(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const label = (invoice: ApiObject) =>
		`#${String(invoice.invoice_number ?? invoice.id)} · ${String(invoice.total ?? '')} USD · due ${String(invoice.due_date ?? '').slice(0, 10)} · ${String(invoice.status ?? '')}`;
	return await searchPage(this, { path: '/invoices', what: 'invoices', searchParam: 'invoice_number', label }, filter, paginationToken);
}
