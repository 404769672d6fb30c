/**
 * Bookkeeping for the PayRequest Trigger's overdue poll.
 *
 * Pure on purpose (no n8n imports, no clock, no I/O): the trigger node fetches
 * GET /v1/invoices/overdue, passes the list here with the state it kept from the
 * previous poll, emits the returned events and stores `next` in its static data.
 * Keeping the rules here lets them be tested exhaustively without an n8n runtime.
 *
 * Rules in short:
 * - An overdue event's key is (invoice id, due date). It is emitted once while the
 *   invoice stays in the overdue list; paying or re-dating it ends the key.
 * - State holds only the invoices that are overdue (and eligible) now, so it never
 *   grows with history and it stays plain JSON.
 */

export interface OverdueInvoice {
	id: number | string;
	due_date: string;
	days_overdue?: number;
	status?: string;
	currency?: string;
	amount?: number | string;
	customer?: { id?: number | string; [k: string]: unknown } | null;
	[k: string]: unknown;
}

export interface OverdueOptions {
	emitExisting: boolean;
	minDaysOverdue: number;
	escalationDays: number[];
	filters: { status: string[]; currency: string[]; minAmount?: number; customerId?: string | number };
}

/** `seen` is keyed by the normalized invoice id; `dueDate` is the other half of the event key. */
export interface OverdueState {
	version: 1;
	initialized: boolean;
	seen: Record<string, { dueDate: string; marks: number[] }>;
}

export type OverdueEvent = {
	kind: 'overdue' | 'escalation';
	invoice: OverdueInvoice & { escalation_days?: number };
};

type SeenEntry = OverdueState['seen'][string];

const MS_PER_DAY = 86_400_000;

export function emptyOverdueState(): OverdueState {
	return { version: 1, initialized: false, seen: {} };
}

/**
 * Reads whatever the trigger finds in its static data. Anything that is not a
 * version-1 state yields the empty state, which makes the next poll a first poll:
 * with emitExisting off that re-records the current list instead of flooding the workflow.
 */
export function readOverdueState(stored: unknown): OverdueState {
	if (!isPlainObject(stored) || stored.version !== 1 || !isPlainObject(stored.seen)) {
		return emptyOverdueState();
	}
	const seen = new Map<string, SeenEntry>();
	for (const [rawKey, rawEntry] of Object.entries(stored.seen)) {
		const invoiceKey = normalizeInvoiceId(rawKey);
		const dueDate = normalizeDueDate(isPlainObject(rawEntry) ? rawEntry.dueDate : undefined);
		if (invoiceKey === undefined || dueDate === undefined || seen.has(invoiceKey)) continue;
		const rawMarks = (rawEntry as Record<string, unknown>).marks;
		seen.set(invoiceKey, { dueDate, marks: Array.isArray(rawMarks) ? sortedPositiveIntegers(rawMarks) : [] });
	}
	return { version: 1, initialized: stored.initialized === true, seen: toRecord(seen) };
}

/**
 * Compares the freshly fetched overdue list with the previous state.
 * Returns the events to emit (in the order of `fetched`), the state to store
 * (a new object; `previous` is left untouched) and how many entries were unusable.
 */
export function reconcileOverdue(
	previous: OverdueState,
	fetched: OverdueInvoice[],
	options: OverdueOptions,
	now: Date,
): { events: OverdueEvent[]; next: OverdueState; skipped: number } {
	const isFirstPoll = !previous.initialized;
	const minDaysOverdue = Number.isFinite(options.minDaysOverdue) ? options.minDaysOverdue : 0;
	const escalationDays = sortedPositiveIntegers(options.escalationDays ?? []);
	const passesFilters = buildFilter(options.filters);

	const events: OverdueEvent[] = [];
	const nextSeen = new Map<string, SeenEntry>();
	const handledIds = new Set<string>();
	let skipped = 0;

	for (const invoice of Array.isArray(fetched) ? fetched : []) {
		const invoiceKey = isPlainObject(invoice) ? normalizeInvoiceId(invoice.id) : undefined;
		const dueDate = isPlainObject(invoice) ? normalizeDueDate(invoice.due_date) : undefined;
		if (invoiceKey === undefined || dueDate === undefined) {
			skipped++;
			continue;
		}
		// The API should not repeat an invoice; if it does, the first (most overdue) one wins.
		if (handledIds.has(invoiceKey)) continue;
		handledIds.add(invoiceKey);

		// Not recorded, so if it passes later (filter or status changed) it is newly overdue then.
		if (!passesFilters(invoice)) continue;

		const daysOverdue = readDaysOverdue(invoice, dueDate, now);
		const crossedMarks = escalationDays.filter((mark) => daysOverdue >= mark);
		const known = ownEntry(previous.seen, invoiceKey);

		if (known !== undefined && known.dueDate === dueDate) {
			// Same key as last poll: only escalation marks can fire. A poll may skip over
			// several marks; one event for the highest is enough, the rest are settled with it.
			const doneMarks = new Set(known.marks);
			const newMarks = crossedMarks.filter((mark) => !doneMarks.has(mark));
			if (newMarks.length > 0) {
				const highestMark = newMarks[newMarks.length - 1];
				events.push({ kind: 'escalation', invoice: { ...invoice, escalation_days: highestMark } });
			}
			// Known keys stay even if days_overdue dips below the minimum: the minimum only
			// gates becoming newly overdue, and dropping would re-emit the same key later.
			nextSeen.set(invoiceKey, { dueDate, marks: sortedPositiveIntegers([...known.marks, ...crossedMarks]) });
			continue;
		}

		// New key (new invoice, or its due date moved). Below the minimum it is not recorded,
		// so it becomes newly overdue at the poll where it reaches the minimum.
		if (daysOverdue < minDaysOverdue) continue;
		if (!isFirstPoll || options.emitExisting) {
			events.push({ kind: 'overdue', invoice: { ...invoice } });
		}
		// Marks already passed are settled by the overdue event (or by the silent first
		// poll): one event per invoice, no backlog of escalations.
		nextSeen.set(invoiceKey, { dueDate, marks: crossedMarks });
	}

	return { events, next: { version: 1, initialized: true, seen: toRecord(nextSeen) }, skipped };
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

function buildFilter(filters: OverdueOptions['filters'] | undefined): (invoice: OverdueInvoice) => boolean {
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
		if (customerId !== undefined) {
			const customer = isPlainObject(invoice.customer) ? invoice.customer : undefined;
			if (normalizeInvoiceId(customer?.id) !== customerId) return false;
		}
		return true;
	};
}

/** Uses the API's days_overdue when present, else whole UTC days between due date and `now`. */
function readDaysOverdue(invoice: OverdueInvoice, dueDate: string, now: Date): number {
	const reported = parseNumber(invoice.days_overdue);
	if (reported !== undefined) return reported;
	const [year, month, day] = dueDate.split('-').map(Number);
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	return Math.round((today - Date.UTC(year, month - 1, day)) / MS_PER_DAY);
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
