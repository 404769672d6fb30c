// Soak: 1,000 executions of a mixed workload through the real engine, in one process, faults on.
// No unhandled rejection, no growth of the heap, no write done twice, no token anywhere.
import * as v8 from 'v8';
import * as vm from 'vm';
import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../../emulator/PayRequestEmulator.cjs';
import { addInvoices } from '../../engine/emulatorFixture.cjs';
import { invoiceLocator, saveFigures, useSecretEmulator } from './support.cjs';

// Measured at about 20 s on two cores; a hang would show long before this.
jest.setTimeout(120_000);

const fixture = useSecretEmulator();

const EXECUTIONS = 1_000;
const WARM_UP = 30;
/** Executions at once, as in one n8n process with several active workflows. */
const LANES = 4;
/**
 * A low rate of every fault kind. One in six is a 429 (a real second's wait); the others fail
 * at once or cost one 300 ms backoff, so the soak stays well under a minute.
 */
const FAULT_RATE = 0.03;
const SOAK_FAULTS: Fault[] = [
	{ status: 429, headers: { 'Retry-After': '1' } },
	{ status: 500 },
	{ status: 502, body: '<html><body>Bad Gateway</body></html>' },
	{ drop: 'before' },
	{ drop: 'after' },
	{ status: 200, body: '{"success":true,"data":{"curr' },
];

type Operation = 'getAll' | 'returnAll' | 'get' | 'getStats' | 'getOverdue' | 'create' | 'sendReminder';
const CYCLE: Operation[] = ['getAll', 'get', 'getStats', 'create', 'getOverdue', 'sendReminder', 'returnAll', 'get', 'getStats', 'create', 'getOverdue', 'sendReminder'];

/** What is kept of one execution: never the run itself, so the heap measures the node, not the test. */
interface Outcome {
	operation: Operation;
	ok: boolean;
	errorName?: string;
	reference?: string;
	createdId?: unknown;
	reminderFor?: number;
}

function gcFunction(): () => void {
	const existing = (globalThis as { gc?: () => void }).gc;
	if (existing) return existing;
	// Jest runs without --expose-gc: switch it on, then fetch gc from a fresh context.
	v8.setFlagsFromString('--expose-gc');
	return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
	for (let pass = 0; pass < 3; pass++) gc();
	return process.memoryUsage().heapUsed;
}

