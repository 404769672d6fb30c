/** One page of a list that pages by cursor (?after=<cursor>). */
export interface CursorPage<T> {
	items: T[];
	/** The cursor of the page's end, to ask for the next page; undefined or empty when the answer gives none. */
	endCursor?: string;
	hasNextPage: boolean;
}

export interface CursorQuery<T> {
	/** Reads the page after `cursor` (the first page without one). */
	readPage(cursor: string | undefined): Promise<CursorPage<T>>;
	/** The item's id, to drop repeats; undefined for an item without one. */
	idOf(item: T): string | undefined;
	/** Stop once this many items are kept; undefined means every item. */
	limit?: number;
}

/**
 * Collects a list that pages by cursor, one page after another (each page names the next). The
 * walk ends when a page says there is no next page, comes back empty, or gives no cursor or the
 * cursor it was asked with (a server that does not move on would otherwise be asked forever). An
 * item that comes twice is kept once.
 */
export async function collectCursorPages<T>(query: CursorQuery<T>): Promise<T[]> {
	const limit = query.limit ?? Number.POSITIVE_INFINITY;
	const kept: T[] = [];
	const seenIds = new Set<string>();
	const askedCursors = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const page = await query.readPage(cursor);
		for (const item of page.items) {
			const id = query.idOf(item);
			if (id !== undefined) {
				if (seenIds.has(id)) continue;
				seenIds.add(id);
			}
			kept.push(item);
			if (kept.length >= limit) return kept;
		}
		const next = page.endCursor;
		if (!page.hasNextPage || page.items.length === 0 || !next || next === cursor || askedCursors.has(next)) return kept;
		askedCursors.add(next);
		cursor = next;
	}
}
