import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from '../../shared/actions/options';

import type { InputProblem } from '../../shared/actions/input';
import { filterInstantMs } from '../../shared/calendarDate';
import { MAX_LIST } from '../transport';

/** A date range that Paisr cannot filter on: `<name>After` / `<name>Before` over the record's `field`. */
export interface DateRange {
	name: string;
	label: string;
	field: string;
}

export function dateRangeFilters(ranges: DateRange[]): INodeProperties[] {
	return ranges.flatMap(({ name, label, field }) => [
		{
			displayName: `${label} After`,
			name: `${name}After`,
			type: 'dateTime' as const,
			default: '',
			description: `Only those whose ${field} is at or after this time (filtered by this node; without a zone, in the workflow time zone)`,
		},
		{
			displayName: `${label} Before`,
			name: `${name}Before`,
			type: 'dateTime' as const,
			default: '',
			description: `Only those whose ${field} is before this time (filtered by this node; without a zone, in the workflow time zone)`,
		},
	]);
}

export const INVOICE_RANGES: DateRange[] = [
	{ name: 'created', label: 'Created', field: 'created_at' },
	{ name: 'due', label: 'Due', field: 'due_at' },
];

/** An instant from a filter field, as on every provider (README: Date filters). */
function instant(value: unknown, label: string, timeZone: string, problem: InputProblem): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = filterInstantMs(value, timeZone);
	if (ms === undefined) {
		problem.fail(label, `is not a date: ${JSON.stringify(String(value).trim().slice(0, 60))}`, 'Use a date such as 2025-01-31, or a date-time such as 2025-01-31T09:00:00 (in the workflow time zone) or with its zone (…Z, …+02:00).');
	}
	return ms;
}

/** The date filters of a list, checked; `keep` tells whether a record passes them all (one without the date does not). */
export function readDateRanges(filters: IDataObject, problem: InputProblem, ranges: DateRange[], timeZone: string): { active: boolean; keep: (record: IDataObject) => boolean } {
	const checks: Array<(record: IDataObject) => boolean> = [];
	for (const { name, label, field } of ranges) {
		const from = instant(filters[`${name}After`], `${label} After`, timeZone, problem);
		const to = instant(filters[`${name}Before`], `${label} Before`, timeZone, problem);
		if (from !== undefined && to !== undefined && from >= to) problem.fail(`${label} After`, `is not before ${label} Before`);
		if (from === undefined && to === undefined) continue;
		checks.push((record) => {
			const at = typeof record[field] === 'string' ? Date.parse(record[field] as string) : Number.NaN;
			return !Number.isNaN(at) && (from === undefined || at >= from) && (to === undefined || at < to);
		});
	}
	return { active: checks.length > 0, keep: (record) => checks.every((check) => check(record)) };
}

/** A full answer may be cut off: Paisr has no paging, so the node says so where the user looks. */
export function warnIfCut(context: IExecuteFunctions, count: number, what: string, itemIndex: number): void {
	if (count < MAX_LIST) return;
	context.addExecutionHints({
		message: `Paisr returned ${MAX_LIST} ${what}, the most one answer holds (item ${itemIndex}). There may be more: Paisr's lists have no paging. Narrow the list with Status, Customer ID or Currency.`,
		location: 'outputPane',
	});
}

/** Return All and Limit, where one answer holds at most 1,000. */
export const listLimit: INodeProperties[] = returnAllAndLimit.map((property) => (property.name === 'limit' ? { ...property, typeOptions: { minValue: 1, maxValue: MAX_LIST } } : property));

/** The item's Limit (undefined with Return All), at most what one answer holds. */
export function readListLimit(context: IExecuteFunctions, itemIndex: number, problem: InputProblem): number | undefined {
	const limit = readLimit(context, itemIndex);
	if (limit !== undefined && limit > MAX_LIST) problem.fail('Limit', `must be at most ${MAX_LIST} (Paisr lists have no paging), not ${limit}`, 'Turn on Return All for the most one list gives.');
	return limit;
}
