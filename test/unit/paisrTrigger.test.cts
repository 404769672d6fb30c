/**
 * The Paisr Trigger as n8n runs a webhook trigger: set-up through n8n-core's HookContext against
 * the emulator (a real webhook with a real secret), and deliveries that the emulator signs and
 * POSTs to the trigger's URL, verified by webhook() over the raw bytes through WebhookContext.
 */
import { createHmac } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { MAX_REDELIVERIES } from '../../nodes/Paisr/trigger/catchUp';
import { MAX_CLOCK_SKEW_SECONDS, MAX_DELIVERY_AGE_SECONDS } from '../../nodes/Paisr/trigger/signature';
import { DELIVERY_MEMORY_COUNT, DELIVERY_MEMORY_MS } from '../../nodes/shared/webhooks/deliveries';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PAISR_TRIGGER_TYPE, WebhookTriggerWorkflow } from '../engine/harness.cjs';
import { installRecordingLogger } from './faults/support.cjs';

jest.setTimeout(30_000);

let emulator: PaisrEmulator;
let trigger: WebhookTriggerWorkflow;

async function start(parameters: IDataObject) {
	emulator = new PaisrEmulator({ rateLimit: false, seed: { customers: 1, invoices: 0 } });
	const baseUrl = await emulator.listen();
	// Simplify off: these tests are about the delivery as Paisr sent it and the records as Paisr gives
	// them (the raw shape); simplify.test.cts runs this trigger with Simplify on, its default.
	trigger = new WebhookTriggerWorkflow(PAISR_TRIGGER_TYPE, { simple: false, ...parameters }, undefined, { environment: 'custom', baseUrl, accessToken: 'paisr-full' });
	await trigger.listen();
}

afterEach(async () => {
	await trigger?.close();
	await emulator?.close();
});

async function activate() {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

const stored = () => (trigger.storedState()['node:Webhook Trigger'] as { registration?: { webhookId: string; secret: string } }).registration;

describe('activation and deactivation', () => {
	test('one webhook for all chosen events, to the trigger URL, its secret kept; deactivation deletes it', async () => {
		await start({ events: ['invoice.paid', 'invoice.created'] });
		await activate();
		const [webhook, ...others] = emulator.listWebhooks();
		expect(others).toEqual([]);
		expect(webhook.endpoint).toMatch(/\/webhook\/hook-under-test\/webhook$/);
		expect(webhook.description).toMatch(/^[a-zA-Z0-9() ]{4,48}$/);
		expect(webhook.triggers.map((trigger) => trigger.type).sort()).toEqual(['invoice.created', 'invoice.paid']);
		expect(stored()).toMatchObject({ webhookId: webhook.id, secret: webhook.secret });
		expect(emulator.requests.some((request) => request.path === `/v2/webhooks/${webhook.id}/secret`)).toBe(true);

		await trigger.hook('delete');
		expect(emulator.listWebhooks()).toEqual([]);
		expect(stored()).toBeUndefined();
	});

	test('a restart neither doubles nor loses the webhook; one deleted by hand is made again; a leftover at this URL is removed', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		const first = emulator.listWebhooks()[0];
		await activate();
		expect(emulator.listWebhooks().map((webhook) => webhook.id)).toEqual([first.id]);

		// Deleted in Paisr's dashboard: checkExists sees it, the next activation makes one.
		emulator.requests.length = 0;
		await new WebhookCleaner(emulator).removeAll();
		await activate();
		expect(emulator.listWebhooks()).toHaveLength(1);

		// The state lost (a failed save) while the webhook stayed: the next create finds it by URL and removes it first.
		const leftover = emulator.listWebhooks()[0];
		const state = trigger.storedState()['node:Webhook Trigger'] as Record<string, unknown>;
		delete state.registration;
		trigger.workflow.staticData['node:Webhook Trigger'] = state;
		await activate();
		expect(emulator.listWebhooks().map((webhook) => webhook.id)).not.toContain(leftover.id);
		expect(emulator.listWebhooks()).toHaveLength(1);
	});

	test('changing the events makes checkExists false, so the webhook is replaced by one with the new events', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		trigger.node.parameters.events = ['invoice.paid', 'customer.created'];
		expect(await trigger.hook('checkExists')).toBe(false);
		await trigger.hook('create');
		expect(emulator.listWebhooks()).toHaveLength(1);
		expect(emulator.listWebhooks()[0].triggers.map((entry) => entry.type).sort()).toEqual(['customer.created', 'invoice.paid']);
	});
});

