// Bad input, table-driven, through the real engine: each is refused with a NodeOperationError that
// names the field and the item, before a single request reaches PayRequest.
import type { IDataObject } from 'n8n-workflow';

import { addInvoices } from '../../engine/emulatorFixture.cjs';
import { invoiceLocator, saveFigures, SECRET_TOKEN, useSecretEmulator } from './support.cjs';

const fixture = useSecretEmulator();

interface BadInput {
	/** What is wrong, as the test title shows it. */
	label: string;
	parameters: IDataObject;
	input?: IDataObject[];
	/** Applied to the test credential (base URL, token). */
	credential?: (credential: { accessToken: string; baseUrl: string }) => { accessToken: string; baseUrl: string };
	/** The field named in the message. */
	message: RegExp;
	/** The item named in the message; 0 unless said. */
	item?: number;
}

const createBase = {
	resource: 'invoice',
	operation: 'create',
	customerId: '501',
	date: '2025-03-01',
	dueDate: '2025-03-31',
	items: { item: [{ description: 'Consulting', quantity: 2, unitPrice: 150, taxRate: 21 }] },
};
const create = (changes: IDataObject): IDataObject => ({ ...createBase, ...changes });
const lineItem = (changes: IDataObject): IDataObject => create({ items: { item: [{ description: 'Consulting', quantity: 2, unitPrice: 150, taxRate: 21, ...changes }] } });
const itemsJson = (json: string): IDataObject => create({ itemsInputMode: 'json', itemsJson: json });
const get = (value: unknown, mode = 'id'): IDataObject => ({ resource: 'invoice', operation: 'get', invoiceId: { __rl: true, mode, value } });
const remind = (value: unknown): IDataObject => ({ resource: 'invoice', operation: 'sendReminder', invoiceId: invoiceLocator(value) });
/**
 * A typed id n8n's own field validation already stops (WorkflowHasIssuesError, see below); the node's
 * check is what stands when the id arrives from an expression, so the matrix sends it that way.
 */
const idFromInput = (id: unknown, operation = 'get', mode = 'id'): Pick<BadInput, 'parameters' | 'input'> => ({
	input: [{ id } as IDataObject],
	parameters: { resource: 'invoice', operation, invoiceId: { __rl: true, mode, value: '={{ $json.id }}' } },
});
const getAll = (changes: IDataObject): IDataObject => ({ resource: 'invoice', operation: 'getAll', returnAll: false, limit: 10, ...changes });
const stats = { resource: 'invoice', operation: 'getStats' };

