import type { EmulatorOptions } from '../emulator/PayRequestEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import type { TestCredential } from './harness.cjs';

export const READ_WRITE_TOKEN = 'test-token-rw';
export const READ_ONLY_TOKEN = 'test-token-ro';
export const WRITE_ONLY_TOKEN = 'test-token-wo';

export interface EmulatorFixture {
	emulator: PayRequestEmulator;
	credential: TestCredential;
}

/** A fresh emulator on a random loopback port for every test, and a credential pointing at it. */
export function useEmulator(options: EmulatorOptions = {}): EmulatorFixture {
	const fixture = {} as EmulatorFixture;
	beforeEach(async () => {
		fixture.emulator = new PayRequestEmulator(options);
		const baseUrl = await fixture.emulator.listen();
		fixture.credential = { accessToken: READ_WRITE_TOKEN, baseUrl };
	});
	afterEach(async () => {
		await fixture.emulator.close();
	});
	return fixture;
}

/** Adds `count` invoices for the seeded customers, due in the future unless told otherwise. */
export function addInvoices(emulator: PayRequestEmulator, count: number, dueDate = '2025-06-30') {
	const customers = emulator.customers();
	return Array.from({ length: count }, (_, index) =>
		emulator.addInvoice({
			customer_id: customers[index % customers.length].id,
			date: '2025-02-01',
			due_date: dueDate,
			status: index % 3 === 0 ? 'paid' : 'pending',
			items: [{ description: `Work ${index + 1}`, quantity: 1, unit_price: 100 + index, tax_rate: 21 }],
		}),
	);
}
