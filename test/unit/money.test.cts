/**
 * Money is exact (README: Simplify, "Amounts are exact"): amounts are read as the decimals they
 * print as, summed in whole cents and rounded half away from zero once. A property test checks the
 * kit and each provider's Simplify against a decimal reference written here with BigInt; engine
 * tests show it in what the nodes send and give.
 */
import * as fc from 'fast-check';

import { simplifyInvoice as simplifyAlternativePayments } from '../../nodes/AlternativePayments/actions/simplify';
import { simplifyInvoice as simplifyPaisr } from '../../nodes/Paisr/actions/simplify';
import { simplifyInvoice as simplifyPayRequest } from '../../nodes/PayRequest/actions/invoice/simplify';
import { roundToCents } from '../../nodes/shared/actions/input';
import { formatCents } from '../../nodes/shared/money';
import { moneyOrNull } from '../../nodes/shared/simplify';
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_TYPE, runNode } from '../engine/harness.cjs';

jest.setTimeout(30_000);

// ---- the reference: a decimal is (units, scale), value units / 10^scale ----

interface Exact {
	units: bigint;
	scale: number;
}

const TEN = 10n;
const pow10 = (exponent: number) => TEN ** BigInt(exponent);
const abs = (value: bigint) => (value < 0n ? -value : value);

