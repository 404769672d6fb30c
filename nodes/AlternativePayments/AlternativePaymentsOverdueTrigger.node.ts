import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { FIRST_POLL_NOTICE, optionList, overdueTriggerOptions, pollOverdue, readOverdueTriggerOptions } from '../shared/overdue/overduePoll';
import { simplifyProperty, triggerSimplifies } from '../shared/simplify';
import { triggerSimplifier } from './actions/simplify';
import { AlternativePaymentsClient } from './transport';
import { PAGE_SIZE, readListPage } from './transport/pagination';
import type { OverdueProgress } from './trigger/overdueReading';
import { readOverdue } from './trigger/overdueReading';
import { alternativePaymentsOverdueRecord, DEFAULT_CLOSED_STATUSES, openInvoices, overdueDueDateEnd } from './trigger/overdueRecord';

/** Where the trigger keeps how far it has read (beside the overdue bookkeeping, saved with it). */
const PROGRESS_KEY = 'overdueReading';

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
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-alternative-payments#alternative-payments-overdue-trigger',
		properties: [
			FIRST_POLL_NOTICE,
			simplifyProperty,
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
					displayName: 'Reconcile Every (Hours)',
					name: 'reconcileHours',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 24,
					description:
						'How often everything due before the last few days is read again, one page a poll: it finds an invoice created with an old due date, and one paid long after it fell due. Each poll itself asks only for the invoices due in the last few days.',
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
		const rawOptions = this.getNodeParameter('options', {}) as { closedStatuses?: unknown; reconcileHours?: unknown };
		const reconcileHours = rawOptions.reconcileHours === undefined || rawOptions.reconcileHours === '' ? 24 : Number(rawOptions.reconcileHours);
		if (!Number.isFinite(reconcileHours) || reconcileHours < 1) {
			throw new NodeOperationError(this.getNode(), `Reconcile Every (Hours): must be a number of at least 1, not "${String(rawOptions.reconcileHours)}"`);
		}
		const isOpen = openInvoices(optionList(rawOptions.closedStatuses ?? DEFAULT_CLOSED_STATUSES));
		const client = new AlternativePaymentsClient(this, options.transport);
		return await pollOverdue(this, 'Alternative Payments', options, async (previous) => {
			if (this.getMode() === 'manual') {
				// A sample: one page of what is due yesterday or earlier.
				const page = await readListPage(client, '/invoices', { due_date_end: overdueDueDateEnd(new Date(), options.timeZone), limit: PAGE_SIZE }, 'invoices');
				return { records: page.items.filter(isOpen).map(alternativePaymentsOverdueRecord), complete: false };
			}
			const staticData = this.getWorkflowStaticData('node');
			const progress = (staticData[PROGRESS_KEY] ?? {}) as OverdueProgress;
			const read = await readOverdue(client, progress, previous, options, isOpen, Date.now(), reconcileHours * 3_600_000, (message) => this.logger.warn(message));
			// Written only once every request succeeded; n8n saves it with the bookkeeping.
			staticData[PROGRESS_KEY] = read.progress as unknown as IDataObject;
			return read.answers;
		}, triggerSimplifies(this) ? triggerSimplifier(client, isOpen) : undefined);
	}
}
