// The routes by which n8n users install the package, each against a real n8n, from a local npm registry that the
// packed package is published to (harness/localRegistry.cts): the editor's Community Nodes panel (n8n's own
// installer, POST /rest/community-packages), the manual `npm install` in ~/.n8n/nodes that n8n's guide gives for
// queue mode and Docker, and the tarball for hosts with no registry. The commands are the README's, verbatim.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findRepoRoot } from '../setup/repo.cjs';
import { harnessLog, PACKAGE_NAME } from './harness/e2e.cjs';
import { LocalRegistry } from './harness/localRegistry.cjs';
import { N8nHttpError, N8nInstance, runCommand } from './harness/n8nInstance.cjs';
import { e2eSetup } from './harness/packedPackage.cjs';

jest.setTimeout(240_000);

const OUR_NODE_TYPES = [
	'alternativePayments',
	'alternativePaymentsOverdueTrigger',
	'alternativePaymentsTrigger',
	'paisr',
	'paisrOverdueTrigger',
	'paisrTrigger',
	'payRequest',
	'payRequestTrigger',
].map((name) => `${PACKAGE_NAME}.${name}`);
/** The `npm install` lines of the README's Installation section: the manual route (registry) and the tarball. */
function readmeInstallCommands(): string[] {
	const readme = fs.readFileSync(path.join(findRepoRoot(), 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Installation'), readme.indexOf('\n## ', readme.indexOf('## Installation') + 1));
	const commands = [...section.matchAll(/^npm install .+$/gm)].map((match) => match[0]);
	if (commands.length !== 2) throw new Error(`expected the README's two install commands, found: ${JSON.stringify(commands)}`);
	return commands;
}
/** n8n's licence feature that allows a registry other than npmjs.org (on in n8n's own e2e mode only). */
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

describe('installing the package the ways n8n users do, from a registry', () => {
	const log = harnessLog('install');
	let registry: LocalRegistry;
	let tarball: string;
	let version: string;
	let setup: Awaited<ReturnType<typeof e2eSetup>>;
	const instances: N8nInstance[] = [];
	const cleanUp: string[] = [];

	const newN8n = (env: Record<string, string> = {}, userFolder?: string) => {
		const n8n = new N8nInstance({ n8nDir: setup.n8nDir, nodeBin: setup.nodeBin, log, env, userFolder });
		instances.push(n8n);
		return n8n;
	};
	const ourNodeTypes = async (n8n: N8nInstance) => (await n8n.nodeTypes()).filter((type) => OUR_NODE_TYPES.includes(type));

	beforeAll(async () => {
		setup = await e2eSetup(log);
		tarball = setup.tarball;
		registry = await LocalRegistry.start();
		await registry.publish(tarball);
		version = (await registry.packument(PACKAGE_NAME))['dist-tags'].latest;
		registry.requests.splice(0);
	});

	afterAll(async () => {
		for (const n8n of instances) await n8n.dispose();
		await registry?.close();
		for (const folder of cleanUp) fs.rmSync(folder, { recursive: true, force: true });
	});

	test("the editor's Community Nodes install: n8n's installer fetches it from the registry, loads every node, and uninstalls it", async () => {
		const n8n = newN8n({ E2E_TESTS: 'true', N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url });
		// n8n 1.x lists packages with `npm outdated` (the panel's update badge), which names no registry and runs with
		// only PATH in its environment: the folder's own .npmrc points it here. Without it, npm asked npmjs.org on this
		// machine without the machine's CA and retried for 70 s.
		const nodesDir = path.join(n8n.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.writeFileSync(path.join(nodesDir, '.npmrc'), `registry=${registry.url}\n`);
		await n8n.start();
		await n8n.setupOwner({}, { apiKey: false });
		expect(await ourNodeTypes(n8n)).toEqual([]);
		const install = async () =>
			await n8n.rest<{ packageName: string; installedVersion: string; installedNodes: Array<{ type: string }> }>('POST', '/rest/community-packages', {
				name: PACKAGE_NAME,
			});

		// n8n installs from a registry other than npmjs.org only under a licence: refused until its e2e mode turns that on.
		const refused = await install().catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(N8nHttpError);
		expect((refused as N8nHttpError).body).toContain(`Your license does not allow for ${CUSTOM_REGISTRY_FEATURE}`);
		expect(registry.requests).toEqual([]);
		await n8n.request('PATCH', '/rest/e2e/feature', { auth: 'none', body: { feature: CUSTOM_REGISTRY_FEATURE, enabled: true } });

		const installed = await install();
		expect(installed.packageName).toBe(PACKAGE_NAME);
		expect(installed.installedVersion).toBe(version);
		expect(installed.installedNodes.map((node) => node.type).sort()).toEqual(OUR_NODE_TYPES);
		// From the registry, as from npmjs.org: the manifest, then the tarball that `npm publish` put there.
		expect(registry.requests).toEqual(expect.arrayContaining([`GET /${PACKAGE_NAME}/-/${PACKAGE_NAME}-${version}.tgz`]));
		expect(await ourNodeTypes(n8n)).toEqual(OUR_NODE_TYPES);
		expect(await n8n.credentialTypes()).toEqual(expect.arrayContaining(['payRequestApi', 'alternativePaymentsOAuth2Api', 'paisrApi']));
		const listed = await n8n.rest<Array<{ packageName: string; installedVersion: string }>>('GET', '/rest/community-packages');
		expect(listed.map(({ packageName, installedVersion }) => ({ packageName, installedVersion }))).toEqual([{ packageName: PACKAGE_NAME, installedVersion: version }]);

		// Still there after a restart (n8n reloads it from its own folder).
		await n8n.restart();
		expect(await ourNodeTypes(n8n)).toEqual(OUR_NODE_TYPES);

		await n8n.rest('DELETE', `/rest/community-packages?name=${PACKAGE_NAME}`);
		expect(await n8n.rest('GET', '/rest/community-packages')).toEqual([]);
		expect(fs.existsSync(path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME))).toBe(false);
	});

	// The commands exactly as the README's Installation section gives them.
	test.each(readmeInstallCommands())('`%s` in ~/.n8n/nodes adds one package, and n8n loads every node from it', async (command) => {
		// Outside this repository, like a user's home: npm installs into the nearest folder above that has a package.json.
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-manual-install-'));
		cleanUp.push(userFolder);
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.copyFileSync(tarball, path.join(nodesDir, path.basename(tarball)));
		// The user's own npm, pointed at the local registry; nothing else of this test's npm settings.
		const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
		const [program, ...args] = command.split(' ');
		const { stdout } = await runCommand(program, args, { cwd: nodesDir, env: { ...env, npm_config_registry: registry.url } });
		expect(stdout).toMatch(/added 1 package\b/);
		expect(fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((entry) => !entry.startsWith('.'))).toEqual([PACKAGE_NAME]);

		const n8n = newN8n({}, userFolder);
		await n8n.start();
		await n8n.setupOwner();
		expect(await ourNodeTypes(n8n)).toEqual(OUR_NODE_TYPES);
	});
});