const badInputs: BadInput[] = [
	// Create: customer, dates
	{ label: 'customer id that is a word', parameters: create({ customerId: 'acme' }), message: /^Customer: is not a customer ID: "acme"/ },
	{ label: 'customer id 0', parameters: create({ customerId: '0' }), message: /^Customer: is not a customer ID: "0"/ },
	{ label: 'customer id with a path in it', parameters: create({ customerId: '501/../502' }), message: /^Customer: is not a customer ID: "501\/\.\.\/502"/ },
	{ label: 'customer id past 2^53', parameters: create({ customerId: '90071992547409931' }), message: /^Customer: is not a customer ID/ },
	{ label: 'customer id from an expression as an object', parameters: create({ customerId: '={{ { id: 501 } }}' }), message: /^Customer: is not a customer ID: an object/ },
	{ label: 'invoice date that does not exist', parameters: create({ date: '2025-02-30' }), message: /^Invoice Date: is not a date: "2025-02-30"/ },
	{ label: 'invoice date in words', parameters: create({ date: 'tomorrow' }), message: /^Invoice Date: is not a date: "tomorrow"/ },
	{ label: 'invoice date day-first', parameters: create({ date: '31/01/2025' }), message: /^Invoice Date: is not a date: "31\/01\/2025"/ },
	{ label: 'invoice date from an expression as a number', parameters: create({ date: '={{ 20250301 }}' }), message: /^Invoice Date: is not a date: 20250301/ },
	{ label: 'due date before the invoice date', parameters: create({ dueDate: '2025-02-01' }), message: /^Due Date: \(2025-02-01\) is before the Invoice Date \(2025-03-01\)/ },
	{ label: 'due date with an impossible month', parameters: create({ dueDate: '2025-13-01' }), message: /^Due Date: is not a date: "2025-13-01"/ },
	// Create: line items in fields
	{ label: 'quantity 0', parameters: lineItem({ quantity: 0 }), message: /^Line Item 1 Quantity: must be at least 0\.01, not 0/ },
	{ label: 'negative quantity', parameters: lineItem({ quantity: -2 }), message: /^Line Item 1 Quantity: must be at least 0\.01, not -2/ },
	{ label: 'quantity below a cent', parameters: lineItem({ quantity: 0.001 }), message: /^Line Item 1 Quantity: must be at least 0\.01/ },
	{ label: 'quantity from an expression as a word', parameters: lineItem({ quantity: '={{ "ten" }}' }), message: /^Line Item 1 Quantity: is not a number: "ten"/ },
	{ label: 'unit price from an expression as a word', parameters: lineItem({ unitPrice: '={{ "cheap" }}' }), message: /^Line Item 1 Unit Price: is not a number: "cheap"/ },
	{ label: 'unit price from an expression as an object', parameters: lineItem({ unitPrice: '={{ { amount: 5 } }}' }), message: /^Line Item 1 Unit Price: is not a number: an object/ },
	{ label: 'negative unit price (no credit lines)', parameters: lineItem({ unitPrice: -50, quantity: 2 }), message: /^Line Item 1 Unit Price: must not be negative, not -50$/ },
	{ label: 'negative unit price as JSON text', parameters: itemsJson('[{"description":"Refund","quantity":1,"unit_price":"-49.50"}]'), message: /^Line Item 1 Unit Price: must not be negative, not -49\.5$/ },
	{ label: 'quantity -3', parameters: lineItem({ quantity: -3 }), message: /^Line Item 1 Quantity: must be at least 0\.01, not -3$/ },
	{ label: 'tax rate 150', parameters: lineItem({ taxRate: 150 }), message: /^Line Item 1 Tax Rate: must be a percentage from 0 to 100, not 150$/ },
	{ label: 'tax rate above 100', parameters: lineItem({ taxRate: 121 }), message: /^Line Item 1 Tax Rate: must be a percentage from 0 to 100, not 121/ },
	{ label: 'negative tax rate', parameters: lineItem({ taxRate: -1 }), message: /^Line Item 1 Tax Rate: must be a percentage from 0 to 100, not -1/ },
	{ label: 'tax rate from an expression as a word', parameters: lineItem({ taxRate: '={{ "VAT" }}' }), message: /^Line Item 1 Tax Rate: is not a number: "VAT"/ },
	{ label: 'empty description', parameters: lineItem({ description: '  ' }), message: /^Line Item 1 Description: is empty/ },
	{ label: 'no line items', parameters: create({ items: {} }), message: /^Line Items: an invoice needs at least one line item/ },
	// Create: line items as JSON
	{ label: 'items JSON that is an object', parameters: itemsJson('{"description":"Consulting","quantity":1,"unitPrice":5}'), message: /^Line Items \(JSON\): must be an array of line items, not an object/ },
	{ label: 'items JSON that is a string', parameters: itemsJson('"Consulting"'), message: /^Line Items \(JSON\): must be an array of line items, not "Consulting"/ },
	{ label: 'items JSON that is a number', parameters: itemsJson('42'), message: /^Line Items \(JSON\): must be an array of line items, not 42/ },
	{ label: 'items JSON that does not parse', parameters: itemsJson('[{"description": "Consulting",'), message: /^Line Items \(JSON\): is not valid JSON/ },
	{ label: 'items JSON that is an empty array', parameters: itemsJson('[]'), message: /^Line Items: an invoice needs at least one line item/ },
	{ label: 'items JSON of numbers', parameters: itemsJson('[1, 2]'), message: /^Line Item 1: must be an object with description, quantity and unitPrice, not 1/ },
	{ label: 'items JSON with other field names', parameters: itemsJson('[{"name":"Consulting","qty":2,"price":150}]'), message: /^Line Item 1 Description: is empty/ },
	{ label: 'items JSON without a unit price', parameters: itemsJson('[{"description":"Consulting","quantity":2}]'), message: /^Line Item 1 Unit Price: is not a number: empty/ },
	{ label: 'items JSON whose second line is bad', parameters: itemsJson('[{"description":"A","quantity":1,"unitPrice":1},{"description":"B","quantity":"2x","unitPrice":1}]'), message: /^Line Item 2 Quantity: is not a number: "2x"/ },
	{ label: 'items from an expression that gives an object', input: [{ lines: { first: 1 } }], parameters: create({ itemsInputMode: 'json', itemsJson: '={{ $json.lines }}' }), message: /^Line Items \(JSON\): must be an array of line items, not an object/ },
	// Invoice ids (Get and Send Reminder)
	{ label: 'id with a slash', ...idFromInput('1001/1002'), message: /^The Invoice field is not an invoice ID: "1001\/1002"/ },
	{ label: 'id that is ..', ...idFromInput('..'), message: /^The Invoice field is not an invoice ID: "\.\."/ },
	{ label: 'id that climbs a level', ...idFromInput('../1001', 'sendReminder'), message: /^The Invoice field is not an invoice ID: "\.\.\/1001"/ },
	{ label: 'id with a query', ...idFromInput('1001?include=all'), message: /^The Invoice field is not an invoice ID: "1001\?include=all"/ },
	{ label: 'id with a fragment', ...idFromInput('1001#x', 'sendReminder'), message: /^The Invoice field is not an invoice ID: "1001#x"/ },
	{ label: 'id with a space inside', ...idFromInput('10 01'), message: /^The Invoice field is not an invoice ID: "10 01"/ },
	{ label: 'id with 20 digits', ...idFromInput('12345678901234567890'), message: /^The Invoice field is not an invoice ID: "12345678901234567890"/ },
	// eslint-disable-next-line no-loss-of-precision -- the point: the field already holds the rounded number
	{ label: 'id past 2^53 as a number', ...idFromInput(9007199254740993), message: /^The Invoice field is not an invoice ID: "9007199254740992"/ },
	{ label: 'id that is encoded dots', ...idFromInput('%2e%2e', 'sendReminder'), message: /^The Invoice field is not an invoice ID: "%2e%2e"/ },
	{ label: 'id that is negative', ...idFromInput(-5, 'sendReminder'), message: /^The Invoice field is not an invoice ID: "-5"/ },
	{ label: 'id with a decimal', ...idFromInput(1001.5, 'sendReminder'), message: /^The Invoice field is not an invoice ID: "1001\.5"/ },
	{ label: 'id as an object', ...idFromInput({ id: 1001 }, 'sendReminder'), message: /^The Invoice field is not an invoice ID: object/ },
	{ label: 'id as a list', ...idFromInput([1001], 'sendReminder'), message: /^The Invoice field is not an invoice ID: object/ },
	{ label: 'id as true', ...idFromInput(true, 'sendReminder'), message: /^The Invoice field is not an invoice ID: boolean/ },
	{ label: 'id from an expression that finds nothing', ...idFromInput('', 'sendReminder'), message: /^The Invoice field is empty$/ },
	{ label: 'id from a missing field', ...idFromInput(null, 'get'), message: /^The Invoice field is empty$/ },
	{ label: 'URL of another page', ...idFromInput('https://payrequest.app/customers/1001', 'get', 'url'), message: /^The Invoice field is not an invoice ID: "https:\/\/payrequest\.app\/customers\/1001"/ },
	{ label: 'URL with a word for the id', ...idFromInput('https://payrequest.app/invoices/latest', 'sendReminder', 'url'), message: /^The Invoice field is not an invoice ID/ },
	// Get Many and options
	{ label: 'limit 0', parameters: getAll({ limit: 0 }), message: /^The Limit must be a whole number of at least 1, not "0"/ },
	{ label: 'limit with a fraction', parameters: getAll({ limit: 2.5 }), message: /^The Limit must be a whole number of at least 1, not "2\.5"/ },
	{ label: 'limit from an expression as a word', parameters: getAll({ limit: '={{ "all" }}' }), message: /^The Limit must be a whole number of at least 1, not "all"/ },
	{ label: 'date filter in words', parameters: getAll({ filters: { dateFrom: 'last week' } }), message: /^The Invoice Date From filter is not a date: "last week"/ },
	{ label: 'due date filter that does not exist', parameters: getAll({ filters: { dueDateTo: '2025-04-31' } }), message: /^The Due Date To filter is not a date: "2025-04-31"/ },
	{ label: 'date filters the wrong way round', parameters: getAll({ filters: { dateFrom: '2025-03-01', dateTo: '2025-01-01' } }), message: /^The Invoice Date From filter \(2025-03-01\) is after Invoice Date To \(2025-01-01\)/ },
	{ label: 'max concurrency 0', parameters: getAll({ options: { maxConcurrency: 0 } }), message: /^The Max Concurrency option must be a number of at least 1/ },
	{ label: 'timeout 0', parameters: { ...stats, options: { timeout: 0 } }, message: /^The Timeout option must be a number of at least 1/ },
	{ label: 'timeout from an expression as a word', parameters: { ...stats, options: { timeout: '={{ "long" }}' } }, message: /^The Timeout option must be a number of at least 1/ },
	{ label: 'negative max wait', parameters: { ...stats, options: { maxWaitSeconds: -1 } }, message: /^The Max Wait option must be a number of at least 0/ },
	{ label: 'negative min days overdue', parameters: { resource: 'invoice', operation: 'getOverdue', filters: { minDaysOverdue: -1 } }, message: /^The Min Days Overdue filter must be a number of at least 0/ },
	// The credential
	{ label: 'base URL with ftp', parameters: stats, credential: (c) => ({ ...c, baseUrl: 'ftp://payrequest.app/api' }), message: /^The Base URL in the PayRequest API credential is not an http\(s\) address.*"ftp:\/\/payrequest\.app\/api"/ },
	{ label: 'base URL without a scheme', parameters: stats, credential: (c) => ({ ...c, baseUrl: 'payrequest.app/api' }), message: /^The Base URL in the PayRequest API credential is not an http\(s\) address/ },
	{ label: 'base URL that is javascript:', parameters: stats, credential: (c) => ({ ...c, baseUrl: 'javascript:alert(1)' }), message: /^The Base URL in the PayRequest API credential is not an http\(s\) address/ },
	{ label: 'base URL that is a file', parameters: stats, credential: (c) => ({ ...c, baseUrl: 'file:///etc/passwd' }), message: /^The Base URL in the PayRequest API credential is not an http\(s\) address/ },
	{ label: 'base URL with a password in it', parameters: stats, credential: (c) => ({ ...c, baseUrl: c.baseUrl.replace('http://', 'http://admin:hunter2@') }), message: /^The Base URL in the PayRequest API credential is not an http\(s\) address without a user name or password: "http:\/\/…@127\.0\.0\.1:\d+\/api"/ },
	{ label: 'empty token', parameters: stats, credential: (c) => ({ ...c, accessToken: '' }), message: /^The PayRequest API credential has no access token/ },
	{ label: 'token of spaces', parameters: stats, credential: (c) => ({ ...c, accessToken: '   ' }), message: /^The PayRequest API credential has no access token/ },
	{ label: 'token with a line break inside', parameters: stats, credential: (c) => ({ ...c, accessToken: SECRET_TOKEN.replace('-SECRET-', '-\nSECRET-') }), message: /^The access token in the PayRequest API credential has spaces, line breaks or other characters a token cannot have/ },
	{ label: 'token with a space inside', parameters: stats, credential: (c) => ({ ...c, accessToken: SECRET_TOKEN.replace('-SECRET-', ' SECRET-') }), message: /^The access token in the PayRequest API credential has spaces, line breaks/ },
	{ label: 'token copied cut short with an ellipsis', parameters: stats, credential: (c) => ({ ...c, accessToken: `${SECRET_TOKEN.slice(0, 20)}…` }), message: /^The access token in the PayRequest API credential has spaces, line breaks or other characters/ },
];

