import { asNodeError, isNotFound } from '../../shared/http/errorChain';
import { resourcePath } from '../../shared/http/paths';
import type { IdSet } from '../../shared/idSets';
import { decodeIdSet, encodeIdSet } from '../../shared/idSets';
import { addDays, localDate } from '../../shared/calendarDate';
import type { CheckProgress, OverdueOptions, OverdueState } from '../../shared/overdue/overdueBookkeeping';
import { checksDue, planChecks, recordChecks } from '../../shared/overdue/overdueBookkeeping';
import type { OverdueAnswer } from '../../shared/overdue/overduePoll';
import type { AlternativePaymentsClient } from '../transport';
import type { ApiObject } from '../transport/pagination';
import { listAll, PAGE_SIZE, readListPage } from '../transport/pagination';
import { alternativePaymentsOverdueRecord } from './overdueRecord';

/**
 * What the Alternative Payments Overdue Trigger reads in one poll, so that its cost does not grow
 * with the account (README: Overdue triggers):
 * - the invoices due in the last RECENT_DAYS days (the server filters by due date): that is where a
 *   newly overdue invoice is, so one request while nothing changed; after a gap (n8n was down) the
 *   window reaches back to the last poll, MAX_GAP_DAYS at most;
 * - the invoices outside that window that may have an event due without being read (an escalation
 *   mark, Min Days Overdue, past what the window saw): each asked for by id once, on the day it
 *   reached that, oldest first, at most MAX_CHECKS a poll; one whose check fails (not a 404) is
 *   logged and retried in a later poll, later after each failure, while the poll goes on;
 * - one page of a reading of everything due before the window, once per Reconcile Every: it
 *   finds what the window cannot (an invoice created with an old due date, one paid long after it
 *   fell due). What was overdue before the trigger's first poll (by created_at and due date) is
 *   recorded, as a first poll does, by whichever reading finds it: that is the backlog.
 * Days are the workflow's (`options.timeZone`): the window ends with yesterday there.
 * Its progress (the window, the reading's cursor, the checks') is saved with the state only when n8n saves it:
 * after a rollback the window reaches further back and the reading goes on from an earlier page,
 * which costs requests and changes no event.
 */
export const RECENT_DAYS = 3;
const MAX_GAP_DAYS = 31;
/** Invoices asked for by id in one poll at most; the rest wait for the next poll. */
const MAX_CHECKS = 10;
const DAY = 86_400_000;

export interface OverdueProgress {
	/** Yesterday at the last poll ('YYYY-MM-DD'). */
	lastYesterday?: string;
	/** The reading under way: its cursor, the last due date it covers, the ids it showed (compact; a list as earlier releases stored it is read too). */
	reading?: { after?: string; dueThrough: string; present: IdSet | string[] };
	/** When the last reading ended (epoch ms); undefined until the first one has. */
	lastReadingAt?: number;
	/** When the trigger first polled (epoch ms): the first reading records only what was created before it. */
	activatedAt?: number;
	/** Where the checks by id stand. */
	checks?: CheckProgress;
}

const endOfDay = (day: string) => `${day}T23:59:59Z`;

