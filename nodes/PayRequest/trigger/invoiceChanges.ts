/**
 * The PayRequest Trigger's "Invoice Created" and "Invoice Paid" events. No n8n imports and no
 * clock: the trigger hands in a reader of PayRequest's list pages and statistics and `now`, emits
 * the events it gets back and stores the state. The rules are property-tested with an in-memory
 * list (both orders, restarts) and through n8n's engine against the emulator.
 *
 * What it rests on: PayRequest's invoice ids are whole numbers that grow, and its list (100 a page,
 * no date filter, order not documented) is read in whatever order it comes; the order is learned
 * from the ids (oldest or newest first) and checked on every page read.
 *
 * The save rule (README: Triggers and n8n's save rule). n8n saves a poll node's state after the
 * activation poll and after a poll that emits, never after a quiet one; a restart goes back to
 * what was saved. So:
 * - The activation poll records a mark: the highest id (two pages: the ends of the list) and, for
 *   Paid, the unpaid invoices it can read within one poll. Every later decision compares with
 *   what was saved, and what a quiet poll learns (hints, counts, the recording's progress) only
 *   saves requests: found again after a rollback, it gives the same events.
 * - Created: an id above the mark is new. Each poll reads from the newest page down to the page
 *   that holds the mark of two polls ago, so every new id is looked for by two polls (an answer that
 *   left one out does not lose it); the ids above that are kept (`recent`) so none is emitted twice.
 *   Many new invoices at once are read over several polls, newest page first.
 * - Paid: an invoice seen unpaid (recorded, or new above the mark) and later seen paid is emitted
 *   once. An answer that leaves an invoice out proves nothing: it stays recorded as unpaid until
 *   seen, for TRACK_DAYS at most. The statistics' paid count (one request) says when to look; the
 *   pages read are the ones that held unpaid invoices when last seen, and the new ones above the mark.
 * - The recording of unpaid invoices reads the list newest page first: the activation poll reads
 *   as many pages as a poll may; then each poll reads one more page, round and round the list, so
 *   an invoice reopened (paid, then unpaid again) is recorded again and its next payment counts.
 *   A large account's older invoice paid before the first recording reaches its page is taken as
 *   paid already: README says so.
 * - Every page a Paid poll reads, for whatever reason, goes through one rule (observe): a recorded
 *   unpaid invoice seen paid is an event, so no reading can drop a payment silently.
 *
 * Size of what is stored (issue #27, part 8): n8n 2.41's durable poll cursors write the state after
 * every poll. Created keeps two marks and the ids above them (a few). Paid keeps one record per
 * unpaid invoice (page, when seen, when looked for), which the rules need as they are (an unpaid
 * invoice is found again by its page, and its TRACK_DAYS count from when it was seen); a watermark
 * would take an invoice reopened below it for one never unpaid. So the stored form
 * (compactChangeState, version 3) writes those records losslessly: the invoices of one page, read
 * in one poll, share their three numbers, and form one group whose ids are runs of consecutive
 * numbers (nodes/shared/idSets.ts). About 170 bytes a page of 100 invoices, whatever share is
 * unpaid: under 256 KB at 50,000 invoices (test: invoiceChanges.test.cts, 'stored form').
 * readChangeState reads versions 2 (earlier releases: migrated as it is) and 3.
 */

import { isPlainObject } from '../../shared/actions/shapes';
import type { IdSet } from '../../shared/idSets';
import { decodeIdSet, encodeIdSet, groupIds, ungroupIds } from '../../shared/idSets';

export type ChangeEvent = 'invoiceCreated' | 'invoicePaid';
/** 'unseen': no page has shown an order yet (one invoice, or none); read as oldest first until one does. 'unknown': not in id order. */
export type ListOrder = 'ascending' | 'descending' | 'unknown' | 'unseen';

export interface InvoicePage {
	items: Array<Record<string, unknown>>;
	lastPage?: number;
	total?: number;
}

export interface ChangeReader {
	page(pageNumber: number): Promise<InvoicePage>;
	/** The statistics' paid count (Paid only). */
	paidCount(): Promise<number | undefined>;
}

