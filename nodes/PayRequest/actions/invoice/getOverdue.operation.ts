import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from '../../../shared/actions/options';
import { localDaysOverdue } from '../../../shared/calendarDate';
import { readSimplify, simplifyProperty } from '../../../shared/simplify';
import type { PayRequestClient } from '../../transport';
import { isObjectArray, positiveNumberOption, optionsCollection } from './common';
import { simplifyInvoice } from './simplify';

const properties: INodeProperties[] = [
	// PayRequest answers the whole overdue list at once: Limit keeps the first (most overdue) ones.
	...returnAllAndLimit,
	simplifyProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Min Days Overdue',
				name: 'minDaysOverdue',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Keep only invoices at least this many days past their due date',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getOverdue'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PayRequestClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const minDaysOverdue = positiveNumberOption(this, filters, 'minDaysOverdue', 'Min Days Overdue', 0, 0, itemIndex, 'filter');
	const request = { method: 'GET' as const, path: '/v1/invoices/overdue', itemIndex };
	const envelope = await client.request(request);
	const invoices = client.expectShape(envelope.data, isObjectArray, 'list of invoices in data', request);
	const now = new Date();
	const timeZone = this.getTimezone();
	// PayRequest counts UTC days: an invoice is overdue here from the first midnight after its due
	// date in the workflow's time zone, and Min Days Overdue counts those days (README: Get Overdue).
	const kept = invoices.filter((invoice) => (localDaysOverdue(invoice.due_date, now, timeZone) ?? Number(invoice.days_overdue)) >= Math.max(1, minDaysOverdue));
	const simple = readSimplify(this, itemIndex);
	return (limit === undefined ? kept : kept.slice(0, limit)).map((invoice) => ({
		json: simple ? simplifyInvoice(invoice as IDataObject, now, timeZone) : (invoice as IDataObject),
		pairedItem: { item: itemIndex },
	}));
}
