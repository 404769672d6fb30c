/**
 * What Simplify costs on Alternative Payments (its invoices carry only the customer's id), at the
 * documented rate limit (the emulator's 5 requests a second per key) with 100 ms latency: Return
 * All of 5,000 invoices naming 4,000 customers, and the Overdue Trigger's poll that emits 5,000
 * newly overdue invoices naming them, each with Simplify on and off, through n8n-core's engine.
 * Each run has an emulator of its own, so that no run inherits another's rate window.
 */
import { AltPaymentsEmulator, ALT_RATE_LIMIT } from '../test/emulator/AltPaymentsEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE, ALTERNATIVE_PAYMENTS_TYPE, PollingWorkflow, runNode } from '../test/engine/harness.cjs';

const DAY = 86_400_000;

export interface SimplifyRun {
	simple: boolean;
	wallMs: number;
	/** API requests (the token requests are n8n's, the same either way, and not counted). */
	requests: number;
	customerRequests: number;
	rateLimited: number;
	items: number;
	/** Items whose customer name came out (Simplify on) or whose customer id is there (off). */
	customersShown: number;
}

export interface SimplifyCase {
	what: string;
	off: SimplifyRun;
	on: SimplifyRun;
}

export interface SimplifyCostReport {
	invoices: number;
	customers: number;
	latencyMs: number;
	cases: SimplifyCase[];
}

type Emulator = InstanceType<typeof AltPaymentsEmulator>;

async function withEmulator<T>(latencyMs: number, customers: number, run: (emulator: Emulator, baseUrl: string) => Promise<T>): Promise<T> {
	const emulator = new AltPaymentsEmulator({ seed: { customers, invoices: 0 }, latencyMs, rateLimit: ALT_RATE_LIMIT });
	const baseUrl = await emulator.listen();
	try {
		return await run(emulator, baseUrl);
	} finally {
		await emulator.close();
	}
}

/** `invoices` invoices naming every customer in turn. */
function addInvoices(emulator: Emulator, invoices: number, dueDate?: string) {
	const customers = emulator.listCustomers();
	for (let index = 0; index < invoices; index++) emulator.addInvoice({ customer_id: customers[index % customers.length].id, ...(dueDate ? { due_date: dueDate } : {}) });
}

function measured(emulator: Emulator, simple: boolean, since: number, wallMs: number, items: Array<{ json: Record<string, unknown> }>): SimplifyRun {
	const api = emulator.requests.slice(since).filter((request) => request.path !== '/oauth/token');
	const shown = (json: Record<string, unknown>) =>
		simple ? typeof (json.customer as { name?: unknown } | undefined)?.name === 'string' : typeof json.customer_id === 'string';
	return {
		simple,
		wallMs,
		requests: api.length,
		customerRequests: api.filter((request) => request.path.startsWith('/customers')).length,
		rateLimited: api.filter((request) => request.status === 429).length,
		items: items.length,
		customersShown: items.filter((item) => shown(item.json)).length,
	};
}

async function returnAll(simple: boolean, invoices: number, customers: number, latencyMs: number): Promise<SimplifyRun> {
	return await withEmulator(latencyMs, customers, async (emulator, baseUrl) => {
		addInvoices(emulator, invoices);
		const since = emulator.requests.length;
		const started = process.hrtime.bigint();
		const { items, error } = await runNode({
			nodeType: ALTERNATIVE_PAYMENTS_TYPE,
			oauth2Credential: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, simple },
		});
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		if (error) throw new Error(`Return All (Simplify ${simple ? 'on' : 'off'}) failed: ${error.message}`);
		return measured(emulator, simple, since, wallMs, items);
	});
}

/** The trigger is active (its activation poll has run, nothing due); then every invoice falls due, and the next poll emits them. */
async function emittingPoll(simple: boolean, invoices: number, customers: number, latencyMs: number): Promise<SimplifyRun> {
	return await withEmulator(latencyMs, customers, async (emulator, baseUrl) => {
		const poller = new PollingWorkflow({ simple, options: {} }, undefined, {
			nodeType: ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE,
			oauth2: { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' },
		});
		const activation = await poller.poll();
		if (activation.error) throw activation.error;
		addInvoices(emulator, invoices, new Date(Date.now() - DAY).toISOString().slice(0, 10));
		// The next poll starts in a rate window of its own, as a poll a minute later would.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const since = emulator.requests.length;
		const started = process.hrtime.bigint();
		const outcome = await poller.poll();
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		if (outcome.error) throw outcome.error;
		if (outcome.items.length !== invoices) throw new Error(`The poll emitted ${outcome.items.length} of ${invoices} invoices`);
		return measured(emulator, simple, since, wallMs, outcome.items);
	});
}

export async function benchSimplifyCost(options: { invoices?: number; customers?: number; latencyMs?: number } = {}): Promise<SimplifyCostReport> {
	const invoices = options.invoices ?? 5000;
	const customers = options.customers ?? 4000;
	const latencyMs = options.latencyMs ?? 100;
	// A warm-up of both paths, so that neither measured run pays for loading and compiling the code.
	await returnAll(false, 200, 150, 0);
	await returnAll(true, 200, 150, 0);
	const cases: SimplifyCase[] = [];
	cases.push({
		what: 'Alternative Payments Get Many, Return All',
		off: await returnAll(false, invoices, customers, latencyMs),
		on: await returnAll(true, invoices, customers, latencyMs),
	});
	cases.push({
		what: 'Alternative Payments Overdue Trigger, the poll that emits them',
		off: await emittingPoll(false, invoices, customers, latencyMs),
		on: await emittingPoll(true, invoices, customers, latencyMs),
	});
	return { invoices, customers, latencyMs, cases };
}
