// Faults injected by the emulator, through n8n-core's real engine: nothing is lost, nothing is
// sent twice, and what cannot be known is said so.
import { addDaysToIsoDate } from '../../emulator/calendar.cjs';
import type { Fault, RecordedRequest } from '../../emulator/PayRequestEmulator.cjs';
import { addInvoices } from '../../engine/emulatorFixture.cjs';
import { PollingWorkflow } from '../../engine/harness.cjs';
import { invoiceLocator, isFaultStatus, READ_FAULTS, saveFigures, useSecretEmulator } from './support.cjs';

// 429s wait a real second (Retry-After: 1) and failed reads back off 300/600/1200 ms.
jest.setTimeout(60_000);

const fixture = useSecretEmulator();

const LIST_PATH = '/api/v1/invoices';
const OVERDUE_PATH = '/api/v1/invoices/overdue';
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

/** Figures of this file beyond the fixture's, for the report. */
const outcomes = { returnAllRuns: 0, returnAllRequests: 0, returnAllFaults: 0, returnAllComplete: 0, returnAllFailedCleanly: 0, duplicatesFound: 0, triggerPolls: 0, triggerFailedPolls: 0, triggerEvents: 0 };

afterAll(() => saveFigures('faults', { ...fixture.figures, leaks: undefined, ...outcomes }));

const faultCount = (requests: RecordedRequest[]) => requests.filter((request) => isFaultStatus(request.status)).length;

/** Matches the requests to `path` after the first `skip` of them: "page 3 fails" with one page at a time. */
function afterFirst(skip: number, path = LIST_PATH) {
	let seen = 0;
	return (request: { method: string; path: string }) => request.path === path && ++seen > skip;
}

function duplicates(values: unknown[]): unknown[] {
	const seen = new Set<string>();
	return values.filter((value) => {
		const key = JSON.stringify(value);
		if (seen.has(key)) return true;
		seen.add(key);
		return false;
	});
}

