/**
 * `send` in the playground (npm start): each webhook trigger that listens gets one real event about
 * a real record of the demo data, delivered by the emulator over HTTP to the trigger's webhook and
 * handed to webhook() through n8n-core's WebhookContext.
 */
import { playgroundEmulators } from '../emulator/playground.cjs';
import { sendPlaygroundEvents } from '../emulator/playgroundEvents.cjs';
import { ALTERNATIVE_PAYMENTS_TRIGGER_TYPE, PAISR_TRIGGER_TYPE, WebhookTriggerWorkflow } from '../engine/harness.cjs';

jest.setTimeout(30_000);

const { alt, paisr } = playgroundEmulators({ payRequest: false });
let altTrigger: WebhookTriggerWorkflow;
let paisrTrigger: WebhookTriggerWorkflow;

beforeAll(async () => {
	const [altUrl, paisrUrl] = [await alt.listen(), await paisr.listen()];
	altTrigger = new WebhookTriggerWorkflow(ALTERNATIVE_PAYMENTS_TRIGGER_TYPE, { events: ['invoice_paid'], simple: true }, { environment: 'custom', baseUrl: altUrl, clientId: 'client-full', clientSecret: 'secret-full' });
	paisrTrigger = new WebhookTriggerWorkflow(PAISR_TRIGGER_TYPE, { events: ['invoice.paid'], simple: true }, undefined, { environment: 'custom', baseUrl: paisrUrl, accessToken: 'paisr-full' });
	await altTrigger.listen();
	await paisrTrigger.listen();
});

afterAll(async () => {
	await altTrigger?.close();
	await paisrTrigger?.close();
	await Promise.all([alt.close(), paisr.close()]);
});

test('with nothing listening, it says what to do', async () => {
	expect(await sendPlaygroundEvents(alt, paisr)).toEqual([expect.stringMatching(/^no webhook trigger is listening: activate a workflow/)]);
});

test('each listening trigger gets an invoice paid event about a real demo invoice, now paid, with every field to map', async () => {
	await altTrigger.hook('create');
	await paisrTrigger.hook('create');
	const lines = await sendPlaygroundEvents(alt, paisr);
	expect(lines).toEqual([expect.stringMatching(/^Alternative Payments invoice_paid for \S+: answered 200$/), expect.stringMatching(/^Paisr invoice\.paid for inv_\S+: answered 200$/)]);

	const [altEvent] = altTrigger.deliveries.flatMap((delivery) => delivery.items.map((item) => item.json));
	expect(alt.listInvoices().find((invoice) => invoice.id === altEvent.id)?.status).toBe('paid');
	expect(altEvent).toMatchObject({ event: 'invoicePaid', provider: 'alternativePayments', status: 'paid', currency: 'USD', amountTotal: expect.any(Number), customer: { id: expect.any(String), name: expect.any(String) } });

	const [paisrEvent] = paisrTrigger.deliveries.flatMap((delivery) => delivery.items.map((item) => item.json));
	expect(paisr.invoice(String(paisrEvent.id))?.status).toBe('paid');
	expect(paisrEvent).toMatchObject({ event: 'invoicePaid', provider: 'paisr', status: 'paid', amountTotal: expect.any(Number), customer: { id: expect.any(String), email: expect.any(String) } });
	expect(paisrEvent).not.toHaveProperty('sample');
});
