/**
 * Return All paging and the shared rate budget, through n8n-core's engine against the emulator.
 * Everything asserted is behaviour the emulator saw or the node returned: which requests went out,
 * in what order, how many at once, which were answered 429, and what came back.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import type { RecordedRequest } from '../emulator/PayRequestEmulator.cjs';
import { addInvoices, useEmulator } from '../engine/emulatorFixture.cjs';
import { runNode } from '../engine/harness.cjs';
import { RATE_POLICY } from '../../nodes/PayRequest/transport';
import { RateLimitBudget, RateLimitBudgets } from '../../nodes/shared/http/rateLimitBudget';

jest.setTimeout(30_000);

const fixture = useEmulator();

const apiRequests = () => fixture.emulator.requests.filter((request) => request.path.startsWith('/api/v1/'));
const listRequests = () => apiRequests().filter((request) => request.method === 'GET' && request.path === '/api/v1/invoices');
const statuses = (requests: RecordedRequest[]) => requests.map((request) => request.status);

/**
 * The most requests the emulator held at once, counting each as held from its arrival until its
 * injected latency had passed (it cannot answer sooner): a lower bound of what the node had in flight.
 */
function mostAtOnce(requests: RecordedRequest[], latencyMs: number): number {
	// Date.now() and timers may disagree by a millisecond or two.
	const heldMs = latencyMs - 3;
	return Math.max(0, ...requests.map((request) => requests.filter((other) => other.at <= request.at && request.at < other.at + heldMs).length));
}

/** What the node logs at debug level through n8n's logger (`this.logger`), whatever the log level. */
let debugLines: string[] = [];
beforeEach(() => {
	debugLines = [];
	jest.spyOn(Container.get(Logger), 'debug').mockImplementation((message: string) => {
		debugLines.push(message);
	});
});
afterEach(() => {
	jest.restoreAllMocks();
});
const waitLines = (reason: RegExp) => debugLines.filter((line) => /^PayRequest: waiting \d+ ms/.test(line) && reason.test(line));

const getAll = (parameters: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => ({
	resource: 'invoice',
	operation: 'getAll',
	returnAll: true,
	...parameters,
	options,
});

describe('Return All: one request per 100 invoices, in the API order', () => {
	test.each([
		[1, 4],
		[99, 4],
		[100, 4],
		[101, 4],
		[250, 4],
		[1000, 4],
		[300, 1],
		[301, 1],
		[700, 8],
		[1001, 8],
	])('%i invoices with Max Concurrency %i: ceil(N / 100) requests, each page once, every invoice once', async (count, maxConcurrency) => {
		const created = addInvoices(fixture.emulator, count);
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency }) });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		const pages = Math.ceil(count / 100);
		expect(apiRequests()).toHaveLength(pages);
		expect(listRequests().map((request) => Number(request.query.page)).sort((left, right) => left - right)).toEqual(
			Array.from({ length: pages }, (_, index) => index + 1),
		);
		expect(listRequests().every((request) => request.query.per_page === '100')).toBe(true);
	});

	test('the default Max Concurrency of 4 and Limit make no difference to the count when Limit covers everything', async () => {
		const created = addInvoices(fixture.emulator, 420);
		const { items } = await runNode({ credential: fixture.credential, parameters: getAll({ returnAll: false, limit: 5000 }) });
		expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		expect(apiRequests()).toHaveLength(5);
	});

	test.each([1, 4, 8])('Max Concurrency %i: page 1 alone, then at most that many at once', async (maxConcurrency) => {
		addInvoices(fixture.emulator, 1200);
		fixture.emulator.setLatency(60);
		const { items } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency }) });
		expect(items).toHaveLength(1200);
		const requests = listRequests();
		expect(requests[0].query.page).toBe('1');
		// Page 1 tells last_page: nothing else goes out before it is answered.
		expect(requests.slice(1).every((request) => request.at >= requests[0].at + 57)).toBe(true);
		expect(mostAtOnce(requests, 60)).toBeLessThanOrEqual(maxConcurrency);
		// The pages after the first are really fetched side by side.
		if (maxConcurrency > 1) expect(mostAtOnce(requests, 60)).toBeGreaterThan(1);
	});

	test('pages answered out of order still come back in the API order', async () => {
		const created = addInvoices(fixture.emulator, 800);
		fixture.emulator.setLatency(20);
		// The first page fetched side by side (page 2, or whichever of 2 to 5 the emulator reaches first)
		// is held back until the pages after it are in.
		let requestsSeen = 0;
		fixture.emulator.injectFaults(1, { delayMs: 400 }, () => ++requestsSeen === 2);
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency: 4 }) });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		expect(listRequests()).toHaveLength(8);
	});
});

