import type { IdSet } from '../idSets';
import { groupIds, ungroupIds } from '../idSets';

/**
 * Bookkeeping for a polling trigger that emits newly overdue invoices, whatever the provider.
 *
 * Pure on purpose (no n8n imports, no clock, no I/O): the trigger node fetches the provider's
 * overdue invoices (PayRequest: GET /v1/invoices/overdue), maps each onto the provider-neutral
 * record below, passes the list here with the state it kept from the previous poll, emits the
 * returned events and stores `next` in its static data. Keeping the rules here lets them be
 * tested exhaustively without n8n, for every provider's mapping.
 *
 * Rules in short:
 * - An overdue event's key is (invoice id, due date). It is emitted once. An invoice that
 *   leaves the list (paid, or an answer that left it out by mistake) keeps its key as a
 *   tombstone for TOMBSTONE_DAYS: back on the list with the same due date, it is not emitted
 *   again; back with another due date, it is a new key and newly overdue.
 * - Every key on the overdue list is kept, whether or not it passes the trigger's
 *   filters now, with whether it is settled (emitted, or recorded as existing). So an
 *   invoice that stops passing a filter and passes it again is not emitted twice.
 * - A poll with other filters or minimum days than the poll before acts as a first poll
 *   for the keys it newly lets through: they are settled without an event unless Emit
 *   Existing is on. Keys new to the list are emitted as usual.
 * - State holds the invoices on the overdue list now and the tombstones of the last
 *   TOMBSTONE_DAYS, so it is bounded by what was overdue in that time, and it stays plain JSON.
 * - The state a poll starts from may be older than the last poll (n8n saves a poll node's
 *   state only after polls that emit): every rule here gives the same events from an older
 *   saved state, because a key only becomes settled in a poll that emits it or that n8n saves
 *   anyway (the first poll), and what a quiet poll changes (tombstones, unsettled keys) is
 *   found again from the list.
 * - An answer that may be cut off (a provider without paging that returned its maximum) proves
 *   nothing about the invoices missing from it: they are kept as they were, not taken as paid,
 *   so none of them is emitted twice when it shows up again.
 * - Days are days in the workflow's time zone (`timeZone`): an invoice is overdue from the first
 *   local midnight after the day it is due, and days overdue, Min Days Overdue and escalation marks
 *   count local days. An invoice a provider lists before then (its own day ended earlier) is not on
 *   the list yet.
 *
 * Size of what is stored (issue #27, part 8). n8n 2.41's durable poll cursors write a poll node's
 * whole state after every poll, so the stored form must stay small at 50,000 invoices whatever
 * share is overdue. Design, and why:
 * - What the rules need is per key, and cannot be cut without changing them: which (invoice, due
 *   date) keys were on the list, and settled, at the poll the state comes from. A due-date
 *   watermark with the highest id seen at activation would take an invoice paid at activation and
 *   reopened later, or one moved to an older due date, for the backlog and lose its event (the
 *   properties below check both), and ids of Alternative Payments and Paisr are strings.
 * - So the rules keep working on the plain record per key (OverdueState, in memory), and the
 *   stored form (compactOverdueState, version 3) writes it losslessly: keys that share a due date,
 *   settledness, marks and tombstone time form one group, whose ids are written as runs of
 *   consecutive numbers (nodes/shared/idSets.ts; 'inv_000123' is a stem and a number). Invoices
 *   of one due date are mostly made together, so a group is a few runs; the worst layout measured
 *   (every invoice overdue, due dates at random over a year) costs about 3 bytes an invoice,
 *   149 KB at 50,000, where version 2 took 2.9 MB (test: overdueBookkeeping.test.cts, 'stored form').
 * - Tombstones count from the UTC midnight after the key left the list: every tombstone made on
 *   one day shares its group, so their number does not multiply the groups (they last
 *   TOMBSTONE_DAYS at least, up to a day more).
 * - readOverdueState reads versions 1, 2 (what earlier releases stored: migrated as it is, so
 *   nothing is emitted twice or lost) and 3; the rules never see the difference.
 */

import { addDays, localDate, localDaysOverdue } from '../calendarDate';

/**
 * One overdue invoice, whatever the provider: what the rules and filters read, and the provider's
 * invoice as it came (`raw`), which is what the trigger emits. Values are taken as the provider
 * gave them and checked here: an entry without a usable id or due date is skipped.
 */