const figures = { inputsTried: 0, refusedBeforeAnyRequest: 0 };
afterAll(() => saveFigures('badInput', { ...figures, ...fixture.figures, leaks: undefined }));

describe('bad input is refused before any request', () => {
	test('the matrix has at least 40 bad inputs across the operations and the credential', () => {
		expect(badInputs.length).toBeGreaterThanOrEqual(40);
		const operations = new Set(badInputs.map((bad) => `${bad.parameters.operation}${bad.credential ? ' credential' : ''}`));
		expect(operations).toEqual(new Set(['create', 'get', 'sendReminder', 'getAll', 'getStats', 'getOverdue', 'getStats credential']));
	});

	test.each(badInputs.map((bad) => [bad.label, bad] as const))('%s', async (_label, bad) => {
		const { items, error } = await fixture.run({
			parameters: bad.parameters,
			input: bad.input,
			credential: bad.credential ? bad.credential({ ...fixture.credential }) : undefined,
		});
		figures.inputsTried++;
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(bad.message);
		expect(error?.context).toMatchObject({ itemIndex: bad.item ?? 0 });
		expect(error?.message).not.toMatch(/hunter2/);
		expect(fixture.emulator.requests).toEqual([]);
		figures.refusedBeforeAnyRequest++;
	});
});

