import type { IDataObject } from 'n8n-workflow';

import { asNodeError, hasHttpStatus, isNotFound } from '../../shared/http/errorChain';
import { optionList } from '../../shared/overdue/overduePoll';
import { centsOf } from '../../shared/money';
import type { InvoiceSimplifier, SimpleCustomer, SimpleInvoice, SimplePayment } from '../../shared/simplify';
import { centsOrNull, customerRef, daysOverdueOrNull, dueDateOrNull, eventName, moneyOrNull, objectOrEmpty, textOrNull } from '../../shared/simplify';
import type { AlternativePaymentsClient } from '../transport';
import { resourcePath } from '../transport';
import { PAGE_SIZE, readListPage } from '../transport/pagination';
import { DEFAULT_CLOSED_STATUSES, openInvoices } from '../trigger/overdueRecord';

/** The customers simplified invoices name, by id: null for one Alternative Payments no longer has. */
export type CustomersById = Map<string, IDataObject | null>;

const isDefaultOpen = openInvoices(optionList(DEFAULT_CLOSED_STATUSES));

/**
 * An Alternative Payments invoice in the compact shape every provider shares. Its tax is implied
 * (total less sub_total); its customer's name and email come from the directory, because the
 * invoice carries only the customer's id.
 */
export function simplifyInvoice(invoice: Record<string, unknown>, customers: CustomersById, now: Date, timeZone: string, isOpen: (invoice: unknown) => boolean = isDefaultOpen): SimpleInvoice {
	const customerId = textOrNull(invoice.customer_id);
	const customer = objectOrEmpty(customerId === null ? undefined : customers.get(customerId));
	const net = centsOf(invoice.sub_total);
	const total = centsOf(invoice.total);
	const dueDate = dueDateOrNull(invoice.due_date);
	return {
		id: String(invoice.id),
		number: textOrNull(invoice.invoice_number),
		status: textOrNull(invoice.status),
		currency: textOrNull(invoice.currency),
		amountNet: centsOrNull(net),
		// In whole cents: the provider's total less its sub-total, with no float in between.
		amountTax: net === undefined || total === undefined ? null : centsOrNull(total - net),
		amountTotal: centsOrNull(total),
		dueDate,
		daysOverdue: daysOverdueOrNull(dueDate, isOpen(invoice), now, timeZone),
		customer: customerRef(customerId, customer.name ?? customer.company_name, customer.email),
		// Lists and Get carry no payment link: Get Payment Link asks for one.
		paymentLink: null,
		provider: 'alternativePayments',
	};
}

export function simplifyCustomer(customer: Record<string, unknown>): SimpleCustomer {
	return {
		id: String(customer.id),
		name: textOrNull(customer.name) ?? textOrNull(customer.company_name),
		email: textOrNull(customer.email),
		portalLink: null,
		provider: 'alternativePayments',
	};
}

export function simplifyPayment(payment: Record<string, unknown>): SimplePayment {
	return {
		id: String(payment.id),
		status: textOrNull(payment.status),
		currency: textOrNull(payment.currency),
		amount: moneyOrNull(payment.total),
		invoiceId: textOrNull(payment.invoice_id),
		customerId: textOrNull(payment.customer_id),
		createdAt: textOrNull(payment.created_at),
		provider: 'alternativePayments',
	};
}

/** Customers read one by one, at most, in one execution or poll: a Get, a webhook delivery, a quiet poll. */
const BY_ID_READS = 10;
/**
 * Customers a page when Simplify reads the customer list. The API documents only the default
 * (100); a larger page is what keeps Simplify within a few requests of a list of invoices. A server
 * that refuses it (400) is asked again with the default, and so on for the rest of the execution.
 */
const CUSTOMER_PAGE_SIZE = 500;

/**
 * The customers Simplify has read in one execution or poll (one client), shared by all its items
 * and pages, so that its cost never grows with the invoices (README: Simplify). The first few
 * customers it needs are read one by one; beyond that it reads the customer list a page at a time,
 * each page once, until it has every customer asked for or the list ends. A customer the list does
 * not show (archived, or made since) is null then, as is one Alternative Payments no longer has.
 */
class CustomerDirectory {
	private readonly known: CustomersById = new Map();

	private byIdLeft = BY_ID_READS;

	private pageSize = CUSTOMER_PAGE_SIZE;

	private after: string | undefined;

	private listEnded = false;

	constructor(private readonly client: AlternativePaymentsClient) {}

