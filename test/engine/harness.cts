/**
 * Runs our nodes through n8n-core's real engine: WorkflowExecute for the node, PollContext and
 * TriggersAndPollers for the trigger, with the credential's own `authenticate` applied the way
 * n8n's server does. Requests go over real HTTP to the PayRequest emulator.
 */
import * as http from 'http';

import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, HookContext, LoadOptionsContext, PollContext, TriggersAndPollers, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeListSearchResult,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { AlternativePaymentsOAuth2Api } from '../../credentials/AlternativePaymentsOAuth2Api.credentials';
import { PaisrApi } from '../../credentials/PaisrApi.credentials';
import { PayRequestApi } from '../../credentials/PayRequestApi.credentials';
import { AlternativePayments } from '../../nodes/AlternativePayments/AlternativePayments.node';
import { AlternativePaymentsOverdueTrigger } from '../../nodes/AlternativePayments/AlternativePaymentsOverdueTrigger.node';
import { AlternativePaymentsTrigger } from '../../nodes/AlternativePayments/AlternativePaymentsTrigger.node';
import { Paisr } from '../../nodes/Paisr/Paisr.node';
import { PaisrOverdueTrigger } from '../../nodes/Paisr/PaisrOverdueTrigger.node';
import { PaisrTrigger } from '../../nodes/Paisr/PaisrTrigger.node';
import { PayRequest } from '../../nodes/PayRequest/PayRequest.node';
import { forgetUnsavedPollStates } from '../../nodes/shared/pollState';

export const NODE_TYPE = 'CUSTOM.payRequest';
export const ALTERNATIVE_PAYMENTS_TYPE = 'CUSTOM.alternativePayments';
export const ALTERNATIVE_PAYMENTS_TRIGGER_TYPE = 'CUSTOM.alternativePaymentsTrigger';
export const TRIGGER_TYPE = 'CUSTOM.payRequestTrigger';
export const PAISR_TYPE = 'CUSTOM.paisr';
export const PAISR_TRIGGER_TYPE = 'CUSTOM.paisrTrigger';
export const ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE = 'CUSTOM.alternativePaymentsOverdueTrigger';
export const PAISR_OVERDUE_TRIGGER_TYPE = 'CUSTOM.paisrOverdueTrigger';
/** The tool variant n8n makes of the Paisr node (usableAsTool): the type name with "Tool" added. */
export const PAISR_TOOL_TYPE = 'CUSTOM.paisrTool';
const AGENT_TYPE = 'test.agent';
const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
const ITEMS_TYPE = 'test.items';

export interface TestCredential {
	accessToken: string;
	baseUrl: string;
}

/** n8n-nodes-base is not a dependency: a Manual Trigger is two lines. */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Emits the JSON items given in its `items` parameter: the input of the node under test. */
class Items implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

/**
 * The tool variant n8n makes of a node that is `usableAsTool` (n8n 2.41.1: tool-generation/ai-tools.js):
 * "Tool" added to its type name and display name, no main input, an AI tool output, the same execute.
 */
function toolVariant(type: INodeType): INodeType {
	const { usableAsTool: _usableAsTool, ...description } = type.description;
	return {
		description: { ...description, name: `${description.name}Tool`, displayName: `${description.displayName} Tool`, inputs: [], outputs: [NodeConnectionTypes.AiTool] },
		execute: type.execute,
		methods: type.methods,
	};
}

/**
 * Stands for n8n's AI Agent (or its MCP Server Trigger): takes the tools connected to it through
 * n8n-core's getInputConnectionData, which wraps a tool node as a tool and runs its execute as a
 * tool call, and calls each once. Emits one item per tool: its answer, or the error it threw.
 */
class Agent implements INodeType {
	description = {
		displayName: 'Agent',
		name: 'agent',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{ name: string; invoke: (args: IDataObject) => Promise<string> }>;
		const answers: INodeExecutionData[] = [];
		for (const tool of tools) {
			try {
				answers.push({ json: { tool: tool.name, answer: JSON.parse(await tool.invoke({})) as IDataObject } });
			} catch (error) {
				answers.push({ json: { tool: tool.name, error: (error as Error).message } });
			}
		}
		return [answers];
	}
}

