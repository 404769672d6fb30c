import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PaisrClient } from '../../transport';
import { one, optionsCollection } from '../common';

const properties: INodeProperties[] = [optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getStats'] } }, properties);

/** Paisr's invoice counts: total, unpaid and paid. */
export async function execute(this: IExecuteFunctions, client: PaisrClient, itemIndex: number): Promise<INodeExecutionData[]> {
	return one(await client.data({ method: 'GET', path: '/metrics/invoices', itemIndex }, 'invoice metrics (data)', false), itemIndex);
}
