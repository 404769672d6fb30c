/**
 * Bookkeeping of the PayRequest Trigger's "Invoice Created" and "Invoice Paid" events. Pure (no
 * n8n imports, no clock, no I/O): the trigger reads PayRequest's statistics and list pages, hands
 * them here with the state it kept, emits the events and stores the state it gets back.
 *
 * Why it is built this way: PayRequest's list has no date filter and no documented order, so
 * finding what changed means reading every page (one request per 100 invoices), while its
 * statistics are one request. So:
 * - A poll first reads the statistics. While their counts (invoices, paid, outstanding) show no
 *   change that could be an event of the trigger's kind, and the last complete read is younger
 *   than the reconcile interval, the poll ends there (one request). See planPoll.
 * - When the counts move, or the interval has passed (it catches what the counts can hide, such as
 *   a create and a delete between two polls), a scan reads the list page by page. A scan may span
 *   several polls (a few dozen pages each, inside n8n's time for a poll and PayRequest's rate); its
 *   progress is kept in the state. Events are emitted as the pages show them.
 * - Created: PayRequest's ids are whole numbers that grow, so one high-water mark (the highest id
 *   of the last complete scan) says what is new: not every id ever seen. When the last scan found
 *   the list in ascending id order, the new ones are on the list's last page: that page (or two)
 *   is read instead of the whole list. Only more invoices than before call for a read at all.
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
	scan?: { nextPage: number; counts: string; highestId: number; seenUnpaid: number[]; seenKnown: number[]; emitted: number[]; ascending: boolean; lastId: number; seenCount: number };
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
 * The tail of an ascending list (from the page that held its last invoice), for Invoice Created:
 * when that invoice is there and exactly as many invoices follow it as the counts say were added,
 * all above the mark, they are the events and the mark moves; undefined otherwise (invoices were
 * deleted too), and the caller scans the list.
 */
export function readTail(state: ChangeScanState, tail: Array<Record<string, unknown>>, counts: string): { events: Array<Record<string, unknown>>; next: ChangeScanState } | undefined {
	const [totalBefore] = JSON.parse(state.counts || '[-1]') as number[];
	const [total] = JSON.parse(counts) as number[];
	// The last invoice of the recorded list must be there, and everything after it new: otherwise
	// invoices were deleted too, and a new one may sit on an earlier page.
	const lastKnown = tail.findIndex((invoice) => idOf(invoice?.id) === state.highestId);
	const fresh = tail.slice(lastKnown + 1);
	if (lastKnown === -1 || fresh.length !== total - totalBefore || fresh.some((invoice) => (idOf(invoice?.id) ?? 0) <= state.highestId)) return undefined;
	const unpaidIds = fresh.filter((invoice) => !isPaid(invoice.status)).map((invoice) => idOf(invoice.id)!);
	const highestId = Math.max(state.highestId, ...fresh.map((invoice) => idOf(invoice.id)!));
	// The counts now match what is recorded; the reconcile interval still runs from the last whole scan.
	return { events: fresh, next: { ...state, counts, highestId, unpaid: [...state.unpaid, ...unpaidIds].sort((a, b) => a - b) } };
}

/**
 * What a poll must read, given the statistics' counts: nothing ('quiet'), the list's last page or
 * two ('tail': only new invoices can explain the counts, on an ascending list), or the whole list
 * ('scan': a scan is under way, nothing is recorded yet, the reconcile interval has passed, or the
 * counts moved in a way that can hide an event of this kind).
 * - Invoice Created needs the list only when there are more invoices than before.
 * - Invoice Paid needs it only when the paid count moved: a new invoice needs no reading until it
 *   is paid (it is then above the mark, and the paid count moves).
 */
export function planPoll(state: ChangeScanState, counts: string, event: ChangeEvent, nowMs: number, reconcileMs: number): 'quiet' | 'tail' | 'scan' {
	if (state.scan !== undefined || !state.initialized || nowMs - state.lastScanAt >= reconcileMs) return 'scan';
	if (counts === state.counts) return 'quiet';
	const [totalBefore, paidBefore] = JSON.parse(state.counts || '[-1,-1]') as number[];
	const [total, paid] = JSON.parse(counts) as number[];
	if (event === 'invoicePaid') return paid === paidBefore ? 'quiet' : 'scan';
	if (total <= totalBefore) return 'quiet';
	return state.ascending && total - totalBefore <= 100 ? 'tail' : 'scan';
}

/** The counts a quiet poll saw become the ones the next poll compares with. */
export function withCounts(state: ChangeScanState, counts: string): ChangeScanState {
	return { ...state, counts };
}

export function startScan(state: ChangeScanState, counts: string): ChangeScanState {
	return { ...state, scan: { nextPage: 1, counts, highestId: state.highestId, seenUnpaid: [], seenKnown: [], emitted: [], ascending: true, lastId: 0, seenCount: 0 } };
}

const idOf = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
};

const isPaid = (status: unknown) => typeof status === 'string' && status.trim().toLowerCase() === 'paid';

/**
 * One page of a scan: the events it shows for `event`, and the state after it. `lastPage` ends the
 * scan: its findings become the recorded account, unless the list shrank under the scan (the last
 * page came back empty after others, or the scan saw fewer invoices than the list holds at its
 * end, `listTotal`): invoices then moved to pages it had read, so it starts again (what it emitted
 * is not emitted again). Invoices without a whole-number id are passed over.
 */
export function readScanPage(
	state: ChangeScanState,
	page: Array<Record<string, unknown>>,
	event: ChangeEvent,
	lastPage: boolean,
	nowMs: number,
	listTotal?: number,
): { events: Array<Record<string, unknown>>; next: ChangeScanState } {
	const scan = state.scan ?? startScan(state, state.counts).scan!;
	const unpaidBefore = new Set(state.unpaid);
	const emitted = new Set(scan.emitted);
	const seenKnown = new Set(scan.seenKnown);
	const seenUnpaid = new Set(scan.seenUnpaid);
	let highestId = scan.highestId;
	let { ascending, lastId, seenCount } = scan;
	const events: Array<Record<string, unknown>> = [];
	for (const invoice of page) {
		const id = idOf(invoice?.id);
		seenCount++;
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
			next: { ...state, scan: { nextPage: scan.nextPage + 1, counts: scan.counts, highestId, seenUnpaid: [...seenUnpaid], seenKnown: [...seenKnown], emitted: [...emitted], ascending, lastId, seenCount } },
		};
	}
	// An empty last page after others, or fewer invoices seen than the list holds: it shrank under the scan.
	if ((page.length === 0 && scan.nextPage > 1) || (listTotal !== undefined && seenCount < listTotal)) {
		return { events, next: { ...state, scan: { ...startScan(state, scan.counts).scan!, emitted: [...emitted] } } };
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
						seenCount: typeof scan.seenCount === 'number' ? scan.seenCount : 0,
					},
				}
			: {}),
	};
}