export interface OverdueRecord {
	/** Numbers or strings ('12', 12 and '012' are the same invoice). */
	id: unknown;
	/**
	 * 'YYYY-MM-DD', or a date-time whose date part (as written) is the due date in the event's key.
	 * Days are counted from the day it is due in the workflow's time zone (calendarDate's dueDayIn).
	 */
	dueDate: unknown;
	amount?: unknown;
	currency?: unknown;
	customerId?: unknown;
	status?: unknown;
	raw: Record<string, unknown>;
}

/** A provider's invoice entry as an object to map from; anything else (null, a list) maps to an entry without id or due date, which is skipped. */
export function entryObject(entry: unknown): Record<string, unknown> {
	return isPlainObject(entry) ? entry : {};
}

export interface OverdueOptions {
	emitExisting: boolean;
	minDaysOverdue: number;
	escalationDays: number[];
	filters: { status: string[]; currency: string[]; minAmount?: number; customerId?: string | number };
	/** The workflow's time zone (IANA name), in which days are counted; UTC when absent. */
	timeZone?: string;
}

/**
 * `seen` is keyed by the normalized invoice id; `dueDate` is the other half of the event key.
 * `settled`: the key's overdue event was emitted or recorded as existing. `gate`: the filters
 * and minimum days the state was last reconciled with.
 */
export interface OverdueState {
	version: 2;
	initialized: boolean;
	gate: string;
	/** `goneSince` (epoch ms): the key left the list then; it is a tombstone until TOMBSTONE_DAYS later. */
	seen: Record<string, { dueDate: string; settled: boolean; marks: number[]; goneSince?: number }>;
}

/** How long an emitted (invoice, due date) that left the list is remembered, so that it is not emitted again when it comes back. */
export const TOMBSTONE_DAYS = 90;

export type OverdueEvent = {
	kind: 'overdue' | 'escalation';
	record: OverdueRecord;
	/** For an escalation: the mark it passed. */
	escalationDays?: number;
};

type SeenEntry = OverdueState['seen'][string];

const MS_PER_DAY = 86_400_000;

export function emptyOverdueState(): OverdueState {
	return { version: 2, initialized: false, gate: '', seen: {} };
}

/** What decides whether an invoice is let through: a change of it acts as a first poll for what it newly lets through. */
export function gateOf(options: OverdueOptions): string {
	const sorted = (values: unknown[]) => values.map(normalizeLabel).filter(isNonEmpty).sort();
	const { filters } = options;
	return JSON.stringify([
		Number.isFinite(options.minDaysOverdue) ? options.minDaysOverdue : 0,
		sorted(filters?.status ?? []),
		sorted(filters?.currency ?? []),
		typeof filters?.minAmount === 'number' && Number.isFinite(filters.minAmount) ? filters.minAmount : null,
		normalizeInvoiceId(filters?.customerId) ?? null,
	]);
}

/**
 * Reads whatever the trigger finds in its static data. A version-1 state (kept only keys that
 * passed, all of them settled) is carried over; anything else yields the empty state, which
 * makes the next poll a first poll: with emitExisting off that re-records the current list
 * instead of flooding the workflow.
 */
export function readOverdueState(stored: unknown): OverdueState {
	// Version 3 (compact) as version 2's record per key; without its groups it is no state.
	if (isPlainObject(stored) && stored.version === 3) stored = { ...stored, version: 2, seen: isPlainObject(stored.keys) ? expandStoredKeys(stored.keys) : undefined };
	if (!isPlainObject(stored) || (stored.version !== 1 && stored.version !== 2) || !isPlainObject(stored.seen)) {
		return emptyOverdueState();
	}
	const seen = new Map<string, SeenEntry>();
	for (const [rawKey, rawEntry] of Object.entries(stored.seen)) {
		const invoiceKey = normalizeInvoiceId(rawKey);
		const dueDate = normalizeDueDate(isPlainObject(rawEntry) ? rawEntry.dueDate : undefined);
		if (invoiceKey === undefined || dueDate === undefined || seen.has(invoiceKey)) continue;
		const entry = rawEntry as Record<string, unknown>;
		const marks = Array.isArray(entry.marks) ? sortedPositiveIntegers(entry.marks) : [];
		const settled = stored.version === 1 || entry.settled === true;
		const goneSince = typeof entry.goneSince === 'number' && Number.isFinite(entry.goneSince) ? entry.goneSince : undefined;
		// Only a settled key is worth a tombstone.
		if (goneSince !== undefined && !settled) continue;
		seen.set(invoiceKey, { dueDate, settled, marks, ...(goneSince !== undefined ? { goneSince } : {}) });
	}
	// Version 1 kept no gate: the options of the coming poll are taken as the ones it was made with.
	const gate = typeof stored.gate === 'string' ? stored.gate : '';
	return { version: 2, initialized: stored.initialized === true, gate, seen: toRecord(seen) };
}

