// The access token never shows: not in errors, descriptions, items, run data, log lines or URLs,
// not even when PayRequest or a proxy in front of it echoes it back.
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { PayRequestApi } from '../../../credentials/PayRequestApi.credentials';
import type { Fault } from '../../emulator/PayRequestEmulator';
import { addInvoices } from '../../engine/emulatorFixture';
import type { NodeRun } from '../../engine/harness';
import { PollingWorkflow, testCredential } from '../../engine/harness';
import { allStrings, containsSecret, installRecordingLogger, invoiceLocator, saveFigures, SECRET_TOKEN, useSecretEmulator } from './support';

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

describe('the token does not follow a redirect to another host', () => {
	test('a 302 to another origin: that host gets no Authorization header', async () => {
		const seenElsewhere: http.IncomingHttpHeaders[] = [];
		const elsewhere = http.createServer((request, response) => {
			seenElsewhere.push(request.headers);
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end('{"success":true,"data":{"total_invoices":0}}');
		});
		await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		try {
			// localhost and 127.0.0.1 are different origins.
			const location = `http://localhost:${(elsewhere.address() as AddressInfo).port}/collect`;
			fixture.emulator.injectFaults(1, { status: 302, body: '', headers: { Location: location } });
			const result = await fixture.run({ parameters: stats });
			// n8n follows the redirect, without the token.
			expect(seenElsewhere).toHaveLength(1);
			expect(result.error).toBeUndefined();
			for (const headers of seenElsewhere) expect(headers.authorization).toBeUndefined();
			expect(allStrings(result.run).filter(containsSecret)).toEqual([]);
		} finally {
			await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
		}
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
