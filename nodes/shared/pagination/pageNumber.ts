import type { INode, Logger } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** One page of a list that pages by number (?page=N). */
export interface NumberedPage<T> {
	items: T[];
	/** The last page the answer names, or what its total implies; undefined when it says neither. */
	lastPage?: number;
	/** How many items the whole list has, as the answer says; undefined when absent. */
	total?: number;
}

export interface PageNumberQuery<T> {
	readPage(page: number): Promise<NumberedPage<T>>;
	/** Items a full page holds: a shorter page is the last one. */
	perPage: number;
	/** The item's id, to drop repeats; undefined for an item without one. */
	idOf(item: T): string | undefined;
	/** Stop once this many items are kept; undefined means every item. */
	limit?: number;
	/** Applied while paging, for APIs that cannot filter. */
	keep?: (item: T) => boolean;
	/** How many pages may be in flight at once after the first. */
	maxConcurrency: number;
	itemIndex?: number;
	/** For messages: the provider's name and what the list holds ("PayRequest", "invoice"). */
	providerName: string;
	noun: string;
}

/** Reads of the whole list before giving up on a list that keeps changing. */
const MAX_PASSES = 3;

/** What one read of the list found. */
interface Pass<T> {
	kept: T[];
	/** The limit was met: the rest of the list was not read. */
	enough: boolean;
	/** The list changed while it was read (its total moved, an item came twice, or the count does not add up). */
	changed: boolean;
	counted: number;
	total?: number;
}

/**
 * Collects a list that pages by number. Pages go out `maxConcurrency` at a time and are taken in
 * the API's order. The walk ends at a short or empty page, whatever last_page said; past the last
 * page (read again from every page) it goes on, one page at a time, while pages come back full and
 * the total says items are missing or no page gives a total.
 *
 * Page-number pages shift when items are created or deleted during the walk: an item may come
 * twice (dropped here) or be skipped. So a walk that reads to the end checks that the list stayed
 * still (same total on every page, no item twice, as many items as the total) and otherwise reads
 * the list again; after MAX_PASSES unsettled reads it stops with an error rather than return a
 * list that may be short.
 */
export async function collectNumberedPages<T>(context: { node: INode; logger: Logger }, query: PageNumberQuery<T>): Promise<T[]> {
	let pass: Pass<T> | undefined;
	for (let attempt = 1; attempt <= MAX_PASSES; attempt++) {
		pass = await readListOnce(query);
		if (pass.enough || !pass.changed) return pass.kept;
		context.logger.debug(`${query.providerName}: the ${query.noun} list changed while it was read (read ${attempt}); reading it again`);
	}
	const plural = `${query.noun}s`;
	throw new NodeOperationError(
		context.node,
		`The ${query.noun} list changed while it was being read, ${MAX_PASSES} times in a row`,
		{
			description: `${plural[0].toUpperCase()}${plural.slice(1)} were created or deleted in ${query.providerName} during each read (last read: ${pass?.counted ?? 0} ${plural} against a total of ${pass?.total ?? 'unknown'}), so a complete list could not be taken. Nothing is returned rather than a list that may miss ${plural}. Run it again when fewer ${plural} are being changed.`,
			itemIndex: query.itemIndex,
		},
	);
}

async function readListOnce<T>(query: PageNumberQuery<T>): Promise<Pass<T>> {
	const limit = query.limit ?? Number.POSITIVE_INFINITY;
	const pass: Pass<T> = { kept: [], enough: false, changed: false, counted: 0 };
	const seenIds = new Set<string>();
	let lastPage: number | undefined;
	/** Whether the page taken last was full: only then can there be more. */
	let lastWasFull = true;
	/** Takes one page's items, in page order; true once nothing more is wanted. */
	const take = (page: NumberedPage<T>): boolean => {
		if (page.total !== undefined) {
			if (pass.total === undefined) pass.total = page.total;
			else if (page.total !== pass.total) pass.changed = true;
		}
		if (page.lastPage !== undefined) lastPage = page.lastPage;
		lastWasFull = page.items.length >= query.perPage;
		for (const item of page.items) {
			const id = query.idOf(item);
			if (id !== undefined) {
				if (seenIds.has(id)) {
					// The list shifted under the paging: what came twice may have pushed another out of sight.
					pass.changed = true;
					continue;
				}
				seenIds.add(id);
			}
			pass.counted++;
			if (query.keep && !query.keep(item)) continue;
			pass.kept.push(item);
			if (pass.kept.length >= limit) {
				pass.enough = true;
				return true;
			}
		}
		return false;
	};

	if (take(await query.readPage(1))) return pass;
	// With a filter and a limit, only looking tells which page meets the limit: one at a time.
	const concurrency = query.keep && Number.isFinite(limit) ? 1 : query.maxConcurrency;
	let next = 2;
	// Past the last page the pages name only while the total says items are still missing, or when
	// no page gives a total to check it against (a full page may always have a next one).
	const mayHaveMore = () => lastPage === undefined || next <= lastPage || pass.total === undefined || pass.counted < pass.total;
	while (lastWasFull && !pass.enough && mayHaveMore()) {
		// Up to the last page the pages say there are; past it (or when none says), one page at a time.
		let to = lastPage !== undefined && lastPage >= next ? lastPage : next;
		// Without a filter the limit tells up front how many pages it needs.
		if (!query.keep) to = Math.min(to, next - 1 + Math.ceil((limit - pass.kept.length) / query.perPage));
		const ended = await fetchInOrder(query, next, to, concurrency, take);
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
async function fetchInOrder<T>(
	query: PageNumberQuery<T>,
	from: number,
	to: number,
	concurrency: number,
	take: (page: NumberedPage<T>) => boolean,
): Promise<boolean> {
	const arrived = new Map<number, NumberedPage<T>>();
	let nextToStart = from;
	let nextToTake = from;
	let end = to;
	let over = false;
	let failed = false;
	const worker = async () => {
		while (nextToStart <= end && !over && !failed) {
			const pageNumber = nextToStart++;
			let page: NumberedPage<T> | undefined;
			try {
				page = await query.readPage(pageNumber);
			} finally {
				// A page that failed fails the run as a whole: the others take no more pages.
				if (page === undefined) failed = true;
			}
			if (page.items.length < query.perPage) end = Math.min(end, pageNumber);
			arrived.set(pageNumber, page);
			while (!over && arrived.has(nextToTake)) {
				const pageNumberTaken = nextToTake++;
				const taken = arrived.get(pageNumberTaken)!;
				arrived.delete(pageNumberTaken);
				over = take(taken) || taken.items.length < query.perPage;
			}
		}
	};
	const workers = Math.min(Math.max(1, Math.floor(concurrency)), to - from + 1);
	await Promise.all(Array.from({ length: workers }, worker));
	return over;
}