describe('Limit stops fetching as soon as it is met', () => {
	test.each([
		[100, 1],
		[101, 2],
		[250, 3],
		[999, 10],
	])('Limit %i of 1,500 with Max Concurrency 8: %i request(s), the first invoices', async (limit, requestCount) => {
		const created = addInvoices(fixture.emulator, 1500);
		const { items } = await runNode({
			credential: fixture.credential,
			parameters: getAll({ returnAll: false, limit }, { maxConcurrency: 8 }),
		});
		expect(items.map((item) => Number(item.json.id))).toEqual(created.slice(0, limit).map((invoice) => invoice.id));
		expect(listRequests().map((request) => Number(request.query.page)).sort((left, right) => left - right)).toEqual(
			Array.from({ length: requestCount }, (_, index) => index + 1),
		);
	});

	test('with a filter, paging stops at the page that meets the limit of matching invoices, even with Max Concurrency 8', async () => {
		addInvoices(fixture.emulator, 1000); // every third is paid: 34 in page 1, 33 in page 2, 33 in page 3
		fixture.emulator.setLatency(20);
		const { items } = await runNode({
			credential: fixture.credential,
			parameters: getAll({ returnAll: false, limit: 90, filters: { status: ['paid'] } }, { maxConcurrency: 8 }),
		});
		expect(items).toHaveLength(90);
		expect(items.every((item) => item.json.status === 'paid')).toBe(true);
		expect(listRequests().map((request) => request.query.page)).toEqual(['1', '2', '3']);
	});

	test('with a filter and Return All, every page is fetched and only matches come back, in order', async () => {
		const created = addInvoices(fixture.emulator, 650);
		const { items } = await runNode({
			credential: fixture.credential,
			parameters: getAll({ filters: { status: ['paid'] } }, { maxConcurrency: 8 }),
		});
		expect(items.map((item) => Number(item.json.id))).toEqual(created.filter((invoice) => invoice.status === 'paid').map((invoice) => invoice.id));
		expect(listRequests()).toHaveLength(7);
	});
});

/** The 429s the emulator sent in each of its rate windows, by window number. */
function tooManyPerWindow(requests: RecordedRequest[]): Map<number, number> {
	const counts = new Map<number, number>();
	for (const request of requests) {
		if (request.rateWindow !== undefined && request.status === 429) counts.set(request.rateWindow, (counts.get(request.rateWindow) ?? 0) + 1);
	}
	return counts;
}

