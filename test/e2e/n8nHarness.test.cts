// Checks the real-n8n harness itself: start, owner + API key, run a workflow, list node types, stop cleanly.
import * as fs from 'fs';
import { N8nInstance, processGroupMembers } from './harness/n8nInstance.cjs';

jest.setTimeout(10 * 60_000); // a fresh machine installs n8n first (about 4.5 minutes)

const manualToSetWorkflow = {
	name: 'harness check: manual → set',
	nodes: [
		{
			id: '5b0c6a1e-0000-4000-8000-000000000001',
			name: 'When clicking ‘Execute workflow’',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: '5b0c6a1e-0000-4000-8000-000000000002',
			name: 'Set greeting',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: 'a1', name: 'greeting', value: 'hello', type: 'string' },
						{ id: 'a2', name: 'answer', value: 42, type: 'number' },
					],
				},
				options: {},
			},
		},
	],
	connections: {
		'When clicking ‘Execute workflow’': { main: [[{ node: 'Set greeting', type: 'main', index: 0 }]] },
	},
	// Fields the public API refuses: createWorkflow must strip them.
	id: 'exported-id',
	active: false,
	tags: [],
	pinData: {},
	meta: { instanceId: 'elsewhere' },
	versionId: '00000000-0000-0000-0000-000000000000',
};

describe('N8nInstance (real n8n)', () => {
	const n8n = new N8nInstance({ log: (line) => console.log(`[n8n harness] ${line}`) });

	afterAll(async () => {
		await n8n.dispose();
	});

	it('starts, runs a Manual Trigger → Set workflow and stops without leftovers', async () => {
		await n8n.start();
		const owner = await n8n.setupOwner();
		expect(owner.apiKey).toBeTruthy();

		const nodeTypes = await n8n.nodeTypes();
		expect(nodeTypes).toContain('n8n-nodes-base.manualTrigger');
		expect(nodeTypes).toContain('n8n-nodes-base.set');

		const { id } = await n8n.createWorkflow(manualToSetWorkflow);
		const run = await n8n.runWorkflowOnce(id);
		expect(run.errors).toEqual([]);
		expect(run.status).toBe('success');
		expect(run.outputs['Set greeting']).toEqual([[{ greeting: 'hello', answer: 42 }]]);
		expect(await n8n.executions(id)).toHaveLength(1);

		const pgid = n8n.processGroupId as number;
		expect(processGroupMembers(pgid).length).toBeGreaterThan(0);
		await n8n.stop();
		expect(processGroupMembers(pgid)).toEqual([]);
		await n8n.stop(); // idempotent
		expect(fs.readFileSync(n8n.logFile, 'utf8')).toContain('n8n');
	});
});