describe('what is not bad input', () => {
	test('a typed id that is not an id never runs: n8n stops the workflow on the field validation, before any request', async () => {
		await expect(fixture.run({ parameters: get('1001/../1002') })).rejects.toThrow(/An invoice ID is a whole number/);
		await expect(fixture.run({ parameters: get('https://payrequest.app/customers/1', 'url') })).rejects.toThrow(/Paste an invoice URL/);
		expect(fixture.emulator.requests).toEqual([]);
	});

	test('a token pasted with a line break or spaces around it still works', async () => {
		const { items, error } = await fixture.run({ parameters: stats, credential: { ...fixture.credential, accessToken: ` ${SECRET_TOKEN}\n` } });
		expect(error).toBeUndefined();
		expect(items[0].json).toHaveProperty('total_invoices');
		expect(fixture.emulator.requests.map((request) => request.status)).toEqual([200]);
	});

	test('an id mapped with spaces around it, or as a number, is the id', async () => {
		addInvoices(fixture.emulator, 2);
		const padded = await fixture.run({ ...idFromInput(' 1002 ') });
		const numeric = await fixture.run({ ...idFromInput(1002) });
		expect([padded.items[0].json.id, numeric.items[0].json.id]).toEqual(['1002', '1002']);
		expect(fixture.emulator.requests.map((request) => request.path)).toEqual(['/api/v1/invoices/1002', '/api/v1/invoices/1002']);
	});
});

