import type { ApiBody, PayRequestClient } from './index';
import { PER_PAGE_MAX } from './index';
import type { PayRequestRequest } from './types';
import { NodeOperationError } from 'n8n-workflow';

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
	/** The paginator's last_page, or what total / per_page imply; undefined when the page says neither. */
	lastPage?: number;
	/** The paginator's total; undefined when absent. */
	total?: number;
}

/** Reads of the whole list before the node gives up on a list that keeps changing. */
const MAX_PASSES = 3;

const isPaginator = (value: unknown): value is { data: unknown[]; last_page?: unknown; total?: unknown } =>
	typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data);

const wholeNumber = (value: unknown, minimum: number): number | undefined => {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isSafeInteger(number) && number >= minimum ? number : undefined;
};

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
	const invoices = paginator.data.filter(
		(entry): entry is Invoice => typeof entry === 'object' && entry !== null && !Array.isArray(entry),
	);
	const total = wholeNumber(paginator.total, 0);
	const lastPage = wholeNumber(paginator.last_page, 1) ?? (total === undefined ? undefined : Math.max(1, Math.ceil(total / perPage)));
	return { invoices, lastPage, total };
}

/** What one read of the list found. */
interface Pass {
	kept: Invoice[];
	/** The limit was met: the rest of the list was not read. */
	enough: boolean;
	/** The list changed while it was read (its total moved, an invoice came twice, or the count does not add up). */
	changed: boolean;
	counted: number;
	total?: number;
}

/**
 * Lists invoices page by page (100 a page, the API's maximum, so the request count is the
 * minimum: ceil(total / 100) for everything). Pages go out `maxConcurrency` at a time and are
 * taken in the API's order. The walk ends at a short or empty page, whatever last_page said; past
 * last_page (read again from every page) it goes on, one page at a time, while pages come back
 * full and the total says invoices are missing or no page gives a total.
 *
 * Page-number pages shift when invoices are created or deleted during the walk: an invoice may
 * come twice (dropped here) or be skipped. So a walk that reads to the end checks that the list
 * stayed still (same total on every page, no invoice twice, as many invoices as the total) and
 * otherwise reads the list again; after MAX_PASSES unsettled reads it stops with an error
 * rather than return a list that may be short.
 */
export async function listInvoices(client: PayRequestClient, query: InvoiceListQuery): Promise<Invoice[]> {
	let pass: Pass | undefined;
	for (let attempt = 1; attempt <= MAX_PASSES; attempt++) {
		pass = await readListOnce(client, query);
		if (pass.enough || !pass.changed) return pass.kept;
		client.logger.debug(`PayRequest: the invoice list changed while it was read (read ${attempt}); reading it again`);
	}
	throw new NodeOperationError(
		client.node,
		`The invoice list changed while it was being read, ${MAX_PASSES} times in a row${query.itemIndex === undefined ? '' : ` [item ${query.itemIndex}]`}`,
		{
			description: `Invoices were created or deleted in PayRequest during each read (last read: ${pass?.counted ?? 0} invoices against a total of ${pass?.total ?? 'unknown'}), so a complete list could not be taken. Nothing is returned rather than a list that may miss invoices. Run it again when fewer invoices are being changed.`,
			itemIndex: query.itemIndex,
		},
	);
}

async function readListOnce(client: PayRequestClient, query: InvoiceListQuery): Promise<Pass> {
	const limit = query.limit ?? Number.POSITIVE_INFINITY;
	const pass: Pass = { kept: [], enough: false, changed: false, counted: 0 };
	const seenIds = new Set<string>();
	let lastPage: number | undefined;
	/** Whether the page taken last was full: only then can there be more. */
	let lastWasFull = true;
	/** Takes one page's invoices, in page order; true once nothing more is wanted. */
	const take = (page: Page): boolean => {
		if (page.total !== undefined) {
			if (pass.total === undefined) pass.total = page.total;
			else if (page.total !== pass.total) pass.changed = true;
		}
		if (page.lastPage !== undefined) lastPage = page.lastPage;
		lastWasFull = page.invoices.length >= PER_PAGE_MAX;
		for (const invoice of page.invoices) {
			if (invoice.id !== undefined && invoice.id !== null) {
				const id = String(invoice.id);
				if (seenIds.has(id)) {
					// The list shifted under the paging: what came twice may have pushed another out of sight.
					pass.changed = true;
					continue;
				}
				seenIds.add(id);
			}
			pass.counted++;
			if (query.keep && !query.keep(invoice)) continue;
			pass.kept.push(invoice);
			if (pass.kept.length >= limit) {
				pass.enough = true;
				return true;
			}
		}
		return false;
	};

	if (take(await listInvoicePage(client, 1, PER_PAGE_MAX, query.itemIndex))) return pass;
	// With a filter and a limit, only looking tells which page meets the limit: one at a time.
	const concurrency = query.keep && Number.isFinite(limit) ? 1 : query.maxConcurrency;
	let next = 2;
	// Past the last page the pages name only while the total says invoices are still missing, or when
	// no page gives a total to check it against (a full page may always have a next one).
	const mayHaveMore = () => lastPage === undefined || next <= lastPage || pass.total === undefined || pass.counted < pass.total;
	while (lastWasFull && !pass.enough && mayHaveMore()) {
		// Up to the last page the pages say there are; past it (or when none says), one page at a time.
		let to = lastPage !== undefined && lastPage >= next ? lastPage : next;
		// Without a filter the limit tells up front how many pages it needs.
		if (!query.keep) to = Math.min(to, next - 1 + Math.ceil((limit - pass.kept.length) / PER_PAGE_MAX));
		const ended = await fetchInOrder(client, next, to, concurrency, take, query.itemIndex);
		if (ended) break;
		next = to + 1;
	}
	if (!pass.enough && pass.total !== undefined && pass.counted !== pass.total) pass.changed = true;
	return pass;
}

/**
 * Fetches pages from..to with at most `concurrency` in flight, a new one starting as soon as one
 * finishes, and hands each to `take` in page order as soon as the pages before it are in. Once
 * `take` says enough, or a page comes back short or empty (the end of the list), no further page
 * is started and pages after it are dropped. Returns whether the walk is over.
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
	let end = to;
	let over = false;
	let failed = false;
	const worker = async () => {
		while (nextToStart <= end && !over && !failed) {
			const pageNumber = nextToStart++;
			let page: Page | undefined;
			try {
				page = await listInvoicePage(client, pageNumber, PER_PAGE_MAX, itemIndex);
			} finally {
				// A page that failed fails the run as a whole: the others take no more pages.
				if (page === undefined) failed = true;
			}
			if (page.invoices.length < PER_PAGE_MAX) end = Math.min(end, pageNumber);
			arrived.set(pageNumber, page);
			while (!over && arrived.has(nextToTake)) {
				const pageNumberTaken = nextToTake++;
				const taken = arrived.get(pageNumberTaken)!;
				arrived.delete(pageNumberTaken);
				over = take(taken) || taken.invoices.length < PER_PAGE_MAX;
			}
		}
	};
	const workers = Math.min(Math.max(1, Math.floor(concurrency)), to - from + 1);
	await Promise.all(Array.from({ length: workers }, worker));
	return over;
}