/** The decimal as text, the way a user or an API writes it ("-12.3400"). */
function text({ units, scale }: Exact): string {
	const digits = abs(units).toString().padStart(scale + 1, '0');
	const whole = digits.slice(0, digits.length - scale);
	const fraction = digits.slice(digits.length - scale);
	return `${units < 0n ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Whole cents, half away from zero: the quotient, plus one away from zero when the rest is at least half. */
function referenceCents({ units, scale }: Exact): bigint {
	const numerator = units * 100n;
	const denominator = pow10(scale);
	const quotient = numerator / denominator;
	const rest = abs(numerator % denominator);
	if (rest * 2n < denominator) return quotient;
	return numerator < 0n ? quotient - 1n : quotient + 1n;
}

const asAmount = (cents: bigint) => Number(cents) / 100;

function multiply(...values: Exact[]): Exact {
	return { units: values.reduce((product, value) => product * value.units, 1n), scale: values.reduce((scale, value) => scale + value.scale, 0) };
}

function add(values: Exact[]): Exact {
	const scale = Math.max(0, ...values.map((value) => value.scale));
	return { units: values.reduce((total, value) => total + value.units * pow10(scale - value.scale), 0n), scale };
}

// ---- arbitraries: up to four decimals, small enough that a JSON number prints them exactly ----

const decimal = (min: bigint, max: bigint, maxScale = 4) => fc.record({ units: fc.bigInt({ min, max }), scale: fc.integer({ min: 0, max: maxScale }) });
const amount = decimal(-(10n ** 11n), 10n ** 11n);
const positiveAmount = decimal(0n, 10n ** 10n);
// A line's price and quantity kept so that eight lines stay within what whole cents hold in a number.
const unitPrice = decimal(0n, 10n ** 8n);
const quantity = decimal(1n, 10n ** 4n);
/** 0 to 100 percent, up to four decimals. */
const taxRate = fc.integer({ min: 0, max: 4 }).chain((scale) => fc.record({ units: fc.bigInt({ min: 0n, max: 100n * pow10(scale) }), scale: fc.constant(scale) }));
/** As the API may send it: a JSON number or numeric text. */
const wire = (value: Exact, asText: boolean): number | string => (asText ? text(value) : Number(text(value)));

describe('money against a BigInt decimal reference', () => {
	test('known cases: 1.005 is 1.01, 1.255 is 1.26, -1.005 is -1.01, 2.675 is 2.68', () => {
		expect(roundToCents(1.005)).toBe(1.01);
		expect(roundToCents(1.255)).toBe(1.26);
		expect(roundToCents(-1.005)).toBe(-1.01);
		expect(moneyOrNull('2.675')).toBe(2.68);
		expect(moneyOrNull('1.0049')).toBe(1);
		expect(moneyOrNull('abc')).toBeNull();
	});

	test('roundToCents and Simplify’s amounts agree with the reference to the cent, from numbers and from text', () => {
		fc.assert(
			fc.property(amount, fc.boolean(), (value, asText) => {
				const expected = asAmount(referenceCents(value));
				expect(moneyOrNull(wire(value, asText))).toBe(expected);
				expect(roundToCents(Number(text(value)))).toBe(expected);
			}),
			{ numRuns: 2000 },
		);
	});

	test('formatCents writes whole cents with two decimals', () => {
		fc.assert(
			fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), (cents) => {
				expect(formatCents(cents)).toBe(text({ units: BigInt(cents), scale: 2 }));
			}),
		);
	});

	test('PayRequest: tax is quantity × unit price × rate summed exactly and rounded once; the total is PayRequest’s amount plus it', () => {
		const line = fc.record({ quantity, unitPrice, rate: taxRate, asText: fc.boolean() });
		fc.assert(
			fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), positiveAmount, (lines, net) => {
				const invoice = {
					id: 1,
					amount: text(net),
					status: 'paid',
					invoice_items: lines.map((one) => ({ quantity: wire(one.quantity, one.asText), unit_price: wire(one.unitPrice, one.asText), tax_rate: wire(one.rate, one.asText) })),
				};
				// The rate is a percentage: two more decimal places.
				const taxed = add(lines.map((one) => multiply(one.quantity, one.unitPrice, one.rate)));
				const tax = referenceCents({ units: taxed.units, scale: taxed.scale + 2 });
				const simple = simplifyPayRequest(invoice, new Date(), 'UTC');
				expect(simple.amountNet).toBe(asAmount(referenceCents(net)));
				expect(simple.amountTax).toBe(asAmount(tax));
				expect(simple.amountTotal).toBe(asAmount(referenceCents(net) + tax));
			}),
			{ numRuns: 1000 },
		);
	});

	test('Alternative Payments: net and total are the provider’s, tax their difference in cents', () => {
		fc.assert(
			fc.property(positiveAmount, positiveAmount, fc.boolean(), (subTotal, total, asText) => {
				const simple = simplifyAlternativePayments({ id: 'inv_1', sub_total: wire(subTotal, asText), total: wire(total, asText) }, new Map(), new Date(), 'UTC');
				expect(simple.amountNet).toBe(asAmount(referenceCents(subTotal)));
				expect(simple.amountTotal).toBe(asAmount(referenceCents(total)));
				expect(simple.amountTax).toBe(asAmount(referenceCents(total) - referenceCents(subTotal)));
			}),
			{ numRuns: 1000 },
		);
	});

	test('Paisr: its net total is both the net and the total', () => {
		fc.assert(
			fc.property(positiveAmount, fc.boolean(), (net, asText) => {
				const simple = simplifyPaisr({ id: 'inv_1', amount: { net_total: wire(net, asText) } }, new Date(), 'UTC');
				expect(simple.amountNet).toBe(asAmount(referenceCents(net)));
				expect(simple.amountTotal).toBe(simple.amountNet);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('money through the engine', () => {
	test('PayRequest Get: 10.05 at 10 % tax is 1.01 tax (it was 1.00 in floating point), 11.06 in all', async () => {
		const emulator = new PayRequestEmulator({ seed: { customers: 1, invoices: 0, seed: 1 } });
		try {
			const credential = { accessToken: 'test-token-rw', baseUrl: await emulator.listen() };
			emulator.addInvoice({ id: 5001, items: [{ description: 'Work', quantity: 1, unit_price: 10.05, tax_rate: 10 }] });
			const { items, error } = await runNode({ credential, parameters: { resource: 'invoice', operation: 'get', invoiceId: { mode: 'id', value: '5001' }, simple: true } });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ amountNet: 10.05, amountTax: 1.01, amountTotal: 11.06 });
		} finally {
			await emulator.close();
		}
	});

	test('Alternative Payments Create sends 1.005 as 1.01 and 1.255 as 1.26 (half away from zero, as written)', async () => {
		const emulator = new AltPaymentsEmulator({ rateLimit: false, seed: { customers: 1, invoices: 0 } });
		try {
			const oauth2Credential = { environment: 'custom', baseUrl: await emulator.listen(), clientId: 'client-full', clientSecret: 'secret-full' };
			const { error } = await runNode({
				nodeType: ALTERNATIVE_PAYMENTS_TYPE,
				oauth2Credential,
				parameters: {
					resource: 'invoice',
					operation: 'create',
					customerId: { __rl: true, mode: 'id', value: emulator.listCustomers()[0].id },
					dueDate: '2025-04-01',
					lineItems: { item: [{ description: 'A', quantity: 1, amount: 1.005 }, { description: 'B', quantity: 3, amount: '1.255' }] },
				},
			});
			expect(error).toBeUndefined();
			const post = emulator.requests.find((request) => request.method === 'POST' && request.path === '/invoices');
			expect((post?.body as { line_items: unknown[] }).line_items).toEqual([
				{ description: 'A', quantity: 1, amount: 1.01 },
				{ description: 'B', quantity: 3, amount: 1.26 },
			]);
		} finally {
			await emulator.close();
		}
	});
});
