// The playground's demo data: what `npm start` serves and what the examples e2e test runs the
// example workflows against. One place, so that the test sees the data a new user sees.
import { AltPaymentsEmulator } from './AltPaymentsEmulator.cjs';
import { PaisrEmulator } from './PaisrEmulator.cjs';
import { PayRequestEmulator } from './PayRequestEmulator.cjs';

export interface PlaygroundEmulators {
	/** Absent when `npm start` points PayRequest at the real API (PAYREQUEST_TOKEN). */
	payRequest?: PayRequestEmulator;
	alt: AltPaymentsEmulator;
	paisr: PaisrEmulator;
}

/** The emulators with the demo data, their clocks today at noon (UTC) so that the invoices look current. Not yet listening. */
export function playgroundEmulators(options: { payRequest: boolean } = { payRequest: true }): PlaygroundEmulators {
	const now = `${new Date().toISOString().slice(0, 10)}T12:00:00Z`;
	return {
		// Enough invoices for the examples: "first 150 invoices (Limit)" takes two pages of 100.
		payRequest: options.payRequest ? new PayRequestEmulator({ now, seed: { customers: 12, invoices: 240, seed: 1 } }) : undefined,
		alt: new AltPaymentsEmulator({ now, seed: { customers: 6, invoices: 120, payments: 30 } }),
		paisr: new PaisrEmulator({ now, seed: { customers: 6, invoices: 80 } }),
	};
}
