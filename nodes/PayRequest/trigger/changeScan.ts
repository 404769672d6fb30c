/**
 * Bookkeeping of the PayRequest Trigger's "Invoice Created" and "Invoice Paid" events. Pure (no
 * n8n imports, no clock, no I/O): the trigger reads PayRequest's statistics and list pages, hands
 * them here with the state it kept, emits the events and stores the state it gets back.
 *
 * Why it is built this way: PayRequest's list has no date filter and no documented order, so
 * finding what changed means reading every page (one request per 100 invoices), while its
 * statistics are one request. So:
 * - A poll first reads the statistics. While their counts (invoices, paid, outstanding) are the
 *   ones of the last complete read, and that read is younger than the reconcile interval, nothing
 *   changed that the counts can show: the poll ends there (one request).
 * - When the counts move, or the interval has passed (it catches what the counts can hide, such as
 *   a create and a delete between two polls), a scan reads the list page by page. A scan may span
 *   several polls (a few dozen pages each, inside n8n's time for a poll and PayRequest's rate); its
 *   progress is kept in the state. Events are emitted as the pages show them.
 * - Created: PayRequest's ids are whole numbers that grow, so one high-water mark (the highest id
 *   of the last complete scan) says what is new: not every id ever seen. When the last scan found
 *   the list in ascending id order and the counts say only that invoices were added, the new ones
 *   are on the list's last page: that page (or two) is read instead of the whole list.
 * - Paid: the ids that were not paid at the last complete scan (O(unpaid invoices)). One of them
 *   seen paid is a transition, emitted once; so is a new invoice (above the mark) seen already paid.
 *   An id a scan did not see (deleted, or skipped because pages moved under a scan) is kept for one
 *   more scan before it is dropped.
 * - The first complete scan after activation only records: nothing is emitted for what exists.
 */

export type ChangeEvent = 'invoiceCreated' | 'invoicePaid';

export interface ChangeScanState {
	version: 1;
	/** A complete scan has recorded the account. */
	initialized: boolean;
	/** The statistics' counts of the last complete scan. */
	counts: string;
	/** When the last complete scan ended (epoch ms). */
	lastScanAt: number;
	/** The highest invoice id of the last complete scan. */
	highestId: number;
	/** Ids that were not paid at the last complete scan. */
	unpaid: number[];
	/** Ids of `unpaid` that the last complete scan did not see: dropped if the next one does not see them either. */
	unseen: number[];
	/** The last complete scan found the list in ascending id order: new invoices are then on its last page. */
	ascending: boolean;
	/**
	 * A scan in progress: the next page to read and what the pages so far showed, all of it
	 * O(unpaid invoices): the unpaid ones seen, which of the recorded unpaid ids were seen, and the
	 * ids emitted in this scan (so a page that moved under the scan does not emit one twice).
	 */
	scan?: { nextPage: number; counts: string; highestId: number; seenUnpaid: number[]; seenKnown: number[]; emitted: number[]; ascending: boolean; lastId: number };
}

export interface StatsCounts {
	total_invoices?: unknown;
	paid_invoices?: unknown;
	total_outstanding?: unknown;
}

export function emptyChangeState(): ChangeScanState {
	return { version: 1, initialized: false, counts: '', lastScanAt: 0, highestId: 0, unpaid: [], unseen: [], ascending: false };
}

/** The counts that move when an invoice is created, deleted or paid (not the overdue count, which moves with the calendar). */
export function countsOf(stats: StatsCounts): string {
	return JSON.stringify([Number(stats.total_invoices ?? -1), Number(stats.paid_invoices ?? -1), Number(stats.total_outstanding ?? -1)]);
}

/**
 * How many invoices were created, when the counts say that only that happened (more invoices,
 * the same number paid) and the list is known to be in ascending id order; undefined otherwise.
 */
export function onlyCreated(state: ChangeScanState, counts: string): number | undefined {
	if (!state.initialized || !state.ascending || state.scan) return undefined;
	const [totalBefore, paidBefore] = JSON.parse(state.counts || '[]') as number[];
	const [total, paid] = JSON.parse(counts) as number[];
	return total > totalBefore && paid === paidBefore ? total - totalBefore : undefined;
}

/**
 * The tail of an ascending list (its last page or two): when it holds exactly the `created`
 * invoices above the mark, they are the events and the mark moves; undefined when it does not
 * (something else changed too), and the caller scans the whole list instead.
 */
export function readTail(state: ChangeScanState, tail: Array<Record<string, unknown>>, created: number, counts: string): { events: Array<Record<string, unknown>>; next: ChangeScanState } | undefined {
	const fresh = tail.filter((invoice) => (idOf(invoice?.id) ?? 0) > state.highestId);
	if (fresh.length !== created) return undefined;
	const unpaidIds = fresh.filter((invoice) => !isPaid(invoice.status)).map((invoice) => idOf(invoice.id)!);
	const highestId = Math.max(state.highestId, ...fresh.map((invoice) => idOf(invoice.id)!));
	// The counts now match what is recorded; the reconcile interval still runs from the last whole scan.
	return { events: fresh, next: { ...state, counts, highestId, unpaid: [...state.unpaid, ...unpaidIds].sort((a, b) => a - b) } };
}

