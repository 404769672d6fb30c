import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/actions/perItem';
import { AlternativePaymentsClient } from '../transport';
import type { InvoiceOperation } from './invoice';
import { operations } from './invoice';

/** Runs the chosen operation once per input item, through the kit's per-item runner. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'invoice') as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource !== 'invoice' || !(operation in operations)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const run = operations[operation as InvoiceOperation].execute;
	const client = new AlternativePaymentsClient(this);
	return await runPerItem(this, client, async (itemIndex) => await run.call(this, client, itemIndex));
}
