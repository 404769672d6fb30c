import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../http/client';
import { asNodeError } from '../http/errorChain';
import { readTransportSettings } from './options';

/**
 * Runs an operation once per input item, in item order (a write is never sent out of order or
 * twice), each item with its own Timeout and Max Wait on the run's one client. With Continue On
 * Fail, a failed item becomes { error, description } paired with it, and the rest go on.
 */
export async function runPerItem(
	context: IExecuteFunctions,
	client: ApiClient,
	run: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			client.useSettings(readTransportSettings(context, itemIndex));
			// One by one: spreading a list of 150,000 items into push() overflows the call stack.
			for (const result of await run(itemIndex)) output.push(result);
		} catch (error) {
			if (!context.continueOnFail()) {
				throw asNodeError(context.getNode(), error, itemIndex);
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

/** One operation of a node: what it does for one input item, with the run's client. */
export type ItemOperation<Client extends ApiClient> = (this: IExecuteFunctions, client: Client, itemIndex: number) => Promise<INodeExecutionData[]>;

/** A node's operations by resource and operation value, as its parameters name them. */
export type OperationTable<Client extends ApiClient> = Record<string, Record<string, { execute: ItemOperation<Client> }>>;

/** Runs the resource and operation the node's parameters chose, once per input item, through runPerItem. */
export async function routeOperation<Client extends ApiClient>(
	context: IExecuteFunctions,
	table: OperationTable<Client>,
	makeClient: () => Client,
): Promise<INodeExecutionData[][]> {
	const resource = context.getNodeParameter('resource', 0, 'invoice') as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const execute = Object.prototype.hasOwnProperty.call(table, resource) && Object.prototype.hasOwnProperty.call(table[resource], operation) ? table[resource][operation].execute : undefined;
	if (!execute) throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const client = makeClient();
	return await runPerItem(context, client, async (itemIndex) => await execute.call(context, client, itemIndex));
}
