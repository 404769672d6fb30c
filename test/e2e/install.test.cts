// The routes by which n8n users install the packages, each against a real n8n, from a local npm registry that the
// three packed packages are published to (harness/localRegistry.cts): the editor's Community Nodes panel (n8n's own
// installer, POST /rest/community-packages), the manual `npm install` in ~/.n8n/nodes that n8n's guide gives for
// queue mode and Docker, and the tarball for hosts with no registry. The commands are the README's, verbatim.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AltPaymentsEmulator } from '../emulator/AltPaymentsEmulator.cjs';
import { PaisrEmulator } from '../emulator/PaisrEmulator.cjs';
import { PayRequestEmulator } from '../emulator/PayRequestEmulator.cjs';
import { findRepoRoot } from '../setup/repo.cjs';
import { harnessLog, nodeType, PACKAGE_NAMES, PACKAGES, readWorkflow } from './harness/e2e.cjs';
import { LocalRegistry } from './harness/localRegistry.cjs';
import { bindCredentials, N8nHttpError, N8nInstance, runCommand, type N8nOwner, type WorkflowRunResult } from './harness/n8nInstance.cjs';
import { e2eSetup } from './harness/packedPackage.cjs';

jest.setTimeout(240_000);

/** Each package's nodes and credential, as n8n lists them once it is installed. */
const PACKAGE_CONTENTS: Record<string, { nodes: string[]; credential: string }> = {
	[PACKAGES.payRequest]: { nodes: ['payRequest', 'payRequestTrigger'].map(nodeType), credential: 'payRequestApi' },
	[PACKAGES.alternativePayments]: {
		nodes: ['alternativePayments', 'alternativePaymentsOverdueTrigger', 'alternativePaymentsTrigger'].map(nodeType),
		credential: 'alternativePaymentsOAuth2Api',
	},
	[PACKAGES.paisr]: { nodes: ['paisr', 'paisrOverdueTrigger', 'paisrTrigger'].map(nodeType), credential: 'paisrApi' },
};
const OUR_CREDENTIAL_TYPES = Object.values(PACKAGE_CONTENTS).map(({ credential }) => credential);
const isOurs = (typeName: string) => PACKAGE_NAMES.some((packageName) => typeName.startsWith(`${packageName}.`));
/** The node types (the AI tool variants n8n derives from them left out) of the given packages, sorted as n8n lists them. */
const nodeTypesOf = (...packageNames: string[]) => packageNames.flatMap((packageName) => PACKAGE_CONTENTS[packageName].nodes).sort();

