import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TransportSettings } from '../http/types';
import { DEFAULT_TRANSPORT_SETTINGS } from '../http/types';

/** How a provider is named in the options every operation has. */
export interface ProviderWording {
	name: string;
	/** Its rate limit in words, e.g. "60 requests a minute". */
	rateLimit: string;
}

/**
 * Options every operation has: how long a request may take and how long the rate limit may hold it.
 * The defaults are literals because n8n's lint wants them so; they equal DEFAULT_TRANSPORT_SETTINGS.
 */
export function requestOptions(provider: ProviderWording): INodeProperties[] {
	return [
		{
			displayName: 'Max Wait',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description: `Seconds this node may wait in all for ${provider.name}'s rate limit (${provider.rateLimit}) before it stops with an error`,
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: `Seconds to wait for ${provider.name} to answer one request before giving up`,
		},
	];
}

/** Fields in the order n8n's editor guidelines ask for in a collection: alphabetical by the name shown. */
export function alphabetical<T extends { displayName: string }>(fields: T[]): T[] {
	return [...fields].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The Options collection of an operation: its own options with Max Wait and Timeout, alphabetical. */
export function optionsCollection(provider: ProviderWording, operationOptions: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([...operationOptions, ...requestOptions(provider)]),
	};
}

/** A number option (or filter) of one item, checked: an error naming it otherwise. */
export function positiveNumberOption(
	context: IExecuteFunctions,
	options: IDataObject,
	name: string,
	label: string,
	fallback: number,
	minimum: number,
	itemIndex: number,
	kind: 'option' | 'filter' = 'option',
): number {
	const value = options[name];
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number) || number < minimum) {
		throw new NodeOperationError(context.getNode(), `The ${label} ${kind} must be a number of at least ${minimum}`, {
			itemIndex,
		});
	}
	return number;
}

export function readOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {});
	return typeof options === 'object' && options !== null ? (options as IDataObject) : {};
}

/** Timeout and Max Wait of one item: read inside the item's error handling, so Continue On Fail covers them. */
export function readTransportSettings(context: IExecuteFunctions, itemIndex: number): TransportSettings {
	const options = readOptions(context, itemIndex);
	return {
		timeoutSeconds: positiveNumberOption(context, options, 'timeout', 'Timeout', DEFAULT_TRANSPORT_SETTINGS.timeoutSeconds, 1, itemIndex),
		maxWaitSeconds: positiveNumberOption(context, options, 'maxWaitSeconds', 'Max Wait', DEFAULT_TRANSPORT_SETTINGS.maxWaitSeconds, 0, itemIndex),
	};
}

/** Return All and Limit, as n8n's own list operations have them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The item's limit: undefined with Return All, else a whole number of at least 1 (an error naming the item otherwise). */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const raw = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = typeof raw === 'number' ? raw : Number(raw);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(context.getNode(), `The Limit must be a whole number of at least 1, not "${String(raw)}"`, {
			description: 'Set Limit to 1 or more, or turn on Return All.',
			itemIndex,
		});
	}
	return limit;
}