/**
 * What an answer proves about the invoices missing from it: `complete` (the whole overdue list)
 * makes the missing ones gone; `dueFrom` (a 'YYYY-MM-DD') narrows that to the keys due on or after
 * it (an answer that asked only for recent due dates), `ids` to the invoices it asked for one by
 * one; a cut-off answer proves nothing. `backlog`: what is new in it existed before the trigger
 * could see it (the first reading of a long account), so it is recorded like a first poll's.
 */
export interface OverdueAnswerScope {
	complete: boolean;
	dueFrom?: string;
	ids?: unknown[];
	backlog?: boolean;
}

/**
 * Compares the freshly fetched overdue list with the previous state.
 * Returns the events to emit (in the order of `fetched`), the state to store
 * (a new object; `previous` is left untouched) and how many entries were unusable.
 */
export function reconcileOverdue(
	previous: OverdueState,
	fetched: OverdueRecord[],
	options: OverdueOptions,
	now: Date,
	answer: OverdueAnswerScope = { complete: true },
): { events: OverdueEvent[]; next: OverdueState; skipped: number } {
	const gate = gateOf(options);
	const isFirstPoll = !previous.initialized || answer.backlog === true;
	// A version-1 state has no gate: it was made with the options in force, as far as anyone knows.
	const gateChanged = !isFirstPoll && previous.gate !== '' && previous.gate !== gate;
	const minDaysOverdue = Number.isFinite(options.minDaysOverdue) ? options.minDaysOverdue : 0;
	const escalationDays = sortedPositiveIntegers(options.escalationDays ?? []);
	const passesFilters = buildFilter(options.filters);
	const timeZone = options.timeZone ?? 'UTC';

	const events: OverdueEvent[] = [];
	const nextSeen = new Map<string, SeenEntry>();
	let skipped = 0;

	for (const invoice of Array.isArray(fetched) ? fetched : []) {
		const invoiceKey = isPlainObject(invoice) ? normalizeInvoiceId(invoice.id) : undefined;
		const dueDate = isPlainObject(invoice) ? normalizeDueDate(invoice.dueDate) : undefined;
		if (invoiceKey === undefined || dueDate === undefined) {
			skipped++;
			continue;
		}
		// The API should not repeat an invoice; if it does, the first (most overdue) one wins.
		if (nextSeen.has(invoiceKey)) continue;

		const daysOverdue = localDaysOverdue(invoice.dueDate, now, timeZone) ?? 0;
		// Listed by a provider whose day ended before the workflow's: overdue from the next local midnight.
		if (daysOverdue < 1) continue;
		const known = ownEntry(previous.seen, invoiceKey);
		const sameKey = known !== undefined && known.dueDate === dueDate;
		const crossedMarks = escalationDays.filter((mark) => daysOverdue >= mark);

		if (sameKey && known.settled) {
			// Only escalation marks can fire, and only while the invoice passes the filters. A poll
			// may skip over several marks; one event for the highest is enough.
			if (!passesFilters(invoice)) {
				nextSeen.set(invoiceKey, { dueDate, settled: true, marks: known.marks });
				continue;
			}
			const doneMarks = new Set(known.marks);
			const newMarks = crossedMarks.filter((mark) => !doneMarks.has(mark));
			if (newMarks.length > 0) {
				events.push({ kind: 'escalation', record: invoice, escalationDays: newMarks[newMarks.length - 1] });
			}
			nextSeen.set(invoiceKey, { dueDate, settled: true, marks: sortedPositiveIntegers([...known.marks, ...crossedMarks]) });
			continue;
		}
		// Not settled (a tombstone of another due date starts afresh too): a key new to the list, or one the filters or minimum days held back so far.
		// It is let through once it passes the filters at the minimum days.
		if (!passesFilters(invoice) || daysOverdue < minDaysOverdue) {
			nextSeen.set(invoiceKey, { dueDate, settled: false, marks: [] });
			continue;
		}
		// The backlog that a first poll, or a change of filters, newly lets through is recorded; new keys are events.
		const isBacklog = isFirstPoll || (gateChanged && sameKey);
		if (!isBacklog || options.emitExisting) {
			events.push({ kind: 'overdue', record: invoice });
		}
		// Marks already passed are settled with it: one event per invoice, no backlog of escalations.
		nextSeen.set(invoiceKey, { dueDate, settled: true, marks: crossedMarks });
	}

	const dueFrom = answer.complete ? normalizeDueDate(answer.dueFrom) : undefined;
	const askedFor = answer.ids === undefined ? undefined : new Set(answer.ids.map(normalizeInvoiceId));
	for (const [invoiceKey, entry] of Object.entries(previous.seen)) {
		if (nextSeen.has(invoiceKey)) continue;
		const provenGone = answer.complete && (dueFrom === undefined || entry.dueDate >= dueFrom) && (askedFor === undefined || askedFor.has(invoiceKey));
		// Missing from an answer that cannot prove it gone (cut off, or outside the dates asked for): kept as it was.
		const kept = provenGone ? tombstone(entry, now) : entry;
		if (kept) nextSeen.set(invoiceKey, kept);
	}
	return { events, next: { version: 2, initialized: true, gate, seen: toRecord(nextSeen) }, skipped };
}

