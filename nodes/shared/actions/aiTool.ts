import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A node that is `usableAsTool` also exists as a tool variant: n8n copies its description and adds
 * "Tool" to its type name (n8n 2.41.1: tool-generation/ai-tools.js). Its displayOptions' `@tool`
 * condition and the type name are how n8n tells the variant apart, in the editor and when it runs
 * (an agent's tool call and an MCP Server Trigger's alike).
 */
export const runsAsAiTool = (context: IExecuteFunctions) => context.getNode().type.endsWith('Tool');

/**
 * The opt-in of an operation that deletes or moves money: shown only in the tool variant, off by
 * default, so an AI agent cannot run it unless the workflow's author turned it on.
 */
export function allowAsAiToolProperty(effect: string): INodeProperties {
	return {
		displayName: 'Allow as AI Tool',
		name: 'allowAsAiTool',
		type: 'boolean',
		default: false,
		description: `Whether an AI agent may run this tool, which ${effect}. Off, the tool refuses before sending anything.`,
		displayOptions: { show: { '@tool': [true] } },
	};
}

/** Stops an operation that deletes or moves money when an AI agent runs it without the author's opt-in. */
export function refuseAsAiToolUnlessAllowed(context: IExecuteFunctions, itemIndex: number, effect: string): void {
	if (!runsAsAiTool(context) || context.getNodeParameter('allowAsAiTool', itemIndex, false) === true) return;
	throw new NodeOperationError(context.getNode(), `Allow as AI Tool: is off, so an AI agent may not run this tool, which ${effect}; nothing was sent`, {
		itemIndex,
		description: "The workflow's author can turn on Allow as AI Tool in this tool node to let an agent do it.",
	});
}