export interface ChangeState {
	version: 2;
	order: ListOrder;
	/** The highest id read. */
	mark: number;
	/** Every id up to here was looked for by two polls (or existed at activation): nothing below it is new. */
	settled: number;
	/** Ids above `settled` already emitted or recorded, so that none counts as new twice. */
	recent: number[];
	/** The next older page of a walk that the page budget cut short, and the lowest id that walk had read. */
	resumePage?: number;
	resumeBelow?: number;
	/** The list's last page when last read (where its newest end is, on an oldest-first list). */
	lastPage: number;
	/** Paid: ids seen unpaid, with the page each was last seen on, when (epoch ms), and when it was last looked for. */
	unpaid: Record<string, [page: number, seenAt: number, lookedAt: number]>;
	/** Paid: the recording of unpaid invoices goes on at this page (toward the oldest); absent when a round starts afresh. */
	recordPage?: number;
	/** Paid: the first round of the recording is done (later rounds read one page a poll). */
	recorded: boolean;
	/** Paid: the statistics' paid count at the last read, and when the pages were last read. */
	paidCount: number;
	checkedAt: number;
	/** Paid: a check of every recorded invoice under way (more pages than one poll may read): when it began, and the paid count then. */
	check?: { startedAt: number; paidCount: number };
}

export interface ChangeSettings {
	event: ChangeEvent;
	nowMs: number;
	/** Paid: the pages are read at least this often even when the paid count did not move. */
	reconcileMs: number;
	/** Pages one poll may read (inside n8n's time for a poll and PayRequest's 60 a minute). */
	pageBudget: number;
}

/** How long an unpaid invoice that no answer shows any more is kept (it may be an answer that left it out). */
export const TRACK_DAYS = 90;
const MS_PER_DAY = 86_400_000;
const PER_PAGE = 100;

export function emptyChangeState(): ChangeState {
	return { version: 2, order: 'unknown', mark: 0, settled: 0, recent: [], lastPage: 0, unpaid: {}, recorded: false, paidCount: -1, checkedAt: 0 };
}

export const idOf = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
};

export const isPaid = (status: unknown) => typeof status === 'string' && status.trim().toLowerCase() === 'paid';

/** Whatever the static data holds: a state of this version, or undefined (the next poll records afresh). */
export function readChangeState(stored: unknown): ChangeState | undefined {
	const compact = stored as Partial<StoredChangeState> | undefined;
	// Version 3 (compact) as version 2's record per invoice; without its groups it is no state (the next poll records afresh).
	if (compact?.version === 3) {
		const unpaid = isPlainObject(compact.unpaid) ? Object.fromEntries(ungroupIds(compact.unpaid, parseUnpaidKey)) : undefined;
		stored = { ...compact, version: 2, unpaid, recent: decodeIdSet(compact.recent)?.map(Number) ?? [] };
	}
	const value = stored as Partial<ChangeState> | undefined;
	if (!value || value.version !== 2 || typeof value.mark !== 'number' || typeof value.unpaid !== 'object' || value.unpaid === null) return undefined;
	const whole = (number: unknown, fallback: number) => (typeof number === 'number' && Number.isSafeInteger(number) ? number : fallback);
	const unpaid: ChangeState['unpaid'] = {};
	for (const [id, entry] of Object.entries(value.unpaid)) {
		if (idOf(id) !== undefined && Array.isArray(entry)) unpaid[String(idOf(id))] = [whole(entry[0], 1), whole(entry[1], 0), whole(entry[2], whole(entry[1], 0))];
	}
	return {
		version: 2,
		order: value.order === 'ascending' || value.order === 'descending' || value.order === 'unseen' ? value.order : 'unknown',
		mark: whole(value.mark, 0),
		settled: whole(value.settled, 0),
		recent: Array.isArray(value.recent) ? value.recent.map(idOf).filter((id): id is number => id !== undefined) : [],
		...(typeof value.resumePage === 'number' ? { resumePage: value.resumePage } : {}),
		...(typeof value.resumeBelow === 'number' ? { resumeBelow: value.resumeBelow } : {}),
		lastPage: whole(value.lastPage, 0),
		unpaid,
		...(typeof value.recordPage === 'number' ? { recordPage: value.recordPage } : {}),
		recorded: value.recorded === true,
		paidCount: whole(value.paidCount, -1),
		checkedAt: whole(value.checkedAt, 0),
		...(value.check && typeof value.check.startedAt === 'number' ? { check: { startedAt: value.check.startedAt, paidCount: whole(value.check.paidCount, -1) } } : {}),
	};
}

