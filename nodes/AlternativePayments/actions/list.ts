import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from '../../shared/actions/options';
import { filterInstantMs, toCalendarDate } from '../../shared/calendarDate';
import { readSimplify, simplifyProperty } from '../../shared/simplify';
import type { AlternativePaymentsClient } from '../transport';
import { listAll } from '../transport/pagination';
import { optionsCollection } from './common';
import type { Simplifier } from './simplify';

/** One server-side filter of a list: a text sent as it is, or the start or end of a date range. */
export interface ListFilter {
	displayName: string;
	name: string;
	/** The API's query parameter. */
	param: string;
	kind: 'text' | 'from' | 'to';
	description: string;
	/** A date without a time on the API's side (due_date): the day is taken as written, at its UTC start, as the API stores it. */
	calendarDay?: boolean;
}

/** Get Many of one resource: Return All / Limit, its filters (sent to the API), and the options. */
export function listProperties(filters: ListFilter[]): INodeProperties[] {
	return [
		...returnAllAndLimit,
		simplifyProperty,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: filters.map(({ displayName, name, kind, description }) => ({
				displayName,
				name,
				type: kind === 'text' ? ('string' as const) : ('dateTime' as const),
				default: '',
				description,
			})),
		},
		optionsCollection(),
	];
}

/**
 * A filter date as RFC 3339, which the API wants, meaning what it means on every provider (README:
 * Date filters): the instant picked, in the workflow's time zone when it has none, or for a due
 * date the day as written; After is at or after it, Before is before it (the API's end is
 * inclusive, so one second earlier is sent).
 */
function rfc3339(node: INode, value: unknown, filter: ListFilter, timeZone: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const label = filter.displayName;
	const end = filter.kind === 'to';
	const day = filter.calendarDay ? toCalendarDate(value) : undefined;
	const ms = filter.calendarDay ? (day === undefined ? undefined : Date.parse(`${day}T00:00:00Z`)) : filterInstantMs(value, timeZone);
	if (ms === undefined) {
		throw new NodeOperationError(node, `The ${label} filter is not a date: "${String(value).slice(0, 60)}"`, {
			description: 'Use a date such as 2025-01-31, a date-time such as 2025-01-31T09:00:00 (in the workflow time zone) or with its zone (…Z, …+02:00), or pick one in the date field.',
			itemIndex,
		});
	}
	return new Date(end ? ms - 1000 : ms).toISOString().replace('.000Z', 'Z');
}

/** The query the filters make; a range whose start is after its end is refused before any request. */
export function readListFilters(node: INode, filters: ListFilter[], raw: IDataObject, timeZone: string, itemIndex: number): Record<string, string> {
	const query: Record<string, string> = {};
	for (const filter of filters) {
		const value = raw[filter.name];
		if (filter.kind === 'text') {
			const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
			if (text !== '') query[filter.param] = text;
			continue;
		}
		const date = rfc3339(node, value, filter, timeZone, itemIndex);
		if (date !== undefined) query[filter.param] = date;
	}
	for (const from of filters.filter((filter) => filter.kind === 'from')) {
		const to = filters.find((filter) => filter.kind === 'to' && filter.param === from.param.replace(/_start$/, '_end'));
		if (to && query[from.param] && query[to.param] && Date.parse(query[from.param]) >= Date.parse(query[to.param]) + 1000) {
			throw new NodeOperationError(node, `The ${from.displayName} filter is not before ${to.displayName}`, { description: 'No record could pass both: set After to an earlier time than Before.', itemIndex });
		}
	}
	return query;
}

export async function executeList(
	context: IExecuteFunctions,
	client: AlternativePaymentsClient,
	itemIndex: number,
	list: { path: string; what: string; filters: ListFilter[]; simplify: Simplifier },
): Promise<INodeExecutionData[]> {
	const limit = readLimit(context, itemIndex);
	const query = readListFilters(context.getNode(), list.filters, context.getNodeParameter('filters', itemIndex, {}) as IDataObject, context.getTimezone(), itemIndex);
	const found = (await listAll(client, list.path, query, { limit, itemIndex, what: list.what })) as IDataObject[];
	const records = readSimplify(context, itemIndex) ? await list.simplify(client, found, itemIndex) : found;
	return records.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