/** The `npm install` lines of the README's Installation section: the manual route (registry) and the tarball. */
function readmeInstallCommands(): string[] {
	const readme = fs.readFileSync(path.join(findRepoRoot(), 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Installation'), readme.indexOf('\n## ', readme.indexOf('## Installation') + 1));
	const commands = [...section.matchAll(/^npm install .+$/gm)].map((match) => match[0]);
	if (commands.length !== 2) throw new Error(`expected the README's two install commands, found: ${JSON.stringify(commands)}`);
	return commands;
}
/** The package an `npm install <name>` or `npm install ./<name>-<version>.tgz` installs. */
function packageOfCommand(command: string): string {
	const spec = command.split(' ').pop() as string;
	const packageName = PACKAGE_NAMES.find((name) => spec === name || spec.startsWith(`./${name}-`));
	if (!packageName) throw new Error(`\`${command}\` installs none of ${PACKAGE_NAMES.join(', ')}`);
	return packageName;
}
/** n8n's licence feature that allows a registry other than npmjs.org (on in n8n's own e2e mode only). */
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

describe('installing the packages the ways n8n users do, from a registry', () => {
	const log = harnessLog('install');
	let registry: LocalRegistry;
	let tarballs: Record<string, string>;
	let versions: Record<string, string>;
	let setup: Awaited<ReturnType<typeof e2eSetup>>;
	const instances: N8nInstance[] = [];
	const cleanUp: string[] = [];

	const newN8n = (env: Record<string, string> = {}, userFolder?: string) => {
		const n8n = new N8nInstance({ n8nDir: setup.n8nDir, nodeBin: setup.nodeBin, log, env, userFolder });
		instances.push(n8n);
		return n8n;
	};
	const ourNodeTypes = async (n8n: N8nInstance) => (await n8n.nodeTypes()).filter(isOurs).filter((type) => !type.endsWith('Tool'));
	const ourCredentialTypes = async (n8n: N8nInstance) => (await n8n.credentialTypes()).filter((type) => OUR_CREDENTIAL_TYPES.includes(type));

	beforeAll(async () => {
		setup = await e2eSetup(log);
		tarballs = setup.tarballs;
		registry = await LocalRegistry.start();
		await registry.publish(...PACKAGE_NAMES.map((name) => tarballs[name]));
		versions = {};
		for (const name of PACKAGE_NAMES) versions[name] = (await registry.packument(name))['dist-tags'].latest;
		registry.requests.splice(0);
	});

	afterAll(async () => {
		for (const n8n of instances) await n8n.dispose();
		await registry?.close();
		for (const folder of cleanUp) fs.rmSync(folder, { recursive: true, force: true });
	});

	describe("the editor's Community Nodes install of all three, side by side", () => {
		let n8n: N8nInstance;
		let userFolder: string;
		let owner: N8nOwner;
		let payRequest: PayRequestEmulator;
		let altPayments: AltPaymentsEmulator;
		let paisr: PaisrEmulator;
		const urls = { payRequest: '', altPayments: '', paisr: '' };
		const env = () => ({ N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url });
		/** Package → its example workflow in n8n and the check of one run's output against its emulator. */
		const examples: Record<string, { workflowId: string; check: (run: WorkflowRunResult) => void }> = {};
		const runExample = async (packageName: string) => {
			const run = await n8n.runWorkflowOnce(examples[packageName].workflowId);
			expect({ packageName, status: run.status, errors: run.errors }).toEqual({ packageName, status: 'success', errors: [] });
			examples[packageName].check(run);
		};

		beforeAll(async () => {
			payRequest = new PayRequestEmulator({ seed: { customers: 2, invoices: 12, seed: 1 } });
			altPayments = new AltPaymentsEmulator({ seed: { customers: 2, invoices: 12 } });
			paisr = new PaisrEmulator({ now: `${new Date().toISOString().slice(0, 10)}T12:00:00Z`, seed: { customers: 2, invoices: 12 } });
			[urls.payRequest, urls.altPayments, urls.paisr] = await Promise.all([payRequest.listen(), altPayments.listen(), paisr.listen()]);

			// One user folder for two n8n processes in turn (below), owned by neither.
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-side-by-side-'));
			cleanUp.push(userFolder);
			// n8n 1.x lists packages with `npm outdated` (the panel's update badge), which names no registry and runs with
			// only PATH in its environment: the folder's own .npmrc points it here. Without it, npm asked npmjs.org on this
			// machine without the machine's CA and retried for 70 s.
			const nodesDir = path.join(userFolder, '.n8n', 'nodes');
			fs.mkdirSync(nodesDir, { recursive: true });
			fs.writeFileSync(path.join(nodesDir, '.npmrc'), `registry=${registry.url}\n`);
			n8n = newN8n({ ...env(), E2E_TESTS: 'true' }, userFolder);
			await n8n.start();
			// n8n 1.x turns its public API off in its e2e mode: no API key until the restart below.
			owner = await n8n.setupOwner({}, { apiKey: false });
		});

		afterAll(async () => {
			await Promise.all([payRequest?.close(), altPayments?.close(), paisr?.close()]);
		});

		it('n8n refuses a registry other than npmjs.org without the licence feature, and asks it nothing', async () => {
			expect(await ourNodeTypes(n8n)).toEqual([]);
			const refused = await n8n.rest('POST', '/rest/community-packages', { name: PACKAGES.payRequest }).catch((error: unknown) => error);
			expect(refused).toBeInstanceOf(N8nHttpError);
			expect((refused as N8nHttpError).body).toContain(`Your license does not allow for ${CUSTOM_REGISTRY_FEATURE}`);
			expect(registry.requests).toEqual([]);
		});

		it("n8n's installer fetches each package from the registry; every node and credential of each loads", async () => {
			await n8n.request('PATCH', '/rest/e2e/feature', { auth: 'none', body: { feature: CUSTOM_REGISTRY_FEATURE, enabled: true } });
			for (const packageName of PACKAGE_NAMES) {
				const installed = await n8n.rest<{ packageName: string; installedVersion: string; installedNodes: Array<{ type: string }> }>('POST', '/rest/community-packages', {
					name: packageName,
				});
				expect(installed.packageName).toBe(packageName);
				expect(installed.installedVersion).toBe(versions[packageName]);
				expect(installed.installedNodes.map((node) => node.type).sort()).toEqual(nodeTypesOf(packageName));
				// From the registry, as from npmjs.org: the manifest, then the tarball that `npm publish` put there.
				expect(registry.requests).toEqual(expect.arrayContaining([`GET /${packageName}/-/${packageName}-${versions[packageName]}.tgz`]));
			}
			expect(await ourNodeTypes(n8n)).toEqual(nodeTypesOf(...PACKAGE_NAMES));
			expect(await ourCredentialTypes(n8n)).toEqual([...OUR_CREDENTIAL_TYPES].sort());
		});

		it("after a restart n8n loads all three again, and each package's example workflow runs green", async () => {
			// The same user folder in n8n's normal mode (its public API on): what the installer put there is loaded again.
			await n8n.stop();
			n8n = newN8n(env(), userFolder);
			await n8n.start();
			await n8n.useOwner(owner);
			await n8n.useOwner({ ...owner, apiKey: await n8n.createApiKey() });
			expect(await ourNodeTypes(n8n)).toEqual(nodeTypesOf(...PACKAGE_NAMES));
			const listed = await n8n.rest<Array<{ packageName: string; installedVersion: string }>>('GET', '/rest/community-packages');
			expect(listed.map(({ packageName, installedVersion }) => ({ packageName, installedVersion })).sort((a, b) => a.packageName.localeCompare(b.packageName))).toEqual(
				[...PACKAGE_NAMES].sort().map((packageName) => ({ packageName, installedVersion: versions[packageName] })),
			);

			const credentials = {
				payRequestApi: { name: 'PayRequest sandbox', data: { accessToken: 'test-token-rw', baseUrl: urls.payRequest } },
				alternativePaymentsOAuth2Api: {
					name: 'Alternative Payments sandbox',
					data: { environment: 'custom', baseUrl: urls.altPayments, clientId: 'client-full', clientSecret: 'secret-full' },
				},
				paisrApi: { name: 'Paisr sandbox', data: { environment: 'custom', baseUrl: urls.paisr, accessToken: 'paisr-full' } },
			};
			const saved: Record<string, { id: string; name: string }> = {};
			for (const [type, { name, data }] of Object.entries(credentials)) saved[type] = { id: (await n8n.createCredentialAsEditor(name, type, data)).id, name };
			const exampleFiles: Record<string, [string, (run: WorkflowRunResult) => void]> = {
				[PACKAGES.payRequest]: [
					'get-statistics.json',
					(run) => expect(run.outputs['Get statistics'][0]).toEqual([expect.objectContaining({ total_invoices: payRequest.listInvoices().length })]),
				],
				[PACKAGES.alternativePayments]: [
					'alternative-payments-invoices.json',
					(run) => expect(run.outputs['Get invoices'][0].map((item) => item.id)).toEqual(altPayments.listInvoices().map((invoice) => invoice.id)),
				],
				[PACKAGES.paisr]: [
					'paisr-unpaid-invoices.json',
					(run) =>
						expect(run.outputs['Unpaid invoices'][0].map((item) => item.id).sort()).toEqual(
							paisr
								.listInvoices()
								.filter((invoice) => invoice.status === 'unpaid')
								.map((invoice) => invoice.id)
								.sort(),
						),
				],
			};
			for (const [packageName, [file, check]] of Object.entries(exampleFiles)) {
				const { id } = await n8n.createWorkflow(bindCredentials(readWorkflow(file), saved));
				examples[packageName] = { workflowId: id, check };
				await runExample(packageName);
			}
		});

		it("uninstalling one package through n8n's uninstall leaves the other two loaded and their examples working", async () => {
			const removed = PACKAGES.alternativePayments;
			const kept = PACKAGE_NAMES.filter((name) => name !== removed);
			await n8n.rest('DELETE', `/rest/community-packages?name=${removed}`);
			expect(fs.existsSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', removed))).toBe(false);
			expect((await n8n.rest<Array<{ packageName: string }>>('GET', '/rest/community-packages')).map((listed) => listed.packageName).sort()).toEqual(kept.sort());
			expect(await ourNodeTypes(n8n)).toEqual(nodeTypesOf(...kept));
			expect(await ourCredentialTypes(n8n)).toEqual(kept.map((packageName) => PACKAGE_CONTENTS[packageName].credential).sort());
			for (const packageName of kept) await runExample(packageName);
		});
	});

	// The commands exactly as the README's Installation section gives them.
	test.each(readmeInstallCommands())('`%s` in ~/.n8n/nodes adds one package, and n8n loads every node from it', async (command) => {
		const packageName = packageOfCommand(command);
		// Outside this repository, like a user's home: npm installs into the nearest folder above that has a package.json.
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-manual-install-'));
		cleanUp.push(userFolder);
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.copyFileSync(tarballs[packageName], path.join(nodesDir, path.basename(tarballs[packageName])));
		// The user's own npm, pointed at the local registry; nothing else of this test's npm settings.
		const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
		const [program, ...args] = command.split(' ');
		const { stdout } = await runCommand(program, args, { cwd: nodesDir, env: { ...env, npm_config_registry: registry.url } });
		expect(stdout).toMatch(/added 1 package\b/);
		expect(fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((entry) => !entry.startsWith('.'))).toEqual([packageName]);

		const n8n = newN8n({}, userFolder);
		await n8n.start();
		await n8n.setupOwner();
		expect(await ourNodeTypes(n8n)).toEqual(nodeTypesOf(packageName));
		expect(await ourCredentialTypes(n8n)).toEqual([PACKAGE_CONTENTS[packageName].credential]);
	});
});