/** What the trigger stores: the state in its compact form (version 3, see the top of this file); readChangeState reads it back. */
export function compactChangeState(state: ChangeState): StoredChangeState {
	return { ...state, version: 3, recent: encodeIdSet(state.recent.map(String)), unpaid: groupIds(Object.entries(state.unpaid), (entry) => entry.join(' ')) };
}

export type StoredChangeState = Omit<ChangeState, 'version' | 'recent' | 'unpaid'> & {
	version: 3;
	recent: IdSet;
	/** By '<page> <seenAt> <lookedAt>', the ids of the unpaid invoices with those. */
	unpaid: Record<string, IdSet>;
};

function parseUnpaidKey(key: string): ChangeState['unpaid'][string] | undefined {
	const numbers = key.split(' ').map(Number);
	return numbers.length === 3 && numbers.every(Number.isSafeInteger) ? [numbers[0], numbers[1], numbers[2]] : undefined;
}

/** The usable ids of a page's invoices, in the page's order. */
const idsOn = (items: InvoicePage['items']) => items.map((item) => idOf(item?.id)).filter((id): id is number => id !== undefined);

/** The order one page's ids show: undefined when it shows none (fewer than two ids). */
function pageOrder(items: InvoicePage['items']): ListOrder | undefined {
	const ids = idsOn(items);
	if (ids.length < 2) return undefined;
	if (ids.every((id, index) => index === 0 || id > ids[index - 1])) return 'ascending';
	if (ids.every((id, index) => index === 0 || id < ids[index - 1])) return 'descending';
	return 'unknown';
}

const lastPageOf = (page: InvoicePage, fallback: number) => page.lastPage ?? (page.total !== undefined ? Math.max(1, Math.ceil(page.total / PER_PAGE)) : fallback);

/** The pages of a list from its newest end toward its oldest, given its order and last page. */
const newestPage = (order: ListOrder, lastPage: number) => (order === 'descending' ? 1 : lastPage);
const olderPage = (order: ListOrder, page: number) => (order === 'descending' ? page + 1 : page - 1);
const newerPage = (order: ListOrder, page: number) => (order === 'descending' ? page - 1 : page + 1);
const isPastOldest = (order: ListOrder, page: number, lastPage: number) => (order === 'descending' ? page > lastPage : page < 1);

export interface PollResult {
	events: Array<Record<string, unknown>>;
	next: ChangeState;
	/** Requests the poll made (pages, and the statistics for Paid): what it cost. */
	requests: number;
}

/**
 * One poll. `previous` is what the static data held (undefined: nothing yet, so this is the
 * activation poll, which records without emitting).
 */
export async function pollChanges(previous: ChangeState | undefined, reader: ChangeReader, settings: ChangeSettings): Promise<PollResult> {
	const run = new ChangePoll(reader, previous ? (JSON.parse(JSON.stringify(previous)) as ChangeState) : emptyChangeState(), settings);
	if (!previous) {
		await run.activate();
		return { events: [], next: run.state, requests: run.requests };
	}
	const events = await run.poll();
	return { events, next: run.state, requests: run.requests };
}

/** One poll's reading: it counts requests, keeps the pages it read, and learns the list's last page and order from every answer. */
class ChangePoll {
	requests = 0;

	private readonly pages = new Map<number, InvoicePage>();

	/** Paid: the invoices seen paid this poll that count as a payment, by id. */
	private readonly paid = new Map<number, Record<string, unknown>>();

