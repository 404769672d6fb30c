import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { FIRST_POLL_NOTICE, optionList, overdueTriggerOptions, pollOverdue, readOverdueTriggerOptions } from '../shared/overdue/overduePoll';
import { AlternativePaymentsClient } from './transport';
import { listAll } from './transport/pagination';
import { alternativePaymentsOverdueRecord, DEFAULT_CLOSED_STATUSES, openInvoices, overdueDueDateEnd } from './trigger/overdueRecord';

export class AlternativePaymentsOverdueTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alternative Payments Overdue Trigger',
		name: 'alternativePaymentsOverdueTrigger',
		icon: { light: 'file:../../icons/alternativepayments.svg', dark: 'file:../../icons/alternativepayments.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Invoice Became Overdue"}}',
		description: 'Starts the workflow when an Alternative Payments invoice becomes overdue (each invoice and due date once)',
		defaults: { name: 'Alternative Payments Overdue Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alternativePaymentsOAuth2Api', required: true }],
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-invoicing#overdue-triggers',
		properties: [
			FIRST_POLL_NOTICE,
			overdueTriggerOptions('Alternative Payments', [
				{
					displayName: 'Closed Statuses',
					name: 'closedStatuses',
					type: 'string',
					default: DEFAULT_CLOSED_STATUSES,
					description:
						'Statuses that do not count as unpaid (comma-separated). Alternative Payments publishes no list of statuses: any other status, known or not, counts as unpaid.',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'string',
					default: '',
					placeholder: 'open, past_due',
					description: 'Only invoices in one of these statuses (comma-separated, as Alternative Payments writes them)',
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = readOverdueTriggerOptions(this);
		const rawOptions = this.getNodeParameter('options', {}) as { closedStatuses?: unknown };
		const isOpen = openInvoices(optionList(rawOptions.closedStatuses ?? DEFAULT_CLOSED_STATUSES));
		const client = new AlternativePaymentsClient(this, options.transport);
		return await pollOverdue(this, 'Alternative Payments', options, async () => {
			// Every invoice due yesterday or earlier, all pages by cursor. Min Days Overdue is applied by
			// the bookkeeping, not the server: a wider window after lowering it would look like new invoices.
			const invoices = await listAll(client, '/invoices', { due_date_end: overdueDueDateEnd(new Date()) }, { what: 'invoices' });
			return { records: invoices.filter(isOpen).map(alternativePaymentsOverdueRecord), complete: true };
		});
	}
}
