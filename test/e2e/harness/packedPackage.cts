// Builds and packs this package the way it is published (`npm run build`, then `npm pack`), once per
// test run: the tarball is cached in the scratch folder (e2e-package/<hash>/), keyed by a hash of what goes into it
// (dist/ and the manifest), so an unchanged build is not packed again.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot, scratchDir } from '../../setup/repo.cjs';
import { N8nInstance, runCommand } from './n8nInstance.cjs';

export interface PackedPackage {
	/** Absolute path of the `npm pack` tarball. */
	tarball: string;
	/** sha256 of dist/ and the packed manifest files (hex, first 16 characters). */
	contentHash: string;
	/** Whether this call ran `npm pack` (false: the cached tarball of the same content was reused). */
	packed: boolean;
	buildSeconds: number;
	packSeconds: number;
}

/** What every e2e test file needs: n8n's installation and the package tarball. */
export interface E2eSetup {
	n8nDir: string;
	nodeBin: string;
	/** The installed n8n's version, e.g. '2.41.1' (N8N_VERSION picks it; see n8nFlavour.cts). */
	n8nVersion: string;
	tarball: string;
	/** Seconds ensureInstalled took in this run (about 4.5 minutes on a fresh machine, ~0 when cached). */
	installSeconds: number;
	buildSeconds: number;
	packSeconds: number;
}

/** Environment variable through which globalSetup hands the E2eSetup to the test files (JSON). */
export const E2E_SETUP_ENV = 'INVOICING_E2E_SETUP';

// Files npm pack always adds besides `files` (dist/): their changes change the tarball too.
const MANIFEST_FILES = ['package.json', 'README.md', 'LICENSE'];

/** NODE_ENV=test (set by jest) must not leak into the build or into npm's lifecycle. */
function withoutNodeEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	return env;
}

function filesUnder(dir: string): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...filesUnder(full));
		else if (entry.isFile()) found.push(full);
	}
	return found;
}

/** Hash of everything the tarball is made of: each file's relative path and bytes, in a fixed order. */
export function packageContentHash(repoRoot: string): string {
	const hash = createHash('sha256');
	const files = [
		...filesUnder(path.join(repoRoot, 'dist')),
		...MANIFEST_FILES.map((name) => path.join(repoRoot, name)).filter((file) => fs.existsSync(file)),
	]
		.map((file) => path.relative(repoRoot, file).split(path.sep).join('/'))
		.sort();
	for (const file of files) {
		hash.update(`${file}\0`);
		hash.update(fs.readFileSync(path.join(repoRoot, file)));
		hash.update('\0');
	}
	return hash.digest('hex').slice(0, 16);
}

// A tarball may still be in use by another test run (a run next to `npm start`, or one started
// before the sources changed): entries are only removed once nobody has touched them for a day.
const STALE_TARBALL_MS = 24 * 3_600_000;

function pruneStaleTarballs(cacheRoot: string): void {
	for (const entry of fs.readdirSync(cacheRoot)) {
		const full = path.join(cacheRoot, entry);
		if (/^([0-9a-f]{16}|packing-.*)$/.test(entry) && Date.now() - fs.statSync(full).mtimeMs > STALE_TARBALL_MS) {
			fs.rmSync(full, { recursive: true, force: true });
		}
	}
}

/** `npm run build`, then `npm pack` unless a tarball of exactly this content is cached already. */
export async function buildAndPack(log: (line: string) => void = () => {}): Promise<PackedPackage> {
	const repoRoot = findRepoRoot();
	const buildStarted = Date.now();
	// Exactly what a publish runs (dist/ is not cleaned first, as `npm run build` does not either).
	await runCommand('npm', ['run', 'build'], { cwd: repoRoot, env: withoutNodeEnv() });
	const buildSeconds = (Date.now() - buildStarted) / 1000;

	const contentHash = packageContentHash(repoRoot);
	const cacheRoot = scratchDir('e2e-package');
	const cacheDir = path.join(cacheRoot, contentHash);
	const cached = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).find((name) => name.endsWith('.tgz')) : undefined;
	if (cached) {
		const now = new Date();
		fs.utimesSync(cacheDir, now, now); // in use: not stale
		log(`built in ${buildSeconds.toFixed(1)} s; reusing ${path.relative(repoRoot, path.join(cacheDir, cached))}`);
		return { tarball: path.join(cacheDir, cached), contentHash, packed: false, buildSeconds, packSeconds: 0 };
	}

	const packStarted = Date.now();
	fs.mkdirSync(cacheRoot, { recursive: true });
	// Pack into a scratch folder and rename it into place: a half-written cache entry is never seen.
	const scratch = fs.mkdtempSync(path.join(cacheRoot, 'packing-'));
	try {
		const { stdout: output } = await runCommand('npm', ['pack', '--pack-destination', scratch, '--json'], { cwd: repoRoot, env: withoutNodeEnv() });
		const [packedInfo] = JSON.parse(output) as Array<{ filename: string }>;
		if (!fs.existsSync(path.join(scratch, packedInfo.filename))) throw new Error(`npm pack wrote no ${packedInfo.filename}`);
		pruneStaleTarballs(cacheRoot);
		try {
			fs.renameSync(scratch, cacheDir);
		} catch (error) {
			// Another test run packed the same content meanwhile: its tarball is as good as ours.
			if (!fs.existsSync(path.join(cacheDir, packedInfo.filename))) throw error;
		}
		const packSeconds = (Date.now() - packStarted) / 1000;
		const tarball = path.join(cacheDir, packedInfo.filename);
		log(`built in ${buildSeconds.toFixed(1)} s, packed ${path.relative(repoRoot, tarball)} in ${packSeconds.toFixed(1)} s`);
		return { tarball, contentHash, packed: true, buildSeconds, packSeconds };
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

let setupInThisProcess: Promise<E2eSetup> | undefined;

/** n8n installed and the package built and packed: what globalSetup does, for a process that has none. */
export async function prepareE2e(log: (line: string) => void = () => {}): Promise<E2eSetup> {
	const installation = await N8nInstance.ensureInstalled(log);
	const packed = await buildAndPack(log);
	return {
		n8nDir: installation.n8nDir,
		nodeBin: installation.nodeBin,
		n8nVersion: installation.n8nVersion,
		tarball: packed.tarball,
		installSeconds: installation.installSeconds,
		buildSeconds: packed.buildSeconds,
		packSeconds: packed.packSeconds,
	};
}

/**
 * The E2eSetup of this test run: from globalSetup when it ran (jest's e2e project), otherwise
 * prepared here once per process (a test file run by some other configuration).
 */
export async function e2eSetup(log: (line: string) => void = () => {}): Promise<E2eSetup> {
	const fromGlobalSetup = process.env[E2E_SETUP_ENV];
	if (fromGlobalSetup) {
		const setup = JSON.parse(fromGlobalSetup) as E2eSetup;
		if (fs.existsSync(setup.tarball)) return setup;
	}
	setupInThisProcess ??= prepareE2e(log).then((setup) => {
		// Jest gives each test file fresh modules, not a fresh process: later files of a --runInBand run reuse it.
		process.env[E2E_SETUP_ENV] = JSON.stringify(setup);
		return setup;
	});
	return await setupInThisProcess;
}