describe('Return All under faults', () => {
	test('30% of requests fail (429 with Retry-After, 500, 502 HTML, dropped connections): each run gives exactly the invoices, each once, in order, or one clear error and nothing', async () => {
		const expectedIds = addInvoices(fixture.emulator, 450).map((invoice) => invoice.id);
		for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
			const before = fixture.emulator.requests.length;
			fixture.emulator.injectFaultRate(0.3, READ_FAULTS, seed);
			const { items, error } = await fixture.run({
				// Odd seeds page 4 at a time, even ones one page after another.
				parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, options: { maxConcurrency: seed % 2 ? 4 : 1 } },
			});
			outcomes.returnAllRuns++;
			const ids = items.map((item) => Number(item.json.id));
			outcomes.duplicatesFound += duplicates(ids).length;
			if (error) {
				// Past the retry bound: the error is the whole answer, no partial list beside it.
				outcomes.returnAllFailedCleanly++;
				expect(items).toEqual([]);
				expect(error.name).toBe('NodeApiError');
				expect(error.message).toMatch(/^(PayRequest had a server error|The connection to PayRequest failed|PayRequest's rate limit)/);
			} else {
				outcomes.returnAllComplete++;
				expect(ids).toEqual(expectedIds);
			}
			const requests = fixture.emulator.requests.slice(before);
			expect(requests.every((request) => request.method === 'GET' && request.path === LIST_PATH)).toBe(true);
			// Every page asked for was, in the end, answered (or the run failed).
			const answeredPages = new Set(requests.filter((request) => request.status === 200).map((request) => request.query.page));
			if (!error) expect([...answeredPages].sort()).toEqual(['1', '2', '3', '4', '5']);
		}
		fixture.emulator.clearFaults();
		outcomes.returnAllRequests = fixture.emulator.requests.length;
		outcomes.returnAllFaults = faultCount(fixture.emulator.requests);
		expect(outcomes.duplicatesFound).toBe(0);
		expect(outcomes.returnAllComplete).toBeGreaterThanOrEqual(8);
		// The faults really happened, of every kind asked for.
		const statuses = new Set(fixture.emulator.requests.map((request) => request.status));
		expect([0, 429, 500, 502].every((status) => statuses.has(status))).toBe(true);
		expect(faultCount(fixture.emulator.requests)).toBeGreaterThanOrEqual(10);
	});

	test('a page that fails past the retry bound (4 × 502): one clear error naming the status, no partial list; Continue On Fail gives one error item', async () => {
		addInvoices(fixture.emulator, 450);
		fixture.emulator.injectFaults(4, { status: 502, body: HTML_502 }, afterFirst(2));
		const parameters = { resource: 'invoice', operation: 'getAll', returnAll: true, options: { maxConcurrency: 1 } };
		const { items, error } = await fixture.run({ parameters });
		expect(items).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '502' });
		expect(error?.message).toBe('PayRequest had a server error (HTTP 502)');
		expect(error?.description).toMatch(/repeated and kept failing.*GET \/v1\/invoices/);
		expect(error?.message).not.toMatch(/<html/);
		// Pages 1 and 2, then page 3 four times; pages 4 and 5 are never asked for.
		expect(fixture.emulator.requests.map((request) => [request.query.page, request.status])).toEqual([
			['1', 200],
			['2', 200],
			['3', 502],
			['3', 502],
			['3', 502],
			['3', 502],
		]);

		fixture.emulator.injectFaults(4, { status: 502, body: HTML_502 }, afterFirst(2));
		const continued = await fixture.run({ parameters, continueOnFail: true });
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((item) => item.json)).toEqual([
			{ error: 'PayRequest had a server error (HTTP 502)', description: expect.stringMatching(/kept failing/) },
		]);
	});

	test("429s past Max Wait: the rate-limit error, not a short list", async () => {
		addInvoices(fixture.emulator, 250);
		fixture.emulator.injectFaults(10, { status: 429, headers: { 'Retry-After': '1' } });
		const started = Date.now();
		const { items, error } = await fixture.run({
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, options: { maxWaitSeconds: 1 } },
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/rate limit asks to wait 1 s more, which would pass Max Wait \(1 s\)/);
		expect(fixture.emulator.requests).toHaveLength(2);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	test('a paginator that claims a million pages: paging stops at the first empty page, the count that does not add up is read again, every invoice once', async () => {
		const invoices = addInvoices(fixture.emulator, 450);
		const firstPage = invoices.slice(0, 100).map((invoice) => ({ id: invoice.id, invoice_number: invoice.invoice_number, status: invoice.status }));
		const lyingBody = JSON.stringify({ success: true, data: { current_page: 1, data: firstPage, last_page: 1_000_000, per_page: 100, total: 100_000_000 } });
		fixture.emulator.injectFaults(1, { status: 200, body: lyingBody });
		const { items, error } = await fixture.run({ parameters: { resource: 'invoice', operation: 'getAll', returnAll: true } });
		expect(error).toBeUndefined();
		expect(items.map((item) => Number(item.json.id))).toEqual(invoices.map((invoice) => invoice.id));
		// Pages 1–5 hold the invoices, 6 is empty; at most the 3 others in flight beside it go out.
		// 450 read against a total of 100,000,000: the list is read once more (5 truthful pages).
		expect(fixture.emulator.requests.length).toBeLessThanOrEqual(9 + 5);
		expect(fixture.emulator.requests.filter((request) => request.query.page === '1')).toHaveLength(2);
	});
});