test('1,000 executions with faults: no unhandled rejection, heap after/before ≤ 1.2, nothing done twice, no token', async () => {
	const emulator = fixture.emulator;
	addInvoices(emulator, 420); // due 2025-06-30; every third is paid
	const overdueCount = addInvoices(emulator, 30, '2025-02-01').filter((invoice) => invoice.status !== 'paid').length; // overdue against the emulator clock
	const allIds = emulator.listInvoices().map((invoice) => invoice.id);
	const unpaidIds = emulator.listInvoices().filter((invoice) => invoice.status !== 'paid').map((invoice) => invoice.id);
	const customers = emulator.customers().map((customer) => customer.id);
	let reminderCursor = 0;

	const parametersFor = (operation: Operation, index: number, outcome: Outcome): IDataObject => {
		switch (operation) {
			case 'getAll':
				return { resource: 'invoice', operation: 'getAll', returnAll: false, limit: 20 };
			case 'returnAll':
				return { resource: 'invoice', operation: 'getAll', returnAll: true };
			case 'get':
				return { resource: 'invoice', operation: 'get', invoiceId: invoiceLocator(String(allIds[index % allIds.length])) };
			case 'getStats':
			case 'getOverdue':
				return { resource: 'invoice', operation, returnAll: true };
			case 'create':
				outcome.reference = `SOAK-${index}`;
				return {
					resource: 'invoice',
					operation: 'create',
					customerId: String(customers[index % customers.length]),
					date: '2025-03-01',
					dueDate: '2025-03-31',
					items: { item: [{ description: `Soak ${index}`, quantity: 1, unitPrice: 10 + (index % 90), taxRate: 21 }] },
					additionalFields: { reference: outcome.reference },
				};
			case 'sendReminder':
				// Each reminder goes to an invoice of its own, so "sent twice" is visible per invoice.
				outcome.reminderFor = unpaidIds[reminderCursor++];
				return { resource: 'invoice', operation: 'sendReminder', invoiceId: invoiceLocator(String(outcome.reminderFor)) };
		}
	};

	const outcomes: Outcome[] = [];
	const wrongOutputs: string[] = [];
	const runOne = async (index: number) => {
		const operation = CYCLE[index % CYCLE.length];
		const outcome: Outcome = { operation, ok: false };
		const idsBefore = operation === 'returnAll' ? emulator.listInvoices().map((invoice) => invoice.id) : [];
		const { items, error } = await fixture.run({ parameters: parametersFor(operation, index, outcome) });
		outcome.ok = error === undefined;
		outcome.errorName = error?.name;
		const wrong = (what: string) => wrongOutputs.push(`#${index} ${operation}: ${what}`);
		if (error) {
			if (items.length > 0) wrong('items beside an error');
			if (!/^Node(Api|Operation)Error$/.test(error.name ?? '') || !error.message) wrong(`unclear error ${error.name}: ${error.message}`);
		} else {
			const ids = items.map((item) => Number(item.json.id));
			if (operation === 'getAll' && JSON.stringify(ids) !== JSON.stringify(allIds.slice(0, 20))) wrong('not the first 20 invoices');
			if (operation === 'returnAll') {
				// Creates in other lanes append while it pages: what existed before must all be there, once, in order.
				if (new Set(ids).size !== ids.length) wrong('an invoice twice');
				if (JSON.stringify(ids.slice(0, idsBefore.length)) !== JSON.stringify(idsBefore)) wrong('invoices missing or out of order');
			}
			if (operation === 'get' && ids[0] !== allIds[index % allIds.length]) wrong('another invoice');
			if (operation === 'getStats' && typeof items[0]?.json.total_invoices !== 'number') wrong('no totals');
			if (operation === 'getOverdue' && (items.length !== overdueCount || !items.every((item) => Number(item.json.daysOverdue) > 0))) wrong('overdue list');
			if (operation === 'create') {
				outcome.createdId = items[0]?.json.id;
				if (items[0]?.json.reference !== outcome.reference) wrong('created invoice without its reference');
			}
			if (operation === 'sendReminder' && items[0]?.json.invoiceId !== outcome.reminderFor) wrong('reminder output');
		}
		return outcome;
	};

	const runLanes = async (from: number, to: number) => {
		let next = from;
		await Promise.all(
			Array.from({ length: LANES }, async () => {
				while (next < to) outcomes.push(await runOne(next++));
			}),
		);
		// Between batches nothing is in flight: count what the emulator saw, then forget it.
		fixture.drainRequests();
		fixture.drainLogLines();
	};

	// Unhandled rejections are counted on the real process; Jest's own listener steps aside meanwhile.
	const realProcess = vm.runInThisContext('process') as NodeJS.Process;
	const jestListeners = realProcess.listeners('unhandledRejection');
	let unhandledRejections = 0;
	const countRejection = () => {
		unhandledRejections++;
	};
	realProcess.removeAllListeners('unhandledRejection');
	realProcess.on('unhandledRejection', countRejection);
	const gc = gcFunction();
	const started = Date.now();
	let heapBefore = 0;
	let heapAfter = 0;
	let probeCounted = 0;
	try {
		// The counter works: one deliberate unhandled rejection is seen.
		void Promise.reject(new Error('probe'));
		await new Promise((resolve) => setTimeout(resolve, 20));
		probeCounted = unhandledRejections;
		unhandledRejections = 0;

		emulator.injectFaultRate(FAULT_RATE, SOAK_FAULTS, 42);
		await runLanes(0, WARM_UP);
		// The warm-up is not part of the figures.
		outcomes.length = 0;
		Object.assign(fixture.figures, { requests: 0, faultsInjected: 0, byStatus: {} });
		heapBefore = heapAfterGc(gc);
		for (let batch = 0; batch < EXECUTIONS; batch += 100) await runLanes(WARM_UP + batch, WARM_UP + batch + 100);
		emulator.clearFaults();
		// Workers of a failed Return All may still finish their page; let them, then measure.
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		fixture.drainRequests();
		fixture.drainLogLines();
		heapAfter = heapAfterGc(gc);
	} finally {
		realProcess.off('unhandledRejection', countRejection);
		for (const listener of jestListeners) realProcess.on('unhandledRejection', listener as (...args: unknown[]) => void);
	}
	const seconds = (Date.now() - started) / 1000;

	// Writes: every reference and every reminder at most once; each one reported done, exactly once.
	const invoicesByReference = new Map<string, number[]>();
	for (const invoice of emulator.listInvoices()) {
		if (invoice.reference) invoicesByReference.set(invoice.reference, [...(invoicesByReference.get(invoice.reference) ?? []), invoice.id]);
	}
	const remindersByInvoice = new Map<number, number>();
	for (const reminder of emulator.reminders) remindersByInvoice.set(reminder.invoiceId, (remindersByInvoice.get(reminder.invoiceId) ?? 0) + 1);
	let duplicates = 0;
	const lostOrWrong: string[] = [];
	for (const ids of invoicesByReference.values()) duplicates += ids.length - 1;
	for (const count of remindersByInvoice.values()) duplicates += count - 1;
	for (const outcome of outcomes) {
		if (outcome.operation === 'create' && outcome.ok) {
			const stored = invoicesByReference.get(outcome.reference!) ?? [];
			if (stored.length !== 1 || stored[0] !== outcome.createdId) lostOrWrong.push(`${outcome.reference} → ${stored.join(',')}`);
		}
		if (outcome.operation === 'sendReminder' && outcome.ok && remindersByInvoice.get(outcome.reminderFor!) !== 1) {
			lostOrWrong.push(`reminder ${outcome.reminderFor}`);
		}
	}

	const figures = {
		executions: outcomes.length,
		warmUpExecutions: WARM_UP,
		lanes: LANES,
		succeeded: outcomes.filter((outcome) => outcome.ok).length,
		failedWithClearError: outcomes.filter((outcome) => !outcome.ok).length,
		byOperation: Object.fromEntries(CYCLE.map((operation) => [operation, outcomes.filter((outcome) => outcome.operation === operation).length])),
		requests: fixture.figures.requests,
		faultsInjected: fixture.figures.faultsInjected,
		byStatus: fixture.figures.byStatus,
		unhandledRejections,
		heapBeforeMB: +(heapBefore / 2 ** 20).toFixed(1),
		heapAfterMB: +(heapAfter / 2 ** 20).toFixed(1),
		heapRatio: +(heapAfter / heapBefore).toFixed(3),
		duplicates,
		tokensFound: fixture.figures.tokensFound,
		textsSearched: fixture.figures.textsSearched,
		logLinesSearched: fixture.figures.logLinesSearched,
		seconds,
	};
	saveFigures('soak', figures);

	expect(probeCounted).toBe(1);
	expect(outcomes).toHaveLength(EXECUTIONS);
	expect(unhandledRejections).toBe(0);
	expect(wrongOutputs).toEqual([]);
	expect(duplicates).toBe(0);
	expect(lostOrWrong).toEqual([]);
	expect(figures.faultsInjected).toBeGreaterThanOrEqual(20);
	expect(figures.failedWithClearError).toBeGreaterThan(0);
	expect(heapAfter / heapBefore).toBeLessThanOrEqual(1.2);
	// How long it took is saved with the figures, not asserted: tests assert behaviour, never timings.
});
