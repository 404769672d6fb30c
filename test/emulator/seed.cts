// Deterministic demo data for the PayRequest emulator. Everything comes from a seeded PRNG
// (never Math.random), so the same options always give the same customers and invoices.
import type { EmulatorCustomer, EmulatorInvoice, EmulatorInvoiceItem } from './PayRequestEmulator.cjs';
import { dayNumber, isoDateFromDayNumber, roundToCents } from './calendar.cjs';

export type Random = () => number;

/** mulberry32: tiny, fast and good enough for test data; returns floats in [0, 1). */
export function createPrng(seed: number): Random {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

export function formatInvoiceNumber(sequence: number): string {
	return `INV-${String(sequence).padStart(6, '0')}`;
}

export interface SeedOptions {
	customers: number;
	invoices: number;
	seed: number;
	/** The emulator's current date (YYYY-MM-DD); invoice dates fall in the ~120 days before it. */
	today: string;
	currency: string;
	firstCustomerId: number;
	firstInvoiceId: number;
	firstInvoiceNumber: number;
}

export interface SeedData {
	customers: EmulatorCustomer[];
	invoices: EmulatorInvoice[];
}

const FIRST_NAMES = ['Sanne', 'Daan', 'Emma', 'Lucas', 'Noor', 'Finn', 'Julia', 'Milan', 'Sophie', 'Bram', 'Lotte', 'Jesse', 'Fleur', 'Thijs', 'Eva', 'Ruben'];
const LAST_NAMES = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks'];
const COMPANIES = [
	'Kestrel Systems', 'Bluefin Studio', 'Oakridge Consulting', 'Pinewood Media', 'Quayside Foods', 'Meridian Labs',
	'Harbor Lane Retail', 'Lindqvist Design', 'Northgate Logistics', 'Tidewater Analytics', 'Copperleaf Bakery', 'Saltmarsh Architects',
];
const LEGAL_SUFFIXES = ['B.V.', 'Ltd', 'GmbH', 'BV', 'SARL'];
const STREETS = ['Keizersgracht', 'Marktstraat', 'Stationsweg', 'Havenkade', 'Lindenlaan', 'Molenstraat', 'Kerkplein', 'Industrieweg'];
const PLACES = [
	{ city: 'Amsterdam', country: 'Netherlands', postalPrefix: '10' },
	{ city: 'Rotterdam', country: 'Netherlands', postalPrefix: '30' },
	{ city: 'Utrecht', country: 'Netherlands', postalPrefix: '35' },
	{ city: 'Antwerp', country: 'Belgium', postalPrefix: '20' },
	{ city: 'Berlin', country: 'Germany', postalPrefix: '10' },
	{ city: 'Ghent', country: 'Belgium', postalPrefix: '90' },
];
const ITEM_DESCRIPTIONS = [
	'Consulting hours', 'Website maintenance', 'Software licence (annual)', 'Hosting (monthly)', 'Design work',
	'Support retainer', 'Training session', 'Travel costs', 'Data migration', 'Security review',
];
const UNIT_PRICES = [25, 49.95, 75, 95, 120, 150, 250, 499, 500, 12.5];
const TAX_RATES = [21, 21, 21, 9, 0, 19];
const REFERENCE_WORDS = ['Aurora', 'Beacon', 'Cascade', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor'];
const NOTES = ['Please quote the invoice number with your payment.', 'Net 14 days.', 'Includes the agreed discount.', null, null, null];
const OPEN_STATUSES = ['pending', 'pending', 'pending', 'sent', 'sent', 'sent', 'sent', 'viewed', 'viewed', 'partial'];

/** Invoice dates are spread over this many days before the emulator's today. */
const HISTORY_DAYS = 120;

function pick<T>(random: Random, values: readonly T[]): T {
	return values[Math.floor(random() * values.length)];
}

function integerBetween(random: Random, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}

function slug(text: string): string {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function generateCustomers(count: number, random: Random, firstId: number): EmulatorCustomer[] {
	const customers: EmulatorCustomer[] = [];
	for (let index = 0; index < count; index++) {
		const id = firstId + index;
		const firstName = pick(random, FIRST_NAMES);
		const lastName = pick(random, LAST_NAMES);
		const place = pick(random, PLACES);
		// The first customer is always a company with every field set, so tests can rely on a full record.
		const isCompany = index === 0 || random() < 0.75;
		const companyName = COMPANIES[index % COMPANIES.length];
		const hasPhone = index === 0 || random() < 0.8;
		const hasAddress = index === 0 || random() < 0.85;
		const postalCode = place.country === 'Netherlands'
			? `${place.postalPrefix}${integerBetween(random, 10, 99)} ${String.fromCharCode(65 + integerBetween(random, 0, 25))}${String.fromCharCode(65 + integerBetween(random, 0, 25))}`
			: `${place.postalPrefix}${integerBetween(random, 10, 99)}`;
		customers.push({
			id,
			name: isCompany ? companyName : `${firstName} ${lastName}`,
			email: isCompany ? `billing@${slug(companyName)}.example` : `${slug(firstName)}.${slug(lastName)}@mail.example`,
			company: isCompany ? `${companyName} ${pick(random, LEGAL_SUFFIXES)}` : null,
			phone: hasPhone ? `+31 20 ${integerBetween(random, 100, 999)} ${integerBetween(random, 1000, 9999)}` : null,
			address: hasAddress ? `${pick(random, STREETS)} ${integerBetween(random, 1, 250)}` : null,
			city: hasAddress ? place.city : null,
			postal_code: hasAddress ? postalCode : null,
			country: hasAddress ? place.country : null,
		});
	}
	return customers;
}

function generateItems(random: Random): EmulatorInvoiceItem[] {
	const items: EmulatorInvoiceItem[] = [];
	const itemCount = integerBetween(random, 1, 3);
	for (let index = 0; index < itemCount; index++) {
		const unitPrice = pick(random, UNIT_PRICES);
		// Hour-like quantities only for cheap lines, so invoice totals stay in a believable range.
		const shape = random();
		const quantity = shape < 0.2 && unitPrice <= 120
			? integerBetween(random, 8, 40)
			: shape < 0.85 ? integerBetween(random, 1, 6) : integerBetween(random, 1, 5) + 0.5;
		items.push({
			description: pick(random, ITEM_DESCRIPTIONS),
			quantity,
			unit_price: unitPrice,
			tax_rate: pick(random, TAX_RATES),
			total: roundToCents(quantity * unitPrice),
		});
	}
	return items;
}

/** Older invoices are more likely to be paid; a few are drafts or cancelled regardless of age. */
function chooseStatus(random: Random, ageDays: number): string {
	const roll = random();
	if (roll < 0.06) return 'draft';
	if (roll < 0.12) return 'cancelled';
	const paidProbability = 0.15 + (0.6 * ageDays) / HISTORY_DAYS;
	if (random() < paidProbability) return 'paid';
	return pick(random, OPEN_STATUSES);
}

export function generateInvoices(
	count: number,
	random: Random,
	customers: readonly EmulatorCustomer[],
	options: Pick<SeedOptions, 'today' | 'currency' | 'firstInvoiceId' | 'firstInvoiceNumber'>,
): EmulatorInvoice[] {
	if (count > 0 && customers.length === 0) throw new Error('Seeding invoices needs at least one customer');
	const todayNumber = dayNumber(options.today);
	// Oldest first, so ids ascend with the invoice date as in a real ledger.
	const ages = Array.from({ length: count }, () => integerBetween(random, 0, HISTORY_DAYS));
	ages.sort((left, right) => right - left);
	const invoices: EmulatorInvoice[] = new Array(count);
	for (let index = 0; index < count; index++) {
		const ageDays = ages[index];
		const dateNumber = todayNumber - ageDays;
		const status = chooseStatus(random, ageDays);
		const items = generateItems(random);
		const referenceRoll = random();
		const reference = referenceRoll < 0.35
			? `Project ${pick(random, REFERENCE_WORDS)}`
			: referenceRoll < 0.6 ? `PO-${integerBetween(random, 1000, 9999)}` : null;
		invoices[index] = {
			id: options.firstInvoiceId + index,
			invoice_number: formatInvoiceNumber(options.firstInvoiceNumber + index),
			reference,
			amount: roundToCents(items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0)),
			currency: options.currency,
			status,
			date: isoDateFromDayNumber(dateNumber),
			due_date: isoDateFromDayNumber(dateNumber + integerBetween(random, 14, 30)),
			notes: pick(random, NOTES),
			customer_id: customers[Math.floor(random() * customers.length)].id,
			invoice_items: items,
			// A partial payment means a payment was started; some viewed invoices have one under way too.
			payment_started: status === 'partial' || (status === 'viewed' && random() < 0.25),
		};
	}
	return invoices;
}

export function generateSeedData(options: SeedOptions): SeedData {
	// Separate streams, so the customers stay the same whatever number of invoices is asked for.
	const customerCount = options.invoices > 0 ? Math.max(1, options.customers) : options.customers;
	const customers = generateCustomers(customerCount, createPrng(options.seed), options.firstCustomerId);
	const invoices = generateInvoices(options.invoices, createPrng(options.seed ^ 0x9e3779b9), customers, options);
	return { customers, invoices };
}
