import { isPlainObject } from './actions/shapes';

/**
 * A set of invoice ids written compactly, for trigger state that n8n stores after every poll
 * (durable poll cursors). Lossless: decodeIdSet(encodeIdSet(ids)) gives the same set back.
 *
 * An id is split into a stem and a whole-number tail ('123' → '' + 123, 'inv_000123' →
 * 'inv_000' + 123, 'abc' → 'abc' and no tail). The tails of one stem are sorted and written as
 * runs of consecutive numbers in base 36, each as `<gap>` or `<gap>.<length - 1>`, where gap is how
 * many numbers lie between it and the run before (the first run counts from -1). So a thousand
 * consecutive ids take a few characters, and ids with every third one missing about two a piece.
 * The set is a string when every id is a plain number, else an object from stem to runs, where
 * the run `-` stands for the stem itself as an id.
 */
export type IdSet = string | Record<string, string>;

const RADIX = 36;
/** A tail longer than this may not be a safe integer: such an id is kept whole, as a stem. */
const MAX_TAIL_DIGITS = 15;
const MAX_RUN = 10_000_000;

/** The id's stem and whole-number tail (no leading zero, so stem + tail gives the id back). */
function splitId(id: string): [stem: string, tail: number | undefined] {
	const digits = /\d*$/.exec(id)?.[0] ?? '';
	// The tail starts at its first non-zero digit; a run of zeros alone ends in the tail '0'.
	const start = digits.search(/[1-9]/);
	const tail = start === -1 ? (digits === '' ? '' : '0') : digits.slice(start);
	if (tail === '' || tail.length > MAX_TAIL_DIGITS) return [id, undefined];
	return [id.slice(0, id.length - tail.length), Number(tail)];
}

function encodeRuns(numbers: number[]): string {
	const sorted = [...new Set(numbers)].sort((a, b) => a - b);
	const runs: string[] = [];
	let previous = -1;
	for (let index = 0; index < sorted.length; ) {
		const start = sorted[index];
		let end = start;
		while (index + 1 < sorted.length && sorted[index + 1] === end + 1) end = sorted[++index];
		index++;
		const gap = (start - previous - 1).toString(RADIX);
		runs.push(end === start ? gap : `${gap}.${(end - start).toString(RADIX)}`);
		previous = end;
	}
	return runs.join(',');
}

/** The numbers a runs text stands for, or undefined when it is not one. */
function decodeRuns(text: string, add: (tail: number | undefined) => void): boolean {
	if (text === '') return true;
	let previous = -1;
	for (const run of text.split(',')) {
		if (run === '-') {
			add(undefined);
			continue;
		}
		const match = /^([0-9a-z]+)(?:\.([0-9a-z]+))?$/.exec(run);
		if (!match) return false;
		const start = previous + 1 + parseInt(match[1], RADIX);
		const end = start + (match[2] === undefined ? 0 : parseInt(match[2], RADIX));
		// What n8n stored may be anything: a run longer than any account is not a state this wrote.
		if (!Number.isSafeInteger(end) || end - start > MAX_RUN) return false;
		for (let number = start; number <= end; number++) add(number);
		previous = end;
	}
	return true;
}

export function encodeIdSet(ids: Iterable<string>): IdSet {
	const tails = new Map<string, number[]>();
	const bare = new Set<string>();
	for (const id of ids) {
		const [stem, tail] = splitId(id);
		if (tail === undefined) bare.add(stem);
		else if (tails.has(stem)) tails.get(stem)!.push(tail);
		else tails.set(stem, [tail]);
	}
	if (bare.size === 0 && [...tails.keys()].every((stem) => stem === '')) return encodeRuns(tails.get('') ?? []);
	// Object.fromEntries: an id such as '__proto__' stays a plain key.
	return Object.fromEntries(
		[...new Set([...tails.keys(), ...bare])].sort().map((stem) => {
			const runs = encodeRuns(tails.get(stem) ?? []);
			return [stem, bare.has(stem) ? (runs === '' ? '-' : `-,${runs}`) : runs];
		}),
	);
}

/** The ids of an encoded set, or undefined when the value is not one (anything stored may be read). */
export function decodeIdSet(value: unknown): string[] | undefined {
	const ids: string[] = [];
	const stems: Array<[string, unknown]> = typeof value === 'string' ? [['', value]] : isPlainObject(value) ? Object.entries(value) : [];
	if (stems.length === 0 && typeof value !== 'string') return undefined;
	for (const [stem, runs] of stems) {
		if (typeof runs !== 'string') return undefined;
		const ok = decodeRuns(runs, (tail) => ids.push(tail === undefined ? stem : `${stem}${tail}`));
		if (!ok) return undefined;
	}
	return ids;
}

/**
 * Entries that share a value, each group written as one id set under the value's key: how
 * trigger state keeps one record per invoice without one JSON entry per invoice.
 */
export function groupIds<V>(entries: Iterable<[id: string, value: V]>, keyOf: (value: V) => string): Record<string, IdSet> {
	const groups = new Map<string, string[]>();
	for (const [id, value] of entries) {
		const key = keyOf(value);
		const group = groups.get(key);
		if (group) group.push(id);
		else groups.set(key, [id]);
	}
	return Object.fromEntries([...groups.keys()].sort().map((key) => [key, encodeIdSet(groups.get(key)!)]));
}

/** The reverse of groupIds: each id with its group's value; groups whose key or ids cannot be read are skipped. */
export function ungroupIds<V>(stored: unknown, valueOf: (key: string) => V | undefined): Array<[string, V]> {
	const entries: Array<[string, V]> = [];
	if (!isPlainObject(stored)) return entries;
	for (const [key, encoded] of Object.entries(stored)) {
		const value = valueOf(key);
		const ids = value === undefined ? undefined : decodeIdSet(encoded);
		if (ids) for (const id of ids) entries.push([id, value as V]);
	}
	return entries;
}
