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

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms` (0 for a zone Intl does not know). */
function zoneOffsetMs(ms: number, timeZone: string): number {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ms);
	} catch {
		return 0;
	}
	const part = (type: string) => Number(parts.find((one) => one.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(ms / 1000) * 1000;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * The instant a date filter means, the same for every provider: a date-time with its zone (or a
 * Luxon DateTime, a JS Date) is that instant; one without a zone, which is what n8n's date picker
 * gives, is that wall time in the workflow's time zone; a date alone is the start of that day
 * there. Undefined for anything that is not a real date.
 */
export function filterInstantMs(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (isLuxonDateTime(value)) return value.isValid ? (value as unknown as { toMillis(): number }).toMillis() : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const zoned = zonedInstantMs(text);
	if (zoned !== undefined) return zoned;
	const match = WALL_TIME.exec(text);
	if (!match || toCalendarDate(text.slice(0, 10)) === undefined) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
	const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
	// Two passes, so that a wall time next to a daylight-saving change takes the offset in force then.
	const first = wall - zoneOffsetMs(wall, timeZone);
	return wall - zoneOffsetMs(first, timeZone);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) the instant `ms` falls on in `timeZone` (in UTC for a zone Intl does not know). */
export function localDate(ms: number, timeZone: string): string {
	let format = dayFormats.get(timeZone);
	if (format === undefined) {
		try {
			format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		} catch {
			return new Date(ms).toISOString().slice(0, 10);
		}
		dayFormats.set(timeZone, format);
	}
	const parts = format.formatToParts(ms);
	const part = (type: string) => parts.find((one) => one.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The day an invoice is due, as a day in the workflow's time zone: a date (PayRequest's and
 * Alternative Payments' due_date) is that day; a date-time with its zone (Paisr's due_at, a
 * moment) is the day that moment falls on there; one without a zone is the date as written.
 */
export function dueDayIn(value: unknown, timeZone: string): string | undefined {
	const day = toCalendarDate(value);
	if (day === undefined || typeof value !== 'string') return day;
	const instant = zonedInstantMs(value.trim());
	return instant === undefined ? day : localDate(instant, timeZone);
}

/**
 * Whole days in the workflow's time zone from the day an invoice is due to the day of `now`
 * there: 1 from the first local midnight after the due day (the invoice is overdue from then on),
 * 0 on the due day. Undefined without a readable due date.
 */
export function localDaysOverdue(due: unknown, now: Date, timeZone: string): number | undefined {
	const dueDay = dueDayIn(due, timeZone);
	if (dueDay === undefined) return undefined;
	return Math.round((Date.parse(`${localDate(now.getTime(), timeZone)}T00:00:00Z`) - Date.parse(`${dueDay}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day `days` after (before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