const credentialTypes: Record<string, ICredentialType> = {
	payRequestApi: new PayRequestApi(),
	alternativePaymentsOAuth2Api: new AlternativePaymentsOAuth2Api(),
	paisrApi: new PaisrApi(),
};

/** A Paisr API credential as stored: accessToken, environment, baseUrl. */
export type StoredPaisrCredential = ICredentialDataDecryptedObject;

/**
 * An OAuth2 credential as n8n stores it: the token n8n mints is written back into this object
 * (updateCredentialsOauthTokenData), so the next run finds it, as it would in n8n's database.
 */
export type StoredOAuth2Credential = ICredentialDataDecryptedObject;

const CREDENTIAL_TEST_TYPE = 'test.credentialTest';
const PAISR_CREDENTIAL_TEST_TYPE = 'test.paisrCredentialTest';
const ALT_CREDENTIAL_TEST_TYPE = 'test.alternativePaymentsCredentialTest';

/**
 * The node n8n's credential tester builds from a credential's declarative `test`: one routing
 * request, run by n8n-core's RoutingNode with the credential applied.
 */
function credentialTestNodeType(credentialType: ICredentialType): INodeType {
	if (!credentialType.test) throw new Error(`${credentialType.name} has no test request`);
	return {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [{ displayName: '', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } }],
		},
	} as INodeType;
}

