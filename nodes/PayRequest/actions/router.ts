import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PayRequestClient } from '../transport';
import { readTransportSettings } from './invoice/common';
import type { InvoiceOperation } from './invoice';
import { operations } from './invoice';

/**
 * Runs the chosen operation once per input item, in item order (a write is never sent out of
 * order or twice). With Continue On Fail, a failed item becomes { error } and the rest go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0, 'invoice') as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource !== 'invoice' || !(operation in operations)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const run = operations[operation as InvoiceOperation].execute;
	const client = new PayRequestClient(this);
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			client.useSettings(readTransportSettings(this, itemIndex));
			// One by one: spreading a list of 150,000 invoices into push() overflows the call stack.
			for (const result of await run.call(this, client, itemIndex)) output.push(result);
		} catch (error) {
			if (!this.continueOnFail()) {
				throw error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			const message = error instanceof Error ? error.message : String(error);
			const description = (error as { description?: unknown }).description;
			output.push({
				json: { error: message, ...(typeof description === 'string' && description ? { description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
