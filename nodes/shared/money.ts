/**
 * Money as exact decimals (README: Simplify, "Amounts"). A JSON number is read as the decimal it
 * prints as (1.005 is 1.005, not the binary 1.00499…), a numeric string as written; products and
 * sums are exact, and rounding to cents is half away from zero, once, at the end. What leaves the
 * node is a number of whole cents divided by 100, which prints with at most two decimals.
 */

/** units × 10^-scale, exactly. */
export interface Decimal {
	units: bigint;
	scale: number;
}

/** Numeric text as toNumber accepts it, and the exponent form a JSON number may print in (1e-7). */
const DECIMAL_TEXT = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/** A number or numeric string as an exact decimal; undefined for anything else. */
export function decimalOf(value: unknown): Decimal | undefined {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		text = String(value);
	} else if (typeof value === 'string') {
		text = value.trim();
		// Text takes the plain forms only (as toNumber does): "1e3" typed into a field is not an amount.
		if (/[eE]/.test(text)) return undefined;
	} else {
		return undefined;
	}
	const match = DECIMAL_TEXT.exec(text);
	if (!match) return undefined;
	const [, sign, whole, fraction = '', exponent = '0'] = match;
	if (whole === '' && fraction === '') return undefined;
	const digits = BigInt(`${whole}${fraction}` || '0');
	let scale = fraction.length - Number(exponent);
	let units = sign === '-' ? -digits : digits;
	if (scale < 0) {
		units *= 10n ** BigInt(-scale);
		scale = 0;
	}
	return { units, scale };
}

function atScale(value: Decimal, scale: number): bigint {
	return value.units * 10n ** BigInt(scale - value.scale);
}

export function sum(values: Decimal[]): Decimal {
	const scale = Math.max(0, ...values.map((value) => value.scale));
	return { units: values.reduce((total, value) => total + atScale(value, scale), 0n), scale };
}

export function product(...values: Decimal[]): Decimal {
	return values.reduce((total, value) => ({ units: total.units * value.units, scale: total.scale + value.scale }), { units: 1n, scale: 0 });
}

/** A percentage as the fraction it stands for (21 → 0.21). */
export function percent(value: Decimal): Decimal {
	return { units: value.units, scale: value.scale + 2 };
}

/** Whole cents, rounded half away from zero; undefined past what a number holds exactly. */
export function roundedCents(value: Decimal): number | undefined {
	let cents: bigint;
	if (value.scale <= 2) {
		cents = value.units * 10n ** BigInt(2 - value.scale);
	} else {
		const divisor = 10n ** BigInt(value.scale - 2);
		const magnitude = value.units < 0n ? -value.units : value.units;
		// Half away from zero: round the magnitude half up, then give back the sign.
		const rounded = (magnitude * 2n + divisor) / (divisor * 2n);
		cents = value.units < 0n ? -rounded : rounded;
	}
	const result = Number(cents);
	return Number.isSafeInteger(result) ? result : undefined;
}

/** A number or numeric string in major units as whole cents, rounded half away from zero. */
export function centsOf(value: unknown): number | undefined {
	const decimal = decimalOf(value);
	return decimal === undefined ? undefined : roundedCents(decimal);
}

/** Whole cents as the amount in major units that the providers take and the outputs give (1.01). */
export function fromCents(cents: number): number {
	return cents / 100;
}

/** Whole cents as text with two decimals (-1.05), without a float in between. */
export function formatCents(cents: number): string {
	const magnitude = Math.abs(cents);
	return `${cents < 0 ? '-' : ''}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}