describe('several items, the third one bad', () => {
	const input = [{ id: 1002 }, { id: 1003 }, { id: '1004/reminder' }];
	const parameters = remind('={{ $json.id }}');

	test('items 0 and 1 ran, then the error names item 2 and its request is never sent', async () => {
		addInvoices(fixture.emulator, 6); // 1001 and 1004 are paid, 1002 and 1003 are not
		const { items, error } = await fixture.run({ input, parameters });
		figures.inputsTried++;
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('The Invoice field is not an invoice ID: "1004/reminder"');
		expect(error?.context).toMatchObject({ itemIndex: 2 });
		expect(fixture.emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /api/v1/invoices/1002/reminder',
			'POST /api/v1/invoices/1003/reminder',
		]);
		expect(fixture.emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([1002, 1003]);
	});

	test('with Continue On Fail: items 0 and 1 give their reminders, item 2 its error', async () => {
		addInvoices(fixture.emulator, 6);
		const { items, error } = await fixture.run({ input, parameters, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.invoiceId ?? item.json.error])).toEqual([
			[{ item: 0 }, 1002],
			[{ item: 1 }, 1003],
			[{ item: 2 }, 'The Invoice field is not an invoice ID: "1004/reminder"'],
		]);
		expect(fixture.emulator.requests).toHaveLength(2);
	});

	test('a Timeout from an expression that is bad for item 1 only: with Continue On Fail items 0 and 2 still run', async () => {
		addInvoices(fixture.emulator, 6);
		const { items, error } = await fixture.run({
			input: [{ id: 1002, seconds: 30 }, { id: 1003, seconds: 'soon' }, { id: 1005, seconds: 30 }],
			parameters: { ...remind('={{ $json.id }}'), options: { timeout: '={{ $json.seconds }}' } },
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.invoiceId ?? item.json.error])).toEqual([
			[{ item: 0 }, 1002],
			[{ item: 1 }, expect.stringMatching(/^The Timeout option must be a number of at least 1$/)],
			[{ item: 2 }, 1005],
		]);
		expect(fixture.emulator.requests.map((request) => request.path)).toEqual(['/api/v1/invoices/1002/reminder', '/api/v1/invoices/1005/reminder']);
	});

	test('Create with a bad quantity in item 2: two invoices were created, the error names item 2', async () => {
		const { error } = await fixture.run({
			input: [{ quantity: 1 }, { quantity: '3' }, { quantity: 'three' }],
			parameters: lineItem({ quantity: '={{ $json.quantity }}' }),
		});
		figures.inputsTried++;
		expect(error?.message).toBe('Line Item 1 Quantity: is not a number: "three"');
		expect(fixture.emulator.listInvoices().map((invoice) => invoice.invoice_items[0].quantity)).toEqual([1, 3]);
		expect(fixture.emulator.requests).toHaveLength(2);
	});
});