	/** Paid: recorded invoices some page of this poll showed. */
	private readonly found = new Set<number>();

	constructor(
		private readonly reader: ChangeReader,
		readonly state: ChangeState,
		private readonly settings: ChangeSettings,
	) {}

	private get budgetLeft(): boolean {
		return this.requests < this.settings.pageBudget;
	}

	private get watchesPayments(): boolean {
		return this.settings.event === 'invoicePaid';
	}

	private async page(pageNumber: number): Promise<InvoicePage> {
		// A page read once in this poll is not asked for again.
		const known = this.pages.get(pageNumber);
		if (known) return known;
		this.requests++;
		const page = await this.reader.page(pageNumber);
		this.pages.set(pageNumber, page);
		this.state.lastPage = lastPageOf(page, this.state.lastPage);
		const order = pageOrder(page.items) ?? this.orderAcross(pageNumber, page);
		// The first page that shows an order teaches it; a page against it means the list is not in id order (any more): read whole.
		if (order !== undefined && this.state.order === 'unseen') this.state.order = order;
		else if (order !== undefined && order !== this.state.order) this.state.order = 'unknown';
		if (this.watchesPayments) this.observe(page, pageNumber);
		return page;
	}

	/** While no page has shown an order (pages of one invoice): what two pages read in this poll show. */
	private orderAcross(pageNumber: number, page: InvoicePage): ListOrder | undefined {
		if (this.state.order !== 'unseen') return undefined;
		const id = idOf(page.items[0]?.id);
		for (const [otherNumber, other] of this.pages) {
			const otherId = idOf(other.items[0]?.id);
			if (otherNumber === pageNumber || id === undefined || otherId === undefined) continue;
			return (pageNumber < otherNumber) === (id < otherId) ? 'ascending' : 'descending';
		}
		return undefined;
	}

	/**
	 * Paid, for every page read: a recorded invoice seen paid is a payment (and leaves the record),
	 * seen unpaid its page is noted; an invoice at or below `settled` seen unpaid is recorded (the
	 * recording, or one reopened). Invoices above `settled` are new: newInvoices decides.
	 */
	private observe(page: InvoicePage, pageNumber: number): void {
		const { state } = this;
		for (const invoice of page.items) {
			const id = idOf(invoice?.id);
			if (id === undefined) continue;
			const key = String(id);
			if (Object.prototype.hasOwnProperty.call(state.unpaid, key)) {
				this.found.add(id);
				if (isPaid(invoice.status)) {
					this.paid.set(id, invoice);
					delete state.unpaid[key];
				} else state.unpaid[key] = [pageNumber, this.settings.nowMs, this.settings.nowMs];
			} else if (id <= state.settled && !isPaid(invoice.status)) {
				state.unpaid[key] = [pageNumber, this.settings.nowMs, this.settings.nowMs];
				this.found.add(id);
			}
		}
	}

	/** The activation poll: the mark from both ends of the list (two requests), the order; for Paid the count and the first round of the recording. */
	async activate(): Promise<void> {
		const { state, settings } = this;
		const paidCount = this.watchesPayments ? await this.paidCount() : undefined;
		state.order = 'unseen';
		const read = [await this.page(1)];
		if (state.lastPage > 1) read.push(await this.page(state.lastPage));
		if (state.order === 'unseen' || read.length > 1) state.order = learnOrder(read);
		state.mark = Math.max(0, ...read.flatMap((page) => page.items.map((item) => idOf(item?.id) ?? 0)));
		state.settled = state.mark;
		if (!this.watchesPayments) return;
		state.paidCount = paidCount ?? -1;
		state.checkedAt = settings.nowMs;
		// What the two pages showed before the mark was known: record it now.
		for (const [pageNumber, page] of this.pages) this.observe(page, pageNumber);
		await this.record(settings.pageBudget);
	}

