// `npm start`: a local n8n playground with the three packages (n8n-nodes-payrequest, n8n-nodes-alternative-payments,
// n8n-nodes-paisr) installed side by side as community packages, a sandbox credential for each provider and the
// example workflows of test/e2e/workflows/.
// Runs after `npm run build` + `npm run build:dev` as .build/scripts/start.cjs.
//
//   npm start                  persistent playground in node_modules/.cache/n8n-nodes-invoicing/playground (edits survive restarts)
//   npm start -- --fresh       wipe the playground first
//   npm start -- --port 5700   n8n on another port (default 5678, or a free one when taken)
//
// Without PAYREQUEST_TOKEN the credential points at the PayRequest emulator (demo data, started here);
// with PAYREQUEST_TOKEN it points at PAYREQUEST_BASE_URL (default https://payrequest.app/api).
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { createInterface } from 'readline';
import { parseArgs } from 'util';
import {
	bindCredentials,
	freePort,
	isPortFree,
	N8nHttpError,
	N8nInstance,
	type N8nOwner,
} from '../test/e2e/harness/n8nInstance.cjs';
import { buildPackageTarballs } from '../test/e2e/harness/packages.cjs';
import { findRepoRoot, scratchDir } from '../test/setup/repo.cjs';
import { ALT_KEYS, type AltPaymentsEmulator } from '../test/emulator/AltPaymentsEmulator.cjs';
import { type PaisrEmulator, PAISR_TOKENS } from '../test/emulator/PaisrEmulator.cjs';
import type { PayRequestEmulator } from '../test/emulator/PayRequestEmulator.cjs';
import { playgroundEmulators } from '../test/emulator/playground.cjs';
import { sendPlaygroundEvents } from '../test/emulator/playgroundEvents.cjs';

const DEFAULT_N8N_PORT = 5678;
const DEFAULT_EMULATOR_PORT = 8787;
const EMULATOR_TOKEN = 'test-token-rw'; // one of the emulator's default tokens: billing.read + billing.write
const OWNER_EMAIL = 'demo@example.com';
const CREDENTIAL_TYPE = 'payRequestApi';
const ALT_CREDENTIAL_TYPE = 'alternativePaymentsOAuth2Api';
const ALT_CREDENTIAL_NAME = 'Alternative Payments sandbox';
const DEFAULT_ALT_EMULATOR_PORT = 8788;
const PAISR_CREDENTIAL_TYPE = 'paisrApi';
const PAISR_CREDENTIAL_NAME = 'Paisr sandbox';
const DEFAULT_PAISR_EMULATOR_PORT = 8789;

/** What a persistent playground remembers between runs (in <playground>/playground.json). */
interface PlaygroundState {
	owner?: N8nOwner;
	credentialId?: string;
	/** The Alternative Payments sandbox credential. */
	altCredentialId?: string;
	/** The Paisr sandbox credential. */
	paisrCredentialId?: string;
	/** Workflow file name → id in n8n; a file is imported once, so edits made in n8n survive. */
	importedWorkflows: Record<string, string>;
}

interface PayRequestTarget {
	credentialName: string;
	accessToken: string;
	baseUrl: string;
	description: string;
}

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

function readState(file: string): PlaygroundState {
	if (!fs.existsSync(file)) return { importedWorkflows: {} };
	return { importedWorkflows: {}, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<PlaygroundState>) };
}

function writeState(file: string, state: PlaygroundState): void {
	fs.writeFileSync(file, `${JSON.stringify(state, null, '\t')}\n`, { mode: 0o600 });
}

/** n8n's password rule: 8–64 characters with a digit and an upper-case letter. */
function generatePassword(): string {
	return `Demo-${randomBytes(6).toString('hex')}-P1`;
}

