import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { invoicePickerName } from '../../shared/actions/locator';
import { LIST_SEARCH_SETTINGS } from '../../shared/http/types';
import { PaisrClient } from '../transport';

/** The invoices the list shows: the newest unpaid and draft ones first would need an order Paisr does not promise, so it shows what one answer holds. */
const SEARCH_LIMIT = 200;

const matches = (term: string, ...values: unknown[]) => term === '' || values.some((value) => String(value ?? '').toLowerCase().includes(term));

/** Customers for the "From List" mode: Paisr's list takes no search, so it is searched here by name and email. */
export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = new PaisrClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim().toLowerCase() ?? '';
	const customers = await client.list({ method: 'GET', path: '/customers' }, 'customers');
	return {
		results: customers
			.filter((customer) => matches(term, customer.name, customer.email, customer.id))
			// The customer's currency too: an invoice left at the Customer's Default Currency is billed in it.
			.map((customer: IDataObject) => ({
				name: [customer.name ?? customer.email ?? customer.id, customer.name ? customer.email : undefined, customer.default_currency].filter(Boolean).map(String).join(' · '),
				value: String(customer.id),
			})),
	};
}

/** Payments for the "From List" mode (one answer, as for invoices), searched here by number, invoice, description and status. */
export async function searchPayments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = new PaisrClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim().toLowerCase() ?? '';
	const payments = await client.list({ method: 'GET', path: '/payments', qs: { limit: SEARCH_LIMIT } }, 'payments');
	return {
		results: payments
			.filter((payment) => matches(term, payment.sid, payment.id, payment.invoice_id, payment.description, payment.status))
			.map((payment) => {
				const amount = (payment.amount ?? {}) as IDataObject;
				return {
					name: `#${String(payment.sid ?? payment.id)} · ${String(amount.sub_total ?? '')} ${String(payment.currency ?? '')} · ${String(payment.status ?? '')} · ${String(payment.invoice_id ?? '')}`,
					value: String(payment.id),
				};
			}),
	};
}

/** Invoices for the "From List" mode, searched here by number, summary and customer. */
export async function searchInvoices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = new PaisrClient(this, LIST_SEARCH_SETTINGS);
	const term = filter?.trim().toLowerCase() ?? '';
	const invoices = await client.list({ method: 'GET', path: '/invoices', qs: { limit: SEARCH_LIMIT } }, 'invoices');
	return {
		results: invoices
			.filter((invoice) => {
				const customer = (invoice.customer ?? {}) as IDataObject;
				return matches(term, invoice.sid, invoice.summary, invoice.id, customer.name, customer.email);
			})
			.map((invoice) => {
				const customer = (invoice.customer ?? {}) as IDataObject;
				const amount = (invoice.amount ?? {}) as IDataObject;
				return {
					name: invoicePickerName({ number: `#${String(invoice.sid ?? invoice.id)}`, customer: customer.name ?? customer.email, amount: amount.net_total, currency: invoice.currency, dueDate: invoice.due_at, status: invoice.status }),
					value: String(invoice.id),
				};
			}),
	};
}
