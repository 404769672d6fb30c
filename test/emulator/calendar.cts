// Calendar and money helpers shared by the emulator and its seed generator.
// Dates are plain YYYY-MM-DD strings in UTC, which also compare correctly as strings.

export const MS_PER_DAY = 86_400_000;

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a YYYY-MM-DD string naming a real calendar day (so 2025-02-30 is rejected). */
export function isIsoDate(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const match = ISO_DATE_PATTERN.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export function dayNumber(isoDate: string): number {
	return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

// Seeding formats the same few hundred days thousands of times; toISOString is the slow part.
const isoDateCache = new Map<number, string>();

export function isoDateFromDayNumber(day: number): string {
	let isoDate = isoDateCache.get(day);
	if (isoDate === undefined) {
		isoDate = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
		if (isoDateCache.size < 10_000) isoDateCache.set(day, isoDate);
	}
	return isoDate;
}

export function addDaysToIsoDate(isoDate: string, days: number): string {
	return isoDateFromDayNumber(dayNumber(isoDate) + days);
}

/** Round half away from zero to cents; the toPrecision step removes binary noise such as 1.005 * 100 = 100.4999… */
export function roundToCents(value: number): number {
	const scaled = value * 100;
	// Only values near half a cent need the slower correction below.
	if (Math.abs(Math.abs(scaled % 1) - 0.5) > 1e-6) return Math.round(scaled) / 100;
	const cents = Number(scaled.toPrecision(15));
	return (Math.sign(cents) * Math.round(Math.abs(cents))) / 100;
}