	/**
	 * The customers these invoices name. Any failure but a 404 is thrown, unless `tolerant` (a
	 * trigger, whose events must not be lost to a name): then what could not be read is null.
	 */
	async lookUp(invoices: Array<Record<string, unknown>>, itemIndex: number | undefined, tolerant: boolean): Promise<CustomersById> {
		const wanted = new Set<string>();
		for (const invoice of invoices) {
			const id = textOrNull(invoice.customer_id);
			if (id !== null && !this.known.has(id)) wanted.add(id);
		}
		try {
			await this.read(wanted, itemIndex);
		} catch (error) {
			if (!tolerant) throw asNodeError(this.client.node, error, itemIndex);
			for (const id of wanted) if (!this.known.has(id)) this.known.set(id, null);
		}
		return this.known;
	}

	private async read(wanted: Set<string>, itemIndex: number | undefined): Promise<void> {
		const missing = () => [...wanted].filter((id) => !this.known.has(id));
		while (missing().length > 0) {
			const left = missing();
			if (left.length <= this.byIdLeft) {
				for (const id of left) await this.readOne(id, itemIndex);
				return;
			}
			if (this.listEnded) {
				for (const id of left) this.known.set(id, null);
				return;
			}
			await this.readNextListPage(itemIndex);
		}
	}

	private async readOne(id: string, itemIndex: number | undefined): Promise<void> {
		this.byIdLeft--;
		try {
			this.known.set(id, (await this.client.request({ method: 'GET', path: resourcePath('customers', id), itemIndex })) as IDataObject);
		} catch (error) {
			if (!isNotFound(error)) throw asNodeError(this.client.node, error, itemIndex);
			this.known.set(id, null);
		}
	}

	private async readNextListPage(itemIndex: number | undefined): Promise<void> {
		let page;
		try {
			page = await readListPage(this.client, '/customers', { limit: this.pageSize, ...(this.after ? { after: this.after } : {}) }, 'customers', itemIndex);
		} catch (error) {
			if (!hasHttpStatus(error, 400) || this.pageSize === PAGE_SIZE) throw asNodeError(this.client.node, error, itemIndex);
			this.pageSize = PAGE_SIZE;
			return;
		}
		for (const customer of page.items) {
			const id = textOrNull(customer.id);
			if (id !== null) this.known.set(id, customer as IDataObject);
		}
		if (!page.hasNextPage || page.endCursor === undefined || page.endCursor === this.after || page.items.length === 0) this.listEnded = true;
		this.after = page.endCursor;
	}
}

const directories = new WeakMap<AlternativePaymentsClient, CustomerDirectory>();

/** The customers these invoices name, from the client's execution-wide directory (see CustomerDirectory). */
export async function readCustomers(client: AlternativePaymentsClient, invoices: Array<Record<string, unknown>>, itemIndex?: number, tolerant = false): Promise<CustomersById> {
	let directory = directories.get(client);
	if (directory === undefined) {
		directory = new CustomerDirectory(client);
		directories.set(client, directory);
	}
	return await directory.lookUp(invoices, itemIndex, tolerant);
}

/** How one resource's records become compact ones (invoices read their customers first). */
export type Simplifier = (client: AlternativePaymentsClient, records: IDataObject[], itemIndex: number) => Promise<IDataObject[]>;

export const simplifyInvoices: Simplifier = async (client, invoices, itemIndex) => {
	const customers = await readCustomers(client, invoices, itemIndex);
	const now = new Date();
	return invoices.map((invoice) => simplifyInvoice(invoice, customers, now, client.timeZone));
};

export const simplifyCustomers: Simplifier = async (_client, customers) => customers.map(simplifyCustomer);

export const simplifyPayments: Simplifier = async (_client, payments) => payments.map(simplifyPayment);

/** Simplify for the triggers: a customer that cannot be read in time leaves its name and email null. */
export function triggerSimplifier(client: AlternativePaymentsClient, isOpen: (invoice: unknown) => boolean = isDefaultOpen): InvoiceSimplifier {
	return async (invoices, now, timeZone) => {
		const customers = await readCustomers(client, invoices, undefined, true);
		return invoices.map((invoice) => simplifyInvoice(invoice, customers, now, timeZone, isOpen));
	};
}

/**
 * A webhook delivery in the compact shape: the invoice, customer or payment it carries, and the
 * event in the spelling every provider's trigger shares ("invoice_paid" is "invoicePaid").
 */
export async function simplifyDelivery(client: AlternativePaymentsClient, topic: string | undefined, body: IDataObject, now: Date): Promise<IDataObject> {
	const event = eventName(topic);
	const data = objectOrEmpty(body.data);
	const resource = /^(invoice|customer|payment)_/.exec(topic ?? '')?.[1];
	if (data.id === undefined || data.id === null || resource === undefined) {
		return { id: textOrNull(data.id), event, provider: 'alternativePayments' };
	}
	if (resource === 'invoice') return { ...(await triggerSimplifier(client)([data], now, client.timeZone))[0], event };
	return { ...(resource === 'customer' ? simplifyCustomer(data) : simplifyPayment(data)), event };
}
