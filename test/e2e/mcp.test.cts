// The PayRequest node as an AI tool in a real n8n: the example workflow mcp-server.json (n8n's MCP
// Server Trigger with two PayRequest tool nodes) activated, and the official MCP TypeScript SDK as
// the client an AI agent would use. The tools answer from the PayRequest emulator.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { allExecutions, CREDENTIAL_TYPE, importWorkflow, readWorkflow, SANDBOX_CREDENTIAL_NAME, startN8nWithPackage, waitFor } from './harness/e2e.cjs';
import type { N8nInstance } from './harness/n8nInstance.cjs';

jest.setTimeout(120_000);

const READ_WRITE_TOKEN = 'test-token-rw';
const WORKFLOW_FILE = 'mcp-server.json';
// n8n names a tool after its node (nodeNameToToolName: anything but letters, digits, _ and - becomes _).
const GET_OVERDUE_TOOL = 'Get_overdue_invoices';
const SEND_REMINDER_TOOL = 'Send_payment_reminder';
const OVERDUE_PATH = '/api/v1/invoices/overdue';

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

/** The JSON a tool answered with: n8n sends a node tool's output items as one text content. */
function toolJson(result: ToolResult): unknown {
	expect(result.isError).toBeFalsy();
	expect(result.content).toHaveLength(1);
	expect(result.content[0].type).toBe('text');
	return JSON.parse(result.content[0].text as string);
}

