import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { AlternativePaymentsClient } from '../transport';

/** The editor waits on a list search: it never waits out the rate limit, and answers within a few seconds. */
const SEARCH_SETTINGS = { timeoutSeconds: 5, maxWaitSeconds: 0, wholeRunSeconds: 8 };
const SEARCH_PAGE_SIZE = 50;

const isPage = (value: unknown): value is { data: unknown[]; end_cursor?: unknown; has_next_page?: unknown; pagination?: { end_cursor?: unknown; has_next_page?: unknown } } =>
	typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data);

/** Customers for the "From List" mode, searched by company name on the server, a page at a time as the user scrolls. */
export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = new AlternativePaymentsClient(this, SEARCH_SETTINGS);
	const term = filter?.trim() ?? '';
	const qs = { limit: SEARCH_PAGE_SIZE, ...(term ? { company_name: term } : {}), ...(paginationToken ? { after: paginationToken } : {}) };
	const request = { method: 'GET' as const, path: '/customers', qs };
	const page = client.expectShape(await client.request(request), isPage, 'list of customers in data', request);
	const results = page.data
		.filter((customer): customer is Record<string, unknown> => typeof customer === 'object' && customer !== null)
		.map((customer) => ({
			name: `${String(customer.name ?? customer.id)}${customer.email ? ` · ${String(customer.email)}` : ''}`,
			value: String(customer.id),
		}));
	const endCursor = page.end_cursor ?? page.pagination?.end_cursor;
	const hasNext = (page.has_next_page ?? page.pagination?.has_next_page) === true;
	return { results, ...(hasNext && typeof endCursor === 'string' && endCursor !== paginationToken ? { paginationToken: endCursor } : {}) };
}
