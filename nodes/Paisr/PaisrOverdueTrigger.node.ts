import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { FIRST_POLL_NOTICE, overdueTriggerOptions, pollOverdue, readOverdueTriggerOptions } from '../shared/overdue/overduePoll';
import { eachInvoice, simplifyProperty, triggerSimplifies } from '../shared/simplify';
import { simplifyInvoice } from './actions/simplify';
import { MAX_LIST, PaisrClient } from './transport';
import { paisrOverdueRecord } from './trigger/overdueRecord';

export class PaisrOverdueTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paisr Overdue Trigger',
		name: 'paisrOverdueTrigger',
		icon: { light: 'file:../../icons/paisr.svg', dark: 'file:../../icons/paisr.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Invoice Became Overdue"}}',
		description: 'Starts the workflow when a Paisr invoice becomes overdue (each invoice and due date once)',
		defaults: { name: 'Paisr Overdue Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paisrApi', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-paisr#paisr-overdue-trigger',
		properties: [
			FIRST_POLL_NOTICE,
			simplifyProperty,
			overdueTriggerOptions('Paisr', []),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = readOverdueTriggerOptions(this);
		const client = new PaisrClient(this, options.transport);
		return await pollOverdue(this, 'Paisr', options, async () => {
			// Every unpaid invoice: the bookkeeping keeps those past the day they are due, in the workflow's time zone.
			const unpaid = await client.list({ method: 'GET', path: '/invoices', qs: { status: 'unpaid', limit: MAX_LIST } }, 'invoices');
			const complete = unpaid.length < MAX_LIST;
			return { records: unpaid.map(paisrOverdueRecord), complete, cutOff: !complete };
		}, triggerSimplifies(this) ? eachInvoice(simplifyInvoice) : undefined);
	}
}
