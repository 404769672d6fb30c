// Real webhook events for the playground: `send` in the terminal of `npm start` makes each webhook
// trigger that listens (an active workflow, or Listen for Test Event in the editor) receive one,
// about a real record of the demo data, as the provider would send it.
import type { AltPaymentsEmulator } from './AltPaymentsEmulator.cjs';
import type { PaisrEmulator } from './PaisrEmulator.cjs';

/** One line per event sent: what it was about and what the trigger answered. */
export async function sendPlaygroundEvents(alt: AltPaymentsEmulator, paisr: PaisrEmulator): Promise<string[]> {
	const lines: string[] = [];
	const altTopics = [...new Set(alt.listSubscriptions().filter((subscription) => subscription.is_active).map((subscription) => subscription.topic))];
	for (const topic of altTopics) {
		const record = altRecord(alt, topic);
		if (!record) {
			lines.push(`Alternative Payments ${topic}: no record of that kind in the demo data`);
			continue;
		}
		const deliveries = await alt.deliver(topic, record);
		lines.push(`Alternative Payments ${topic} for ${String(record.id)}: answered ${deliveries.map((delivery) => delivery.status).join(', ')}`);
	}
	const paisrEvents = [...new Set(paisr.listWebhooks().filter((webhook) => webhook.active).flatMap((webhook) => webhook.triggers.map((trigger) => trigger.type)))];
	for (const event of paisrEvents) {
		const id = paisrRecordId(paisr, event);
		if (!id) {
			lines.push(`Paisr ${event}: the playground sends invoice and customer events only`);
			continue;
		}
		const deliveries = await paisr.deliver(event, id);
		lines.push(`Paisr ${event} for ${id}: answered ${deliveries.map((delivery) => delivery.status).join(', ')}`);
	}
	if (lines.length === 0) lines.push('no webhook trigger is listening: activate a workflow with one, or click Listen for Test Event in the editor, then send again');
	return lines;
}

/** The record an Alternative Payments event carries; for invoice_paid, an open invoice that is paid now. */
function altRecord(alt: AltPaymentsEmulator, topic: string): { id: string } | undefined {
	if (topic === 'invoice_paid') {
		const open = alt.listInvoices().find((invoice) => invoice.status !== 'paid');
		if (!open) return undefined;
		alt.updateInvoice(open.id, { status: 'paid' });
		return alt.listInvoices().find((invoice) => invoice.id === open.id);
	}
	if (topic.startsWith('invoice_')) return alt.listInvoices()[0];
	if (topic.startsWith('customer_')) return alt.listCustomers()[0];
	if (topic.startsWith('payment_')) return alt.listPayments()[0];
	return undefined;
}

/** The id a Paisr event names; for invoice.paid, an unpaid invoice that is paid now. */
function paisrRecordId(paisr: PaisrEmulator, event: string): string | undefined {
	if (event === 'invoice.paid') {
		const unpaid = paisr.listInvoices().find((invoice) => invoice.status === 'unpaid');
		if (unpaid) paisr.markPaid(unpaid.id);
		return unpaid?.id;
	}
	if (event.startsWith('invoice.')) return paisr.listInvoices()[0]?.id;
	if (event.startsWith('customer.')) return paisr.listCustomers()[0]?.id;
	return undefined;
}