/** Whether a poll must read the list: a scan is under way, the counts moved, or the reconcile interval has passed. */
export function needsScan(state: ChangeScanState, counts: string, nowMs: number, reconcileMs: number): boolean {
	return state.scan !== undefined || !state.initialized || counts !== state.counts || nowMs - state.lastScanAt >= reconcileMs;
}

export function startScan(state: ChangeScanState, counts: string): ChangeScanState {
	return { ...state, scan: { nextPage: 1, counts, highestId: state.highestId, seenUnpaid: [], seenKnown: [], emitted: [], ascending: true, lastId: 0 } };
}

const idOf = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
};

const isPaid = (status: unknown) => typeof status === 'string' && status.trim().toLowerCase() === 'paid';

/**
 * One page of a scan: the events it shows for `event`, and the state after it. `lastPage` ends the
 * scan: its findings become the recorded account. Invoices without a whole-number id are passed over.
 */
export function readScanPage(
	state: ChangeScanState,
	page: Array<Record<string, unknown>>,
	event: ChangeEvent,
	lastPage: boolean,
	nowMs: number,
): { events: Array<Record<string, unknown>>; next: ChangeScanState } {
	const scan = state.scan ?? startScan(state, state.counts).scan!;
	const unpaidBefore = new Set(state.unpaid);
	const emitted = new Set(scan.emitted);
	const seenKnown = new Set(scan.seenKnown);
	const seenUnpaid = new Set(scan.seenUnpaid);
	let highestId = scan.highestId;
	let { ascending, lastId } = scan;
	const events: Array<Record<string, unknown>> = [];
	for (const invoice of page) {
		const id = idOf(invoice?.id);
		if (id === undefined) continue;
		if (unpaidBefore.has(id)) seenKnown.add(id);
		highestId = Math.max(highestId, id);
		ascending = ascending && id > lastId;
		lastId = id;
		const isNew = id > state.highestId;
		const paid = isPaid(invoice.status);
		if (!paid) seenUnpaid.add(id);
		if (!state.initialized || emitted.has(id)) continue;
		const fires = event === 'invoiceCreated' ? isNew : paid && (unpaidBefore.has(id) || isNew);
		if (fires) {
			emitted.add(id);
			events.push(invoice);
		}
	}
	if (!lastPage) {
		return {
			events,
			next: { ...state, scan: { nextPage: scan.nextPage + 1, counts: scan.counts, highestId, seenUnpaid: [...seenUnpaid], seenKnown: [...seenKnown], emitted: [...emitted], ascending, lastId } },
		};
	}
	// The scan is complete. Unpaid ids it did not see are kept once (pages may have moved under it), then dropped.
	const missing = state.unpaid.filter((id) => !seenKnown.has(id));
	const unseenBefore = new Set(state.unseen);
	const keptOnce = missing.filter((id) => !unseenBefore.has(id));
	const unpaid = [...new Set([...seenUnpaid, ...keptOnce])].sort((a, b) => a - b);
	return {
		events,
		next: { version: 1, initialized: true, counts: scan.counts, lastScanAt: nowMs, highestId, unpaid, unseen: keptOnce.sort((a, b) => a - b), ascending },
	};
}

/** Whatever the static data holds: a state of this version, or the empty state (the next scan then only records). */
export function readChangeState(stored: unknown): ChangeScanState {
	const value = stored as Partial<ChangeScanState> | undefined;
	if (!value || value.version !== 1 || !Array.isArray(value.unpaid)) return emptyChangeState();
	const numbers = (list: unknown) => (Array.isArray(list) ? list.map(idOf).filter((id): id is number => id !== undefined) : []);
	const scan = value.scan;
	return {
		version: 1,
		initialized: value.initialized === true,
		counts: typeof value.counts === 'string' ? value.counts : '',
		lastScanAt: typeof value.lastScanAt === 'number' ? value.lastScanAt : 0,
		highestId: idOf(value.highestId) ?? 0,
		unpaid: numbers(value.unpaid),
		unseen: numbers(value.unseen),
		ascending: value.ascending === true,
		...(scan && typeof scan.nextPage === 'number'
			? {
					scan: {
						nextPage: scan.nextPage,
						counts: typeof scan.counts === 'string' ? scan.counts : '',
						highestId: idOf(scan.highestId) ?? 0,
						seenUnpaid: numbers(scan.seenUnpaid),
						seenKnown: numbers(scan.seenKnown),
						emitted: numbers(scan.emitted),
						ascending: scan.ascending === true,
						lastId: idOf(scan.lastId) ?? 0,
					},
				}
			: {}),
	};
}
