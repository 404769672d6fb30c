/**
 * The Alternative Payments Trigger as n8n runs a webhook trigger: its set-up methods through
 * n8n-core's HookContext against the emulator (real subscriptions), and deliveries that the
 * emulator really POSTs to the trigger's webhook URL, handed to webhook() through WebhookContext.
 */
import type { IDataObject } from 'n8n-workflow';

import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { ALTERNATIVE_PAYMENTS_TRIGGER_TYPE, WebhookTriggerWorkflow } from '../engine/harness.cjs';
import { installRecordingLogger } from './faults/support.cjs';

jest.setTimeout(30_000);

let emulator: AltPaymentsEmulator;
let trigger: WebhookTriggerWorkflow;

async function start(events: string[], rateLimit: false | undefined = false, simple?: boolean) {
	emulator = new AltPaymentsEmulator({ rateLimit, seed: { customers: 1 } });
	const baseUrl = await emulator.listen();
	// Simplify off unless a test says otherwise: these tests are about the delivery as it came (the raw shape);
	// simplify.test.cts runs this trigger with Simplify on, its default.
	trigger = new WebhookTriggerWorkflow(ALTERNATIVE_PAYMENTS_TRIGGER_TYPE, { events, simple: simple ?? false }, { environment: 'custom', baseUrl, clientId: 'client-full', clientSecret: 'secret-full' });
	await trigger.listen();
}

afterEach(async () => {
	await trigger?.close();
	await emulator?.close();
});

/** Activation as n8n does it: create only when checkExists says the subscriptions are not there. */
async function activate() {
	if (!(await trigger.hook('checkExists'))) await trigger.hook('create');
}

const webhookCalls = () => emulator.requests.filter((request) => request.path.startsWith('/webhooks'));

