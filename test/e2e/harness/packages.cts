// The three packages (n8n-nodes-payrequest, n8n-nodes-alternative-payments, n8n-nodes-paisr) packed the way each
// package repository packs them: `npm run export` writes their trees, `n8n-node build` builds each, `npm pack` packs it.
// The tarballs sit at a known path, scratch folder packages/<name>-<version>.tgz, and are made again only when
// what goes into them changed (a hash of the inputs). Each tree builds with this repository's node_modules, which
// pins the same @n8n/node-cli and TypeScript as each package's own lockfile: test/e2e/export.test.cts shows that a
// tree's own `npm ci` and build pack the very same files.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot, scratchDir } from '../../setup/repo.cjs';
import { runCommand } from './n8nInstance.cjs';

/** What the export reads (scripts/export-packages.js) and the build tools that compile it. */
const INPUTS = ['nodes', 'credentials', 'icons', 'packages', 'LICENSE', 'eslint.config.mjs', 'tsconfig.json', 'scripts/export-packages.js'];
const BUILD_TOOLS = ['node_modules/@n8n/node-cli/package.json', 'node_modules/typescript/package.json'];

/** NODE_ENV=test (set by jest) must not reach n8n's lint or npm: under it eslint-plugin-n8n-nodes-base misreads file names. */
export function withoutNodeEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	return env;
}

/** Every file below `dir` (absolute paths), in a fixed order. */
export function filesUnder(dir: string): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...filesUnder(full));
		else if (entry.isFile()) found.push(full);
	}
	return found.sort();
}

/** sha256 of every input file's path and bytes (hex, first 16 characters). */
export function packageInputsHash(repoRoot: string = findRepoRoot()): string {
	const hash = createHash('sha256');
	const files = [...INPUTS, ...BUILD_TOOLS]
		.map((entry) => path.join(repoRoot, entry))
		.flatMap((entry) => (fs.statSync(entry).isDirectory() ? filesUnder(entry) : [entry]))
		.map((file) => path.relative(repoRoot, file).split(path.sep).join('/'))
		.sort();
	for (const file of files) {
		hash.update(`${file}\0`);
		hash.update(fs.readFileSync(path.join(repoRoot, file)));
		hash.update('\0');
	}
	return hash.digest('hex').slice(0, 16);
}

/** `npm run export -- <folder>` of the repository at `repoRoot`: the trees' folders by package name. */
export async function exportPackages(folder: string, repoRoot: string = findRepoRoot()): Promise<Record<string, string>> {
	const { stdout } = await runCommand(process.execPath, [path.join(repoRoot, 'scripts', 'export-packages.js'), folder], { cwd: repoRoot });
	return Object.fromEntries(
		stdout
			.trim()
			.split('\n')
			.map((line) => line.split(': ') as [string, string]),
	);
}

/** `npm pack` of a built tree into `destination`: the tarball's path. */
export async function packTree(tree: string, destination: string): Promise<string> {
	const { stdout } = await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: tree, env: withoutNodeEnv() });
	const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
	return path.join(destination, packed.filename);
}

const STAMP = 'inputs.sha256';
let inThisProcess: { hash: string; tarballs: Promise<Record<string, string>> } | undefined;

async function buildTarballs(hash: string): Promise<Record<string, string>> {
	const repoRoot = findRepoRoot();
	const stampFile = scratchDir('packages', STAMP);
	const cacheDir = path.dirname(stampFile);
	const cached = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === hash ? (JSON.parse(fs.readFileSync(path.join(cacheDir, 'tarballs.json'), 'utf8')) as Record<string, string>) : undefined;
	if (cached && Object.values(cached).every((tarball) => fs.existsSync(tarball))) return cached;

	// Built aside and moved into place, so a half-made set is never taken for a finished one.
	const work = fs.mkdtempSync(path.join(cacheDir, 'building-'));
	try {
		const trees = await exportPackages(path.join(work, 'trees'), repoRoot);
		const tarballs: Record<string, string> = {};
		for (const [name, tree] of Object.entries(trees)) {
			fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(tree, 'node_modules'));
			await runCommand(path.join(repoRoot, 'node_modules', '.bin', 'n8n-node'), ['build'], { cwd: tree, env: withoutNodeEnv() });
			const packed = await packTree(tree, work);
			tarballs[name] = path.join(cacheDir, path.basename(packed));
			fs.renameSync(packed, tarballs[name]);
		}
		fs.writeFileSync(path.join(cacheDir, 'tarballs.json'), `${JSON.stringify(tarballs, null, '\t')}\n`);
		fs.writeFileSync(stampFile, `${hash}\n`);
		return tarballs;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/**
 * The packed tarball of each package, by package name (scratch folder packages/<name>-<version>.tgz). Cheap when
 * nothing that goes into them changed since the last call (in this process or an earlier one).
 */
export async function buildPackageTarballs(): Promise<Record<string, string>> {
	const hash = packageInputsHash();
	if (inThisProcess?.hash !== hash) {
		const tarballs = buildTarballs(hash).catch((error: unknown) => {
			inThisProcess = undefined; // a failed build is tried again by the next call
			throw error;
		});
		inThisProcess = { hash, tarballs };
	}
	return await inThisProcess.tarballs;
}