/**
 * The end of a reading of the whole list spread over polls: every key due on or before
 * `dueThrough` that none of its answers showed (`present`: normalized ids) is gone.
 */
export function markGone(previous: OverdueState, present: Iterable<unknown>, dueThrough: string, now: Date): OverdueState {
	const shown = new Set([...present].map(normalizeInvoiceId));
	const through = normalizeDueDate(dueThrough);
	const seen = new Map<string, SeenEntry>();
	for (const [invoiceKey, entry] of Object.entries(previous.seen)) {
		const gone = through !== undefined && entry.dueDate <= through && entry.goneSince === undefined && !shown.has(invoiceKey);
		const kept = gone ? tombstone(entry, now) : entry;
		if (kept) seen.set(invoiceKey, kept);
	}
	return { ...previous, seen: toRecord(seen) };
}

/** A key a check by id may give an event, and the day (in the workflow's time zone) from which it may. */
export interface DueCheck {
	key: string;
	day: string;
}

/**
 * Present keys (not tombstones) due before `dueBefore` that may have an event due without their
 * invoice being read, each with the local day it became so: held back by Min Days Overdue until
 * its due date + that minimum, or settled with an escalation mark not fired yet at its due date +
 * the mark. A key that reached that day while it was due within `readDays` of it needs no check:
 * the poll's recent window read it on that day or later. So a key that a filter holds back (or a
 * mark it passed while held back) is not checked by id: a check can change nothing about it that
 * the next reading of the whole list would not find. Oldest day first, then by key.
 */
export function checksDue(state: OverdueState, options: OverdueOptions, now: Date, dueBefore: string, readDays: number): DueCheck[] {
	const escalationDays = sortedPositiveIntegers(options.escalationDays ?? []);
	const minDaysOverdue = Number.isFinite(options.minDaysOverdue) ? options.minDaysOverdue : 0;
	const today = localDate(now.getTime(), options.timeZone ?? 'UTC');
	const due: DueCheck[] = [];
	for (const [invoiceKey, entry] of Object.entries(state.seen)) {
		if (entry.goneSince !== undefined || entry.dueDate >= dueBefore) continue;
		const threshold = entry.settled ? escalationDays.find((mark) => mark > readDays && !entry.marks.includes(mark)) : minDaysOverdue > readDays ? Math.ceil(minDaysOverdue) : undefined;
		if (threshold === undefined) continue;
		const day = addDays(entry.dueDate, threshold);
		if (day <= today) due.push({ key: invoiceKey, day });
	}
	return due.sort(compareChecks);
}

/**
 * Where the checks by id stand, kept small in the trigger's state: the last key of the queue
 * checked (`through`: every key that became due for a check up to it was checked), and the keys
 * whose check failed, each retried from `retryAt` (epoch ms), later after each failure.
 */
