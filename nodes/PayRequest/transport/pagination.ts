import type { NumberedPage } from '../../shared/pagination/pageNumber';
import { collectNumberedPages } from '../../shared/pagination/pageNumber';
import type { ApiBody, PayRequestClient, PayRequestRequest } from './index';
import { PER_PAGE_MAX } from './index';

export type Invoice = Record<string, unknown>;

export interface InvoiceListQuery {
	/** Stop once this many invoices are kept; undefined means every invoice. */
	limit?: number;
	/** Applied by the node while paging: the API itself has no filters. */
	keep?: (invoice: Invoice) => boolean;
	/** How many pages may be in flight at once after the first. */
	maxConcurrency: number;
	itemIndex?: number;
}

const isPaginator = (value: unknown): value is { data: unknown[]; last_page?: unknown; total?: unknown } =>
	typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data);

const wholeNumber = (value: unknown, minimum: number): number | undefined => {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isSafeInteger(number) && number >= minimum ? number : undefined;
};

/** One page of the invoice list (Laravel's paginator under PayRequest's envelope), checked for its shape. */
export async function listInvoicePage(
	client: PayRequestClient,
	page: number,
	perPage = PER_PAGE_MAX,
	itemIndex?: number,
): Promise<NumberedPage<Invoice>> {
	const request: PayRequestRequest = { method: 'GET', path: '/v1/invoices', qs: { page, per_page: perPage }, itemIndex };
	const envelope: ApiBody = await client.request(request);
	const paginator = client.expectShape(envelope.data, isPaginator, 'list of invoices in data.data', request);
	const items = paginator.data.filter(
		(entry): entry is Invoice => typeof entry === 'object' && entry !== null && !Array.isArray(entry),
	);
	const total = wholeNumber(paginator.total, 0);
	const lastPage = wholeNumber(paginator.last_page, 1) ?? (total === undefined ? undefined : Math.max(1, Math.ceil(total / perPage)));
	return { items, lastPage, total };
}

/**
 * Lists invoices 100 a page (the API's maximum, so the request count is the minimum: ceil(total /
 * 100) for everything), through the kit's page-number collector: pages in the API's order, no
 * invoice twice, and a list that changed while it was read is read again.
 */
export async function listInvoices(client: PayRequestClient, query: InvoiceListQuery): Promise<Invoice[]> {
	return await collectNumberedPages(client, {
		...query,
		readPage: async (page) => await listInvoicePage(client, page, PER_PAGE_MAX, query.itemIndex),
		perPage: PER_PAGE_MAX,
		idOf: (invoice) => (invoice.id === undefined || invoice.id === null ? undefined : String(invoice.id)),
		providerName: 'PayRequest',
		noun: 'invoice',
	});
}
