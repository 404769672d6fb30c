import type { IDataObject, IExecuteFunctions, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { isPlainObject } from './actions/shapes';
import { dueDayIn, localDaysOverdue } from './calendarDate';
import { centsOf, fromCents } from './money';

/**
 * Simplify: the same compact fields, in the same names, whichever provider answered, so that one
 * workflow (or an AI agent) reads every provider alike. A field the provider does not state or
 * imply is null, never left out: an expression on it gives null rather than failing.
 */

export type ProviderKey = 'payRequest' | 'alternativePayments' | 'paisr';

export interface SimpleCustomerRef extends IDataObject {
	id: string | null;
	name: string | null;
	email: string | null;
}

export interface SimpleInvoice extends IDataObject {
	id: string;
	number: string | null;
	status: string | null;
	currency: string | null;
	amountNet: number | null;
	amountTax: number | null;
	amountTotal: number | null;
	dueDate: string | null;
	daysOverdue: number | null;
	customer: SimpleCustomerRef;
	paymentLink: string | null;
	provider: ProviderKey;
}

export interface SimpleCustomer extends IDataObject {
	id: string;
	name: string | null;
	email: string | null;
	portalLink: string | null;
	provider: ProviderKey;
}

export interface SimplePayment extends IDataObject {
	id: string;
	status: string | null;
	currency: string | null;
	amount: number | null;
	invoiceId: string | null;
	customerId: string | null;
	createdAt: string | null;
	provider: ProviderKey;
}

/** The Simplify switch, as n8n's own nodes have it (Gmail, Notion, HubSpot). */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'The same fields for every provider: id, number, status, amounts, due date, customer, payment link (ids as text)',
};

/**
 * Simplify on a Create, from node version 1.1 (on by default, as on the reads); a Create saved with
 * version 1 keeps the provider's own answer, which its workflow was built on.
 */
export const createSimplifyProperty: INodeProperties = { ...simplifyProperty, displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } } };

/** Whether a Create returns the compact shape: on unless turned off, and never on version 1. */
export function readCreateSimplify(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNode().typeVersion >= 1.1 && context.getNodeParameter('simple', itemIndex, true) !== false;
}

/** A webhook trigger's canvas subtitle: its chosen events in words, as the Events field names them. */
export function eventsSubtitle(events: Array<{ name: string; value: string }>): string {
	const names = JSON.stringify(Object.fromEntries(events.map((event) => [event.value, event.name])));
	return `={{ ($parameter["events"] || []).map((event) => (${names})[event] || event).join(", ") }}`;
}

/** Whether this item asks for the compact shape (on unless turned off). */
export function readSimplify(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('simple', itemIndex, true) !== false;
}

/** Whether a trigger emits the compact shape (on unless turned off). */
export function triggerSimplifies(context: IPollFunctions | IWebhookFunctions): boolean {
	return context.getNodeParameter('simple', true) !== false;
}

/**
 * Makes a trigger's invoices compact, counting days in the workflow's time zone. It may read more
 * (a customer's name) but never fails: a poll's events must not be lost to it.
 */
export type InvoiceSimplifier = (invoices: Array<Record<string, unknown>>, now: Date, timeZone: string) => Promise<IDataObject[]>;

/** A trigger's simplifier from a provider's mapping of one invoice (one that reads nothing more). */
export function eachInvoice(simplify: (invoice: Record<string, unknown>, now: Date, timeZone: string) => IDataObject): InvoiceSimplifier {
	return async (invoices, now, timeZone) => invoices.map((invoice) => simplify(invoice, now, timeZone));
}

/** A text field, or null for anything else (numbers, as ids often are, become text). */
export function textOrNull(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' ? null : text;
}

/** An amount in major units, rounded to cents; numbers or numeric strings (Laravel sends both), else null. */
export function moneyOrNull(value: unknown): number | null {
	return centsOrNull(centsOf(value));
}

/** Whole cents as an output amount, or null when there are none. */
export function centsOrNull(cents: number | undefined): number | null {
	return cents === undefined ? null : fromCents(cents);
}

/**
 * The due date as a calendar day (YYYY-MM-DD), or null: a date as written; a date-time with its
 * zone (a moment, as Paisr's due_at) the day it falls on in the workflow's time zone.
 */
export function dueDateOrNull(value: unknown, timeZone = 'UTC'): string | null {
	return dueDayIn(value, timeZone) ?? null;
}

/**
 * Days an unpaid invoice is past the day it is due, counted in the workflow's time zone, as the
 * overdue triggers count them (overdue from the first local midnight after that day); null when it
 * is not overdue (not open, no due date, or not yet past).
 */
export function daysOverdueOrNull(due: unknown, open: boolean, now: Date, timeZone: string): number | null {
	if (!open) return null;
	const days = localDaysOverdue(due, now, timeZone);
	return days !== undefined && days > 0 ? days : null;
}

/**
 * A trigger event in one spelling for every provider: camelCase, as the PayRequest Trigger names
 * its events ("invoice_paid" and "invoice.paid" are both "invoicePaid").
 */
export function eventName(value: unknown): string | null {
	const text = textOrNull(value);
	if (text === null) return null;
	return text.replace(/[._\s-]+([a-zA-Z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** An object field of an answer, or an empty object. */
export function objectOrEmpty(value: unknown): Record<string, unknown> {
	return isPlainObject(value) ? value : {};
}

/** The customer reference of a simplified invoice. */
export function customerRef(id: unknown, name: unknown, email: unknown): SimpleCustomerRef {
	return { id: textOrNull(id), name: textOrNull(name), email: textOrNull(email) };
}
