// `npm run screenshots`: takes the screenshots in docs/ from the real n8n editor, so they can be
// refreshed whenever the nodes change. Starts the PayRequest emulator and an n8n with the packed
// package (as the end-to-end tests do), logs in through n8n's sign-in form in headless Chromium
// (Debian's package, driven by playwright-core), opens each node's panel and saves a PNG.
// Runs as .build/scripts/screenshots.cjs (after `npm run build:dev`; the package is built here).
//
//   npm run screenshots                 all screenshots
//   npm run screenshots -- --keep       leave n8n and the emulator running afterwards (Ctrl-C stops them)
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addDaysToIsoDate } from '../test/emulator/calendar.cjs';
import { DEFAULT_NOW, PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import { CREDENTIAL_TYPE, importWorkflow, readWorkflow, SANDBOX_CREDENTIAL_NAME } from '../test/e2e/harness/e2e.cjs';
import { isPortFree, N8nInstance } from '../test/e2e/harness/n8nInstance.cjs';
import { findRepoRoot, scratchDir } from '../test/setup/repo.cjs';
import { prepareE2e } from '../test/e2e/harness/packedPackage.cjs';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling Google's servers, which this
// closed network refuses; --no-sandbox because the script may run as root.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
// Tall enough for most of a node panel's parameters.
const VIEWPORT = { width: 1280, height: 960 };
const EMULATOR_TOKEN = 'test-token-rw';
const EMULATOR_PORT = 8787;
const OWNER = { email: 'docs@example.com', password: 'Docs-Screenshots-1', firstName: 'Docs', lastName: 'Writer' };
const UI_TIMEOUT_MS = 30_000;

const say = (line: string) => process.stdout.write(`[screenshots] ${line}\n`);

interface Screenshot {
	file: string;
	what: string;
	take: (page: Page) => Promise<void>;
}

function requireChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	say(`no Chromium at ${CHROMIUM}. Install Debian's package first (as root):`);
	say('    apt-get update && apt-get install -y chromium');
	process.exit(2);
}

/**
 * The Create example dated today (the emulator's day) and due in two weeks, so the invoice it
 * creates is not overdue, with a reference a reader would use. Dates as date-times: n8n's date
 * picker shows a plain "2025-03-01" as an empty field (the node accepts both).
 */
function createWorkflowForToday(today: string): Record<string, any> {
	const workflow = readWorkflow('create-invoice.json');
	const create = workflow.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-payrequest.payRequest');
	create.parameters.date = `${today}T00:00:00`;
	create.parameters.dueDate = `${addDaysToIsoDate(today, 14)}T00:00:00`;
	create.parameters.additionalFields = { ...create.parameters.additionalFields, reference: 'PO-4711' };
	return workflow;
}

/** The Get Many example with a filter set, so its panel shows one, and Simplify on. */
function getManyWorkflowWithFilters(): Record<string, any> {
	const workflow = readWorkflow('get-many-limit.json');
	const getMany = workflow.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-payrequest.payRequest');
	getMany.parameters.filters = { status: ['pending', 'sent'], dueDateTo: '2025-02-28T00:00:00' };
	// Simplify on, as a new node has it (the example turns it off to show PayRequest's own objects).
	getMany.parameters.simple = true;
	return workflow;
}

/** The trigger example with Options filled in, so its panel shows them (n8n lists only options that are set). */
function triggerWorkflowWithOptions(): Record<string, any> {
	const workflow = readWorkflow('overdue-trigger.json');
	const trigger = workflow.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-payrequest.payRequestTrigger');
	trigger.parameters.options = { minDaysOverdue: 3, escalationDays: '7, 14, 30', minAmount: 50, emitExisting: false };
	trigger.parameters.simple = true;
	return workflow;
}

async function signIn(page: Page, n8nUrl: string): Promise<void> {
	await page.goto(`${n8nUrl}/signin`);
	await page.getByLabel(/email/i).fill(OWNER.email);
	await page.getByLabel(/password/i).fill(OWNER.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: UI_TIMEOUT_MS });
}

async function closeToasts(page: Page): Promise<void> {
	const closeButtons = page.locator('.el-notification .el-notification__closeBtn');
	for (const button of await closeButtons.all()) await button.click().catch(() => {});
	await page.locator('.el-notification').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/**
 * Opens a workflow with one node's panel (NDV) open: n8n's route /workflow/<id>/<node id>. With
 * `run`, clicks the panel's run button (Execute step, or Fetch Test Event on the trigger) and waits
 * for the output, so the picture shows what the node returns from the emulator.
 */
async function openNodePanel(page: Page, n8nUrl: string, workflowId: string, nodeId: string, run = false): Promise<void> {
	await page.goto(`${n8nUrl}/workflow/${workflowId}/${nodeId}`);
	const panel = page.locator('[data-test-id="ndv"]').first();
	await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
	// Let the panel finish rendering (resource locators and option lists load after it opens).
	await page.waitForLoadState('networkidle');
	if (run) {
		await panel.getByRole('button', { name: /execute step|fetch test event/i }).first().click();
		const output = page.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="ndv-items-count"]').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
		// JSON reads better than a table of a dozen narrow columns.
		await output.locator('[data-test-id="ndv-run-data-display-mode"]').getByText('JSON', { exact: true }).click();
		await page.waitForLoadState('networkidle');
		// The "Node executed successfully" toast would cover the output.
		await closeToasts(page);
	}
	await page.waitForTimeout(500);
}

