// `npm run export`: each package's tree stands alone as its own repository. Exported into a fresh folder with nothing
// beside it (no node_modules above it to borrow from), each tree installs its own lockfile (`npm ci`), builds
// (`n8n-node build`), passes n8n's strict lint (`npm run lint`) and both lint halves of n8n's scanner (the source
// commit, the packed tarball), and packs the same files as the tarballs the e2e tests install (harness/packages.cts).
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';
import { findRepoRoot } from '../setup/repo.cjs';
import { buildPackageTarballs, exportPackages, filesUnder, packTree, withoutNodeEnv } from './harness/packages.cjs';
import { runCommand } from './harness/n8nInstance.cjs';

const root = findRepoRoot();
const PACKAGES = {
	'n8n-nodes-payrequest': { folder: 'PayRequest', credential: 'PayRequestApi', icon: 'payrequest' },
	'n8n-nodes-alternative-payments': { folder: 'AlternativePayments', credential: 'AlternativePaymentsOAuth2Api', icon: 'alternativepayments' },
	'n8n-nodes-paisr': { folder: 'Paisr', credential: 'PaisrApi', icon: 'paisr' },
} as const;
type PackageName = keyof typeof PACKAGES;
const NAMES = Object.keys(PACKAGES) as PackageName[];

/** A tree as relative path → sha256 of its bytes (a failed comparison names the files, not their contents). */
function readTree(dir: string): Map<string, string> {
	return new Map(filesUnder(dir).map((file) => [path.relative(dir, file).split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(file)).digest('hex')]));
}

/** A tarball's files as relative path → sha256 of its bytes. */
function readTarball(tarball: string): Map<string, string> {
	const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'unpacked-'));
	try {
		spawnSync('tar', ['xzf', tarball, '-C', unpacked]);
		return readTree(path.join(unpacked, 'package'));
	} finally {
		fs.rmSync(unpacked, { recursive: true, force: true });
	}
}

function scan(target: string, ...flags: string[]): { status: number | null; result: { passed: boolean; details?: string } } {
	const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'scan-tarball.mjs'), ...flags, target], { cwd: root, encoding: 'utf8', env: withoutNodeEnv() });
	return { status: run.status, result: JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') };
}

const seconds = (started: number) => Math.round((Date.now() - started) / 100) / 10;

