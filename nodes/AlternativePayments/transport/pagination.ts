import type { CursorPage } from '../../shared/pagination/cursor';
import { collectCursorPages } from '../../shared/pagination/cursor';
import type { AlternativePaymentsClient } from './index';

export type ApiObject = Record<string, unknown>;

/** The API's documented default page size; its maximum is not documented, so Return All asks for this. */
export const PAGE_SIZE = 100;

const isObject = (value: unknown): value is ApiObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPage = (value: unknown): value is ApiObject & { data: unknown[] } => isObject(value) && Array.isArray(value.data);

/** One page of a list: its items and where the next one starts, from either envelope the docs show (the cursor at the top level, or under `pagination`). */
export async function readListPage(
	client: AlternativePaymentsClient,
	path: string,
	qs: Record<string, string | number>,
	what: string,
	itemIndex?: number,
): Promise<CursorPage<ApiObject>> {
	const request = { method: 'GET' as const, path, qs, itemIndex };
	const body = client.expectShape(await client.request(request), isPage, `list of ${what} in data`, request);
	const nested = isObject(body.pagination) ? body.pagination : {};
	const endCursor = body.end_cursor ?? nested.end_cursor;
	const hasNextPage = body.has_next_page ?? nested.has_next_page;
	return { items: body.data.filter(isObject), endCursor: typeof endCursor === 'string' ? endCursor : undefined, hasNextPage: hasNextPage === true };
}

/** Every item of a list (invoices, customers, payments), page after page by cursor. */
export async function listAll(
	client: AlternativePaymentsClient,
	path: string,
	filters: Record<string, string>,
	options: { limit?: number; itemIndex?: number; what: string },
): Promise<ApiObject[]> {
	const pageSize = options.limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, options.limit);
	return await collectCursorPages<ApiObject>({
		limit: options.limit,
		idOf: (item) => (typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined),
		// URLSearchParams encodes the cursor: its '+' and '/' would otherwise reach the API changed.
		readPage: async (cursor) => await readListPage(client, path, { ...filters, limit: pageSize, ...(cursor ? { after: cursor } : {}) }, options.what, options.itemIndex),
	});
}