	async poll(): Promise<Array<Record<string, unknown>>> {
		const { state, settings } = this;
		if (!this.watchesPayments) return await this.created();
		// A check the budget cut short goes on with what it has not looked at yet, without the statistics,
		// the new invoices or the recording (they wait for the check to end), so that its pages are its cost.
		// When it ends, the count it started with is the one to compare with: a payment during it starts another.
		const continuing = state.check !== undefined;
		const paidCount = continuing ? undefined : await this.paidCount();
		if (continuing || paidCount === undefined || paidCount !== state.paidCount || settings.nowMs - state.checkedAt >= settings.reconcileMs) {
			state.check ??= { startedAt: settings.nowMs, paidCount: paidCount ?? -1 };
			// (A walk for new invoices that the budget cut short goes on, though: the check ends only after it.)
			if (await this.readForPayments(state.check.startedAt, !continuing || state.resumePage !== undefined)) {
				state.checkedAt = settings.nowMs;
				state.paidCount = state.check.paidCount;
				delete state.check;
			}
		}
		// The first round of the recording as fast as the budget allows, then one page a poll.
		if (state.check === undefined) await this.record(state.recorded ? this.requests + 1 : settings.pageBudget);
		return [...this.paid.entries()].sort(([a], [b]) => a - b).map(([, invoice]) => invoice);
	}

	private async paidCount(): Promise<number | undefined> {
		this.requests++;
		return await this.reader.paidCount();
	}

	/** Paid: the recording of unpaid invoices, newest page first, round and round the list, until `requestLimit`. */
	private async record(requestLimit: number): Promise<void> {
		const { state } = this;
		const limit = Math.min(requestLimit, this.settings.pageBudget);
		while (this.requests < limit) {
			const unordered = state.order === 'unknown';
			const pageNumber = state.recordPage ?? (unordered ? 1 : newestPage(state.order, state.lastPage));
			const page = await this.page(pageNumber);
			const next = unordered ? pageNumber + 1 : olderPage(state.order, pageNumber);
			const roundDone = page.items.length === 0 || (unordered ? next > state.lastPage : isPastOldest(state.order, next, state.lastPage));
			if (roundDone) {
				state.recorded = true;
				delete state.recordPage;
				break;
			}
			state.recordPage = next;
		}
	}

	/**
	 * Walks from the newest page toward the mark (from `start` when a walk goes on), handing each page
	 * to `visit`. Returns whether it reached `settled` (a page with an id at or below it, or the oldest
	 * page) and, when the budget cut it short, the page to go on from and the lowest id read.
	 */
	private async walkNew(
		start: number | undefined,
		visit: (page: InvoicePage, pageNumber: number) => void,
	): Promise<{ reachedMark: boolean; resumePage?: number; resumeBelow?: number }> {
		const { state } = this;
		const atMark = (page: InvoicePage) => page.items.some((item) => (idOf(item?.id) ?? Infinity) <= state.settled);
		if (state.order === 'unknown') return await this.walkUnordered(start, visit);
		let order = state.order;
		let pageNumber = start ?? newestPage(order, Math.max(1, state.lastPage));
		let atNewest = start === undefined;
		// A walk that goes on in a later poll: the list may have moved since (deletes, an invoice an answer
		// had left out). While the page read holds only ids below what the walk read, what lay between may
		// now be on the newer page: step newer until a page reaches the part read, then walk on from there.
		const readBelow = start !== undefined ? state.resumeBelow : undefined;
		let catchingUp = readBelow !== undefined;
		let lowest = readBelow ?? Infinity;
		for (;;) {
			if (isPastOldest(order, pageNumber, state.lastPage)) return { reachedMark: true };
			// Pages read in this poll cost nothing more.
			if (!this.pages.has(pageNumber) && !this.budgetLeft) return { reachedMark: false, resumePage: pageNumber, resumeBelow: catchingUp ? readBelow : lowest };
			const page = await this.page(pageNumber);
			visit(page, pageNumber);
			const ids = idsOn(page.items);
			if (catchingUp && readBelow !== undefined) {
				const newer = newerPage(order, pageNumber);
				const pastNewest = newer < 1 || newer > state.lastPage;
				if (ids.length > 0 && Math.max(...ids) < readBelow && !pastNewest) {
					pageNumber = newer;
					continue;
				}
				catchingUp = false;
			}
			lowest = Math.min(lowest, ...ids);
			// Reading a page may have taught the order, or shown the list is not in id order.
			const learned: ListOrder = this.state.order;
			if (learned === 'unknown') return await this.walkUnordered(undefined, visit);
			// Pages of one invoice show no order: the other end of the list does (two pages compared), and it may be the newest.
			const otherEnd = pageNumber === 1 ? state.lastPage : 1;
			if (learned === 'unseen' && !this.pages.has(otherEnd)) {
				pageNumber = otherEnd;
				atNewest = true;
				continue;
			}
			// The answer moved the newest end (the list grew or shrank) or taught the order: start there (pages read are not asked for again).
			const newest = newestPage(learned, state.lastPage);
			if (learned !== order || (atNewest && newest !== pageNumber)) {
				order = learned;
				pageNumber = newest;
				atNewest = true;
				continue;
			}
			atNewest = false;
			if (page.items.length === 0 || atMark(page)) return { reachedMark: true };
			pageNumber = olderPage(order, pageNumber);
		}
	}