describe('the rate budget, in each header mode the emulator has', () => {
	// 1,000 invoices at 3 requests a window of 1 s: 10 pages over 4 windows, so at least 3 waits.
	const windowMs = 1000;
	// Long enough that requests sent side by side overlap at the emulator even on a loaded 2-core machine.
	const latencyMs = 150;
	let savedPolicy: typeof RATE_POLICY;
	beforeEach(() => {
		// Without headers the node paces to the documented rate: here, the emulator's shortened one.
		savedPolicy = { ...RATE_POLICY };
		Object.assign(RATE_POLICY, { requests: 3, perMs: windowMs });
	});
	afterEach(() => {
		Object.assign(RATE_POLICY, savedPolicy);
	});

	test.each([
		['laravel', 1],
		['laravel', 4],
		['laravel', 8],
		['reset-always', 4],
		['none', 4],
	] as const)(
		'headers %s, Max Concurrency %i: Return All over several windows, no 429 surfaced, every invoice once, at most one 429 a window, concurrency back after each wait',
		async (headers, maxConcurrency) => {
			fixture.emulator.setRateLimit({ perMinute: 3, burst: 0, windowMs, headers });
			fixture.emulator.setLatency(latencyMs);
			const created = addInvoices(fixture.emulator, 1000);
			const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency }) });
			expect(error).toBeUndefined();
			expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
			const requests = listRequests();
			const served = requests.filter((request) => request.status === 200);
			expect(served.map((request) => Number(request.query.page)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
			expect(requests.every((request) => request.status === 200 || request.status === 429)).toBe(true);
			const windows = [...new Set(requests.map((request) => request.rateWindow as number))];
			expect(windows.length).toBeGreaterThanOrEqual(4);
			for (const count of tooManyPerWindow(requests).values()) expect(count).toBeLessThanOrEqual(1);
			if (headers === 'reset-always') expect(tooManyPerWindow(requests).size).toBe(0);
			// Nothing stays one at a time after a wait: every full window after the first had requests side by side.
			if (maxConcurrency > 1) {
				for (const window of windows.slice(1, -1)) {
					expect(mostAtOnce(served.filter((request) => request.rateWindow === window), latencyMs)).toBeGreaterThan(1);
				}
			}
			expect(waitLines(/before GET \/v1\/invoices\?page=\d+&per_page=100|429 from PayRequest/).length).toBeGreaterThanOrEqual(3);
		},
	);

	test('Laravel headers: after the 429 of one window, the next window starts with one request and then goes concurrently', async () => {
		fixture.emulator.setRateLimit({ perMinute: 3, burst: 0, windowMs });
		fixture.emulator.setLatency(latencyMs);
		addInvoices(fixture.emulator, 700);
		const { items } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency: 4 }) });
		expect(items).toHaveLength(700);
		const requests = listRequests();
		// Per window: one alone, two side by side, then (while pages remain) the probe that gets the 429.
		const window2 = requests.filter((request) => request.rateWindow === 2);
		expect(window2.map((request) => request.status)).toEqual([200, 200, 200, 429]);
		expect(window2[1].at - window2[0].at).toBeGreaterThanOrEqual(latencyMs - 3);
		expect(Math.abs(window2[2].at - window2[1].at)).toBeLessThan(latencyMs - 3);
	});

	test('two runs at once on one account share the budget: every invoice for both, at most one 429 a window', async () => {
		fixture.emulator.setRateLimit({ perMinute: 5, burst: 0, windowMs });
		const created = addInvoices(fixture.emulator, 400);
		const runs = await Promise.all([
			runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency: 4 }) }),
			runNode({ credential: fixture.credential, parameters: getAll({}, { maxConcurrency: 4 }) }),
		]);
		for (const { items, error } of runs) {
			expect(error).toBeUndefined();
			expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		}
		expect(apiRequests().filter((request) => request.status === 200)).toHaveLength(8);
		for (const count of tooManyPerWindow(apiRequests()).values()) expect(count).toBeLessThanOrEqual(1);
	});

	test('a 429 is honoured: the request waits Retry-After, is repeated once, and the run succeeds', async () => {
		const created = addInvoices(fixture.emulator, 250);
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '1' } });
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll() });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(created.map((invoice) => invoice.id));
		const requests = listRequests();
		expect(requests.map((request) => [request.query.page, request.status])).toEqual([
			['1', 429],
			['1', 200],
			['2', 200],
			['3', 200],
		]);
		expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(990);
		expect(waitLines(/429 from PayRequest, repeating GET \/v1\/invoices\?page=1&per_page=100/)).toHaveLength(1);
	});

	test('a wait longer than Max Wait stops the node at once with an error that says how long the limit asks', async () => {
		addInvoices(fixture.emulator, 250);
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '30' } });
		const started = Date.now();
		const { items, error } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxWaitSeconds: 2 }) });
		expect(items).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(/rate limit asks to wait 30 s/);
		expect(error?.message).toMatch(/Max Wait \(2 s\)/);
		expect(error?.description).toMatch(/Raise the Max Wait option/);
		// It gives up instead of waiting: one request, no repeat, and well before the 30 s.
		expect(statuses(apiRequests())).toEqual([429]);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	test('stopping the execution ends a long rate-limit wait: no further request, a clear error, no hang', async () => {
		addInvoices(fixture.emulator, 250);
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '60' } });
		const { items, error, run } = await runNode({
			credential: fixture.credential,
			parameters: getAll(),
			onStarted: (cancel) => {
				// Stop once the node is in its wait (it has logged it), not merely once the 429 was sent.
				const stopWhileWaiting = () => (waitLines(/429 from PayRequest/).length > 0 ? cancel() : setTimeout(stopWhileWaiting, 20));
				stopWhileWaiting();
			},
		});
		expect(run.data.resultData.runData.PayRequest).toHaveLength(1);
		expect(items).toEqual([]);
		expect(error?.message).toBe('The execution was stopped while waiting for PayRequest');
		// The 429 was the only request: the 60 s wait ended with the execution instead of repeating it.
		expect(statuses(apiRequests())).toEqual([429]);
		expect(waitLines(/429 from PayRequest/)).toHaveLength(1);
	}, 15_000);

	test('Max Wait 0: the requests the budget allows go out, then the first wait it needs stops the run', async () => {
		fixture.emulator.setRateLimit({ perMinute: 5, burst: 0, windowMs: 1000 });
		addInvoices(fixture.emulator, 650);
		const { error } = await runNode({ credential: fixture.credential, parameters: getAll({}, { maxWaitSeconds: 0, maxConcurrency: 1 }) });
		expect(error?.message).toMatch(/^PayRequest's rate limit is reached; try again in \d+ s$/);
		expect(error?.description).toMatch(/Max Wait/);
		// Five pages, then the probe that finds the window spent; its 429 is not waited out.
		expect(listRequests().map((request) => [request.query.page, request.status])).toEqual([
			...[1, 2, 3, 4, 5].map((page) => [String(page), 200]),
			['6', 429],
		]);
	});
});