describe('a request that hangs', () => {
	test('Get Statistics gives up after Timeout (1 s) with an error that says so, without repeating', async () => {
		fixture.emulator.injectFaults(1, { delayMs: 30_000 });
		const started = Date.now();
		const { items, error } = await fixture.run({ parameters: { resource: 'invoice', operation: 'getStats', options: { timeout: 1 } } });
		const elapsed = Date.now() - started;
		expect(items).toEqual([]);
		expect(error?.message).toBe('PayRequest did not answer GET /v1/invoices/stats within 1 s');
		expect(error?.description).toMatch(/Raise the Timeout option/);
		expect(elapsed).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeLessThan(3_000);
		expect(fixture.emulator.requests.map((request) => request.status)).toEqual([0]);
	});

	test('Return All with one page hanging: the timeout error and no partial list', async () => {
		addInvoices(fixture.emulator, 450);
		fixture.emulator.injectFaults(1, { delayMs: 30_000 }, afterFirst(2));
		const started = Date.now();
		const { items, error } = await fixture.run({
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, options: { timeout: 1, maxConcurrency: 1 } },
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^PayRequest did not answer GET \/v1\/invoices\?page=3&per_page=100 within 1 s$/);
		expect(Date.now() - started).toBeLessThan(4_000);
	});

	test('Create that hangs: the timeout error says the invoice may have been created, and it is not sent again', async () => {
		const customerId = fixture.emulator.customers()[0].id;
		fixture.emulator.injectFaults(1, { delayMs: 30_000 });
		const { items, error } = await fixture.run({ parameters: { ...createParameters(customerId, 'PO-HANG'), options: { timeout: 1 } } });
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'PayRequest did not answer POST /v1/invoices within 1 s. The invoice (reference "PO-HANG", customer 501, dated 2025-03-01) may have been created; check before retrying',
		);
		expect(fixture.emulator.requests).toHaveLength(1);
	});

	test('an answer slower than usual but inside Timeout is simply used', async () => {
		fixture.emulator.injectFaults(1, { delayMs: 300 });
		const { items, error } = await fixture.run({ parameters: { resource: 'invoice', operation: 'getStats', options: { timeout: 1 } } });
		expect(error).toBeUndefined();
		expect(items[0].json).toHaveProperty('total_invoices');
	});
});

function createParameters(customerId: number, reference: string) {
	return {
		resource: 'invoice',
		operation: 'create',
		customerId: String(customerId),
		date: '2025-03-01',
		dueDate: '2025-03-31',
		items: { item: [{ description: 'Consulting', quantity: 2, unitPrice: 150, taxRate: 21 }] },
		additionalFields: { reference },
	};
}

