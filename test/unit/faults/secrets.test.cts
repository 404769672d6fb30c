// The access token never shows: not in errors, descriptions, items, run data, log lines or URLs,
// not even when PayRequest or a proxy in front of it echoes it back.
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { PayRequestApi } from '../../../credentials/PayRequestApi.credentials';
import type { Fault } from '../../emulator/PayRequestEmulator.cjs';
import { addInvoices } from '../../engine/emulatorFixture.cjs';
import type { NodeRun } from '../../engine/harness.cjs';
import { PollingWorkflow, testCredential } from '../../engine/harness.cjs';
import { allStrings, containsSecret, installRecordingLogger, invoiceLocator, saveFigures, SECRET_TOKEN, useSecretEmulator } from './support.cjs';

jest.setTimeout(20_000);

const fixture = useSecretEmulator();
afterAll(() => saveFigures('secrets', { ...fixture.figures, leaks: undefined }));

/** Laravel's json_encode escapes slashes: the token as it would sit in a PHP answer. */
const LARAVEL_TOKEN = SECRET_TOKEN.replace(/\//g, '\\/');
const stats = { resource: 'invoice', operation: 'getStats' };

/** Asserts the token is nowhere in what a run produced, and that the redaction mark is where it was. */
function expectRedacted(result: NodeRun, where: 'message' | 'description' | 'anywhere' = 'message') {
	expect(allStrings(result.run).filter(containsSecret)).toEqual([]);
	expect(allStrings(result.error).filter(containsSecret)).toEqual([]);
	if (where !== 'anywhere') expect(result.error?.[where]).toContain('***');
}

describe('the credential', () => {
	test('the token is a password field, and goes out only in the Authorization header', () => {
		const credential = new PayRequestApi();
		const token = credential.properties.find((property) => property.name === 'accessToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		});
		expect(JSON.stringify(credential.test.request)).not.toMatch(/accessToken/);
	});

	test('every request carries it as a Bearer header and in no URL', async () => {
		addInvoices(fixture.emulator, 120);
		for (const parameters of [
			{ resource: 'invoice', operation: 'getAll', returnAll: true },
			{ resource: 'invoice', operation: 'get', invoiceId: invoiceLocator('1002') },
			{ resource: 'invoice', operation: 'sendReminder', invoiceId: invoiceLocator('1002') },
			stats,
		]) {
			expect((await fixture.run({ parameters })).error).toBeUndefined();
		}
		expect(await testCredential(fixture.credential)).toMatchObject({ status: 'OK' });
		const requests = fixture.emulator.requests;
		expect(requests).toHaveLength(6);
		expect(requests.every((request) => request.headers.authorization === `Bearer ${SECRET_TOKEN}`)).toBe(true);
		expect(requests.filter((request) => containsSecret(`${request.path}?${JSON.stringify(request.query)}`))).toEqual([]);
	});
});

describe('answers that echo the token', () => {
	const echoes: Array<[string, IDataObject, Fault, 'message' | 'description' | 'anywhere']> = [
		['a 401 that quotes the token', stats, { status: 401, body: JSON.stringify({ success: false, error: `Token ${SECRET_TOKEN} is revoked` }) }, 'message'],
		['a 401 in Laravel JSON, slashes escaped', stats, { status: 401, body: `{"message":"Token ${LARAVEL_TOKEN} is revoked"}` }, 'message'],
		['a 403 naming the token', stats, { status: 403, body: JSON.stringify({ success: false, error: `${SECRET_TOKEN} lacks billing.read` }) }, 'message'],
		['a 422 with the token in a field message', { resource: 'invoice', operation: 'create', customerId: '501', date: '2025-03-01', dueDate: '2025-03-02', items: { item: [{ description: 'x', quantity: 1, unitPrice: 1 }] } }, { status: 422, body: JSON.stringify({ success: false, error: 'invalid', errors: { customer_id: [`not visible to ${SECRET_TOKEN}`] } }) }, 'message'],
		['a proxy HTML page that prints the headers', stats, { status: 404, body: `<html><body><h1>404</h1><pre>Host: payrequest.app\nAuthorization: Bearer ${SECRET_TOKEN}</pre></body></html>` }, 'anywhere'],
		// 27 characters of the token before the cut: redacting only what is left after cutting would show them.
		['a 200 that is not JSON, the token across the 300-character cut', stats, { status: 200, body: `<html>${'y'.repeat(260)}Bearer ${SECRET_TOKEN}</html>` }, 'anywhere'],
		['a 200 of the wrong shape with the token in it', { resource: 'invoice', operation: 'getAll', returnAll: true }, { status: 200, body: JSON.stringify({ success: true, data: { debug: { authorization: `Bearer ${SECRET_TOKEN}` } } }) }, 'anywhere'],
		['a 200 with success false quoting the token', stats, { status: 200, body: JSON.stringify({ success: false, error: `session ${SECRET_TOKEN} expired` }) }, 'anywhere'],
	];

	test.each(echoes)('%s: the error says what failed and shows *** instead', async (_label, parameters, fault, where) => {
		fixture.emulator.injectFaults(1, fault);
		const result = await fixture.run({ parameters });
		expect(result.error?.message).toBeTruthy();
		expectRedacted(result, where);
		// What the node shows of the body (error context) is redacted too, not only the headline.
		expect(JSON.stringify(result.error)).toContain('***');

		fixture.emulator.injectFaults(1, fault);
		const continued = await fixture.run({ parameters, continueOnFail: true });
		expect(continued.items).toHaveLength(1);
		expect(allStrings(continued.items).filter(containsSecret)).toEqual([]);
	});

	test('a 5xx that echoes the token, repeated past the retry bound: redacted', async () => {
		fixture.emulator.injectFaults(4, { status: 500, body: JSON.stringify({ message: `upstream refused ${SECRET_TOKEN}` }) });
		const result = await fixture.run({ parameters: stats });
		expect(result.error?.message).toBe('PayRequest had a server error (HTTP 500): upstream refused ***');
		expectRedacted(result);
	});

	test('the trigger: a poll answered with a 401 that quotes the token fails redacted', async () => {
		const workflow = new PollingWorkflow({ event: 'invoiceOverdue', options: {} }, fixture.credential);
		fixture.emulator.injectFaults(1, { status: 401, body: JSON.stringify({ success: false, error: `Token ${SECRET_TOKEN} is revoked` }) });
		const outcome = await workflow.poll();
		expect(outcome.error?.message).toBe('PayRequest rejected the access token: Token *** is revoked');
		expect(allStrings(outcome).filter(containsSecret)).toEqual([]);
		expect(allStrings(workflow.storedState()).filter(containsSecret)).toEqual([]);
	});

});

describe('a redirect is never followed', () => {
	let seenElsewhere: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders }>;
	let elsewhere: http.Server;
	let location: string;
	beforeEach(async () => {
		seenElsewhere = [];
		elsewhere = http.createServer((request, response) => {
			seenElsewhere.push({ method: request.method, url: request.url, headers: request.headers });
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end('{"success":true,"data":[{"id":1}]}');
		});
		await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		// localhost and 127.0.0.1 are different origins.
		location = `http://localhost:${(elsewhere.address() as AddressInfo).port}/collect`;
	});
	afterEach(async () => {
		await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
	});

	test('a 302 on a read: a clear error naming where it points; nothing is sent there', async () => {
		fixture.emulator.injectFaults(1, { status: 302, body: '', headers: { Location: location } });
		const result = await fixture.run({ parameters: stats });
		expect(seenElsewhere).toEqual([]);
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe(`PayRequest redirected GET /v1/invoices/stats to ${location}: set the Base URL to that address`);
		expect(allStrings(result.run).filter(containsSecret)).toEqual([]);
	});

	test('a 301 on Create: not turned into a GET, nothing created, nothing sent to the target, the error says so', async () => {
		const customer = fixture.emulator.customers()[0].id;
		fixture.emulator.injectFaults(1, { status: 301, body: '', headers: { Location: '/api/v1/invoices?page=1' } });
		const result = await fixture.run({
			parameters: {
				resource: 'invoice',
				operation: 'create',
				customerId: String(customer),
				date: '2025-03-01',
				dueDate: '2025-03-15',
				items: { item: [{ description: 'Work', quantity: 1, unitPrice: 10, taxRate: 0 }] },
			},
		});
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/^PayRequest redirected POST \/v1\/invoices to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/invoices\?page=1: set the Base URL to that address$/);
		expect(fixture.emulator.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['POST /api/v1/invoices 301']);
		expect(seenElsewhere).toEqual([]);
	});

	test("the credential test reports a redirect instead of following it, and the target gets nothing", async () => {
		fixture.emulator.injectFaults(1, { status: 301, body: '', headers: { Location: location } });
		const result = await testCredential(fixture.credential);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^PayRequest redirected the test request to another address, and n8n did not follow it/);
		expect(seenElsewhere).toEqual([]);
	});
});