describe('one request per item, in item order, through the same budget', () => {
	const customerId = () => String(fixture.emulator.customers()[0].id);
	const createParameters = {
		resource: 'invoice',
		operation: 'create',
		customerId: '={{ $json.customer }}',
		date: '2025-03-01',
		dueDate: '2025-03-15',
		items: { item: [{ description: 'Work', quantity: 1, unitPrice: 10, taxRate: 0 }] },
		additionalFields: { reference: '={{ $json.reference }}' },
	};
	const createInput = (count: number) => Array.from({ length: count }, (_, index) => ({ customer: customerId(), reference: `R-${index + 1}` }));
	const postedReferences = () =>
		apiRequests()
			.filter((request) => request.method === 'POST')
			.map((request) => (request.body as { reference: string }).reference);

	test('Create over 5 items with 3 requests a window: each created once, in item order; the one 429 of the window never surfaces', async () => {
		fixture.emulator.setRateLimit({ perMinute: 3, burst: 0, windowMs: 1000 });
		const { items, error } = await runNode({ credential: fixture.credential, input: createInput(5), parameters: createParameters });
		expect(error).toBeUndefined();
		const references = ['R-1', 'R-2', 'R-3', 'R-4', 'R-5'];
		// Laravel's throttle answers before the controller runs: the probe's 429 created nothing, so it is sent again.
		expect(statuses(apiRequests())).toEqual([201, 201, 201, 429, 201, 201]);
		expect(postedReferences()).toEqual(['R-1', 'R-2', 'R-3', 'R-4', 'R-4', 'R-5']);
		expect(fixture.emulator.listInvoices().map((invoice) => invoice.reference)).toEqual(references);
		expect(items.map((item) => [item.json.reference, item.pairedItem])).toEqual(references.map((reference, index) => [reference, { item: index }]));
		expect(waitLines(/429 from PayRequest, repeating POST \/v1\/invoices/)).toHaveLength(1);
	});

	test('Create is repeated after a 429 and only then: a 500 is not repeated', async () => {
		// The emulator logs a request before it picks a fault: the count includes this one.
		const postCount = () => apiRequests().filter((request) => request.method === 'POST').length;
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '1' } }, () => postCount() === 3);
		fixture.emulator.injectFaults(1, { status: 500 }, () => postCount() === 5);
		const { items, error } = await runNode({
			credential: fixture.credential,
			continueOnFail: true,
			input: createInput(5),
			parameters: createParameters,
		});
		expect(error).toBeUndefined();
		expect(postedReferences()).toEqual(['R-1', 'R-2', 'R-3', 'R-3', 'R-4', 'R-5']);
		expect(statuses(apiRequests())).toEqual([201, 201, 429, 201, 500, 201]);
		expect(fixture.emulator.listInvoices().map((invoice) => invoice.reference)).toEqual(['R-1', 'R-2', 'R-3', 'R-5']);
		expect(items.map((item) => item.json.reference ?? 'error')).toEqual(['R-1', 'R-2', 'R-3', 'error', 'R-5']);
	});

	test('Send Reminder over 5 items with 3 requests a window: one reminder each, in item order, the 429 never surfaces', async () => {
		const unpaid = addInvoices(fixture.emulator, 9).filter((invoice) => invoice.status !== 'paid').slice(0, 5);
		fixture.emulator.setRateLimit({ perMinute: 3, burst: 0, windowMs: 1000 });
		const { items, error } = await runNode({
			credential: fixture.credential,
			input: unpaid.map((invoice) => ({ id: invoice.id })),
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
		});
		expect(error).toBeUndefined();
		const sent = unpaid.map((invoice) => `POST /api/v1/invoices/${invoice.id}/reminder`);
		expect(apiRequests().map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			...sent.slice(0, 3).map((line) => `${line} 200`),
			`${sent[3]} 429`,
			...sent.slice(3).map((line) => `${line} 200`),
		]);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual(unpaid.map((invoice) => invoice.id));
		expect(items.map((item) => item.json.invoiceId)).toEqual(unpaid.map((invoice) => invoice.id));
	});

	test('Get Overdue over 5 items with 3 requests a window: one answer each, the 429 never surfaces', async () => {
		addInvoices(fixture.emulator, 3, '2025-02-01'); // overdue against the emulator clock
		fixture.emulator.setRateLimit({ perMinute: 3, burst: 0, windowMs: 1000 });
		const { items, error } = await runNode({
			credential: fixture.credential,
			input: [{}, {}, {}, {}, {}],
			parameters: { resource: 'invoice', operation: 'getOverdue' },
		});
		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			...Array(3).fill('GET /api/v1/invoices/overdue 200'),
			'GET /api/v1/invoices/overdue 429',
			...Array(2).fill('GET /api/v1/invoices/overdue 200'),
		]);
		// Two of the three are overdue and unpaid (every third invoice is paid).
		expect(items.map((item) => item.pairedItem)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4].map((item) => ({ item })));
	});
});