export interface CheckProgress {
	through?: DueCheck;
	retries?: Record<string, { failures: number; retryAt: number }>;
}

/** Failed checks remembered at most (the oldest go first: the next reading of the whole list finds what they would). */
const MAX_RETRIES = 100;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;

/**
 * Which keys to check by id in this poll, at most `max`: failed checks whose retry time has come,
 * then the queue of `due` (checksDue) after where the last poll stopped, oldest first, so that every
 * key is reached within a bounded number of polls and none that keeps failing holds up the rest.
 * Before any poll recorded progress, `startDay` stands for it (what became due up to that day was
 * read by the readings that made the state).
 */
export function planChecks(due: DueCheck[], progress: CheckProgress, nowMs: number, max: number, startDay: string): string[] {
	const dueKeys = new Set(due.map((check) => check.key));
	const retries = Object.entries(progress.retries ?? {})
		.filter(([invoiceKey, retry]) => dueKeys.has(invoiceKey) && retry.retryAt <= nowMs)
		.sort(([, a], [, b]) => a.retryAt - b.retryAt)
		.map(([invoiceKey]) => invoiceKey)
		.slice(0, max);
	const through = progress.through ?? { key: '\uffff', day: startDay };
	const waiting = new Set(Object.keys(progress.retries ?? {}));
	const queued = due.filter((check) => compareChecks(check, through) > 0 && !waiting.has(check.key)).slice(0, max - retries.length);
	return [...retries, ...queued.map((check) => check.key)];
}

/** The progress after this poll's checks: `failed` are retried later (longer after each failure); the others leave the retry list. */
export function recordChecks(progress: CheckProgress, due: DueCheck[], checked: string[], failed: string[], nowMs: number, startDay: string): CheckProgress {
	const dueByKey = new Map(due.map((check) => [check.key, check]));
	let through = progress.through ?? { key: '\uffff', day: startDay };
	for (const invoiceKey of checked) {
		const check = dueByKey.get(invoiceKey);
		if (check && compareChecks(check, through) > 0) through = check;
	}
	const retries = new Map(Object.entries(progress.retries ?? {}).filter(([invoiceKey]) => dueByKey.has(invoiceKey) && !checked.includes(invoiceKey)));
	for (const invoiceKey of failed) {
		const failures = (ownRetry(progress, invoiceKey)?.failures ?? 0) + 1;
		retries.set(invoiceKey, { failures, retryAt: nowMs + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1)) });
	}
	const kept = [...retries.entries()].sort(([, a], [, b]) => b.retryAt - a.retryAt).slice(0, MAX_RETRIES);
	return { through, ...(kept.length > 0 ? { retries: Object.fromEntries(kept) } : {}) };
}

function ownRetry(progress: CheckProgress, invoiceKey: string) {
	return progress.retries && Object.prototype.hasOwnProperty.call(progress.retries, invoiceKey) ? progress.retries[invoiceKey] : undefined;
}