describe('plain http is refused except on this machine', () => {
	test.each(['http://payrequest.example/api', 'http://10.0.0.5:8080/api'])('%s: the node stops before any request, saying why', async (baseUrl) => {
		const result = await fixture.run({ parameters: stats, credential: { ...fixture.credential, baseUrl } });
		expect(result.error?.message).toMatch(/^The Base URL in the PayRequest API credential must start with https:\/\//);
		expect(result.error?.description).toMatch(/localhost, 127\.0\.0\.1, ::1/);
		expect(fixture.emulator.requests).toEqual([]);
	});

	test('the credential test refuses it too, before any request, and the field says why', async () => {
		// A local server on a name that is not loopback: it would answer, were anything sent to it.
		const baseUrl = fixture.credential.baseUrl.replace('127.0.0.1', 'invoicing-test.localtest.invalid');
		const result = await testCredential({ ...fixture.credential, baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'Invalid URL' });
		expect(fixture.emulator.requests).toEqual([]);
		const field = new PayRequestApi().properties.find((property) => property.name === 'baseUrl');
		expect(field?.description).toMatch(/must start with https:\/\/ \(plain http only for localhost, 127\.0\.0\.1 and ::1/);
	});

	test('http://localhost and http://127.0.0.1 are allowed (the emulator, a proxy beside n8n)', async () => {
		const viaLocalhost = fixture.credential.baseUrl.replace('127.0.0.1', 'localhost');
		expect(await testCredential({ ...fixture.credential, baseUrl: viaLocalhost })).toMatchObject({ status: 'OK' });
		const result = await fixture.run({ parameters: stats, credential: { ...fixture.credential, baseUrl: viaLocalhost } });
		expect(result.error).toBeUndefined();
	});
});

describe('log lines', () => {
	test("n8n's and the node's own log lines are recorded, and none has the token", async () => {
		const lines = installRecordingLogger();
		fixture.emulator.injectFaults(1, { status: 429, headers: { 'Retry-After': '1' }, body: `{"message":"slow down ${SECRET_TOKEN}"}` });
		fixture.emulator.injectFaults(1, { status: 502, body: `<html>Bearer ${SECRET_TOKEN}</html>` });
		const result = await fixture.run({ parameters: stats });
		expect(result.error).toBeUndefined();
		const messages = lines.map((line) => line.message);
		// The node's waits go through the context logger, the engine's steps through LoggerProxy.
		expect(messages).toContain('PayRequest: waiting 1000 ms (429 from PayRequest, repeating GET /v1/invoices/stats)');
		expect(messages.some((message) => /^PayRequest: waiting 300 ms \(HTTP 502, repeating GET \/v1\/invoices\/stats\)$/.test(message))).toBe(true);
		expect(messages).toContain('Workflow execution started');
		expect(allStrings(lines).filter(containsSecret)).toEqual([]);
	});
});
