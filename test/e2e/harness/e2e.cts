// What the e2e test files share: one n8n per file with the three packed packages installed, the example
// workflows bound to a credential, and waiting on conditions instead of fixed sleeps.
import * as fs from 'fs';
import * as path from 'path';
import type { N8nMessages } from './n8nFlavour.cjs';
import { findRepoRoot } from '../../setup/repo.cjs';
import { bindCredentials, N8nInstance, processGroupMembers, summarizeExecution } from './n8nInstance.cjs';
import { e2eSetup } from './packedPackage.cjs';

/** The published packages, one per provider, by the prefix of their nodes' names. */
export const PACKAGES = {
	payRequest: 'n8n-nodes-payrequest',
	alternativePayments: 'n8n-nodes-alternative-payments',
	paisr: 'n8n-nodes-paisr',
} as const;
export const PACKAGE_NAMES: string[] = Object.values(PACKAGES);

/** A node's type in n8n: the name of the package it ships in, a dot, its name (`n8n-nodes-paisr.paisrTrigger`). */
export function nodeType(nodeName: string): string {
	const provider = (Object.keys(PACKAGES) as Array<keyof typeof PACKAGES>).find((prefix) => nodeName.startsWith(prefix));
	if (!provider) throw new Error(`no package ships a node named ${nodeName}`);
	return `${PACKAGES[provider]}.${nodeName}`;
}
export const CREDENTIAL_TYPE = 'payRequestApi';
/** The credential name the example workflows carry (their id is the placeholder "payrequest-sandbox"). */
export const SANDBOX_CREDENTIAL_NAME = 'PayRequest sandbox';
export const WORKFLOWS_DIR = path.join(findRepoRoot(), 'test', 'e2e', 'workflows');

/**
 * How long "nothing more happens" is watched after the event it would follow: n8n's executions
 * list shows finished executions only, 0.5–0.85 s after the poll that started them (measured).
 */
export const SETTLE_MS = 1_500;

export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(100);
	}
}

/** Harness progress to stdout only when INVOICING_E2E_VERBOSE=1: jest output stays readable. */
export function harnessLog(prefix: string): (line: string) => void {
	return process.env.INVOICING_E2E_VERBOSE === '1' ? (line) => process.stdout.write(`[${prefix}] ${line}\n`) : () => {};
}

/** n8n 2.41's durable poll cursors (read in its sources: all four are needed). */
export const DURABLE_CURSORS = {
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
};

/**
 * An n8n for one test file: the three packed packages installed side by side, started, with an owner and an API
 * key. E2E_DURABLE_CURSORS=1 starts every n8n of a run with durable poll cursors (n8n 2.41 and later).
 */
export async function startN8nWithPackage(prefix: string, env?: Record<string, string>): Promise<N8nInstance> {
	const log = harnessLog(prefix);
	const setup = await e2eSetup(log);
	const allEnv = process.env.E2E_DURABLE_CURSORS === '1' ? { ...DURABLE_CURSORS, ...env } : env;
	const n8n = new N8nInstance({ n8nDir: setup.n8nDir, nodeBin: setup.nodeBin, packageTarballs: Object.values(setup.tarballs), log, env: allEnv });
	try {
		await n8n.start();
		await n8n.setupOwner();
	} catch (error) {
		await n8n.dispose();
		throw error;
	}
	return n8n;
}

/**
 * n8n's own wording of a message that differs between its major versions (n8nFlavour.cts). Only
 * for what n8n says itself: what our nodes say is expected verbatim on every version.
 */
export function n8nMessages(n8n: N8nInstance): N8nMessages {
	return n8n.flavour.messages;
}

/** Stops n8n and returns what is left of its process group (empty when it stopped cleanly). */
export async function stopAndListLeftovers(n8n: N8nInstance): Promise<number[]> {
	const pgid = n8n.processGroupId;
	if (pgid === undefined) throw new Error('n8n is not running');
	await n8n.dispose();
	return processGroupMembers(pgid);
}

export function readWorkflow(fileName: string): Record<string, any> {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, fileName), 'utf8')) as Record<string, any>;
}

/** An example workflow with its PayRequest credential pointed at the given one, created in n8n. */
export async function importWorkflow(
	n8n: N8nInstance,
	workflow: string | Record<string, any>,
	credential: { id: string; name: string },
): Promise<{ id: string; workflow: Record<string, any> }> {
	const json = typeof workflow === 'string' ? readWorkflow(workflow) : workflow;
	const bound = bindCredentials(json, { [CREDENTIAL_TYPE]: credential });
	const { id } = await n8n.createWorkflow(bound);
	return { id, workflow: bound };
}

/** Every execution of a workflow n8n knows of, running ones included (the internal REST list). */
export async function allExecutions(n8n: N8nInstance, workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await n8n.rest<{ results: Array<{ id: string; status: string; mode: string }> }>('GET', `/rest/executions?filter=${filter}&limit=100`);
	return page.results;
}

/**
 * Waits until the workflow has exactly `count` executions (finished), then watches SETTLE_MS more
 * to be sure no other one starts; returns them oldest first, with data.
 */
export async function expectExecutionCount(n8n: N8nInstance, workflowId: string, count: number): Promise<any[]> {
	if (count > 0) await n8n.waitForExecutions(workflowId, count, 20_000);
	await sleep(SETTLE_MS);
	const all = await allExecutions(n8n, workflowId);
	if (all.length !== count) {
		throw new Error(`workflow ${workflowId}: expected ${count} executions, n8n has ${all.length}: ${JSON.stringify(all.map((e) => [e.id, e.status, e.mode]))}`);
	}
	const finished = await n8n.executions(workflowId, { includeData: true });
	return finished.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The items a node output in an execution (its last run, first output). */
export function nodeItems(execution: any, nodeName: string): Array<Record<string, any>> {
	return (summarizeExecution(execution).outputs[nodeName]?.[0] ?? []) as Array<Record<string, any>>;
}

const DAY_MS = 86_400_000;

/**
 * The calendar date (YYYY-MM-DD) `days` from now in n8n's time zone, which `$today` in an example
 * uses: the harness starts every n8n with GENERIC_TIMEZONE=UTC (n8nInstance.cts).
 */
export function dateInN8n(days = 0, at = Date.now()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(new Date(at + days * DAY_MS));
}

/** The dates create-invoice.json gives, as n8n saw today during a run that started at `startedAt`: dated today, due in 14 days. */
export function createInvoiceDates(startedAt: number, created: { date?: unknown }): { date: string; due_date: string } {
	// A run across midnight sees the later day.
	const offset = created.date === dateInN8n(0, startedAt) ? 0 : 1;
	return { date: dateInN8n(offset, startedAt), due_date: dateInN8n(offset + 14, startedAt) };
}

/**
 * What create-invoice.json creates, as PayRequest returns it, on the given dates. A function: it
 * uses jest's `expect`, which scripts that import this harness (npm run screenshots) do not have.
 */
export const fixedItemsInvoice = (dates: { date: string; due_date: string }) => ({
	customer: expect.objectContaining({ id: 501 }),
	status: 'pending',
	...dates,
	reference: 'PO-2025-0042',
	notes: 'Thank you for your business!',
	amount: 1700, // 8 × 150 + 1 × 500, before tax
	invoice_items: [
		{ description: 'Consulting Services', quantity: 8, unit_price: 150, tax_rate: 21, total: 1200 },
		{ description: 'Software License', quantity: 1, unit_price: 500, tax_rate: 21, total: 500 },
	],
});
