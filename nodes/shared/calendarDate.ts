/**
 * Turns what n8n date fields and expressions give (YYYY-MM-DD, an ISO date-time, a Luxon
 * DateTime, a JS Date) into the calendar date as written. An ISO value's offset never shifts the
 * day: "2025-01-31T23:30:00-05:00" is 2025-01-31, because that is the date the user wrote.
 * Returns undefined for anything that is not a real date.
 */
const ISO_DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

function isRealDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

interface LuxonLike {
	isLuxonDateTime: true;
	isValid: boolean;
	toISODate(): string | null;
}

function isLuxonDateTime(value: unknown): value is LuxonLike {
	return typeof value === 'object' && value !== null && (value as LuxonLike).isLuxonDateTime === true;
}

export function toCalendarDate(value: unknown): string | undefined {
	let text: string | undefined;
	if (isLuxonDateTime(value)) {
		text = value.isValid ? (value.toISODate() ?? undefined) : undefined;
	} else if (value instanceof Date) {
		text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	} else if (typeof value === 'string') {
		text = value.trim();
	}
	if (text === undefined) return undefined;
	const match = ISO_DATE_PREFIX.exec(text);
	if (!match) return undefined;
	const [, year, month, day] = match;
	if (!isRealDate(Number(year), Number(month), Number(day))) return undefined;
	if (text.length > 10 && Number.isNaN(Date.parse(text.replace(' ', 'T')))) return undefined;
	return `${year}-${month}-${day}`;
}

/** The instant of a date-time written with its zone (2025-01-31T09:00:00Z, …+02:00); undefined for anything else, a bare date included. */
export function zonedInstantMs(text: string): number | undefined {
	if (!/T\d{2}:\d{2}/.test(text) || !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}