export function loadTriggerType(): INodeType | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require('../../nodes/PayRequest/PayRequestTrigger.node') as { PayRequestTrigger: new () => INodeType };
		return new module.PayRequestTrigger();
	} catch {
		return undefined;
	}
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;

	constructor() {
		this.types = {
			[NODE_TYPE]: new PayRequest(),
			[ALTERNATIVE_PAYMENTS_TYPE]: new AlternativePayments(),
			[ALTERNATIVE_PAYMENTS_TRIGGER_TYPE]: new AlternativePaymentsTrigger(),
			[MANUAL_TRIGGER_TYPE]: new ManualTrigger(),
			[ITEMS_TYPE]: new Items(),
			[PAISR_TYPE]: new Paisr(),
			[PAISR_TOOL_TYPE]: toolVariant(new Paisr()),
			[AGENT_TYPE]: new Agent(),
			[PAISR_TRIGGER_TYPE]: new PaisrTrigger(),
			[ALTERNATIVE_PAYMENTS_OVERDUE_TRIGGER_TYPE]: new AlternativePaymentsOverdueTrigger(),
			[PAISR_OVERDUE_TRIGGER_TYPE]: new PaisrOverdueTrigger(),
			[CREDENTIAL_TEST_TYPE]: credentialTestNodeType(credentialTypes.payRequestApi),
			[PAISR_CREDENTIAL_TEST_TYPE]: credentialTestNodeType(credentialTypes.paisrApi),
			[ALT_CREDENTIAL_TEST_TYPE]: credentialTestNodeType(credentialTypes.alternativePaymentsOAuth2Api),
		};
		const trigger = loadTriggerType();
		if (trigger) this.types[TRIGGER_TYPE] = trigger;
	}

	register(name: string, type: INodeType): void {
		this.types[name] = type;
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * A stored credential as n8n's server hands it to a node: the type's defaults filled in (its
 * hidden fields among them), then every expression resolved with `$self` as the data itself.
 */
export function resolveCredentialData(type: string, stored: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const withDefaults: ICredentialDataDecryptedObject = { ...stored };
	for (const property of credentialTypes[type]?.properties ?? []) {
		if (withDefaults[property.name] === undefined) withDefaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
	}
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	const mockNode: INode = { id: 'mock', name: 'mock', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };
	return workflow.expression.getComplexParameterValue(mockNode, withDefaults as unknown as INodeParameters, 'internal', {}, undefined, undefined, withDefaults as unknown as IDataObject) as unknown as ICredentialDataDecryptedObject;
}

/**
 * Applies a credential type's `authenticate` as n8n's server does, resolving its
 * `={{$credentials.…}}` expressions through the workflow's expression engine.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credential: TestCredential | undefined,
		private readonly oauth2: StoredOAuth2Credential | undefined,
		private readonly paisr: StoredPaisrCredential | undefined,
	) {
		super();
	}

	getParentTypes(type: string): string[] {
		return credentialTypes[type]?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('authenticate needs the workflow and the node');
		const resolve = (value: unknown) =>
			workflow.expression.getSimpleParameterValue(node, value as string, 'internal', { $credentials: credentials }, undefined, '');
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) headers[name] = resolve(value) as string;
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (type === 'alternativePaymentsOAuth2Api' && this.oauth2) return resolveCredentialData(type, this.oauth2);
		if (type === 'paisrApi' && this.paisr) return resolveCredentialData(type, this.paisr);
		if (type !== 'payRequestApi' || !this.credential) throw new Error(`No test credential of type ${type}`);
		return { ...this.credential };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		if (type === 'alternativePaymentsOAuth2Api' && this.oauth2) this.oauth2.oauthTokenData = data.oauthTokenData;
	}

	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
}

export interface EngineLog {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

function additionalData(credential: TestCredential | undefined, oauth2?: StoredOAuth2Credential, paisr?: StoredPaisrCredential): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper: new TestCredentialsHelper(credential, oauth2, paisr),
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		currentNodeExecutionIndex: 0,
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

const nodeTypes = new TestNodeTypes();

/** Makes another node type runnable by runNode({ nodeType: name }), e.g. a benchmark's baseline. */
export function registerNodeType(name: string, type: INodeType): void {
	nodeTypes.register(name, type);
}

export interface RunNodeOptions {
	credential?: TestCredential;
	/** The Alternative Payments OAuth2 credential; the token n8n mints is kept in it between runs. */
	oauth2Credential?: StoredOAuth2Credential;
	/** The Paisr API credential. */
	paisrCredential?: StoredPaisrCredential;
	parameters: IDataObject;
	/** JSON items fed into the node; default one empty item (as after a Manual Trigger). */
	input?: IDataObject[];
	continueOnFail?: boolean;
	/**
	 * The node (a tool variant, e.g. PAISR_TOOL_TYPE) is a tool of an agent that calls it once; the
	 * output is the agent's: one item per tool call, `{ tool, answer }` or `{ tool, error }`.
	 */
	asAiTool?: boolean;
	/** n8n's Retry On Fail (Max Tries 3; n8n waits at least a second between tries). */
	retryOnFail?: boolean;
	nodeType?: string;
	/** Gets the means to stop the execution, as the editor's Stop button does. */
	onStarted?: (cancel: () => void) => void;
	/** The workflow's time zone (its settings, as the editor sets them); default UTC, so that tests do not depend on the machine. */
	timezone?: string;
	/** The node's version; default 1 (what saved workflows carry). */
	typeVersion?: number;
}

export interface NodeRun {
	items: INodeExecutionData[];
	/** The stored node error (a plain copy: match on name, message, description, httpCode). */
	error?: Record<string, unknown> & { message: string; description?: string; httpCode?: string; name?: string };
	run: IRun;
}

const NODE_NAME = 'PayRequest';
const AGENT_NAME = 'Agent';

let executionCount = 0;

/** Runs Manual Trigger → Items → the node in WorkflowExecute and returns the node's output. */
export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const node: INode = {
		id: 'node-under-test',
		name: NODE_NAME,
		type: options.nodeType ?? NODE_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [400, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: {
			payRequestApi: { id: 'cred-1', name: 'PayRequest test' },
			alternativePaymentsOAuth2Api: { id: 'cred-2', name: 'Alternative Payments test' },
			paisrApi: { id: 'cred-3', name: 'Paisr test' },
		},
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: 3 } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-engine-test',
		nodes: [
			{ id: 'trigger', name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'items',
				name: 'Items',
				type: ITEMS_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(options.input ?? [{}]) },
			},
			node,
			...(options.asAiTool ? [{ id: 'agent', name: AGENT_NAME, type: AGENT_TYPE, typeVersion: 1, position: [600, 0] as [number, number], parameters: {} }] : []),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: NodeConnectionTypes.Main, index: 0 }]] },
			Items: { main: [[{ node: options.asAiTool ? AGENT_NAME : NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
			...(options.asAiTool ? { [NODE_NAME]: { [NodeConnectionTypes.AiTool]: [[{ node: AGENT_NAME, type: NodeConnectionTypes.AiTool, index: 0 }]] } } : {}),
		},
		active: false,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1', timezone: options.timezone ?? 'UTC' },
	});
	const data = additionalData(options.credential, options.oauth2Credential, options.paisrCredential);
	data.hooks = new ExecutionLifecycleHooks('manual', `engine-test-${++executionCount}`, {
		id: workflow.id,
		name: 'engine test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const execute = new WorkflowExecute(data, 'manual');
	const running = execute.run({ workflow, startNode: workflow.getNode('Start')! });
	options.onStarted?.(() => running.cancel());
	const run = await running;
	const taskData = run.data.resultData.runData[options.asAiTool ? AGENT_NAME : NODE_NAME]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: taskData?.error as NodeRun['error'],
		run,
	};
}

export interface PollOutcome {
	items: INodeExecutionData[];
	error?: Error & { description?: string; httpCode?: string };
}

/** What n8n keeps of a workflow's static data between runs: its JSON. */
function staticDataAsStored(workflow: Workflow): IDataObject {
	return JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
}

/** Replaces the static data with its JSON round trip, as n8n's save and load would. */
function persistStaticData(workflow: Workflow): void {
	const stored = staticDataAsStored(workflow);
	for (const key of Object.keys(workflow.staticData)) delete workflow.staticData[key];
	Object.assign(workflow.staticData, stored);
}

/**
 * When n8n writes a poll node's static data to its database (read in n8n 2.41.1's sources):
 * - 'n8n': the default of n8n 1.x and 2.x. After the activation poll (activation saves the
 *   workflow's static data) and after a poll that emits (the poller's emit saves it first); never
 *   after a poll that emits nothing or fails. What those polls changed lives only in memory.
 * - 'durable': n8n 2.41's durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED with the
 *   scheduler flags): after every scheduled poll that ends, committed with the execution it
 *   starts. The activation poll runs as a test poll: n8n keeps what it wrote only when it emits.
 *   After a restart there is no activation poll (the scheduler's jobs are still there).
 * - 'memory': never restarted; every change is kept (what tests of one run see).
 */
export type SaveRule = 'n8n' | 'durable' | 'memory';

let pollingWorkflows = 0;

/**
 * A polling trigger node activated in one workflow whose static data persists between polls,
 * serialized to JSON and back in between, as n8n stores it. `restart()` stands for an n8n restart:
 * the static data goes back to what the save rule last wrote, and the next poll is an activation poll.
 */
export class PollingWorkflow {
	readonly workflow: Workflow;

	readonly node: INode;

	private readonly data: IWorkflowExecuteAdditionalData;

	/** The static data as n8n's database holds it. */
	private saved: IDataObject = {};

	/** The next poll is the one that activation runs. */
	private activating = true;

	/** n8n has saved some state of the node. */
	hasSaved = false;

	saveRule: SaveRule = 'memory';

	/**
	 * The PayRequest Trigger by default; another polling trigger with `nodeType` and the credential
	 * it takes (`oauth2` for Alternative Payments, `paisr` for Paisr); `timezone` is the workflow's
	 * (default UTC, so that tests do not depend on the machine or on n8n's default zone).
	 */
	constructor(
		parameters: IDataObject,
		credential: TestCredential | undefined,
		other: { nodeType?: string; oauth2?: StoredOAuth2Credential; paisr?: StoredPaisrCredential; timezone?: string } = {},
	) {
		this.node = {
			id: 'trigger-under-test',
			name: 'PayRequest Trigger',
			type: other.nodeType ?? TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			credentials: {
				payRequestApi: { id: 'cred-1', name: 'PayRequest test' },
				alternativePaymentsOAuth2Api: { id: 'cred-2', name: 'Alternative Payments test' },
				paisrApi: { id: 'cred-3', name: 'Paisr test' },
			},
		};
		this.workflow = new Workflow({
			// Each its own: the process remembers a node's state by workflow and node until n8n saves it.
			id: `wf-poll-test-${++pollingWorkflows}`,
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
			settings: { executionOrder: 'v1', timezone: other.timezone ?? 'UTC' },
		});
		this.data = additionalData(credential, other.oauth2, other.paisr);
	}

	/** The user edits the trigger's parameters: the same workflow, so the same static data. */
	withParameters(parameters: IDataObject): this {
		this.node.parameters = parameters as INode['parameters'];
		this.workflow.nodes[this.node.name].parameters = parameters as INode['parameters'];
		return this;
	}

	/** One poll, as n8n's poller runs it; mode 'manual' is the editor's "Fetch Test Event". */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollOutcome> {
		const context = new PollContext(this.workflow, this.node, this.data, mode, mode === 'manual' ? 'manual' : 'activate');
		let outcome: PollOutcome;
		try {
			const result = await Container.get(TriggersAndPollers).runPollFunction(this.workflow, this.node, context);
			outcome = { items: result?.[0] ?? [] };
		} catch (error) {
			outcome = { items: [], error: error as PollOutcome['error'] };
		}
		this.persist();
		if (mode !== 'manual') {
			const emitted = outcome.items.length > 0;
			const failed = outcome.error !== undefined;
			const saves = this.saveRule === 'memory' || (this.saveRule === 'durable' ? !failed && (!this.activating || emitted) : (this.activating && !failed) || emitted);
			if (saves) {
				this.saved = staticDataAsStored(this.workflow);
				this.hasSaved = true;
			} else if (this.saveRule === 'durable') this.loadSaved(); // Each poll starts from the cursor n8n committed.
			// An activation whose poll fails is refused by n8n: the next poll is still the activation poll.
			if (!failed) this.activating = false;
		}
		return outcome;
	}

	/**
	 * n8n restarts: the static data is what was last saved, the process's memory is gone, and the
	 * next poll is an activation poll (not under durable cursors: the scheduler's jobs remain).
	 */
	restart(): void {
		this.loadSaved();
		forgetUnsavedPollStates();
		this.activating = this.saveRule !== 'durable';
	}

	/** The static data as n8n last saved it. */
	private loadSaved(): void {
		for (const key of Object.keys(this.workflow.staticData)) delete this.workflow.staticData[key];
		Object.assign(this.workflow.staticData, JSON.parse(JSON.stringify(this.saved)) as IDataObject);
	}

	/** What n8n keeps between polls: the static data as JSON. */
	storedState(): IDataObject {
		return staticDataAsStored(this.workflow);
	}

	private persist() {
		persistStaticData(this.workflow);
	}
}

/**
 * The credential's "Test" button: its test request through the engine, then its rules, the way
 * n8n's credential tester judges them.
 */
export async function testCredential(credential: TestCredential): Promise<{ status: 'OK' | 'Error'; message: string }> {
	return await judgeCredentialTest('payRequestApi', await runNode({ credential, parameters: {}, nodeType: CREDENTIAL_TEST_TYPE }));
}

/** The Paisr API credential's "Test" button, judged as n8n's tester does. */
export async function testPaisrCredential(paisrCredential: StoredPaisrCredential): Promise<{ status: 'OK' | 'Error'; message: string }> {
	return await judgeCredentialTest('paisrApi', await runNode({ paisrCredential, parameters: {}, nodeType: PAISR_CREDENTIAL_TEST_TYPE }));
}

/** The Alternative Payments OAuth2 credential's "Test" button (n8n mints the token first), judged as n8n's tester does. */
export async function testAltCredential(oauth2Credential: StoredOAuth2Credential): Promise<{ status: 'OK' | 'Error'; message: string }> {
	return await judgeCredentialTest('alternativePaymentsOAuth2Api', await runNode({ oauth2Credential, parameters: {}, nodeType: ALT_CREDENTIAL_TEST_TYPE }));
}

async function judgeCredentialTest(type: string, { items, error }: NodeRun): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const rules = (credentialTypes[type].test?.rules ?? []) as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody>;
	if (error) {
		// As n8n's tester: a status with a responseCode rule gets that rule's message.
		const byStatus = rules.find((rule) => rule.type === 'responseCode' && String(rule.properties.value) === error.httpCode);
		return { status: 'Error', message: byStatus ? byStatus.properties.message : error.message };
	}
	for (const rule of rules) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (items.some((item) => item.json[rule.properties.key] === rule.properties.value)) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * The editor's "From List" search of the Invoice locator, as n8n's server runs it: the node's
 * listSearch method called with a LoadOptionsContext for the parameter.
 */
export async function searchInvoiceList(
	credential: TestCredential,
	filter?: string,
	paginationToken?: string,
	method: 'searchInvoices' | 'searchCustomers' = 'searchInvoices',
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'node-under-test',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'invoice', operation: method === 'searchInvoices' ? 'get' : 'create' },
		credentials: { payRequestApi: { id: 'cred-1', name: 'PayRequest test' } },
	};
	const workflow = new Workflow({ id: 'wf-list-search', nodes: [node], connections: {}, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const context = new LoadOptionsContext(workflow, node, additionalData(credential), method === 'searchInvoices' ? 'parameters.invoiceId' : 'parameters.customerId');
	return await new PayRequest().methods.listSearch[method].call(context, filter, paginationToken);
}

/** The editor's "From List" search of the Alternative Payments Customer locator, as n8n's server runs it. */
export async function searchCustomerList(
	oauth2: StoredOAuth2Credential,
	filter?: string,
	paginationToken?: string,
	method: 'searchCustomers' | 'searchInvoices' = 'searchCustomers',
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'node-under-test',
		name: 'Alternative Payments',
		type: ALTERNATIVE_PAYMENTS_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'invoice', operation: 'create' },
		credentials: { alternativePaymentsOAuth2Api: { id: 'cred-2', name: 'Alternative Payments test' } },
	};
	const workflow = new Workflow({ id: 'wf-list-search', nodes: [node], connections: {}, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const context = new LoadOptionsContext(workflow, node, additionalData(undefined, oauth2), 'parameters.customerId');
	return await new AlternativePayments().methods.listSearch[method].call(context, filter, paginationToken);
}

/** The editor's "From List" search of a Paisr locator (searchCustomers or searchInvoices), as n8n's server runs it. */
export async function searchPaisrList(paisr: StoredPaisrCredential, method: 'searchCustomers' | 'searchInvoices' | 'searchPayments', filter?: string): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'node-under-test',
		name: 'Paisr',
		type: PAISR_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'invoice', operation: 'get' },
		credentials: { paisrApi: { id: 'cred-3', name: 'Paisr test' } },
	};
	const workflow = new Workflow({ id: 'wf-list-search', nodes: [node], connections: {}, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const context = new LoadOptionsContext(workflow, node, additionalData(undefined, undefined, paisr), 'parameters.invoiceId');
	return await new Paisr().methods.listSearch[method].call(context, filter);
}

/**
 * A webhook trigger in one active workflow, as n8n runs it: set-up methods (checkExists, create,
 * delete) through n8n-core's HookContext, and deliveries that reach a real HTTP server on
 * 127.0.0.1 (the trigger's webhook URL) handed to the node's webhook() through WebhookContext.
 * Static data persists between calls, serialized to JSON and back, as n8n stores it.
 */
let webhookWorkflows = 0;

export class WebhookTriggerWorkflow {
	readonly workflow: Workflow;

	readonly node: INode;

	/** What the node's webhook() answered for each delivery, in order. */
	readonly deliveries: Array<{ status: number; items: INodeExecutionData[] }> = [];

	/** How many of the next answers are lost on the way to the provider (the calls still run). */
	answersToLose = 0;

	/** The mode of the last create: 'manual' while the editor listens for a test event. */
	private deliveryMode: 'trigger' | 'manual' = 'trigger';

	private server: http.Server | undefined;

	private baseUrl = '';

	constructor(
		nodeType: string,
		parameters: IDataObject,
		private readonly oauth2: StoredOAuth2Credential | undefined,
		private readonly paisr?: StoredPaisrCredential,
	) {
		this.node = {
			id: 'trigger-under-test',
			name: 'Webhook Trigger',
			type: nodeType,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			webhookId: 'hook-under-test',
			credentials: { alternativePaymentsOAuth2Api: { id: 'cred-2', name: 'Alternative Payments test' }, paisrApi: { id: 'cred-3', name: 'Paisr test' } },
		};
		// A workflow of its own each time, as n8n's ids are: what one test's trigger remembered is not another's.
		this.workflow = new Workflow({ id: `wf-webhook-test-${++webhookWorkflows}`, nodes: [this.node], connections: {}, active: true, nodeTypes, staticData: {}, settings: { executionOrder: 'v1', timezone: 'UTC' } });
	}

	/** Starts the server that stands for n8n's webhook endpoint (on a given port: the same URL after a restart). */
	async listen(port = 0): Promise<void> {
		this.server = http.createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const url = new URL(request.url ?? '/', 'http://127.0.0.1');
				// As n8n's body parser: the raw bytes kept as rawBody, the JSON parsed from them.
				const rawBody = Buffer.concat(chunks);
				let body: IDataObject = {};
				try {
					body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
				} catch {
					body = {};
				}
				void this.deliver({ headers: request.headers, body, query: Object.fromEntries(url.searchParams), rawBody }).then(({ status }) => {
					// An answer lost on the way (a proxy, a network cut): the call ran, the provider hears nothing.
					if (this.answersToLose > 0) {
						this.answersToLose--;
						response.socket?.destroy();
						return;
					}
					response.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
				});
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
	}

	async close(): Promise<void> {
		if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** POSTs bytes to the trigger's URL as a provider would (a delivery sent again, for example). */
	async deliverRaw(headers: Record<string, string>, body: string): Promise<{ status: number }> {
		const response = await fetch(`${this.baseUrl}/webhook`, { method: 'POST', headers, body });
		return { status: response.status };
	}

	private data(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return { ...additionalData(undefined, this.oauth2, this.paisr), webhookBaseUrl: `${this.baseUrl}/webhook`, ...extra } as IWorkflowExecuteAdditionalData;
	}

	private webhookData() {
		const description = (nodeTypes.getByNameAndVersion(this.node.type).description.webhooks ?? [])[0];
		return { httpMethod: 'POST', node: this.node.name, path: 'webhook', webhookDescription: description, workflowId: this.workflow.id!, workflowExecuteAdditionalData: this.data() };
	}

	/**
	 * One of the node's set-up methods, as n8n calls it on activation or deactivation; mode 'manual'
	 * as the editor's Listen for Test Event does (n8n's test webhooks: mode and activation 'manual').
	 */
	async hook(method: 'checkExists' | 'create' | 'delete', mode: 'trigger' | 'manual' = 'trigger'): Promise<boolean> {
		// Deliveries to a test webhook run in manual mode, as n8n's test webhooks do.
		if (method === 'create') this.deliveryMode = mode;
		const context = new HookContext(this.workflow, this.node, this.data(), mode, mode === 'manual' ? 'manual' : 'activate', this.webhookData() as never);
		const type = nodeTypes.getByNameAndVersion(this.node.type);
		try {
			return await type.webhookMethods!.default![method].call(context);
		} finally {
			this.persist();
		}
	}

	/** Hands one request to the node's webhook(), as n8n's webhook server does. */
	async deliver(request: { headers: http.IncomingHttpHeaders; body: IDataObject; query: IDataObject; rawBody?: Buffer }): Promise<{ status: number }> {
		let status = 200;
		const response = {
			status(code: number) {
				status = code;
				return response;
			},
			json() {
				return response;
			},
			end() {
				return response;
			},
		};
		const context = new WebhookContext(
			this.workflow,
			this.node,
			this.data({ httpRequest: request as never, httpResponse: response as never }),
			this.deliveryMode,
			this.webhookData() as never,
			[],
			null,
		);
		const type = nodeTypes.getByNameAndVersion(this.node.type);
		const answer = await type.webhook!.call(context);
		this.deliveries.push({ status, items: answer.workflowData?.[0] ?? [] });
		this.persist();
		return { status };
	}

	storedState(): IDataObject {
		return staticDataAsStored(this.workflow);
	}

	private persist() {
		persistStaticData(this.workflow);
	}
}
