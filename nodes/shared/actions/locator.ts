import type { IDataObject, IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { centsOf, formatCents } from '../money';

/** Ids as the providers make them: letters, digits, - and _ (inv_…, cus_…). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * An id from a resource locator (any mode) or a plain string parameter; what cannot be an id is
 * refused before any request, with the item and the field named.
 */
export function readLocatorId(context: IExecuteFunctions, name: string, label: string, itemIndex: number, provider: string): string {
	const locator = context.getNodeParameter(name, itemIndex) as IDataObject | string;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!ID_PATTERN.test(text)) {
		const problem = text === '' ? `The ${label} field is empty` : `The ${label} field is not an ID: "${text.slice(0, 80)}"`;
		throw new NodeOperationError(context.getNode(), problem, {
			description: `Map the "id" field of an earlier ${provider} node, or paste the ${label.toLowerCase()}'s ID.`,
			itemIndex,
		});
	}
	return text;
}

/** A resource locator's "From List" mode, searched by the node's list-search method. */
export function listMode(searchListMethod: string, placeholder: string): INodePropertyMode {
	return { displayName: 'From List', name: 'list', type: 'list' as const, placeholder, typeOptions: { searchListMethod, searchable: true } };
}

/** A resource locator's "By ID" mode, checked by the editor as the node checks it before sending. */
export function idMode(placeholder: string, noun: string): INodePropertyMode {
	const validation = [{ type: 'regex' as const, properties: { regex: ID_PATTERN.source, errorMessage: `A ${noun} ID is letters, digits, - and _` } }];
	return { displayName: 'By ID', name: 'id', type: 'string' as const, placeholder, validation };
}

/**
 * An invoice as every provider's "From List" shows it: number · customer · amount currency · due
 * date · status, leaving out what the provider's answer lacks.
 */
export function invoicePickerName(invoice: { number: unknown; customer: unknown; amount: unknown; currency: unknown; dueDate: unknown; status: unknown }): string {
	const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
	const cents = centsOf(invoice.amount);
	const money = [cents === undefined ? text(invoice.amount) : formatCents(cents), text(invoice.currency)].filter(Boolean).join(' ');
	const due = text(invoice.dueDate).slice(0, 10);
	return [text(invoice.number), text(invoice.customer), money, due && `due ${due}`, text(invoice.status)].filter(Boolean).join(' · ');
}