	/** A list not in id order: every page, over as many polls as it takes. */
	private async walkUnordered(start: number | undefined, visit: (page: InvoicePage, pageNumber: number) => void): Promise<{ reachedMark: boolean; resumePage?: number }> {
		let pageNumber = start ?? 1;
		while (this.budgetLeft) {
			const page = await this.page(pageNumber);
			visit(page, pageNumber);
			if (page.items.length === 0 || pageNumber >= this.state.lastPage) return { reachedMark: true };
			pageNumber++;
		}
		return { reachedMark: false, resumePage: pageNumber };
	}

	/**
	 * Walks from the newest page down to `settled` (or goes on with a walk the budget cut short) and
	 * hands `accept` each invoice above `settled` not handled yet. A walk that ends moves the marks:
	 * what the last poll's mark covered has now been looked for twice.
	 */
	private async newInvoices(accept: (invoice: Record<string, unknown>, id: number, pageNumber: number) => void): Promise<void> {
		const { state } = this;
		const handled = new Set(state.recent);
		const walk = await this.walkNew(state.resumePage, (page, pageNumber) => {
			for (const invoice of page.items) {
				const id = idOf(invoice?.id);
				if (id === undefined || id <= state.settled || handled.has(id)) continue;
				handled.add(id);
				accept(invoice, id, pageNumber);
			}
		});
		if (walk.reachedMark) {
			const settled = state.mark;
			state.mark = Math.max(state.mark, ...handled);
			state.settled = settled;
			state.recent = [...handled].filter((id) => id > settled).sort((a, b) => a - b);
			delete state.resumePage;
			delete state.resumeBelow;
		} else {
			state.recent = [...handled].sort((a, b) => a - b);
			state.resumePage = walk.resumePage;
			if (walk.resumeBelow !== undefined && Number.isFinite(walk.resumeBelow)) state.resumeBelow = walk.resumeBelow;
			else delete state.resumeBelow;
		}
	}

	/** Created: the invoices above the mark not emitted yet, oldest first. */
	private async created(): Promise<Array<Record<string, unknown>>> {
		const fresh = new Map<number, Record<string, unknown>>();
		await this.newInvoices((invoice, id) => fresh.set(id, invoice));
		return [...fresh.entries()].sort(([a], [b]) => a - b).map(([, invoice]) => invoice);
	}