async function main(): Promise<void> {
	const { values: args } = parseArgs({
		options: { fresh: { type: 'boolean', default: false }, port: { type: 'string' } },
		strict: true,
	});
	const requestedPort = args.port === undefined ? undefined : Number(args.port);
	if (requestedPort !== undefined && !(Number.isInteger(requestedPort) && requestedPort > 0 && requestedPort < 65536)) {
		say(`--port must be a port number, got "${args.port}"`);
		process.exit(2);
	}
	const repoRoot = findRepoRoot();
	const playgroundDir = scratchDir('playground');
	const stateFile = path.join(playgroundDir, 'playground.json');

	let emulator: PayRequestEmulator | undefined;
	let altEmulator: AltPaymentsEmulator | undefined;
	let paisrEmulator: PaisrEmulator | undefined;
	let n8n: N8nInstance | undefined;
	let stopping = false;
	const stopEverything = async (exitCode: number) => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the emulator…');
		await n8n?.stop().catch((error: unknown) => say(`could not stop n8n: ${String(error)}`));
		await emulator?.close().catch((error: unknown) => say(`could not stop the emulator: ${String(error)}`));
		await altEmulator?.close().catch((error: unknown) => say(`could not stop the Alternative Payments emulator: ${String(error)}`));
		await paisrEmulator?.close().catch((error: unknown) => say(`could not stop the Paisr emulator: ${String(error)}`));
		process.exit(exitCode);
	};
	process.once('SIGINT', () => void stopEverything(0));
	process.once('SIGTERM', () => void stopEverything(0));

	try {
		say('building and packing the three packages…');
		const tarballs = Object.values(await buildPackageTarballs());
		say(`packed ${tarballs.map((tarball) => path.basename(tarball)).join(', ')}`);

		let target: PayRequestTarget;
		const realToken = process.env.PAYREQUEST_TOKEN;
		// The demo data (test/emulator/playground.cts), the same the examples e2e test runs against.
		const demo = playgroundEmulators({ payRequest: !realToken });
		if (realToken) {
			const baseUrl = process.env.PAYREQUEST_BASE_URL || 'https://payrequest.app/api';
			target = { credentialName: 'PayRequest', accessToken: realToken, baseUrl, description: `PayRequest at ${baseUrl} (PAYREQUEST_TOKEN)` };
		} else {
			emulator = demo.payRequest!;
			const emulatorPortFree = await isPortFree(DEFAULT_EMULATOR_PORT);
			if (!emulatorPortFree) say(`port ${DEFAULT_EMULATOR_PORT} (the PayRequest emulator's) is taken: the emulator takes a free port, and the credential points at it`);
			const emulatorPort = emulatorPortFree ? DEFAULT_EMULATOR_PORT : 0;
			const baseUrl = await emulator.listen(emulatorPort);
			target = {
				credentialName: 'PayRequest sandbox',
				accessToken: EMULATOR_TOKEN,
				baseUrl,
				description: `PayRequest emulator at ${baseUrl} (token ${EMULATOR_TOKEN}, ${emulator.listInvoices().length} demo invoices)`,
			};
		}
		say(target.description);

		// Alternative Payments: always its emulator, with demo customers, invoices and payments.
		altEmulator = demo.alt;
		const altPortFree = await isPortFree(DEFAULT_ALT_EMULATOR_PORT);
		if (!altPortFree) say(`port ${DEFAULT_ALT_EMULATOR_PORT} (the Alternative Payments emulator's) is taken: it takes a free port, and its credential points at it`);
		const altBaseUrl = await altEmulator.listen(altPortFree ? DEFAULT_ALT_EMULATOR_PORT : 0);
		const altCredentialData = { environment: 'custom', baseUrl: altBaseUrl, clientId: ALT_KEYS[0].clientId, clientSecret: ALT_KEYS[0].clientSecret };
		say(`Alternative Payments emulator at ${altBaseUrl} (client ${ALT_KEYS[0].clientId}, ${altEmulator.listInvoices().length} demo invoices)`);

		// Paisr: always its emulator.
		paisrEmulator = demo.paisr;
		const paisrPortFree = await isPortFree(DEFAULT_PAISR_EMULATOR_PORT);
		if (!paisrPortFree) say(`port ${DEFAULT_PAISR_EMULATOR_PORT} (the Paisr emulator's) is taken: it takes a free port, and its credential points at it`);
		const paisrBaseUrl = await paisrEmulator.listen(paisrPortFree ? DEFAULT_PAISR_EMULATOR_PORT : 0);
		const paisrCredentialData = { environment: 'custom', baseUrl: paisrBaseUrl, accessToken: PAISR_TOKENS[0].secret };
		say(`Paisr emulator at ${paisrBaseUrl} (token ${PAISR_TOKENS[0].secret}, ${paisrEmulator.listInvoices().length} demo invoices)`);

		say('making sure n8n is installed (the first run on a machine installs it: about 4–5 minutes)…');
		const { n8nDir, nodeBin } = await N8nInstance.ensureInstalled(say);

		if (args.fresh) fs.rmSync(playgroundDir, { recursive: true, force: true });
		fs.mkdirSync(playgroundDir, { recursive: true });
		const state = readState(stateFile);

		if (requestedPort !== undefined && !(await isPortFree(requestedPort))) {
			throw new Error(`port ${requestedPort} is taken: pick another with npm start -- --port <port>`);
		}
		let port = requestedPort ?? DEFAULT_N8N_PORT;
		if (requestedPort === undefined && !(await isPortFree(DEFAULT_N8N_PORT))) {
			port = await freePort();
			say(`port ${DEFAULT_N8N_PORT} is taken (another n8n?): n8n starts on ${port} instead; pick one with npm start -- --port <port>`);
		}

		if (fs.existsSync(path.join(playgroundDir, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-invoicing'))) {
			// Its workflows name node types of that package (n8n-nodes-invoicing.<node>), which the three do not have.
			throw new Error('this playground was made with the single package n8n-nodes-invoicing, now three packages: run `npm start -- --fresh`');
		}
		n8n = new N8nInstance({ n8nDir, nodeBin, userFolder: playgroundDir, port, log: say });
		await n8n.installPackages(tarballs);
		say('starting n8n…');
		await n8n.start();

		if (state.owner) {
			await n8n.useOwner(state.owner);
		} else {
			try {
				state.owner = await n8n.setupOwner({ email: OWNER_EMAIL, password: generatePassword(), firstName: 'Demo', lastName: 'User' });
			} catch (error) {
				if (error instanceof N8nHttpError && error.status === 400) {
					throw new Error(`this playground already has an owner but ${stateFile} is gone: run \`npm start -- --fresh\``);
				}
				throw error;
			}
			writeState(stateFile, state);
		}

		const credentialData = { accessToken: target.accessToken, baseUrl: target.baseUrl };
		let credentialId = state.credentialId;
		if (credentialId) {
			// The emulator's port or the real token may differ from the last run.
			try {
				await n8n.updateCredential(credentialId, credentialData, target.credentialName);
			} catch (error) {
				if (!(error instanceof N8nHttpError && error.status === 404)) throw error;
				credentialId = undefined; // deleted in the editor: create it again
			}
		}
		if (!credentialId) {
			credentialId = (await n8n.createCredential(target.credentialName, CREDENTIAL_TYPE, credentialData)).id;
			state.credentialId = credentialId;
			writeState(stateFile, state);
		}

		const credentialTest = await n8n.testCredential({ type: CREDENTIAL_TYPE, id: credentialId, data: credentialData });
		say(`credential test: ${credentialTest.status} (${credentialTest.message})`);

		// The other providers' credentials are saved the editor's way, and updated when their emulator moved.
		const ensureCredential = async (key: 'altCredentialId' | 'paisrCredentialId', name: string, type: string, data: Record<string, unknown>): Promise<string> => {
			let id = state[key];
			if (id) {
				try {
					await n8n!.rest('PATCH', `/rest/credentials/${id}`, { name, type, data });
				} catch (error) {
					if (!(error instanceof N8nHttpError && error.status === 404)) throw error;
					id = undefined; // deleted in the editor: create it again
				}
			}
			if (!id) {
				id = (await n8n!.createCredentialAsEditor(name, type, data)).id;
				state[key] = id;
				writeState(stateFile, state);
			}
			const test = await n8n!.testCredential({ type, id, name, data });
			say(`${name} credential test: ${test.status} (${test.message})`);
			return id;
		};
		const altCredentialId = await ensureCredential('altCredentialId', ALT_CREDENTIAL_NAME, ALT_CREDENTIAL_TYPE, altCredentialData);
		const paisrCredentialId = await ensureCredential('paisrCredentialId', PAISR_CREDENTIAL_NAME, PAISR_CREDENTIAL_TYPE, paisrCredentialData);

		const workflowsDir = path.join(repoRoot, 'test', 'e2e', 'workflows');
		const workflowFiles = fs.existsSync(workflowsDir)
			? fs.readdirSync(workflowsDir).filter((file) => file.endsWith('.json')).sort()
			: [];
		let imported = 0;
		for (const file of workflowFiles) {
			if (state.importedWorkflows[file]) continue;
			const workflow = JSON.parse(fs.readFileSync(path.join(workflowsDir, file), 'utf8')) as Record<string, unknown>;
			const bound = bindCredentials(workflow, {
				[CREDENTIAL_TYPE]: { id: credentialId, name: target.credentialName },
				[ALT_CREDENTIAL_TYPE]: { id: altCredentialId, name: ALT_CREDENTIAL_NAME },
				[PAISR_CREDENTIAL_TYPE]: { id: paisrCredentialId, name: PAISR_CREDENTIAL_NAME },
			});
			state.importedWorkflows[file] = (await n8n.createWorkflow(bound)).id;
			writeState(stateFile, state);
			imported++;
		}
		say(`workflows: ${imported} imported now, ${Object.keys(state.importedWorkflows).length} from ${path.relative(repoRoot, workflowsDir)} in total`);

		process.stdout.write(
			[
				'',
				`  n8n        ${n8n.url}`,
				`  login      ${state.owner.email} / ${state.owner.password}`,
				`  PayRequest ${target.description}`,
				`  credential "${target.credentialName}" (${CREDENTIAL_TYPE})`,
				`  Alternative Payments emulator ${altBaseUrl}, credential "${ALT_CREDENTIAL_NAME}"`,
				`  Paisr emulator ${paisrBaseUrl}, credential "${PAISR_CREDENTIAL_NAME}"`,
				`  n8n log    ${path.relative(repoRoot, n8n.logFile)}`,
				'',
				'  Type send and Enter: every webhook trigger that listens (an active workflow, or Listen for',
				'  Test Event in the editor) gets a real event about a demo invoice (Invoice Paid pays one).',
				'  Ctrl+C stops n8n and the emulators.',
				'',
			].join('\n'),
		);
		// `send`: the webhook triggers have no other way to hear from the emulators.
		createInterface({ input: process.stdin }).on('line', (line) => {
			if (line.trim().toLowerCase() !== 'send') return;
			void sendPlaygroundEvents(altEmulator!, paisrEmulator!)
				.then((sent) => sent.forEach(say))
				.catch((error: unknown) => say(`could not send the events: ${String(error)}`));
		});

		// n8n runs detached: keep this process alive, and follow n8n if it dies on its own.
		const keepAlive = setInterval(() => {}, 60_000);
		await n8n.waitForExit();
		clearInterval(keepAlive);
		if (!stopping) {
			say(`n8n exited on its own; last lines of its log:\n${n8n.logTail(20)}`);
			await stopEverything(1);
		}
	} catch (error) {
		say(`failed: ${error instanceof Error ? error.message : String(error)}`);
		await stopEverything(1);
	}
}

void main();
