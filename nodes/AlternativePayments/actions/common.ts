import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idMode, listMode, readLocatorId } from '../../shared/actions/locator';
import { optionsCollection as sharedOptionsCollection } from '../../shared/actions/options';

const WORDING = { name: 'Alternative Payments', rateLimit: '5 requests a second' };

/** The Options collection of an Alternative Payments operation: its own options, then the kit's Timeout and Max Wait. */
export function optionsCollection(operationOptions: INodeProperties[] = []): INodeProperties {
	return sharedOptionsCollection(WORDING, operationOptions);
}

export const customerIdLocator: INodeProperties = {
	displayName: 'Customer',
	name: 'customerId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'An existing Alternative Payments customer',
	modes: [listMode('searchCustomers', 'Select a customer…'), idMode('cus_2b7f…', 'customer')],
};

export const invoiceIdLocator: INodeProperties = {
	displayName: 'Invoice',
	name: 'invoiceId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The invoice to work on: picked from the list (type its number to find it), or by its Alternative Payments ID (not its invoice number)',
	modes: [listMode('searchInvoices', 'Select an invoice, or type its number…'), idMode('inv_2b7f…', 'invoice')],
};

/** Reads an id from the locator; refuses what cannot be an id before any request. */
export function readId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	return readLocatorId(context, name, label, itemIndex, 'Alternative Payments');
}

export { isObjectWithId as isApiObject } from '../../shared/actions/shapes';

/** `{ "url": "…" }`, as the link endpoints answer. */
export const isLink = (value: unknown): value is { url: string } =>
	typeof value === 'object' && value !== null && typeof (value as { url?: unknown }).url === 'string' && (value as { url: string }).url.trim() !== '';

