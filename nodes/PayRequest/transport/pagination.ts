import type { ApiBody, PayRequestClient } from './index';
import { PER_PAGE_MAX } from './index';
import type { PayRequestRequest } from './types';

export type Invoice = Record<string, unknown>;

export interface InvoiceListQuery {
	/** Stop once this many invoices are kept; undefined means every invoice. */
	limit?: number;
	/** Applied by the node while paging: the API itself has no filters. */
	keep?: (invoice: Invoice) => boolean;
	/** How many pages may be in flight at once after the first. */
	maxConcurrency: number;
	itemIndex?: number;
}

interface Page {
	invoices: Invoice[];
	lastPage: number;
}

const isPaginator = (value: unknown): value is { data: unknown[]; last_page?: unknown } =>
	typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data);

/** One page of the invoice list, checked for the paginator's shape. */
export async function listInvoicePage(
	client: PayRequestClient,
	page: number,
	perPage = PER_PAGE_MAX,
	itemIndex?: number,
): Promise<Page> {
	const request: PayRequestRequest = { method: 'GET', path: '/v1/invoices', qs: { page, per_page: perPage }, itemIndex };
	const envelope: ApiBody = await client.request(request);
	const paginator = client.expectShape(envelope.data, isPaginator, 'list of invoices in data.data', request);
	const lastPage = Number(paginator.last_page);
	const invoices = paginator.data.filter(
		(entry): entry is Invoice => typeof entry === 'object' && entry !== null && !Array.isArray(entry),
	);
	return { invoices, lastPage: Number.isInteger(lastPage) && lastPage >= 1 ? lastPage : page };
}

/**
 * Lists invoices page by page (100 a page, the API's maximum, so the request count is the
 * minimum: ceil(total / 100) for everything). The first page tells how many pages there are;
 * the rest go out `maxConcurrency` at a time and come back in the API's order. Each invoice is
 * returned once even when the list shifts under the paging.
 */
export async function listInvoices(client: PayRequestClient, query: InvoiceListQuery): Promise<Invoice[]> {
	const kept: Invoice[] = [];
	const seenIds = new Set<string>();
	const limit = query.limit ?? Number.POSITIVE_INFINITY;
	const take = (invoices: Invoice[]): boolean => {
		for (const invoice of invoices) {
			const id = String(invoice.id);
			if (seenIds.has(id)) continue;
			seenIds.add(id);
			if (query.keep && !query.keep(invoice)) continue;
			kept.push(invoice);
			if (kept.length >= limit) return true;
		}
		return false;
	};

	const first = await listInvoicePage(client, 1, PER_PAGE_MAX, query.itemIndex);
	if (take(first.invoices) || first.invoices.length === 0) return kept;
	const lastPage = first.lastPage;

	if (query.keep && Number.isFinite(limit)) {
		// With a filter and a limit, only looking tells how many pages are needed: one at a time.
		for (let page = 2; page <= lastPage; page++) {
			const next = await listInvoicePage(client, page, PER_PAGE_MAX, query.itemIndex);
			if (take(next.invoices) || next.invoices.length === 0) return kept;
		}
		return kept;
	}
	const lastNeeded = Math.min(lastPage, 1 + Math.ceil((limit - kept.length) / PER_PAGE_MAX));
	const pages = await fetchInOrder(client, 2, lastNeeded, query.maxConcurrency, query.itemIndex);
	for (const page of pages) {
		if (take(page.invoices) || page.invoices.length === 0) break;
	}
	return kept;
}

/**
 * Fetches pages from..to with at most `concurrency` in flight, a new one starting as soon as
 * one finishes, and returns them in page order.
 */
async function fetchInOrder(
	client: PayRequestClient,
	from: number,
	to: number,
	concurrency: number,
	itemIndex?: number,
): Promise<Page[]> {
	if (to < from) return [];
	const pages: Page[] = new Array(to - from + 1);
	let next = from;
	let failed = false;
	const worker = async () => {
		while (next <= to && !failed) {
			const page = next++;
			try {
				pages[page - from] = await listInvoicePage(client, page, PER_PAGE_MAX, itemIndex);
			} catch (error) {
				failed = true; // the others stop taking pages: the run fails as a whole
				throw error;
			}
		}
	};
	const workers = Math.min(Math.max(1, Math.floor(concurrency)), to - from + 1);
	await Promise.all(Array.from({ length: workers }, worker));
	return pages;
}