describe('deliveries are verified before anything is emitted', () => {
	test('a signed delivery is emitted with the invoice it names, read from Paisr', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		const [delivery] = await emulator.deliver('invoice.paid', invoice.id);
		expect(delivery.status).toBe(200);
		expect(trigger.deliveries).toHaveLength(1);
		expect(trigger.deliveries[0].items[0].json).toMatchObject({ id: invoice.id, event: 'invoice.paid', invoice: { id: invoice.id, status: 'paid', sid: invoice.sid } });
	});

	test('Fetch Details off: the delivery as it came; a removed invoice is emitted bare whatever the option', async () => {
		await start({ events: ['invoice.paid', 'invoice.removed'], options: { fetchDetails: false } });
		await activate();
		const invoice = emulator.addInvoice();
		await emulator.deliver('invoice.paid', invoice.id);
		expect(trigger.deliveries[0].items[0].json).toEqual({ id: invoice.id, event: 'invoice.paid' });
		trigger.node.parameters.options = {};
		await emulator.deliver('invoice.removed', 'inv_gone');
		expect(trigger.deliveries[1].items[0].json).toEqual({ id: 'inv_gone', event: 'invoice.removed' });
		const reads = emulator.requests.filter((request) => request.method === 'GET' && request.path.startsWith('/v2/invoices/'));
		expect(reads).toEqual([]);
	});

	test('a customer event carries the customer', async () => {
		await start({ events: ['customer.updated'] });
		await activate();
		const customer = emulator.listCustomers()[0];
		await emulator.deliver('customer.updated', customer.id);
		expect(trigger.deliveries[0].items[0].json).toMatchObject({ event: 'customer.updated', customer: { id: customer.id, email: customer.email } });
	});

	test.each([
		['a tampered body', { body: '{"id":"inv_other","event":"invoice.paid"}' }],
		['a delivery 72 hours and a minute old (past every retry Paisr makes)', { timestampOffsetSeconds: -(72 * 3600 + 60) }],
		['a timestamp six minutes ahead', { timestampOffsetSeconds: 360 }],
		['no signature', { omitSignature: true }],
		['a signature made with another secret', { secret: 'not-the-secret' }],
	])('%s gets 401 and emits nothing', async (_label, tampering) => {
		await start({ events: ['invoice.paid'] });
		await activate();
		const invoice = emulator.addInvoice();
		const [delivery] = await emulator.deliver('invoice.paid', invoice.id, tampering);
		expect(delivery.status).toBe(401);
		expect(trigger.deliveries).toEqual([{ status: 401, items: [] }]);
		expect(emulator.requests.filter((request) => request.path.startsWith('/v2/invoices/'))).toEqual([]);
	});

	test('the signature also reads as upper-case hex or base64, and covers the raw bytes', async () => {
		await start({ events: ['invoice.paid'], options: { fetchDetails: false } });
		await activate();
		const invoice = emulator.addInvoice();
		const secret = stored()!.secret;
		const rawBody = Buffer.from(JSON.stringify({ id: invoice.id, event: 'invoice.paid' }));
		const timestamp = String(Math.floor(Date.now() / 1000));
		const digest = createHmac('sha256', secret).update(`${timestamp}.${rawBody.toString()}`).digest();
		for (const signature of [digest.toString('hex').toUpperCase(), digest.toString('base64')]) {
			const { status } = await trigger.deliver({ headers: { 'x-pcb-signature': signature, 'x-pcb-timestamp': timestamp }, body: JSON.parse(rawBody.toString()), query: {}, rawBody });
			expect(status).toBe(200);
		}
		// The same JSON with other spacing is other bytes: the signature covers the raw body, not the parsed one.
		const respaced = Buffer.from(JSON.stringify({ id: invoice.id, event: 'invoice.paid' }, null, 1));
		const { status } = await trigger.deliver({ headers: { 'x-pcb-signature': digest.toString('hex'), 'x-pcb-timestamp': timestamp }, body: JSON.parse(respaced.toString()), query: {}, rawBody: respaced });
		expect(status).toBe(401);
	});

	test('after deactivation, the old secret no longer opens the door', async () => {
		await start({ events: ['invoice.paid'], options: { fetchDetails: false } });
		await activate();
		const secret = stored()!.secret;
		await trigger.hook('delete');
		const rawBody = Buffer.from('{"id":"inv_1","event":"invoice.paid"}');
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody.toString()}`).digest('hex');
		expect((await trigger.deliver({ headers: { 'x-pcb-signature': signature, 'x-pcb-timestamp': timestamp }, body: JSON.parse(rawBody.toString()), query: {}, rawBody })).status).toBe(401);
	});
});

/** Deletes every webhook over the API, as a user would in Paisr's dashboard. */
class WebhookCleaner {
	constructor(private readonly paisr: PaisrEmulator) {}

	async removeAll(): Promise<void> {
		for (const webhook of this.paisr.listWebhooks()) {
			await fetch(`${this.paisr.baseUrl}/webhooks/${webhook.id}`, { method: 'DELETE', headers: { Authorization: 'Bearer paisr-full' } });
		}
	}
}

describe('answered at once, one execution per event, refusals logged', () => {
	const executions = () => trigger.deliveries.filter((delivery) => delivery.items.length > 0);

	test('Paisr slow to give the details: the delivery is answered within 2 s, emitted with detailsError, and its retries start no second execution', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		// Every API answer takes 5 s (Fetch Details has 1.5 s in all).
		emulator.setLatency(5_000);
		const started = Date.now();
		const [delivery] = await emulator.deliver('invoice.paid', invoice.id, {}, { retries: 3, answerWithinMs: 2_000 });
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(delivery.attempts).toEqual([200]);
		expect(executions()).toHaveLength(1);
		expect(executions()[0].items[0].json).toMatchObject({ id: invoice.id, event: 'invoice.paid', detailsError: expect.stringMatching(/1\.5 s|timed out|did not answer|within/) });
		expect(executions()[0].items[0].json).not.toHaveProperty('invoice');
	});

	test('Paisr gives up waiting and sends the delivery again: the retry is answered 200 at once and starts no second execution', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		emulator.setLatency(5_000);
		// Paisr waits 1 s for an answer (the trigger takes 1.5 s here), then retries after 2 s.
		const [delivery] = await emulator.deliver('invoice.paid', invoice.id, {}, { retries: 3, answerWithinMs: 1_000, backoffMs: 2_000 });
		expect(delivery.attempts).toEqual([0, 200]);
		expect(executions()).toHaveLength(1);
	});

	test('a delivery Paisr sends again (its first answer was lost) is answered 200 and starts nothing; another event does', async () => {
		await start({ events: ['invoice.paid', 'invoice.created'], options: { fetchDetails: false } });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		const [first] = await emulator.deliver('invoice.paid', invoice.id);
		// The same bytes, timestamp and signature again, as Paisr's retry sends them.
		const repeat = await trigger.deliverRaw(first.headers, first.body);
		expect(repeat.status).toBe(200);
		expect(executions()).toHaveLength(1);
		// Another event for the same invoice, and the same event for another invoice, are executions of their own.
		await emulator.deliver('invoice.created', invoice.id);
		await emulator.deliver('invoice.paid', emulator.addInvoice({ status: 'paid' }).id);
		expect(executions()).toHaveLength(3);
		// The record is bounded: a key and a time per event.
		const record = (trigger.storedState()['node:Webhook Trigger'] as { deliveries: Record<string, number> }).deliveries;
		expect(Object.keys(record)).toHaveLength(3);
	});

	test('a refused delivery is logged at warning level with the reason, never the secret or the body', async () => {
		const lines = installRecordingLogger();
		await start({ events: ['invoice.paid'] });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		const before = lines.length;
		await emulator.deliver('invoice.paid', invoice.id, { secret: 'not-the-secret' });
		await emulator.deliver('invoice.paid', invoice.id, { omitSignature: true });
		const warnings = lines.slice(before).filter((line) => line.level === 'warn');
		expect(warnings.map((line) => line.message)).toEqual([
			expect.stringMatching(/^Paisr Trigger refused a delivery: its signature does not match/),
			expect.stringMatching(/^Paisr Trigger refused a delivery: no X-PCB-Signature/),
		]);
		const secret = stored()!.secret;
		for (const line of warnings) expect(JSON.stringify(line)).not.toContain(secret);
		for (const line of warnings) expect(JSON.stringify(line)).not.toContain(invoice.id);
	});
});

describe('Listen for Test Event', () => {
	const testCalls = () => emulator.requests.filter((request) => /^\/v2\/webhooks\/[^/]+\/test$/.test(request.path));
	const until = async (what: string, probe: () => boolean) => {
		for (let waited = 0; !probe(); waited += 20) {
			if (waited > 5_000) throw new Error(`no ${what} within 5 s`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	};

	test('listening in the editor asks Paisr for a test event, which arrives signed and is emitted at once; an activated workflow asks for none', async () => {
		await start({ events: ['invoice.paid'] });
		await trigger.hook('create', 'manual');
		expect(testCalls().map((request) => [request.method, request.status])).toEqual([['POST', 200]]);
		await until('test delivery', () => trigger.deliveries.length > 0);
		// The docs' example id names no invoice: a sample in the shape of a real paid invoice, marked as one.
		expect(trigger.deliveries.map((delivery) => delivery.status)).toEqual([200]);
		const [sample] = trigger.deliveries[0].items.map((item) => item.json);
		expect(sample).toMatchObject({ id: 'inv_123456', event: 'invoice.paid', sample: true, invoice: { id: 'inv_123456', sid: 600783, status: 'paid', currency: 'SRD' } });
		expect(Object.keys(sample.invoice as IDataObject).sort()).toEqual(
			['amount', 'created_at', 'currency', 'customer', 'due_at', 'id', 'paid_at', 'session', 'sid', 'status', 'summary', 'void_at'].sort(),
		);

		await trigger.hook('delete', 'manual');
		await trigger.hook('create');
		expect(testCalls()).toHaveLength(1);
	});

	test('with Simplify on (the default), the test event fills every compact field, marked as a sample', async () => {
		await start({ events: ['invoice.paid'], simple: true });
		await trigger.hook('create', 'manual');
		await until('test delivery', () => trigger.deliveries.length > 0);
		const [sample] = trigger.deliveries[0].items.map((item) => item.json);
		expect(sample).toMatchObject({ id: 'inv_123456', event: 'invoicePaid', provider: 'paisr', sample: true, number: '600783', status: 'paid', currency: 'SRD', amountTotal: 135 });
		expect(sample.customer).toEqual({ id: 'cus_123456', name: 'Jane Smith', email: 'jane@example.com' });
		// Null only where a paid Paisr invoice has nothing: no tax, not overdue, no link to pay.
		const unmapped = Object.entries(sample).filter(([key, value]) => value === null && !['amountTax', 'daysOverdue', 'paymentLink'].includes(key));
		expect(unmapped).toEqual([]);
	});

	test('an activated workflow never gets a sample: an event naming no invoice is emitted as it came', async () => {
		await start({ events: ['invoice.paid'] });
		await activate();
		await emulator.deliver('invoice.paid', 'inv_gone');
		expect(trigger.deliveries[0].items.map((item) => item.json)).toEqual([{ id: 'inv_gone', event: 'invoice.paid' }]);
	});

	test('a test request Paisr refuses is logged at warning level; listening goes on and real events still come', async () => {
		const lines = installRecordingLogger();
		await start({ events: ['invoice.paid'] });
		emulator.webhookTestsFail = true;
		const before = lines.length;
		expect(await trigger.hook('create', 'manual')).toBe(true);
		expect(lines.slice(before).filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([expect.stringMatching(/^Paisr Trigger could not ask Paisr for a test event: /)]);
		const invoice = emulator.addInvoice({ status: 'paid' });
		const [delivery] = await emulator.deliver('invoice.paid', invoice.id);
		expect(delivery.status).toBe(200);
		expect(trigger.deliveries.flatMap((one) => one.items).map((item) => item.json.id)).toEqual([invoice.id]);
	});
});

// With the shipped default, Simplify on (the harness turns it off unless told).
describe('retries after downtime: late deliveries, retries stamped anew, catch-up on activation', () => {
	const executions = () => trigger.deliveries.filter((delivery) => delivery.items.length > 0);
	const emittedIds = () => executions().map((delivery) => delivery.items[0].json.id);
	const retryCalls = () => emulator.requests.filter((request) => request.method === 'POST' && /^\/v2\/webhooks\/[^/]+\/events\/[^/]+$/.test(request.path));
	const until = async (what: string, probe: () => boolean) => {
		for (let waited = 0; !probe(); waited += 20) {
			if (waited > 5_000) throw new Error(`no ${what} within 5 s`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	};

	/**
	 * n8n stopped and started again, the workflow still active: this process's memory is gone, and
	 * (as n8n 2.41.1 does) so is what webhook calls wrote to the static data; the URL is the same, so
	 * n8n's activation finds the webhook with checkExists.
	 */
	async function restart(): Promise<void> {
		const port = Number(new URL(emulator.listWebhooks()[0].endpoint).port);
		const state = structuredClone(trigger.storedState()['node:Webhook Trigger']) as IDataObject;
		delete state.deliveries;
		await trigger.close();
		trigger = new WebhookTriggerWorkflow(PAISR_TRIGGER_TYPE, trigger.node.parameters, undefined, { environment: 'custom', baseUrl: emulator.baseUrl, accessToken: 'paisr-full' });
		trigger.workflow.staticData['node:Webhook Trigger'] = state;
		await trigger.listen(port);
		expect(await trigger.hook('checkExists')).toBe(true);
	}

	/** n8n is down while Paisr sends these: its 10 retries find nobody, and it gives up. */
	async function missWhileDown(ids: string[]): Promise<void> {
		emulator.endpointsDown = true;
		for (const id of ids) expect((await emulator.deliver('invoice.paid', id, {}, { retries: 10 }))[0].attempts).toEqual(Array(11).fill(0));
		emulator.endpointsDown = false;
	}

	test('a validly signed delivery 10 minutes or 71 hours old is accepted once; replayed, it starts nothing', async () => {
		await start({ events: ['invoice.paid'], simple: true });
		await activate();
		const [late, later] = [emulator.addInvoice({ status: 'paid' }), emulator.addInvoice({ status: 'paid' })];
		const [tenMinutes] = await emulator.deliver('invoice.paid', late.id, { timestampOffsetSeconds: -600 });
		const [seventyOneHours] = await emulator.deliver('invoice.paid', later.id, { timestampOffsetSeconds: -71 * 3600 });
		expect([tenMinutes.status, seventyOneHours.status]).toEqual([200, 200]);
		expect(emittedIds()).toEqual([late.id, later.id]);
		// The same bytes, timestamp and signature again: a replay inside the window is known.
		for (const delivery of [tenMinutes, seventyOneHours]) expect((await trigger.deliverRaw(delivery.headers, delivery.body)).status).toBe(200);
		expect(emittedIds()).toEqual([late.id, later.id]);
	});

	test('a retry stamped anew (the same event, a new timestamp and signature) starts nothing and reads nothing', async () => {
		await start({ events: ['invoice.paid'], simple: true });
		await activate();
		const invoice = emulator.addInvoice({ status: 'paid' });
		const [first] = await emulator.deliver('invoice.paid', invoice.id, { timestampOffsetSeconds: -120 });
		expect(first.status).toBe(200);
		const [restamped] = await emulator.deliver('invoice.paid', invoice.id);
		expect(restamped.headers['X-PCB-Timestamp']).not.toBe(first.headers['X-PCB-Timestamp']);
		expect(restamped.headers['X-PCB-Signature']).not.toBe(first.headers['X-PCB-Signature']);
		expect(restamped.status).toBe(200);
		expect(emittedIds()).toEqual([invoice.id]);
		expect(emulator.requests.filter((request) => request.method === 'GET' && request.path === `/v2/invoices/${invoice.id}`)).toHaveLength(1);
	});

	test('an event is remembered longer than the oldest delivery the trigger accepts', () => {
		expect(DELIVERY_MEMORY_MS).toBeGreaterThanOrEqual((MAX_DELIVERY_AGE_SECONDS + MAX_CLOCK_SKEW_SECONDS) * 1000);
		expect(MAX_DELIVERY_AGE_SECONDS).toBeGreaterThanOrEqual(72 * 3600);
	});

	test('after downtime, activation asks Paisr again for exactly the events that failed meanwhile; each starts one execution', async () => {
		await start({ events: ['invoice.paid'], simple: true });
		await activate();
		const before = emulator.addInvoice({ status: 'paid' });
		await emulator.deliver('invoice.paid', before.id);
		const missed = [emulator.addInvoice({ status: 'paid' }), emulator.addInvoice({ status: 'paid' })];
		await missWhileDown(missed.map((invoice) => invoice.id));
		const failed = emulator.listWebhookEvents().filter((event) => event.status === 'failed');
		expect(failed.map((event) => event.body.id)).toEqual(missed.map((invoice) => invoice.id));

		emulator.clearRequests();
		await restart();
		await until('two redeliveries', () => executions().length === 2);
		expect(retryCalls().map((request) => request.path).sort()).toEqual(failed.map((event) => `/v2/webhooks/${event.webhookId}/events/${event.id}`).sort());
		expect([...emittedIds()].sort()).toEqual(missed.map((invoice) => invoice.id).sort());
		expect(executions().map((delivery) => delivery.items[0].json)).toEqual(missed.map(() => expect.objectContaining({ event: 'invoicePaid', provider: 'paisr', status: 'paid' })));
		await until('Paisr to log the redeliveries', () => emulator.listWebhookEvents().every((event) => event.status === 'success'));

		// What Paisr delivered before the restart is known from its log: a retry of it stamped anew starts nothing.
		expect((await emulator.deliver('invoice.paid', before.id))[0].status).toBe(200);
		expect(executions()).toHaveLength(2);
		// The next start finds nothing left to ask for.
		emulator.clearRequests();
		await restart();
		expect(retryCalls()).toEqual([]);
		expect(trigger.deliveries).toEqual([]);
	});

	test('a redelivery Paisr refuses, or a log it will not show, is logged; activation goes on, and the next one asks again', async () => {
		const lines = installRecordingLogger();
		await start({ events: ['invoice.paid'], simple: true });
		await activate();
		const missed = [emulator.addInvoice({ status: 'paid' }), emulator.addInvoice({ status: 'paid' })];
		await missWhileDown(missed.map((invoice) => invoice.id));
		const [refused] = emulator.listWebhookEvents();
		emulator.injectFaults(1, { status: 500, body: '{"success":false,"message":"Server Error"}' }, (request) => request.method === 'POST' && request.path.endsWith(`/events/${refused.id}`));
		const warningsFrom = (start: number) => lines.slice(start).filter((line) => line.level === 'warn').map((line) => line.message);

		let before = lines.length;
		await restart();
		await until('one redelivery', () => executions().length === 1);
		expect(emittedIds()).toEqual([missed[1].id]);
		expect(warningsFrom(before)).toEqual([expect.stringMatching(new RegExp(`^Paisr Trigger could not ask Paisr to deliver event ${refused.id} again: `))]);

		before = lines.length;
		emulator.injectFaults(1, { status: 403, body: '{"success":false,"message":"Forbidden"}' }, (request) => request.method === 'GET' && request.path.endsWith('/events'));
		await restart();
		expect(warningsFrom(before)).toEqual([expect.stringMatching(/^Paisr Trigger could not read its webhook's events to catch up/)]);
		expect(emulator.listWebhooks()).toHaveLength(1);

		await restart();
		await until('the refused one, delivered now', () => executions().length === 1);
		expect(emittedIds()).toEqual([missed[0].id]);
	});

	test(`at most ${MAX_REDELIVERIES} redeliveries per activation, oldest first; the next activation asks for the rest`, async () => {
		const lines = installRecordingLogger();
		await start({ events: ['invoice.paid'], simple: true, options: { fetchDetails: false } });
		await activate();
		const ids = Array.from({ length: MAX_REDELIVERIES + 3 }, () => emulator.addInvoice({ status: 'paid' }).id);
		await missWhileDown(ids);
		const before = lines.length;
		await restart();
		await until(`${MAX_REDELIVERIES} redeliveries`, () => executions().length === MAX_REDELIVERIES);
		// Asked for oldest first; Paisr sends each after its answer, so they may arrive in another order.
		const logged = emulator.listWebhookEvents();
		expect(retryCalls().map((request) => request.path.split('/').pop())).toEqual(logged.slice(0, MAX_REDELIVERIES).map((event) => event.id));
		expect([...emittedIds()].sort()).toEqual(ids.slice(0, MAX_REDELIVERIES).sort());
		expect(lines.slice(before).filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
			`Paisr Trigger asked Paisr again for ${MAX_REDELIVERIES} of ${MAX_REDELIVERIES + 3} events that failed while n8n was away; the next activation asks for the rest`,
		]);
		await until('Paisr to log the redeliveries', () => emulator.listWebhookEvents().filter((event) => event.status === 'success').length === MAX_REDELIVERIES);
		await restart();
		await until('the rest', () => executions().length === 3);
		expect([...emittedIds()].sort()).toEqual(ids.slice(MAX_REDELIVERIES).sort());
	});

	test(`at the count bound (${DELIVERY_MEMORY_COUNT} events): the oldest leaves the static data with a warning, and this process still knows it`, async () => {
		const lines = installRecordingLogger();
		await start({ events: ['invoice.paid'], simple: true, options: { fetchDetails: false } });
		await activate();
		const secret = stored()!.secret;
		const timestamp = String(Math.floor(Date.now() / 1000));
		const send = (id: string) => {
			const rawBody = Buffer.from(JSON.stringify({ id, event: 'invoice.paid' }));
			const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody.toString()}`).digest('hex');
			return trigger.deliver({ headers: { 'x-pcb-signature': signature, 'x-pcb-timestamp': timestamp }, body: JSON.parse(rawBody.toString()) as IDataObject, query: {}, rawBody });
		};
		for (let n = 0; n < DELIVERY_MEMORY_COUNT; n++) await send(`inv_${n}`);
		const before = lines.length;
		await send('inv_one_more');
		expect(lines.slice(before).filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([expect.stringMatching(/^Paisr Trigger forgot 1 event\(s\) emitted within the last 73 hours/)]);
		const record = (trigger.storedState()['node:Webhook Trigger'] as { deliveries: Record<string, number> }).deliveries;
		expect(Object.keys(record)).toHaveLength(DELIVERY_MEMORY_COUNT);
		expect(record).not.toHaveProperty(['invoice.paid inv_0']);
		await send('inv_0');
		expect(executions()).toHaveLength(DELIVERY_MEMORY_COUNT + 1);
	}, 120_000);
});