describe('activation and deactivation', () => {
	test('one subscription per event, to the trigger URL with the topic in it, with one secret; deactivation removes them all', async () => {
		await start(['invoice_paid', 'payment_succeeded']);
		await activate();
		const subscriptions = emulator.listSubscriptions();
		expect(subscriptions.map((subscription) => subscription.topic).sort()).toEqual(['invoice_paid', 'payment_succeeded']);
		for (const subscription of subscriptions) expect(subscription.endpoint_url).toMatch(new RegExp(`/webhook/hook-under-test/webhook\\?topic=${subscription.topic}$`));
		expect(new Set(subscriptions.map((subscription) => subscription.secret_last_4_digits)).size).toBe(1);
		const stored = trigger.storedState()['node:Webhook Trigger'] as { registration: { secret: string; subscriptions: Record<string, string> } };
		expect(Object.keys(stored.registration.subscriptions).sort()).toEqual(['invoice_paid', 'payment_succeeded']);

		await trigger.hook('delete');
		expect(emulator.listSubscriptions()).toEqual([]);
		expect(trigger.storedState()['node:Webhook Trigger']).toEqual({});
	});

	test('a restart (activation with the state kept) neither doubles nor loses subscriptions', async () => {
		await start(['invoice_created']);
		await activate();
		const first = emulator.listSubscriptions();
		await activate();
		await activate();
		expect(emulator.listSubscriptions()).toEqual(first);
		expect(webhookCalls().filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	test('a subscription deleted by hand is recreated at the next activation, and the old ones are not left behind', async () => {
		await start(['invoice_created', 'invoice_paid']);
		await activate();
		const [gone] = emulator.listSubscriptions();
		// Someone deletes one in the dashboard.
		const token = (await fetch(`${emulator.baseUrl}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from('client-full:secret-full').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		}).then(async (response) => (await response.json()) as { access_token: string })).access_token;
		await fetch(`${emulator.baseUrl}/webhooks/${gone.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
		await activate();
		expect(emulator.listSubscriptions().map((subscription) => subscription.topic).sort()).toEqual(['invoice_created', 'invoice_paid']);
		expect(emulator.listSubscriptions().some((subscription) => subscription.id === gone.id)).toBe(false);
	});

	test('subscribing to many events keeps to 5 requests a second', async () => {
		await start(['customer_archived', 'customer_created', 'customer_updated', 'invoice_archived', 'invoice_created', 'invoice_paid', 'invoice_updated', 'payment_failed'], undefined);
		await activate();
		expect(emulator.listSubscriptions()).toHaveLength(8);
		expect(emulator.requests.filter((request) => request.status === 429)).toHaveLength(0);
	});
});

describe('deliveries', () => {
	test('a delivery with the secret is emitted as it came, with its topic; the payload names it', async () => {
		await start(['invoice_paid']);
		await activate();
		const sent = await emulator.deliver('invoice_paid', { id: 'inv_000001', total: 120 });
		expect(sent.map((delivery) => delivery.status)).toEqual([200]);
		expect(trigger.deliveries).toHaveLength(1);
		expect(trigger.deliveries[0].items.map((item) => item.json)).toEqual([
			{ id: expect.any(String), topic: 'invoice_paid', created_at: expect.any(String), data: { id: 'inv_000001', total: 120 } },
		]);
	});

	test('a payload without a topic gets the topic of the subscription it came through', async () => {
		await start(['payment_succeeded']);
		await activate();
		const [subscription] = emulator.listSubscriptions();
		const secret = (trigger.storedState()['node:Webhook Trigger'] as { registration: { secret: string } }).registration.secret;
		const response = await fetch(subscription.endpoint_url, {
			method: 'POST',
			headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ payment: { id: 'pay_1' } }),
		});
		expect(response.status).toBe(200);
		expect(trigger.deliveries.map((delivery) => delivery.items.map((item) => item.json))).toEqual([[{ payment: { id: 'pay_1' }, topic: 'payment_succeeded' }]]);
	});

	test.each([
		['no Authorization', {}],
		['a wrong secret', { Authorization: 'Bearer not-the-secret' }],
		['the secret as Basic', { Authorization: 'Basic c2VjcmV0' }],
	])('%s: 401 and nothing emitted', async (_label, headers) => {
		await start(['invoice_paid']);
		await activate();
		const [subscription] = emulator.listSubscriptions();
		const response = await fetch(subscription.endpoint_url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"topic":"invoice_paid"}' });
		expect(response.status).toBe(401);
		expect(trigger.deliveries).toEqual([{ status: 401, items: [] }]);
	});

	test('after deactivation, the old secret is not accepted', async () => {
		await start(['invoice_paid']);
		await activate();
		const secret = (trigger.storedState()['node:Webhook Trigger'] as { registration: { secret: string } }).registration.secret;
		const [subscription] = emulator.listSubscriptions();
		await trigger.hook('delete');
		const response = await fetch(subscription.endpoint_url, { method: 'POST', headers: { Authorization: `Bearer ${secret}` }, body: '{}' });
		expect(response.status).toBe(401);
	});
});

describe('one execution per event, refusals logged', () => {
	const executions = () => trigger.deliveries.filter((delivery) => delivery.items.length > 0);

	test('a delivery sent again (its answer was lost) is answered 200 and starts nothing; another event of the same topic does', async () => {
		await start(['invoice_paid']);
		await activate();
		const [first] = await emulator.deliver('invoice_paid', { id: 'inv_1', status: 'paid' });
		const headers = { ...first.headers };
		const repeat = await trigger.deliverRaw(headers, JSON.stringify(first.body));
		expect(repeat.status).toBe(200);
		expect(executions()).toHaveLength(1);
		await emulator.deliver('invoice_paid', { id: 'inv_1', status: 'paid' });
		expect(executions()).toHaveLength(2);
	});

	test("an n8n that does not keep what the webhook call wrote to the node's static data (2.41.1): the retry is still known, from the process's memory", async () => {
		await start(['invoice_paid']);
		await activate();
		const [first] = await emulator.deliver('invoice_paid', { id: 'inv_3' });
		const stored = trigger.workflow.staticData['node:Webhook Trigger'] as Record<string, unknown>;
		delete stored.deliveries;
		expect((await trigger.deliverRaw({ ...first.headers }, JSON.stringify(first.body))).status).toBe(200);
		expect(executions()).toHaveLength(1);
	});

	test('a retry sent anew (other bytes, a later date) is known by its topic and event id; an old delivery not seen before starts; the same id under another topic is another event', async () => {
		await start(['invoice_paid', 'invoice_created'], false, true);
		await activate();
		const [first] = await emulator.deliver('invoice_paid', { id: 'inv_4' });
		const headers = { ...first.headers };
		const sent = first.body as IDataObject;
		const restamped = await trigger.deliverRaw(headers, JSON.stringify({ ...sent, created_at: new Date(Date.now() + 3_600_000).toISOString(), attempt: 2 }));
		expect(restamped.status).toBe(200);
		expect(executions()).toHaveLength(1);
		// Delivered three days after the event (its first answers lost): the secret is what counts, not the age.
		const late = { id: 'evt_late', topic: 'invoice_paid', created_at: new Date(Date.now() - 3 * 86_400_000).toISOString(), data: { id: 'inv_5' } };
		expect((await trigger.deliverRaw(headers, JSON.stringify(late))).status).toBe(200);
		expect((await trigger.deliverRaw(headers, JSON.stringify(late))).status).toBe(200);
		expect((await trigger.deliverRaw(headers, JSON.stringify({ ...sent, topic: 'invoice_created' }))).status).toBe(200);
		expect(executions()).toHaveLength(3);
	});

	test('the emulator retries a delivery that got no answer: the retry starts no second execution', async () => {
		await start(['invoice_paid']);
		await activate();
		// The first two answers are lost on the way: the calls ran, the emulator heard nothing and sent again.
		trigger.answersToLose = 2;
		const [delivery] = await emulator.deliver('invoice_paid', { id: 'inv_2' }, { retries: 5, backoffMs: 50 });
		expect(delivery.attempts).toEqual([0, 0, 200]);
		expect(trigger.deliveries).toHaveLength(3);
		expect(executions()).toHaveLength(1);
	});

	test('a refused delivery is logged at warning level with the reason, never the secret or the body', async () => {
		const lines = installRecordingLogger();
		await start(['invoice_paid']);
		await activate();
		const before = lines.length;
		const stored = trigger.storedState()['node:Webhook Trigger'] as { registration: { secret: string } };
		const refused = await trigger.deliverRaw({ 'Content-Type': 'application/json', Authorization: 'Bearer wrong-secret-value' }, JSON.stringify({ id: 'evt_x', topic: 'invoice_paid', data: { id: 'inv_secret_body' } }));
		expect(refused.status).toBe(401);
		const warnings = lines.slice(before).filter((line) => line.level === 'warn');
		expect(warnings.map((line) => line.message)).toEqual([expect.stringMatching(/^Alternative Payments Trigger refused a delivery: its Bearer secret is not the one/)]);
		expect(JSON.stringify(warnings)).not.toContain(stored.registration.secret);
		expect(JSON.stringify(warnings)).not.toContain('wrong-secret-value');
		expect(JSON.stringify(warnings)).not.toContain('inv_secret_body');
		expect(executions()).toHaveLength(0);
	});
});