function compareChecks(a: DueCheck, b: DueCheck): number {
	if (a.day !== b.day) return a.day < b.day ? -1 : 1;
	return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** A settled key that left the list is kept as a tombstone for TOMBSTONE_DAYS from the UTC midnight after it left; anything else is dropped. */
function tombstone(entry: SeenEntry, now: Date): SeenEntry | undefined {
	if (!entry.settled) return undefined;
	const goneSince = entry.goneSince ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
	if (now.getTime() - goneSince >= TOMBSTONE_DAYS * MS_PER_DAY) return undefined;
	return { ...entry, goneSince };
}

/** What the trigger stores: the state in its compact form (version 3, see the top of this file); readOverdueState reads it back. */
export function compactOverdueState(state: OverdueState): StoredOverdueState {
	return { version: 3, initialized: state.initialized, gate: state.gate, keys: groupIds(Object.entries(state.seen), groupKeyOf) };
}

export interface StoredOverdueState {
	version: 3;
	initialized: boolean;
	gate: string;
	/** By group key (due date, then ' u' unsettled, ' m<marks>', ' g<goneSince>'), the ids of that group. */
	keys: Record<string, IdSet>;
}

function groupKeyOf(entry: SeenEntry): string {
	const marks = entry.marks.length > 0 ? ` m${entry.marks.join('.')}` : '';
	const gone = entry.goneSince !== undefined ? ` g${entry.goneSince}` : '';
	return `${entry.dueDate}${entry.settled ? '' : ' u'}${marks}${gone}`;
}

function parseGroupKey(key: string): SeenEntry | undefined {
	const [dueDate, ...parts] = key.split(' ');
	let settled = true;
	let marks: number[] = [];
	let goneSince: number | undefined;
	for (const part of parts) {
		if (part === 'u') settled = false;
		else if (part.startsWith('m')) marks = part.slice(1).split('.').map(Number);
		else if (part.startsWith('g') && /^\d+$/.test(part.slice(1))) goneSince = Number(part.slice(1));
		else return undefined;
	}
	return { dueDate, settled, marks, ...(goneSince !== undefined ? { goneSince } : {}) };
}

/** Version 3's groups as version 2's record per key (readOverdueState then checks each entry as it does version 2's). */
function expandStoredKeys(keys: unknown): Record<string, SeenEntry> {
	return Object.fromEntries(ungroupIds(keys, parseGroupKey));
}

/**
 * Parses the node's "Escalation Days" text, e.g. '7, 14,30' → [7, 14, 30]
 * (sorted, duplicates removed; empty parts such as a trailing comma are ignored).
 */
export function parseEscalationDays(text: string): number[] {
	const days: number[] = [];
	for (const part of String(text ?? '').split(',')) {
		const trimmed = part.trim();
		if (trimmed === '') continue;
		const value = Number(trimmed);
		if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < 1) {
			throw new Error(
				`Escalation days must be positive whole numbers separated by commas (e.g. "7, 14, 30"); "${trimmed}" is not one`,
			);
		}
		days.push(value);
	}
	return sortedPositiveIntegers(days);
}

function buildFilter(filters: OverdueOptions['filters'] | undefined): (invoice: OverdueRecord) => boolean {
	const statuses = new Set((filters?.status ?? []).map(normalizeLabel).filter(isNonEmpty));
	const currencies = new Set((filters?.currency ?? []).map(normalizeLabel).filter(isNonEmpty));
	const minAmount = typeof filters?.minAmount === 'number' && Number.isFinite(filters.minAmount) ? filters.minAmount : undefined;
	const customerId = normalizeInvoiceId(filters?.customerId);

	return (invoice) => {
		if (statuses.size > 0 && !statuses.has(normalizeLabel(invoice.status))) return false;
		if (currencies.size > 0 && !currencies.has(normalizeLabel(invoice.currency))) return false;
		if (minAmount !== undefined) {
			const amount = parseNumber(invoice.amount);
			if (amount === undefined || amount < minAmount) return false;
		}
		if (customerId !== undefined && normalizeInvoiceId(invoice.customerId) !== customerId) return false;
		return true;
	};
}

/** Ids come as numbers or strings ('12', 12 and '012' are the same invoice). */
function normalizeInvoiceId(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (trimmed === '') return undefined;
	return /^\d+$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, '') : trimmed;
}

/** Accepts 'YYYY-MM-DD' (or an ISO timestamp starting with one) for a real calendar date. */
function normalizeDueDate(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
	if (!match) return undefined;
	const [, year, month, day] = match;
	const parsed = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (parsed.getUTCMonth() !== Number(month) - 1 || parsed.getUTCDate() !== Number(day)) return undefined;
	return `${year}-${month}-${day}`;
}

function parseNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const parsed = Number(value.trim());
	return Number.isFinite(parsed) ? parsed : undefined;
}

function normalizeLabel(value: unknown): string {
	return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function isNonEmpty(value: string): boolean {
	return value !== '';
}

function sortedPositiveIntegers(values: unknown[]): number[] {
	const integers = values.filter((value): value is number => Number.isSafeInteger(value) && (value as number) > 0);
	return [...new Set(integers)].sort((a, b) => a - b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup, so ids such as 'constructor' never hit Object.prototype. */
function ownEntry(seen: OverdueState['seen'], invoiceKey: string): SeenEntry | undefined {
	return Object.prototype.hasOwnProperty.call(seen, invoiceKey) ? seen[invoiceKey] : undefined;
}

/** Object.fromEntries defines own properties, so even an id of '__proto__' stays plain data. */
function toRecord(entries: Map<string, SeenEntry>): OverdueState['seen'] {
	return Object.fromEntries(entries);
}
