import type { INodeProperties } from 'n8n-workflow';

/** The line item to change or remove: its id (itm_…), which Paisr shows only where an invoice read lists its items. */
export const itemIdField: INodeProperties = {
	displayName: 'Item ID',
	name: 'itemId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'itm_123456',
	description: "The line item's ID (itm_…). Paisr does not return it when items are added; take it from the invoice's line_items where Paisr lists them.",
};
