import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { invoiceIdLocator, one, optionsCollection, readId, readInvoice } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Checkout links expire (about 30 minutes after Paisr makes them): get a fresh one right before you send it, and do not store it',
		name: 'linkNotice',
		type: 'notice',
		default: '',
	},
	invoiceIdLocator,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getPaymentLink'] } }, properties);

/** "30 minutes", "30 Minutes", "1 hour": how long, in milliseconds; undefined when it cannot be read. */
export function lifetimeMs(expiresIn: unknown): number | undefined {
	const match = typeof expiresIn === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(second|minute|hour|day)s?\s*$/i.exec(expiresIn) : null;
	if (!match) return undefined;
	const unit = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2].toLowerCase() as 'second' | 'minute' | 'hour' | 'day'];
	return Number(match[1]) * unit;
}

/** The invoice's checkout session, read now (Paisr renews an expired one when the invoice is read). */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceId = readId(this, 'invoiceId', 'Invoice', itemIndex);
	const readAt = Date.now();
	const invoice = await readInvoice(client, invoiceId, itemIndex);
	const session = invoice.session as IDataObject | null | undefined;
	const url = typeof session?.url === 'string' ? session.url.trim() : '';
	if (url === '') {
		throw new NodeOperationError(this.getNode(), `Invoice ${invoiceId} has no checkout link (status ${String(invoice.status ?? 'unknown')})`, {
			description: 'Paisr gives a checkout link for unpaid invoices only: a draft, paid or void invoice cannot be paid.',
			itemIndex,
		});
	}
	const lifetime = lifetimeMs(session?.expires_in);
	return one(
		{
			invoiceId,
			sid: invoice.sid,
			status: invoice.status,
			url,
			expiresIn: session?.expires_in ?? null,
			// At the latest: Paisr may have made the session before this read.
			expiresAt: lifetime === undefined ? null : new Date(readAt + lifetime).toISOString(),
		},
		itemIndex,
	);
}