describe('writes when the answer is lost', () => {
	const invoicesWithReference = (reference: string) => fixture.emulator.listInvoices().filter((invoice) => invoice.reference === reference);

	test.each([
		['the connection drops after PayRequest acted', { drop: 'after' } as Fault, 1, /^The connection to PayRequest failed during POST \/v1\/invoices \(ECONNRESET\)\. /],
		['the connection drops before PayRequest acted', { drop: 'before' } as Fault, 0, /^The connection to PayRequest failed during POST \/v1\/invoices \(ECONNRESET\)\. /],
		['a 500', { status: 500 } as Fault, 0, /^PayRequest had a server error \(HTTP 500\): Server Error\. /],
		['a 502 HTML page from a proxy', { status: 502, body: HTML_502 } as Fault, 0, /^PayRequest had a server error \(HTTP 502\)\. /],
	])('Create, %s: sent once, "may have been created; check before retrying" with the reference', async (_label, fault, created, headline) => {
		const customerId = fixture.emulator.customers()[0].id;
		fixture.emulator.injectFaults(1, fault);
		const { items, error } = await fixture.run({ parameters: createParameters(customerId, 'PO-7731') });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(headline);
		expect(error?.message).toMatch(/The invoice \(reference "PO-7731", customer 501, dated 2025-03-01\) may have been created; check before retrying$/);
		expect(error?.description).toMatch(/check PayRequest before retrying, so it is not done twice/);
		expect(error?.message).not.toMatch(/retry the request immediately/);
		expect(fixture.emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(invoicesWithReference('PO-7731')).toHaveLength(created);
	});

	test('Create under 429s is repeated after Retry-After and ends with exactly one invoice', async () => {
		const customerId = fixture.emulator.customers()[0].id;
		fixture.emulator.injectFaults(2, { status: 429, headers: { 'Retry-After': '1' } });
		const { items, error } = await fixture.run({ parameters: createParameters(customerId, 'PO-429') });
		expect(error).toBeUndefined();
		expect(fixture.emulator.requests.map((request) => [request.method, request.status])).toEqual([
			['POST', 429],
			['POST', 429],
			['POST', 201],
		]);
		const stored = invoicesWithReference('PO-429');
		expect(stored).toHaveLength(1);
		expect(items.map((item) => Number(item.json.id))).toEqual([stored[0].id]);
	});

	test.each([
		['the connection drops after PayRequest acted', { drop: 'after' } as Fault, 1],
		['the connection drops before PayRequest acted', { drop: 'before' } as Fault, 0],
		['a 503', { status: 503 } as Fault, 0],
	])('Send Reminder, %s: sent once, "may have been sent; check before retrying"', async (_label, fault, sent) => {
		const [, unpaid] = addInvoices(fixture.emulator, 2);
		fixture.emulator.injectFaults(1, fault);
		const { items, error } = await fixture.run({
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: invoiceLocator(String(unpaid.id)) },
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(new RegExp(`The reminder for invoice ${unpaid.id} may have been sent; check before retrying$`));
		expect(fixture.emulator.requests).toHaveLength(1);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual(sent ? [unpaid.id] : []);
	});

	test('Send Reminder under 429s is repeated and sends exactly one reminder', async () => {
		const [, unpaid] = addInvoices(fixture.emulator, 2);
		fixture.emulator.injectFaults(2, { status: 429, headers: { 'Retry-After': '1' } });
		const { items, error } = await fixture.run({
			parameters: { resource: 'invoice', operation: 'sendReminder', invoiceId: invoiceLocator(String(unpaid.id)) },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ success: true, message: 'Invoice reminder sent successfully', invoiceId: unpaid.id }]);
		expect(fixture.emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([unpaid.id]);
	});

	test('three Creates, the answer to the second lost: the run stops there (item 1), each invoice exists once; with Continue On Fail the third goes on', async () => {
		const customerId = fixture.emulator.customers()[0].id;
		const input = [{ reference: 'PO-A' }, { reference: 'PO-B' }, { reference: 'PO-C' }];
		const parameters = { ...createParameters(customerId, ''), additionalFields: { reference: '={{ $json.reference }}' } };
		fixture.emulator.injectFaults(1, { drop: 'after' }, afterFirst(1));
		const stopped = await fixture.run({ input, parameters });
		expect(stopped.items).toEqual([]);
		expect(stopped.error?.message).toMatch(/reference "PO-B".*may have been created; check before retrying$/);
		expect(stopped.error?.context).toMatchObject({ itemIndex: 1 });
		expect(fixture.emulator.listInvoices().map((invoice) => invoice.reference)).toEqual(['PO-A', 'PO-B']);

		fixture.emulator.clearRequests();
		const retried = [{ reference: 'PO-D' }, { reference: 'PO-E' }, { reference: 'PO-F' }];
		fixture.emulator.injectFaults(1, { drop: 'after' }, afterFirst(1));
		const continued = await fixture.run({ input: retried, parameters, continueOnFail: true });
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((item) => [item.pairedItem, item.json.reference ?? item.json.error])).toEqual([
			[{ item: 0 }, 'PO-D'],
			[{ item: 1 }, expect.stringMatching(/reference "PO-E".*may have been created; check before retrying$/)],
			[{ item: 2 }, 'PO-F'],
		]);
		expect(fixture.emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(3);
		expect(fixture.emulator.listInvoices().map((invoice) => invoice.reference)).toEqual(['PO-A', 'PO-B', 'PO-D', 'PO-E', 'PO-F']);
	});
});

describe('answers that cannot be read', () => {
	const get1001 = { resource: 'invoice', operation: 'get', invoiceId: invoiceLocator('1001') };
	const cases: Array<[string, Record<string, unknown>, number, string, RegExp]> = [
		['malformed JSON', { operation: 'getStats' }, 200, '{"success":tru', /^PayRequest answered GET \/v1\/invoices\/stats with a body that is not JSON$/],
		['an empty body', { operation: 'getStats' }, 200, '', /^PayRequest answered GET \/v1\/invoices\/stats with an empty body$/],
		['an HTML login page', { operation: 'getStats' }, 200, '<html><body>Please log in</body></html>', /with a body that is not JSON$/],
		['a JSON array', { operation: 'getStats' }, 200, '[1,2]', /^PayRequest answered GET \/v1\/invoices\/stats with JSON that is not an object$/],
		['JSON null', { operation: 'getStats' }, 200, 'null', /with JSON that is not an object$/],
		['no data', { operation: 'getStats' }, 200, '{"success":true}', /^PayRequest's answer to GET \/v1\/invoices\/stats has no totals in data$/],
		['a list without data', { operation: 'getAll', returnAll: true }, 200, '{"success":true}', /^PayRequest's answer to GET \/v1\/invoices has no list of invoices in data\.data$/],
		['a list whose data is a bare array', { operation: 'getAll', returnAll: true }, 200, '{"success":true,"data":[{"id":1}]}', /GET \/v1\/invoices has no list of invoices in data\.data$/],
		['a list whose data.data is not an array', { operation: 'getAll', returnAll: true }, 200, '{"success":true,"data":{"data":"none","last_page":1}}', /GET \/v1\/invoices has no list of invoices/],
		['a list whose data.data is an object', { operation: 'getAll', returnAll: true }, 200, '{"success":true,"data":{"data":{"0":{"id":1}}}}', /GET \/v1\/invoices has no list of invoices/],
		['a truncated list', { operation: 'getAll', returnAll: true }, 200, '{"success":true,"data":{"current_page":1,"data":[{"id":10', /^PayRequest answered GET \/v1\/invoices\?page=1&per_page=100 with a body that is not JSON$/],
		['overdue data as an object', { operation: 'getOverdue' }, 200, '{"success":true,"count":2,"data":{"count":2}}', /^PayRequest's answer to GET \/v1\/invoices\/overdue has no list of invoices in data$/],
		['overdue data of numbers', { operation: 'getOverdue' }, 200, '{"success":true,"data":[1,2]}', /GET \/v1\/invoices\/overdue has no list of invoices in data$/],
		['overdue data null', { operation: 'getOverdue' }, 200, '{"success":true,"data":null}', /GET \/v1\/invoices\/overdue has no list of invoices in data$/],
		['an invoice as an array', get1001, 200, '{"success":true,"data":[]}', /^PayRequest's answer to GET \/v1\/invoices\/1001 has no invoice in data$/],
		['an invoice as a string', get1001, 200, '{"success":true,"data":"INV-000001"}', /GET \/v1\/invoices\/1001 has no invoice in data$/],
		['a created invoice missing', { operation: 'create' }, 201, '{"success":true,"message":"Invoice created successfully"}', /^PayRequest's answer to POST \/v1\/invoices has no created invoice \(an object with an id\) in data\. The invoice \(reference "PO-9", .*\) may have been created; check before retrying$/],
		['a create answered with a list (a redirect that became a GET)', { operation: 'create' }, 200, '{"success":true,"data":{"current_page":1,"data":[{"id":1}],"last_page":1}}', /^PayRequest's answer to POST \/v1\/invoices has no created invoice \(an object with an id\) in data\. The invoice \(reference "PO-9", .*\) may have been created; check before retrying$/],
		['a created invoice without an id', { operation: 'create' }, 201, '{"success":true,"data":{"invoice_number":"INV-9"}}', /has no created invoice \(an object with an id\) in data\. The invoice .* may have been created/],
		['a create answer that is not JSON', { operation: 'create' }, 201, '<html>OK</html>', /^PayRequest answered POST \/v1\/invoices with a body that is not JSON\. The invoice .* may have been created; check before retrying$/],
		['an empty reminder answer', { operation: 'sendReminder', invoiceId: invoiceLocator('1002') }, 200, '', /^PayRequest answered POST \/v1\/invoices\/1002\/reminder with an empty body\. The reminder for invoice 1002 may have been sent; check before retrying$/],
	];

	test.each(cases)('%s: a clear NodeApiError naming the endpoint, asked once, no items; Continue On Fail gives one error item', async (_label, operation, status, body, message) => {
		addInvoices(fixture.emulator, 3);
		const customerId = fixture.emulator.customers()[0].id;
		const parameters = operation.operation === 'create' ? createParameters(customerId, 'PO-9') : { resource: 'invoice', ...operation };
		fixture.emulator.injectFaults(1, { status, body });
		const { items, error } = await fixture.run({ parameters });
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/The answer could not be read/);
		expect(fixture.emulator.requests).toHaveLength(1);

		fixture.emulator.injectFaults(1, { status, body });
		const continued = await fixture.run({ parameters, continueOnFail: true });
		expect(continued.items.map((item) => Object.keys(item.json).sort())).toEqual([['description', 'error']]);
		expect(continued.items[0].json.error).toMatch(message);
	});
});

describe('"success": false in a 2xx answer is PayRequest\'s own refusal', () => {
	test.each([
		['Get Statistics', { resource: 'invoice', operation: 'getStats' }, 'GET /v1/invoices/stats'],
		['Create', 'create', 'POST /v1/invoices'],
	])('%s: an error with PayRequest\'s message, not "may have been created"; asked once', async (_label, operation, endpoint) => {
		const customerId = fixture.emulator.customers()[0].id;
		const parameters = typeof operation === 'string' ? createParameters(customerId, 'PO-9') : operation;
		fixture.emulator.injectFaults(1, { status: 200, body: '{"success":false,"error":"Customer is archived"}' });
		const { items, error } = await fixture.run({ parameters });
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(`PayRequest refused ${endpoint}: Customer is archived`);
		expect(error?.description).toMatch(/nothing was done/);
		expect(`${error?.message} ${error?.description}`).not.toMatch(/may have been/);
		expect(fixture.emulator.requests).toHaveLength(1);
		expect(fixture.emulator.listInvoices().some((invoice) => invoice.reference === 'PO-9')).toBe(false);
	});
});

describe('the trigger under faults over many polls', () => {
	test('60 polls with 30% faults: every overdue key emitted exactly once, none lost, failed polls leave the state alone', async () => {
		const emulator = fixture.emulator;
		const customers = emulator.customers();
		// Two invoices fall due each day for 40 days; the emulator clock moves a day per poll.
		for (let index = 0; index < 80; index++) {
			emulator.addInvoice({
				customer_id: customers[index % customers.length].id,
				status: 'sent',
				date: '2025-02-01',
				due_date: addDaysToIsoDate('2025-03-02', Math.floor(index / 2)),
				items: [{ description: `Job ${index}`, quantity: 1, unit_price: 100 + index }],
			});
		}
		const workflow = new PollingWorkflow({ event: 'invoiceOverdue', options: {} }, fixture.credential);
		// A clean first poll before anything is overdue: from then on every overdue key is new.
		const first = await workflow.poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([]);

		const truth = new Set<string>();
		const emitted: string[] = [];
		const overdueNow = () =>
			emulator
				.listInvoices()
				.filter((invoice) => invoice.due_date < emulator.today() && !['paid', 'cancelled', 'draft'].includes(invoice.status))
				.map((invoice) => `${invoice.id}@${invoice.due_date}`);
		emulator.injectFaultRate(0.3, [...READ_FAULTS, { status: 200, body: '{"success":tru' }, { status: 200, body: '{"success":true,"data":{"count":1}}' }], 7, (request) => request.path === OVERDUE_PATH);

		for (let day = 1; day <= 60; day++) {
			emulator.advanceDays(1);
			if (day === 15) emulator.setDueDate(1003, '2025-04-20'); // overdue since day 2, moved: a new key at day 51
			if (day === 20) emulator.markPaid(1010); // paid after it was overdue: nothing more for it
			if (day === 25) emulator.setDueDate(1071, '2025-03-01'); // due 2025-04-06, moved into the past: overdue at once
			for (const key of overdueNow()) truth.add(key);
			const stateBefore = workflow.storedState();
			const outcome = await workflow.poll();
			fixture.inspect(outcome, 'poll');
			outcomes.triggerPolls++;
			if (outcome.error) {
				outcomes.triggerFailedPolls++;
				expect(outcome.items).toEqual([]);
				expect(workflow.storedState()).toEqual(stateBefore);
			}
			emitted.push(...outcome.items.map((item) => `${item.json.id}@${item.json.dueDate}`));
		}
		emulator.clearFaults();
		const last = await workflow.poll();
		emitted.push(...last.items.map((item) => `${item.json.id}@${item.json.dueDate}`));

		outcomes.triggerEvents = emitted.length;
		outcomes.duplicatesFound += duplicates(emitted).length;
		expect(duplicates(emitted)).toEqual([]);
		expect([...emitted].sort()).toEqual([...truth].sort());
		expect(['1003@2025-03-03', '1003@2025-04-20', '1071@2025-03-01'].every((key) => truth.has(key))).toBe(true);
		expect(truth.has('1071@2025-04-06')).toBe(false);
		expect(outcomes.triggerFailedPolls).toBeGreaterThanOrEqual(3);
		expect(faultCount(emulator.requests)).toBeGreaterThanOrEqual(10);
	});
});