export async function readOverdue(
	client: AlternativePaymentsClient,
	progress: OverdueProgress,
	previous: OverdueState,
	options: OverdueOptions,
	isOpen: (invoice: unknown) => boolean,
	nowMs: number,
	reconcileMs: number,
	warn: (message: string) => void,
): Promise<{ answers: OverdueAnswer[]; progress: OverdueProgress }> {
	const today = localDate(nowMs, options.timeZone ?? 'UTC');
	const yesterday = addDays(today, -1);
	const windowDays = progress.lastYesterday ? Math.min(MAX_GAP_DAYS, Math.max(RECENT_DAYS, Math.round((Date.parse(today) - Date.parse(progress.lastYesterday)) / DAY) + 1)) : RECENT_DAYS;
	const windowStart = addDays(today, -windowDays);
	const answers: OverdueAnswer[] = [];
	const open = (invoices: ApiObject[]) => invoices.filter(isOpen).map(alternativePaymentsOverdueRecord);

	const recent = await listAll(client, '/invoices', { due_date_start: `${windowStart}T00:00:00Z`, due_date_end: endOfDay(yesterday) }, { what: 'invoices' });
	answers.push({ records: open(recent), complete: true, dueFrom: windowStart });

	// Before the checks kept progress, what became due up to the last poll's day was read by then.
	const startDay = progress.lastYesterday ? addDays(progress.lastYesterday, 1) : today;
	const due = checksDue(previous, options, new Date(nowMs), windowStart, RECENT_DAYS);
	const checks = planChecks(due, progress.checks ?? {}, nowMs, MAX_CHECKS, startDay);
	const failed: string[] = [];
	if (checks.length > 0) {
		const found: ApiObject[] = [];
		for (const id of checks) {
			try {
				found.push((await client.request({ method: 'GET', path: resourcePath('invoices', id) })) as ApiObject);
			} catch (error) {
				// Gone (deleted): it leaves the list like a paid one. Any other failure holds up neither
				// this poll nor the other checks: that invoice is asked for again later.
				if (!isNotFound(error)) {
					failed.push(id);
					warn(`Alternative Payments Overdue Trigger: checking invoice ${id} failed (${asNodeError(client.node, error).message}); it is checked again in a later poll`);
				}
			}
		}
		// Asked for by id: one that is gone (404), closed or no longer overdue leaves the list; one whose check failed proves nothing.
		const overdue = found.filter((invoice) => typeof invoice.due_date === 'string' && invoice.due_date <= yesterday);
		answers.push({ records: open(overdue), complete: true, ids: checks.filter((id) => !failed.includes(id)) });
	}

	const activatedAt = progress.activatedAt ?? nowMs;
	const next: OverdueProgress = { ...progress, lastYesterday: yesterday, activatedAt, checks: recordChecks(progress.checks ?? {}, due, checks, failed, nowMs, startDay) };
	const readingDue = progress.reading !== undefined || progress.lastReadingAt === undefined || nowMs - progress.lastReadingAt >= reconcileMs;
	if (readingDue) {
		const reading = progress.reading ?? { dueThrough: addDays(today, -(RECENT_DAYS + 1)), present: [] };
		const page = await readListPage(client, '/invoices', { due_date_end: endOfDay(reading.dueThrough), limit: PAGE_SIZE, ...(reading.after ? { after: reading.after } : {}) }, 'invoices');
		const records = open(page.items);
		const shownBefore = Array.isArray(reading.present) ? reading.present : (decodeIdSet(reading.present) ?? []);
		const present = [...shownBefore, ...records.map((record) => String(record.id))];
		const last = !page.hasNextPage || page.endCursor === undefined || page.items.length === 0;
		// The backlog is what was overdue before the trigger's first poll: created before it and due before
		// its day. Found by any reading (the first, or a later one when an answer of the first left it out),
		// it is recorded, not emitted. The rest is new: an invoice made since with an old due date. (The
		// first reading takes an invoice without a readable created_at as backlog.)
		const firstReading = progress.lastReadingAt === undefined;
		const activationDay = localDate(activatedAt, options.timeZone ?? 'UTC');
		const isBacklog = (record: (typeof records)[number]) => {
			const createdAt = Date.parse(String(record.raw.created_at ?? ''));
			if (Number.isNaN(createdAt)) return firstReading;
			return createdAt < activatedAt && String(record.raw.due_date ?? '').slice(0, 10) < activationDay;
		};
		answers.push({ records: records.filter((record) => !isBacklog(record)), complete: false });
		answers.push({
			records: records.filter(isBacklog),
			complete: false,
			backlog: true,
			...(last ? { endsReading: { present, dueThrough: reading.dueThrough } } : {}),
		});
		// Written compactly: a reading of 50,000 invoices keeps them all until it ends (nodes/shared/idSets.ts).
		next.reading = last ? undefined : { ...reading, after: page.endCursor, present: encodeIdSet(present) };
		if (last) next.lastReadingAt = nowMs;
	}
	return { answers, progress: next };
}