describe('npm run export', () => {
	const folders: string[] = [];
	const freshFolder = () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
		folders.push(folder);
		return folder;
	};
	let trees: Record<string, string>;
	const timings: string[] = [];

	beforeAll(async () => {
		const started = Date.now();
		trees = await exportPackages(freshFolder());
		timings.push(`export ${seconds(started)} s`);
	});

	afterAll(() => {
		process.stdout.write(`[export] ${timings.join('; ')}\n`);
		// Three trees' node_modules are about 1.6 GB: removed by a process of their own, so the run does not wait for it.
		spawn('rm', ['-rf', ...folders], { detached: true, stdio: 'ignore' }).unref();
	});

	test('writes one tree per package, each with its own nodes, credential and icons, the kit, and its repository files', () => {
		expect(Object.keys(trees).sort()).toEqual([...NAMES].sort());
		for (const name of NAMES) {
			const { folder, credential, icon } = PACKAGES[name];
			const files = [...readTree(trees[name]).keys()];
			expect(files.filter((file) => !/^(nodes|credentials|icons)\//.test(file)).sort()).toEqual([
				'.github/workflows/ci.yml',
				'.github/workflows/publish.yml',
				'.gitignore',
				'CHANGELOG.md',
				'LICENSE',
				'README.md',
				'eslint.config.mjs',
				'package-lock.json',
				'package.json',
				'tsconfig.json',
			]);
			expect(files.filter((file) => file.startsWith('credentials/'))).toEqual([`credentials/${credential}.credentials.ts`]);
			expect(files.filter((file) => file.startsWith('icons/'))).toEqual([`icons/${icon}.dark.svg`, `icons/${icon}.svg`]);
			expect(new Set(files.filter((file) => file.startsWith('nodes/')).map((file) => file.split('/')[1]))).toEqual(new Set([folder, 'shared']));
			// The kit code it runs, and only that: every kit file in the tree is one the repository has, unchanged.
			for (const file of files.filter((file) => file.startsWith('nodes/shared/'))) {
				expect(fs.readFileSync(path.join(trees[name], file), 'utf8')).toBe(fs.readFileSync(path.join(root, file), 'utf8'));
			}
			const manifest = JSON.parse(fs.readFileSync(path.join(trees[name], 'package.json'), 'utf8'));
			expect(manifest).toMatchObject({ name, version: '0.1.0', license: 'MIT', files: ['dist'], peerDependencies: { 'n8n-workflow': '*' } });
			expect(manifest.repository).toEqual({ type: 'git', url: `https://github.com/n8n-nodes-invoicing/${name}.git` });
			expect(manifest.dependencies).toBeUndefined();
			expect(fs.readFileSync(path.join(trees[name], 'eslint.config.mjs'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8'));
		}
	});

	test('exporting twice gives identical trees', async () => {
		const again = await exportPackages(freshFolder());
		for (const name of NAMES) expect(readTree(again[name])).toEqual(readTree(trees[name]));
	});

	test('a change in a kit file reaches all three trees', async () => {
		// A copy of the repository's inputs to the export, with a marker written into a kit file every provider runs.
		const copy = freshFolder();
		for (const entry of ['nodes', 'credentials', 'icons', 'packages', 'scripts', 'LICENSE', 'eslint.config.mjs', 'tsconfig.json', 'package.json']) {
			fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
		}
		const kitFile = 'nodes/shared/http/client.ts';
		const marker = '// marker: a change in the kit\n';
		fs.appendFileSync(path.join(copy, kitFile), marker);
		const changed = await exportPackages(freshFolder(), copy);
		for (const name of NAMES) {
			expect(fs.readFileSync(path.join(changed[name], kitFile), 'utf8')).toBe(`${fs.readFileSync(path.join(root, kitFile), 'utf8')}${marker}`);
			expect(fs.readFileSync(path.join(trees[name], kitFile), 'utf8')).not.toContain(marker);
		}
	});

	test('each tree installs its own lockfile (npm ci; the three at once, over one npm cache)', async () => {
		const started = Date.now();
		await Promise.all(NAMES.map((name) => runCommand('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: trees[name], env: withoutNodeEnv() })));
		timings.push(`npm ci of the three ${seconds(started)} s`);
		for (const name of NAMES) expect(fs.existsSync(path.join(trees[name], 'node_modules', '.bin', 'n8n-node'))).toBe(true);
	}, 900_000);

	describe.each(NAMES)('%s, from a fresh folder', (name) => {
		let tarball: string;

		test('npm run build (n8n-node build): every node and credential its n8n block names, with its icons and codex files', async () => {
			const tree = trees[name];
			const started = Date.now();
			await runCommand('npm', ['run', 'build'], { cwd: tree, env: withoutNodeEnv() });
			timings.push(`${name}: build ${seconds(started)} s`);
			const manifest = JSON.parse(fs.readFileSync(path.join(tree, 'package.json'), 'utf8'));
			for (const file of [...manifest.n8n.credentials, ...manifest.n8n.nodes]) {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const instance = new (Object.values(require(path.join(tree, file)) as Record<string, new () => Record<string, any>>)[0])();
				const icons = Object.values(instance.icon ?? instance.description.icon) as string[];
				expect(icons).toHaveLength(2);
				for (const icon of icons) expect(fs.existsSync(path.resolve(path.dirname(path.join(tree, file)), icon.replace(/^file:/, '')))).toBe(true);
			}
			for (const file of manifest.n8n.nodes as string[]) {
				const codex = JSON.parse(fs.readFileSync(path.join(tree, file.replace(/\.js$/, '.json')), 'utf8'));
				expect(codex.node).toBe(`${name}.${path.basename(file, '.node.js').replace(/^./, (first) => first.toLowerCase())}`);
			}
		}, 300_000);

		test("passes n8n's strict lint (npm run lint) and the scanner's lint of the sources", async () => {
			let started = Date.now();
			await runCommand('npm', ['run', 'lint'], { cwd: trees[name], env: withoutNodeEnv() });
			timings.push(`lint ${seconds(started)} s`);
			started = Date.now();
			const { output } = await runCommand(path.join(trees[name], 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], { cwd: trees[name], env: withoutNodeEnv() });
			expect(stripVTControlCharacters(output)).toMatch(/Status: eligible for n8n Cloud verification/);
			timings.push(`cloud-support ${seconds(started)} s`);
			started = Date.now();
			expect(scan(trees[name], '--source')).toEqual({ status: 0, result: { passed: true } });
			timings.push(`source scan ${seconds(started)} s`);
		}, 300_000);

		test("packs dist/ and the manifest, which pass the scanner's lint of the tarball and are the files the e2e tests install", async () => {
			let started = Date.now();
			tarball = await packTree(trees[name], freshFolder());
			timings.push(`pack ${seconds(started)} s`);
			started = Date.now();
			expect(scan(tarball)).toEqual({ status: 0, result: { passed: true } });
			timings.push(`tarball scan ${seconds(started)} s`);
			const packed = readTarball(tarball);
			expect([...packed.keys()].filter((file) => !file.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
			started = Date.now();
			const installed = await buildPackageTarballs();
			timings.push(`buildPackageTarballs ${seconds(started)} s`);
			expect(path.basename(installed[name])).toBe(`${name}-0.1.0.tgz`);
			expect(readTarball(installed[name])).toEqual(packed);
		}, 300_000);
	});

	test("n8n's manual route (npm install in ~/.n8n/nodes) installs the three tarballs side by side, and nothing else", async () => {
		const tarballs = await buildPackageTarballs();
		const folder = freshFolder();
		fs.writeFileSync(path.join(folder, 'package.json'), '{"name":"installed-nodes","private":true}');
		await runCommand('npm', ['install', ...NAMES.map((name) => tarballs[name]), '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: folder, env: withoutNodeEnv() });
		expect(fs.readdirSync(path.join(folder, 'node_modules')).filter((entry) => !entry.startsWith('.')).sort()).toEqual([...NAMES].sort());
	}, 300_000);

	test("the scanner's lint is a live check: a package's packed contents with a runtime dependency fail it", async () => {
		const tarball = (await buildPackageTarballs())['n8n-nodes-payrequest'];
		const unpacked = freshFolder();
		spawnSync('tar', ['xzf', tarball, '-C', unpacked]);
		const manifestPath = path.join(unpacked, 'package', 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, dependencies: { 'left-pad': '1.3.0' } }, null, 2));
		const { status, result } = scan(path.join(unpacked, 'package'));
		expect(result.passed).toBe(false);
		expect(result.details).toMatch(/no-runtime-dependencies/);
		expect(status).toBe(1);
	}, 300_000);
});
