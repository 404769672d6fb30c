/**
 * PayRequest Trigger poll benchmark: one account with 10,000 overdue invoices, polled through
 * n8n-core's real poll path (PollContext + TriggersAndPollers, static data stored as JSON between
 * polls) against the emulator over loopback HTTP.
 *
 * Run: npx tsc -p tsconfig.dev.json && node .build/bench/triggerPoll.cjs
 */
import { scratchDir } from '../test/setup/repo.cjs';

import { PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import { readOverdueState } from '../nodes/shared/overdue/overdueBookkeeping';

// n8n-core writes its config under N8N_USER_FOLDER on first use (test/setup/env.cts does this for
// jest). Set both before the harness, and with it n8n-core, is loaded below.
process.env.N8N_USER_FOLDER ??= scratchDir('n8n-user');
process.env.N8N_LOG_LEVEL ??= 'silent';

const TOKEN = 'test-token-rw';
const INVOICES = 10_000;
const STEADY_POLLS = 5;
const OVERDUE_PATH = '/api/v1/invoices/overdue';
const STATE_OWNER = 'node:PayRequest Trigger';

export interface TriggerPollResult {
	invoices: number;
	/** Wall time of the first poll after activation (records all 10,000, emits nothing). */
	firstPollMs: number;
	/** Median wall time of the steady polls that follow (same list, nothing new). */
	steadyPollMs: number;
	/** Size of the trigger's stored state as JSON after the last poll. */
	stateBytes: number;
	/** Requests the emulator received over all polls (1 + STEADY_POLLS when each poll sends one). */
	requests: number;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(ms: number): number {
	return Math.round(ms * 10) / 10;
}

/** 10,000 open invoices due 1 to 120 days before the emulator's today (2025-03-01), via addInvoice. */
function seedOverdueInvoices(emulator: PayRequestEmulator): number {
	const customers = emulator.customers();
	const started = performance.now();
	for (let index = 0; index < INVOICES; index++) {
		const daysOverdue = 1 + (index % 120);
		const dueDate = new Date(Date.UTC(2025, 2, 1 - daysOverdue)).toISOString().slice(0, 10);
		emulator.addInvoice({
			customer_id: customers[index % customers.length].id,
			status: index % 2 === 0 ? 'sent' : 'pending',
			date: '2024-10-01',
			due_date: dueDate,
			items: [{ description: `Work ${index + 1}`, quantity: 1, unit_price: 100 + (index % 50), tax_rate: 21 }],
		});
	}
	return performance.now() - started;
}

export async function benchTriggerPoll(): Promise<TriggerPollResult> {
	// Loaded here, after the environment above is set, because it loads n8n-core.
	const { PollingWorkflow } = await import('../test/engine/harness.cjs');
	const emulator = new PayRequestEmulator({ seed: { customers: 20 } });
	const seedMs = seedOverdueInvoices(emulator);
	if (seedMs > 5_000) throw new Error(`Seeding ${INVOICES} invoices took ${Math.round(seedMs)} ms; the bench would measure the emulator`);
	const baseUrl = await emulator.listen();
	try {
		const workflow = new PollingWorkflow({ event: 'invoiceOverdue', options: {}, simple: false }, { accessToken: TOKEN, baseUrl }); // Simplify off, as README: Performance measured it
		const timedPoll = async () => {
			const started = performance.now();
			const outcome = await workflow.poll();
			const wallMs = performance.now() - started;
			if (outcome.error) throw new Error(`Poll failed: ${outcome.error.message}`);
			// Neither the silent first poll nor a steady poll over an unchanged list emits anything.
			if (outcome.items.length !== 0) throw new Error(`Poll emitted ${outcome.items.length} items, expected none`);
			return wallMs;
		};

		const firstPollMs = await timedPoll();
		const steadyMs: number[] = [];
		for (let poll = 0; poll < STEADY_POLLS; poll++) steadyMs.push(await timedPoll());

		const stored = (workflow.storedState()[STATE_OWNER] as { overdueInvoices?: unknown } | undefined)?.overdueInvoices;
		const recorded = Object.keys(readOverdueState(stored).seen).length;
		if (recorded !== INVOICES) throw new Error(`The state holds ${recorded} invoices, expected ${INVOICES}`);
		const requests = emulator.requests.filter((request) => request.path === OVERDUE_PATH).length;
		if (requests !== emulator.requests.length) throw new Error('A poll sent a request other than GET /v1/invoices/overdue');

		return {
			invoices: INVOICES,
			firstPollMs: round(firstPollMs),
			steadyPollMs: round(median(steadyMs)),
			stateBytes: Buffer.byteLength(JSON.stringify(stored)),
			requests,
		};
	} finally {
		await emulator.close();
	}
}

if (require.main === module) {
	benchTriggerPoll()
		.then((result) => {
			console.log(`PayRequest Trigger: ${result.invoices} overdue invoices, 1 first poll + ${STEADY_POLLS} steady polls`);
			console.table({
				'first poll (ms)': result.firstPollMs,
				'steady poll, median (ms)': result.steadyPollMs,
				'stored state (bytes)': result.stateBytes,
				'state bytes per invoice': Math.round(result.stateBytes / result.invoices),
				requests: result.requests,
			});
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
