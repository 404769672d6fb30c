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
 * the rest go out `maxConcurrency` at a time and are taken in the API's order. Each invoice is
 * returned once even when the list shifts under the paging. No page is requested past the one
 * that meets the limit.
 */
export async function listInvoices(client: PayRequestClient, query: InvoiceListQuery): Promise<Invoice[]> {
	const kept: Invoice[] = [];
	const seenIds = new Set<string>();
	const limit = query.limit ?? Number.POSITIVE_INFINITY;
	/** Takes one page's invoices; true once nothing more is wanted. */
	const take = (page: Page): boolean => {
		// An empty page is the end, whatever last_page said.
		if (page.invoices.length === 0) return true;
		for (const invoice of page.invoices) {
			if (invoice.id !== undefined && invoice.id !== null) {
				const id = String(invoice.id);
				if (seenIds.has(id)) continue;
				seenIds.add(id);
			}
			if (query.keep && !query.keep(invoice)) continue;
			kept.push(invoice);
			if (kept.length >= limit) return true;
		}
		return false;
	};

	const first = await listInvoicePage(client, 1, PER_PAGE_MAX, query.itemIndex);
	if (take(first)) return kept;
	const lastPage = first.lastPage;
	// With a filter and a limit, only looking tells which page meets the limit: one at a time.
	const concurrency = query.keep && Number.isFinite(limit) ? 1 : query.maxConcurrency;
	let from = 2;
	while (from <= lastPage) {
		// Without a filter the limit tells up front how many pages it needs; more only when the
		// list shifted and some invoices came twice.
		const to = query.keep ? lastPage : Math.min(lastPage, from - 1 + Math.ceil((limit - kept.length) / PER_PAGE_MAX));
		if (await fetchInOrder(client, from, to, concurrency, take, query.itemIndex)) break;
		from = to + 1;
	}
	return kept;
}

/**
 * Fetches pages from..to with at most `concurrency` in flight, a new one starting as soon as one
 * finishes, and hands each to `take` in page order as soon as the pages before it are in. Once
 * `take` says enough (or a page comes back empty), no further page is started; pages already in
 * flight are dropped. Returns whether `take` said enough.
 */
async function fetchInOrder(
	client: PayRequestClient,
	from: number,
	to: number,
	concurrency: number,
	take: (page: Page) => boolean,
	itemIndex?: number,
): Promise<boolean> {
	const arrived = new Map<number, Page>();
	let nextToStart = from;
	let nextToTake = from;
	// An empty page is the end: a wrong last_page never has the node walk on.
	let end = to;
	let enough = false;
	let failed = false;
	const worker = async () => {
		while (nextToStart <= end && !enough && !failed) {
			const pageNumber = nextToStart++;
			let page: Page | undefined;
			try {
				page = await listInvoicePage(client, pageNumber, PER_PAGE_MAX, itemIndex);
			} finally {
				// A page that failed fails the run as a whole: the others take no more pages.
				if (page === undefined) failed = true;
			}
			if (page.invoices.length === 0) end = Math.min(end, pageNumber);
			arrived.set(pageNumber, page);
			while (!enough && arrived.has(nextToTake)) {
				const next = arrived.get(nextToTake)!;
				arrived.delete(nextToTake++);
				enough = take(next);
			}
		}
	};
	const workers = Math.min(Math.max(1, Math.floor(concurrency)), to - from + 1);
	await Promise.all(Array.from({ length: workers }, worker));
	return enough;
}
