import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toCalendarDate } from '../calendarDate';
import { centsOf, fromCents } from '../money';
import { isPlainObject } from './shapes';

/** Refuses one item's input before any request, naming the field and the item. */
export class InputProblem {
	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
	) {}

	fail(field: string, problem: string, hint?: string): never {
		throw new NodeOperationError(this.node, `${field}: ${problem}`, {
			description: hint,
			itemIndex: this.itemIndex,
		});
	}
}

/** A value as an error message shows it: short, and never a wall of JSON. */
export function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value.slice(0, 60)}"`;
	if (value === null || value === undefined) return 'empty';
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

/** Numbers may arrive as numbers or, from expressions and JSON, as numeric text. */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** The first of several accepted names that is set (unitPrice or unit_price, say). */
export function pick(raw: Record<string, unknown>, ...names: string[]): unknown {
	for (const name of names) if (raw[name] !== undefined) return raw[name];
	return undefined;
}

export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** The parameters that hold line items: a mode switch, a fixed collection and a JSON field. */
export interface LineItemFields {
	mode: string;
	collection: string;
	json: string;
	/** An example array for the hint when the JSON cannot be read. */
	example: string;
	/** What a line item holds, in words: "description, quantity and unitPrice". */
	shape: string;
	/** The JSON field's name as the editor shows it; 'Line Items (JSON)' unless the node calls it otherwise. */
	jsonLabel?: string;
}

/**
 * Line items as the user gave them, from the fixed collection or from JSON (an array, or an
 * object with an `items` array): at least one, each an object, for the provider to read further.
 */
export function readRawLineItems(context: IExecuteFunctions, itemIndex: number, fields: LineItemFields, problem: InputProblem): Array<{ raw: Record<string, unknown>; label: string }> {
	const mode = context.getNodeParameter(fields.mode, itemIndex, 'fields') as string;
	let rawItems: unknown;
	if (mode === 'json') {
		rawItems = context.getNodeParameter(fields.json, itemIndex, '[]');
		if (typeof rawItems === 'string') {
			try {
				rawItems = JSON.parse(rawItems);
			} catch {
				problem.fail(fields.jsonLabel ?? 'Line Items (JSON)', 'is not valid JSON', `Give an array such as ${fields.example}.`);
			}
		}
		if (isPlainObject(rawItems) && Array.isArray(rawItems.items)) rawItems = rawItems.items;
		if (!Array.isArray(rawItems)) problem.fail(fields.jsonLabel ?? 'Line Items (JSON)', `must be an array of line items, not ${shown(rawItems)}`);
	} else {
		const collection = context.getNodeParameter(fields.collection, itemIndex, {}) as IDataObject;
		rawItems = Array.isArray(collection.item) ? collection.item : [];
	}
	const items = rawItems as unknown[];
	if (items.length === 0) problem.fail('Line Items', 'an invoice needs at least one line item', `Add a line item with ${fields.shape}.`);
	return items.map((raw, index) => {
		const label = `Line Item ${index + 1}`;
		if (!isPlainObject(raw)) problem.fail(label, `must be an object with ${fields.shape}, not ${shown(raw)}`);
		return { raw, label };
	});
}

/** A required calendar date parameter, as the user wrote it. */
export function readCalendarDate(context: IExecuteFunctions, name: string, label: string, itemIndex: number, problem: InputProblem): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw === '' || raw === null || raw === undefined) problem.fail(label, 'is required');
	const date = toCalendarDate(raw);
	if (!date) problem.fail(label, `is not a date: ${shown(raw)}`, 'Use a date such as 2025-01-31, an ISO date-time, or {{ $now }}.');
	return date;
}

/** A line item's description: text that is not blank. */
export function readItemDescription(raw: Record<string, unknown>, label: string, problem: InputProblem): string {
	const description = pick(raw, 'description');
	if (typeof description !== 'string' || description.trim() === '') problem.fail(`${label} Description`, 'is empty', 'Every line item needs a description.');
	return description.trim();
}

/** A line item's quantity where the provider takes whole units only: 1, 2, 3… */
export function readWholeQuantity(raw: Record<string, unknown>, label: string, problem: InputProblem): number {
	const quantityRaw = pick(raw, 'quantity');
	const quantity = toNumber(quantityRaw);
	if (quantity === undefined || !Number.isSafeInteger(quantity) || quantity < 1) {
		problem.fail(`${label} Quantity`, `must be a whole number of at least 1, not ${shown(quantityRaw)}`);
	}
	return quantity;
}

/** An amount in major units (dollars, not cents), at least `minimum`, rounded to cents. */
export function readItemMoney(
	raw: Record<string, unknown>,
	field: { label: string; names: string[]; minimum: number; example: string },
	problem: InputProblem,
): number {
	const valueRaw = pick(raw, ...field.names);
	const value = toNumber(valueRaw);
	if (value === undefined) problem.fail(field.label, `is not a number: ${shown(valueRaw)}`, `An amount in major units, such as ${field.example}.`);
	if (value < field.minimum) problem.fail(field.label, field.minimum === 0 ? `must not be negative, not ${value}` : `must be at least ${field.minimum}, not ${value}`);
	return roundToCents(value);
}

/** An amount rounded to cents (half away from zero, on the decimal it prints as), as the providers take and give them. */
export function roundToCents(value: number): number {
	const cents = centsOf(value);
	// Past what whole cents hold exactly (over 90 trillion) there is nothing left to round.
	return cents === undefined ? value : fromCents(cents);
}

/** An email address as the providers take one: something@somewhere.tld, no spaces. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A required email address, checked before anything is sent. */
export function readEmail(value: unknown, problem: InputProblem): string {
	const email = optionalText(value);
	if (email === undefined || !EMAIL_PATTERN.test(email)) problem.fail('Email', email === undefined ? 'is empty' : `is not an email address: "${email.slice(0, 80)}"`);
	return email;
}
