/**
 * Alternative Payments Return All under its documented limit (5 requests a second per key, no rate
 * header): our node through n8n-core's WorkflowExecute with n8n's OAuth2 handling, against the
 * emulator, reported against the least time that limit lets the requests take.
 */
import { AltPaymentsEmulator, ALT_RATE_LIMIT } from '../test/emulator/AltPaymentsEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_TYPE, runNode } from '../test/engine/harness.cjs';
import { forcedByRateLimit } from './returnAll.cjs';

export interface AltPaymentsReport {
	invoices: number;
	latencyMs: number;
	requests: number;
	rateLimited: number;
	mostInAWindow429: number;
	wallMs: number;
	forcedMs: number;
	forcedWindows: number[];
	everyInvoiceOnce: boolean;
}

export async function benchAltPayments(options: { invoices?: number; latencyMs?: number } = {}): Promise<AltPaymentsReport> {
	const invoices = options.invoices ?? 5000;
	const latencyMs = options.latencyMs ?? 100;
	const emulator = new AltPaymentsEmulator({ seed: { customers: 25, invoices }, latencyMs, rateLimit: ALT_RATE_LIMIT });
	const baseUrl = await emulator.listen();
	try {
		const oauth2Credential = { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' };
		const started = process.hrtime.bigint();
		const { items, error } = await runNode({
			nodeType: ALTERNATIVE_PAYMENTS_TYPE,
			oauth2Credential,
			// Simplify off, as README: Performance states its figures (the harness no longer turns it off).
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, simple: false },
		});
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		if (error) throw new Error(`Return All failed: ${error.message}`);
		const expected = emulator.listInvoices().map((invoice) => invoice.id);
		const got = items.map((item) => item.json.id);
		const everyInvoiceOnce = got.length === expected.length && got.every((id, index) => id === expected[index]);
		if (!everyInvoiceOnce) throw new Error(`Expected ${expected.length} invoices in order, got ${got.length}`);
		const api = emulator.requests.filter((request) => request.path === '/invoices');
		const perWindow = new Map<number, number>();
		for (const request of api) if (request.status === 429) perWindow.set(request.rateWindow ?? 0, (perWindow.get(request.rateWindow ?? 0) ?? 0) + 1);
		const pages = Math.ceil(invoices / 100);
		const windows = forcedByRateLimit(pages, ALT_RATE_LIMIT, latencyMs);
		// Cursor pages go one after another (each names the next): the last window's pages follow each other a round trip apart.
		const forced = { ms: windows.ms + (windows.windows[windows.windows.length - 1] - 1) * latencyMs, windows: windows.windows };
		return {
			invoices,
			latencyMs,
			requests: api.length,
			rateLimited: api.filter((request) => request.status === 429).length,
			mostInAWindow429: Math.max(0, ...perWindow.values()),
			wallMs,
			forcedMs: forced.ms,
			forcedWindows: forced.windows,
			everyInvoiceOnce,
		};
	} finally {
		await emulator.close();
	}
}
