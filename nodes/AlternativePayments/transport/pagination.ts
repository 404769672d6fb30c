import { collectCursorPages } from '../../shared/pagination/cursor';
import type { AlternativePaymentsClient } from './index';

export type ApiObject = Record<string, unknown>;

/** The API's documented default page size; its maximum is not documented, so Return All asks for this. */
export const PAGE_SIZE = 100;

const isObject = (value: unknown): value is ApiObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPage = (value: unknown): value is ApiObject & { data: unknown[] } => isObject(value) && Array.isArray(value.data);

/**
 * Every item of a list (invoices, customers, payments), page after page by cursor. Both envelopes
 * the docs show are read: the cursor at the top level, or under `pagination`.
 */
export async function listAll(
	client: AlternativePaymentsClient,
	path: string,
	filters: Record<string, string>,
	options: { limit?: number; itemIndex?: number; what: string },
): Promise<ApiObject[]> {
	return await collectCursorPages<ApiObject>({
		limit: options.limit,
		idOf: (item) => (typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined),
		readPage: async (cursor) => {
			const pageSize = options.limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, options.limit);
			// URLSearchParams encodes the cursor: its '+' and '/' would otherwise reach the API changed.
			const qs = { ...filters, limit: pageSize, ...(cursor ? { after: cursor } : {}) };
			const request = { method: 'GET' as const, path, qs, itemIndex: options.itemIndex };
			const body = client.expectShape(await client.request(request), isPage, `list of ${options.what} in data`, request);
			const nested = isObject(body.pagination) ? body.pagination : {};
			const endCursor = body.end_cursor ?? nested.end_cursor;
			const hasNextPage = body.has_next_page ?? nested.has_next_page;
			return {
				items: body.data.filter(isObject),
				endCursor: typeof endCursor === 'string' ? endCursor : undefined,
				hasNextPage: hasNextPage === true,
			};
		},
	});
}