describe('the budgets map is bounded', () => {
	test('budgets idle longer than the limit are dropped when a new account comes; the map never passes its cap', () => {
		const map = new RateLimitBudgets(60_000, 3);
		map.get('a', undefined, 0);
		map.get('b', undefined, 1_000);
		expect(map.size).toBe(2);
		// Ten minutes later a third account: both idle budgets go.
		map.get('c', undefined, 61_500);
		expect(map.size).toBe(1);
		for (const key of ['d', 'e', 'f', 'g']) map.get(key, undefined, 62_000);
		expect(map.size).toBeLessThanOrEqual(3);
	});

	test('a budget with a request in flight is kept, whatever its age', () => {
		const map = new RateLimitBudgets(60_000, 2);
		const busy = map.get('busy', undefined, 0);
		busy.requestStarted(0);
		map.get('other', undefined, 120_000);
		map.get('third', undefined, 120_000);
		expect(map.get('busy', undefined, 120_000)).toBe(busy);
	});
});

describe('pacing without rate headers, simulated against fixed windows', () => {
	/**
	 * A server with fixed windows (opened by the first request each counts, `perMs` long, `limit`
	 * requests) that counts each request at the same fraction of its round trip: 0 on arrival, 1 just
	 * before answering, and refuses (429, no headers) what it counts beyond the limit. The budget
	 * decides, in virtual time, when each request starts; a refused one is waited out as the client
	 * does (a window, no Retry-After) and repeated.
	 */
	function simulate(fraction: number, concurrency: number, seed: number, roundTrip: (random: number) => number) {
		const policy = { requests: 5, perMs: 1000 };
		const budget = new RateLimitBudget(policy);
		let random = seed;
		const nextRandom = () => ((random = (random * 1103515245 + 12345) % 2147483648) / 2147483648);
		type Flight = { ticket: ReturnType<RateLimitBudget['requestStarted']>; countAt: number; answerAt: number; counted?: boolean; refused?: boolean };
		const flights: Flight[] = [];
		const accepted: number[] = [];
		const refusedWindows = new Set<number>();
		let windowEnd = Number.NEGATIVE_INFINITY;
		let windowNumber = -1;
		let inWindow = 0;
		let now = 0;
		let done = 0;
		const total = 60;
		const count = (flight: Flight) => {
			flight.counted = true;
			if (flight.countAt >= windowEnd) {
				windowEnd = flight.countAt + policy.perMs;
				windowNumber++;
				inWindow = 0;
			}
			if (inWindow >= policy.requests) {
				flight.refused = true;
				refusedWindows.add(windowNumber);
			} else {
				inWindow++;
				accepted.push(flight.countAt);
			}
		};
		while (done < total) {
			const toCount = flights.filter((flight) => !flight.counted).sort((a, b) => a.countAt - b.countAt)[0];
			const toAnswer = flights.slice().sort((a, b) => a.answerAt - b.answerAt)[0];
			// Counting comes before the answer of the same request, and in time order across requests.
			if (toCount && toCount.countAt <= now) {
				count(toCount);
				continue;
			}
			if (toAnswer && toAnswer.answerAt <= now) {
				flights.splice(flights.indexOf(toAnswer), 1);
				budget.requestFinished(toAnswer.ticket, {}, toAnswer.answerAt);
				if (toAnswer.refused) budget.exhaustedUntil(toAnswer.answerAt + policy.perMs);
				else done++;
				continue;
			}
			const waiting = total - done - flights.length;
			if (waiting > 0 && flights.length < concurrency && budget.delayBeforeNextRequest(now) === 0 && budget.answerAwaited() === undefined) {
				const trip = roundTrip(nextRandom());
				flights.push({ ticket: budget.requestStarted(now), countAt: now + fraction * trip, answerAt: now + trip });
				continue;
			}
			const wait = waiting > 0 ? budget.delayBeforeNextRequest(now) : 0;
			now = Math.min(toCount?.countAt ?? Infinity, toAnswer?.answerAt ?? Infinity, wait > 0 ? now + wait : Infinity);
		}
		return { accepted: accepted.length, refusedWindows: refusedWindows.size, lastAcceptedAt: Math.max(...accepted) };
	}

	test.each([0, 0.5, 1])('steady round trips, counted at %d of the trip: never a 429, a window per 5 requests', (fraction) => {
		for (const concurrency of [1, 4]) {
			const { accepted, refusedWindows, lastAcceptedAt } = simulate(fraction, concurrency, 1, () => 100);
			expect(accepted).toBe(60);
			expect(refusedWindows).toBe(0);
			// 60 requests at 5 a window: 11 windows after the first, within a few percent.
			expect(lastAcceptedAt).toBeLessThan(11 * 1000 * 1.05 + 100);
		}
	});

	// Round trips that are mostly slow with a rare fast one: the credit is wrong now and then.
	const erratic = (random: number) => (random < 0.1 ? 20 + random * 200 : 150 + random * 50);

	test.each([0, 0.5, 1])('erratic round trips, counted at %d of the trip: every request accepted, 429s in one window at most', (fraction) => {
		let runsRefused = 0;
		for (const concurrency of [1, 4]) {
			for (let seed = 1; seed <= 25; seed++) {
				const { accepted, refusedWindows, lastAcceptedAt } = simulate(fraction, concurrency, seed, erratic);
				expect(accepted).toBe(60);
				expect(refusedWindows).toBeLessThanOrEqual(1);
				if (refusedWindows > 0) runsRefused++;
				// And it does not crawl: 60 requests at 5 a second take about 11 windows, not twice that.
				expect(lastAcceptedAt).toBeLessThan(15_000);
			}
		}
		if (fraction > 0) expect(runsRefused).toBeGreaterThan(0);
	});

	test('once a 429 has come, the budget paces from answers alone: no window refused after it', () => {
		const budget = new RateLimitBudget({ requests: 2, perMs: 1000 });
		const first = budget.requestStarted(0);
		budget.requestFinished(first, {}, 100);
		const second = budget.requestStarted(100);
		budget.requestFinished(second, {}, 200);
		// Credit: a window after the first answer less its 100 ms trip.
		expect(budget.delayBeforeNextRequest(200)).toBe(1000 + 10 - 200);
		budget.exhaustedUntil(1500);
		for (const at of [1500, 1500]) budget.requestFinished(budget.requestStarted(at), {}, at + 100);
		// No credit any more: a whole window after the first of the two was answered.
		expect(budget.delayBeforeNextRequest(1600)).toBe(1600 + 1000 + 10 - 1600);
	});
});
