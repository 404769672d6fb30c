import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/actions/perItem';
import { AlternativePaymentsClient } from '../transport';
import * as customer from './customer';
import * as invoice from './invoice';
import * as payment from './payment';

type Operation = (this: IExecuteFunctions, client: AlternativePaymentsClient, itemIndex: number) => Promise<INodeExecutionData[]>;

const resources: Record<string, Record<string, { execute: Operation }>> = {
	customer: customer.operations,
	invoice: invoice.operations,
	payment: payment.operations,
};

/** Runs the chosen operation once per input item, through the kit's per-item runner. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'invoice') as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = resources[resource]?.[operation]?.execute;
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const client = new AlternativePaymentsClient(this);
	return await runPerItem(this, client, async (itemIndex) => await run.call(this, client, itemIndex));
}
