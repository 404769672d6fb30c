import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../shared/actions/perItem';
import { AlternativePaymentsClient } from '../transport';
import * as customer from './customer';
import * as invoice from './invoice';
import * as payment from './payment';

/** Runs the chosen operation once per input item, through the kit's per-item runner. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, { customer: customer.operations, invoice: invoice.operations, payment: payment.operations }, () => new AlternativePaymentsClient(this));
}
