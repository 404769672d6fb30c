import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { invoicePickerName } from '../../shared/actions/locator';
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
	list: { path: string; what: string; searchParam: string; label: (record: ApiObject, names: Map<string, string>) => string; names?: () => Promise<Map<string, string>> },
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new AlternativePaymentsClient(context, LIST_SEARCH_SETTINGS);
	const term = filter?.trim() ?? '';
	const qs = { limit: SEARCH_PAGE_SIZE, ...(term ? { [list.searchParam]: term } : {}), ...(paginationToken ? { after: paginationToken } : {}) };
	const page = await readListPage(client, list.path, qs, list.what);
	const names = list.names ? await list.names() : new Map<string, string>();
	const results = page.items.map((record) => ({ name: list.label(record, names), value: String(record.id) }));
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
	const label = (invoice: ApiObject, customers: Map<string, string>) =>
		invoicePickerName({
			number: `#${String(invoice.invoice_number ?? invoice.id)}`,
			customer: customers.get(String(invoice.customer_id)) ?? invoice.customer_id,
			amount: invoice.total,
			currency: invoice.currency ?? 'USD',
			dueDate: invoice.due_date,
			status: invoice.status,
		});
	// Invoices carry only the customer's ID: one page of customers names them. An ID stands for one not
	// on it, and for all when that read fails (the rate limit spent by fast scrolling): the list still shows.
	const names = async () => {
		try {
			const customers = await readListPage(new AlternativePaymentsClient(this, LIST_SEARCH_SETTINGS), '/customers', { limit: 100 }, 'customers');
			return new Map(customers.items.map((customer) => [String(customer.id), String(customer.name ?? customer.email ?? customer.id)]));
		} catch {
			return new Map<string, string>();
		}
	};
	return await searchPage(this, { path: '/invoices', what: 'invoices', searchParam: 'invoice_number', label, names }, filter, paginationToken);
}
