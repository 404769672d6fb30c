import type { IDataObject } from 'n8n-workflow';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A record in the shape Paisr's GET answers with (the API docs' own example values), for the test
 * delivery that names no real one: the editor then shows every field a real event brings, to map.
 * An invoice event's invoice is paid when the event says so, due two weeks after it was made.
 */
export function sampleRecord(resource: 'invoice' | 'customer', id: string, event: string, now: Date): IDataObject {
	const at = now.getTime();
	const customer = { id: 'cus_123456', name: 'Jane Smith', email: 'jane@example.com', billing_details: null, shipping_details: null };
	if (resource === 'customer') {
		return {
			...customer,
			id,
			phone: '+597-8123456',
			default_currency: 'SRD',
			billing_details: { line_1: 'Example Street 10', city: 'Paramaribo', country: 'SR' },
			metadata: null,
			created_at: iso(at),
		};
	}
	const paid = event === 'invoice.paid';
	return {
		id,
		sid: 600783,
		customer,
		summary: 'A simple pizza order',
		amount: { sub_total: 150, discount_total: 15, net_total: 135 },
		status: paid ? 'paid' : 'unpaid',
		currency: 'SRD',
		session: paid ? null : { url: `https://checkout.paisr.tech/${id}`, expires_in: '30 minutes' },
		due_at: iso(at + 14 * DAY_MS),
		paid_at: paid ? iso(at) : null,
		void_at: null,
		created_at: iso(at),
	};
}