	/**
	 * Paid, when the paid count moved or the reconcile interval passed: the new invoices (from the
	 * newest page; one already paid counts), then each page a recorded invoice was last seen on; one
	 * the list moved is looked for on the side its id says.
	 */
	private async readForPayments(checkStartedAt: number, withNewInvoices: boolean): Promise<boolean> {
		const { state } = this;
		if (withNewInvoices) {
			await this.newInvoices((invoice, id, pageNumber) => {
				if (Object.prototype.hasOwnProperty.call(state.unpaid, String(id))) return;
				if (isPaid(invoice.status)) this.paid.set(id, invoice);
				else state.unpaid[String(id)] = [pageNumber, this.settings.nowMs, this.settings.nowMs];
			});
		}
		// What this check has not looked for yet, by page. Each round reads at least one page not read yet,
		// or ends: bounded by the list and the budget.
		const notLookedFor = () =>
			Object.entries(state.unpaid)
				.filter(([id, entry]) => entry[2] < checkStartedAt && !this.found.has(Number(id)))
				.sort(([, a], [, b]) => a[0] - b[0])
				.map(([id, [hint]]) => [Number(id), hint] as const);
		for (let progress = true; progress && this.budgetLeft; ) {
			progress = false;
			for (const [id, hint] of notLookedFor()) {
				if (this.found.has(id) || !this.budgetLeft) continue;
				const pageNumber = this.pageToRead(id, hint);
				if (pageNumber === undefined) {
					// Not on the list where it would be (deleted, or an answer that left it out): looked for.
					state.unpaid[String(id)][2] = this.settings.nowMs;
					continue;
				}
				await this.page(pageNumber);
				progress = true;
			}
		}
		const remaining = notLookedFor();
		if (!this.budgetLeft) {
			// The check goes on next poll: it looks first where this poll's pages say each invoice now is, so
			// that a page read in this poll without it (the list moved) is not read again.
			for (const [id, hint] of remaining) {
				const pageNumber = this.pageToRead(id, hint);
				if (pageNumber !== undefined) state.unpaid[String(id)][0] = pageNumber;
			}
		}
		const complete = remaining.length === 0 && state.resumePage === undefined;
		// What no page showed stays recorded as unpaid (an answer may leave it out), for TRACK_DAYS.
		for (const [id, [, seenAt]] of Object.entries(state.unpaid)) {
			// Only a whole check proves anything about what it did not find.
			if (complete && !this.found.has(Number(id)) && this.settings.nowMs - seenAt >= TRACK_DAYS * MS_PER_DAY) delete state.unpaid[id];
		}
		return complete;
	}

	/**
	 * The page to read for a recorded invoice last seen on `hint`: that page, or when it was read in
	 * this poll without it, the next unread page on the side its id says (pages read are passed
	 * over). Undefined when it would sit between invoices read, or past either end: gone from the list.
	 */
	private pageToRead(id: number, hint: number): number | undefined {
		// Deletes move invoices toward page 1: a hint past the end now starts at the last page.
		let pageNumber = Math.min(hint, this.state.lastPage);
		const passed = new Set<number>();
		for (;;) {
			// Past either end, or back on a page passed already (the pages disagree about where it would be): gone.
			if (pageNumber < 1 || pageNumber > this.state.lastPage || passed.has(pageNumber)) return undefined;
			passed.add(pageNumber);
			const page = this.pages.get(pageNumber);
			if (!page) return pageNumber;
			const ids = idsOn(page.items);
			if (ids.length === 0 || this.state.order === 'unknown') return undefined;
			if (id > Math.min(...ids) && id < Math.max(...ids)) return undefined;
			const older = id < Math.min(...ids);
			pageNumber += (this.state.order === 'descending') === older ? 1 : -1;
		}
	}
}

/** The order the two ends of the list show, each page and across them; one page of one invoice counts as oldest first. */
function learnOrder(pages: InvoicePage[]): ListOrder {
	const seen = pages.map((page) => pageOrder(page.items)).filter((order): order is ListOrder => order !== undefined);
	if (pages.length > 1) {
		const firstId = idOf(pages[0].items[0]?.id);
		const last = pages[1].items;
		const lastId = idOf(last[last.length - 1]?.id);
		if (firstId !== undefined && lastId !== undefined) seen.push(firstId < lastId ? 'ascending' : 'descending');
	}
	if (seen.length === 0) return 'unseen';
	return seen.every((order) => order === seen[0]) ? seen[0] : 'unknown';
}