async function main(): Promise<void> {
	const { values: args } = parseArgs({ options: { keep: { type: 'boolean', default: false } }, strict: true });
	requireChromium();
	const repoRoot = findRepoRoot();
	const docsDir = path.join(repoRoot, 'docs');
	fs.mkdirSync(docsDir, { recursive: true });

	let emulator: PayRequestEmulator | undefined;
	let n8n: N8nInstance | undefined;
	let browser: Browser | undefined;
	const stopEverything = async () => {
		await browser?.close().catch(() => {});
		await n8n?.dispose().catch((error: unknown) => say(`could not stop n8n: ${String(error)}`));
		await emulator?.close().catch(() => {});
	};
	process.once('SIGINT', () => void stopEverything().then(() => process.exit(130)));

	try {
		say('building and packing the package, making sure n8n is installed…');
		const setup = await prepareE2e(say);

		// The `npm start` demo data (some invoices overdue) on a fixed day: a refresh changes the
		// pictures only where the nodes or n8n changed.
		emulator = new PayRequestEmulator({ now: DEFAULT_NOW, seed: { customers: 12, invoices: 40, seed: 1 } });
		// The port shows in the credential's Base URL: the `npm start` one when it is free.
		const baseUrl = await emulator.listen((await isPortFree(EMULATOR_PORT)) ? EMULATOR_PORT : 0);

		n8n = new N8nInstance({ n8nDir: setup.n8nDir, nodeBin: setup.nodeBin, packageTarballs: Object.values(setup.tarballs), log: say });
		await n8n.start();
		await n8n.setupOwner(OWNER);
		const { id: credentialId } = await n8n.createCredential(SANDBOX_CREDENTIAL_NAME, CREDENTIAL_TYPE, { accessToken: EMULATOR_TOKEN, baseUrl });
		const credential = { id: credentialId, name: SANDBOX_CREDENTIAL_NAME };
		const n8nUrl = n8n.url;
		const nodeId = (workflow: Record<string, any>, type: string) => workflow.nodes.find((node: { type: string }) => node.type === type).id as string;

		const create = await importWorkflow(n8n, createWorkflowForToday(emulator.today()), credential);
		const getMany = await importWorkflow(n8n, getManyWorkflowWithFilters(), credential);
		const trigger = await importWorkflow(n8n, triggerWorkflowWithOptions(), credential);
		const mcp = await importWorkflow(n8n, 'mcp-server.json', credential);

		const screenshots: Screenshot[] = [
			{
				file: 'payrequest-node.png',
				what: 'PayRequest node, Invoice → Create, run once: the created invoice',
				take: async (page) => await openNodePanel(page, n8nUrl, create.id, nodeId(create.workflow, 'n8n-nodes-payrequest.payRequest'), true),
			},
			{
				file: 'payrequest-node-get-many.png',
				what: 'PayRequest node, Invoice → Get Many with filters, run once: the matching invoices',
				take: async (page) => await openNodePanel(page, n8nUrl, getMany.id, nodeId(getMany.workflow, 'n8n-nodes-payrequest.payRequest'), true),
			},
			{
				file: 'payrequest-trigger.png',
				what: 'PayRequest Trigger with Options, and its test event',
				take: async (page) => await openNodePanel(page, n8nUrl, trigger.id, nodeId(trigger.workflow, 'n8n-nodes-payrequest.payRequestTrigger'), true),
			},
			{
				file: 'mcp-server-workflow.png',
				what: 'the MCP server example workflow on the canvas',
				take: async (page) => {
					await page.goto(`${n8nUrl}/workflow/${mcp.id}`);
					await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
					await page.waitForLoadState('networkidle');
					await page.waitForTimeout(500);
				},
			},
			{
				file: 'credential.png',
				what: 'PayRequest API credential',
				take: async (page) => {
					await page.goto(`${n8nUrl}/home/credentials/${credentialId}`);
					await page.locator('[data-test-id="editCredential-modal"]').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
					await page.waitForLoadState('networkidle');
					await page.waitForTimeout(500);
				},
			},
		];

		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
		const page = await browser.newPage({ viewport: VIEWPORT });
		await signIn(page, n8nUrl);
		for (const screenshot of screenshots) {
			try {
				await screenshot.take(page);
			} catch (error) {
				// What the page showed when it went wrong, for whoever fixes the script.
				const failed = scratchDir(`failed-${screenshot.file}`);
				await page.screenshot({ path: failed }).catch(() => {});
				fs.writeFileSync(failed.replace(/\.png$/, '.html'), await page.content().catch(() => ''));
				say(`${screenshot.what}: failed; the page at that moment: ${path.relative(repoRoot, failed)} (and .html)`);
				throw error;
			}
			const file = path.join(docsDir, screenshot.file);
			await page.screenshot({ path: file });
			say(`${path.relative(repoRoot, file)}: ${screenshot.what}`);
		}

		if (args.keep) {
			say(`n8n at ${n8n.url}, login ${OWNER.email} / ${OWNER.password}; Ctrl-C stops everything`);
			await browser.close();
			browser = undefined;
			await n8n.waitForExit();
		}
	} finally {
		await stopEverything();
	}
}

main().catch((error: unknown) => {
	say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
});