describe('PayRequest tools behind n8n’s MCP Server Trigger', () => {
	let n8n: N8nInstance;
	let emulator: PayRequestEmulator;
	let workflowId: string;
	let endpoint: URL;
	let client: Client | undefined;

	/** Tool descriptions as the example workflow sets them (Tool Description → Set Manually). */
	const toolDescriptions = () => {
		const byNodeName = Object.fromEntries(
			readWorkflow(WORKFLOW_FILE).nodes.map((node: { name: string; parameters: { toolDescription?: string } }) => [node.name, node.parameters.toolDescription]),
		);
		return { [GET_OVERDUE_TOOL]: byNodeName['Get overdue invoices'], [SEND_REMINDER_TOOL]: byNodeName['Send payment reminder'] };
	};

	const connect = async (transport: StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> => {
		const connected = new Client({ name: 'n8n-nodes-invoicing-e2e', version: '1.0.0' });
		await connected.connect(transport);
		return connected;
	};

	beforeAll(async () => {
		emulator = new PayRequestEmulator({ now: '2025-03-01T12:00:00Z', seed: { customers: 2, invoices: 0, seed: 1 } });
		const invoice = (id: number, customerId: number, dueDate: string, status = 'pending') =>
			emulator.addInvoice({ id, customer_id: customerId, date: '2025-01-15', due_date: dueDate, status, items: [{ description: `Work ${id}`, quantity: 1, unit_price: id - 900 }] });
		invoice(1001, 501, '2025-02-10'); // 19 days overdue
		invoice(1002, 502, '2025-02-20', 'sent'); // 9 days overdue
		invoice(1003, 501, '2025-03-20'); // not due yet
		invoice(1004, 502, '2025-02-01', 'paid'); // past due but paid: not overdue
		const baseUrl = await emulator.listen();

		n8n = await startN8nWithPackage('mcp');
		const { id: credentialId } = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: READ_WRITE_TOKEN, baseUrl });
		({ id: workflowId } = await importWorkflow(n8n, WORKFLOW_FILE, { id: credentialId, name: SANDBOX_CREDENTIAL_NAME }));
		await n8n.activate(workflowId);
		const trigger = readWorkflow(WORKFLOW_FILE).nodes.find((node: { type: string }) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
		// The trigger's Production URL: <n8n>/mcp/<path> (N8N_ENDPOINT_MCP defaults to "mcp").
		endpoint = new URL(`${n8n.url}/mcp/${trigger.parameters.path}`);
	});

	afterAll(async () => {
		await client?.close().catch(() => {});
		await n8n?.dispose();
		await emulator?.close();
	});

	it('n8n loaded the MCP Server Trigger and the PayRequest tool variant', async () => {
		const nodeTypes = await n8n.nodeTypes();
		expect(nodeTypes).toEqual(expect.arrayContaining(['@n8n/n8n-nodes-langchain.mcpTrigger', 'n8n-nodes-payrequest.payRequestTool']));
	});

	it('an MCP client connects over Streamable HTTP and lists exactly the two PayRequest tools', async () => {
		client = await connect(new StreamableHTTPClientTransport(endpoint));
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual([GET_OVERDUE_TOOL, SEND_REMINDER_TOOL]);
		expect({ [GET_OVERDUE_TOOL]: byName[GET_OVERDUE_TOOL].description, [SEND_REMINDER_TOOL]: byName[SEND_REMINDER_TOOL].description }).toEqual(toolDescriptions());
		// Get Overdue takes no arguments; Send Reminder asks the model for the invoice id ($fromAI).
		expect(Object.keys(byName[GET_OVERDUE_TOOL].inputSchema.properties ?? {})).toEqual([]);
		expect(byName[SEND_REMINDER_TOOL].inputSchema).toMatchObject({
			type: 'object',
			properties: { invoiceId: { type: 'string', description: 'The id of the overdue invoice to send a reminder for, e.g. 1001' } },
			required: ['invoiceId'],
		});
		// Listing runs nothing against PayRequest.
		expect(emulator.requests).toEqual([]);
	});

	it('Get overdue invoices answers with exactly the emulator’s overdue invoices, most overdue first', async () => {
		emulator.clearRequests();
		const result = (await client!.callTool({ name: GET_OVERDUE_TOOL, arguments: {} })) as ToolResult;
		const invoices = toolJson(result) as Array<Record<string, any>>;
		// Simplify is on in the example: the agent gets the compact fields, not PayRequest's whole invoice.
		expect(invoices.map((invoice) => invoice.id)).toEqual(['1001', '1002']);
		// Days overdue are the workflow's days (UTC here) up to n8n's clock, today, not the emulator's 2025 date.
		const now = new Date();
		const daysSince = (due: string) => Math.round((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
		expect(invoices.map((invoice) => [invoice.daysOverdue, invoice.customer?.id, invoice.provider])).toEqual([
			[daysSince('2025-02-10'), '501', 'payRequest'],
			[daysSince('2025-02-20'), '502', 'payRequest'],
		]);
		expect(invoices.every((invoice) => invoice.invoice_items === undefined && typeof invoice.amountTotal === 'number')).toBe(true);
		expect(emulator.requests.map((request) => [request.method, request.path, request.status])).toEqual([['GET', OVERDUE_PATH, 200]]);
		expect(emulator.reminders).toEqual([]);
	});

	it('Send payment reminder sends exactly one reminder, for the invoice id the client passed', async () => {
		emulator.clearRequests();
		const result = (await client!.callTool({ name: SEND_REMINDER_TOOL, arguments: { invoiceId: '1002' } })) as ToolResult;
		expect(toolJson(result)).toEqual([{ success: true, message: 'Invoice reminder sent successfully', invoiceId: 1002 }]);
		expect(emulator.reminders.map((reminder) => reminder.invoiceId)).toEqual([1002]);
		expect(emulator.requests.map((request) => [request.method, request.path])).toEqual([['POST', '/api/v1/invoices/1002/reminder']]);
	});

	it('each tool call ran as one successful production execution of the workflow', async () => {
		const executions = await waitFor('two finished MCP executions', async () => {
			const all = await allExecutions(n8n, workflowId);
			return all.length === 2 && all.every((execution) => execution.status === 'success') ? all : undefined;
		});
		expect(executions.map((execution) => execution.mode)).toEqual(['webhook', 'webhook']);
	});

	it('an SSE client (the older MCP transport, GET on the same URL) lists the same tools', async () => {
		const sseClient = await connect(new SSEClientTransport(endpoint));
		try {
			const { tools } = await sseClient.listTools();
			expect(tools.map((tool) => tool.name).sort()).toEqual([GET_OVERDUE_TOOL, SEND_REMINDER_TOOL]);
		} finally {
			await sseClient.close();
		}
	});

	it('once the workflow is deactivated, the endpoint is gone', async () => {
		await client!.close();
		client = undefined;
		await n8n.deactivate(workflowId);
		await expect(connect(new StreamableHTTPClientTransport(endpoint))).rejects.toThrow(/404/);
	});
});
