// INTERIM (replaced by the packages/ branch's buildPackageTarballs at merge): the three published packages, each
// packed from this repository's dist/ with a manifest naming only its provider's nodes and credential, and the
// kit (dist/nodes/shared) compiled in. Tarballs are cached by a hash of what goes into them.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot, scratchDir } from '../../setup/repo.cjs';
import { runCommand } from './n8nInstance.cjs';

interface ProviderPackage {
	name: string;
	folder: string;
	credential: string;
	icon: string;
	nodes: string[];
}

const PROVIDER_PACKAGES: ProviderPackage[] = [
	{ name: 'n8n-nodes-payrequest', folder: 'PayRequest', credential: 'PayRequestApi', icon: 'payrequest', nodes: ['PayRequest', 'PayRequestTrigger'] },
	{
		name: 'n8n-nodes-alternative-payments',
		folder: 'AlternativePayments',
		credential: 'AlternativePaymentsOAuth2Api',
		icon: 'alternativepayments',
		nodes: ['AlternativePayments', 'AlternativePaymentsTrigger', 'AlternativePaymentsOverdueTrigger'],
	},
	{ name: 'n8n-nodes-paisr', folder: 'Paisr', credential: 'PaisrApi', icon: 'paisr', nodes: ['Paisr', 'PaisrTrigger', 'PaisrOverdueTrigger'] },
];

/** NODE_ENV=test (set by jest) must not leak into the build or into npm's lifecycle. */
function withoutNodeEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	return env;
}

function copyTree(from: string, to: string, keep: (file: string) => boolean = () => true): void {
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) copyTree(source, target, keep);
		else if (keep(entry.name)) {
			fs.mkdirSync(to, { recursive: true });
			fs.copyFileSync(source, target);
		}
	}
}

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full) : [full];
	});
}

function stagePackage(repoRoot: string, provider: ProviderPackage, stage: string): void {
	const dist = path.join(repoRoot, 'dist');
	copyTree(path.join(dist, 'nodes', provider.folder), path.join(stage, 'dist', 'nodes', provider.folder));
	copyTree(path.join(dist, 'nodes', 'shared'), path.join(stage, 'dist', 'nodes', 'shared'));
	copyTree(path.join(dist, 'credentials'), path.join(stage, 'dist', 'credentials'), (file) => file.startsWith(`${provider.credential}.credentials.`));
	copyTree(path.join(dist, 'icons'), path.join(stage, 'dist', 'icons'), (file) => file.startsWith(`${provider.icon}.`));
	fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(stage, 'LICENSE'));
	const root = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, any>;
	const manifest = {
		name: provider.name,
		version: root.version,
		description: `n8n community nodes for ${provider.folder}`,
		keywords: ['n8n-community-node-package'],
		license: root.license,
		files: ['dist'],
		n8n: {
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: [`dist/credentials/${provider.credential}.credentials.js`],
			nodes: provider.nodes.map((node) => `dist/nodes/${provider.folder}/${node}.node.js`),
		},
		peerDependencies: root.peerDependencies,
		peerDependenciesMeta: root.peerDependenciesMeta,
	};
	fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function treeHash(dir: string): string {
	const hash = createHash('sha256');
	for (const file of filesUnder(dir).map((full) => path.relative(dir, full)).sort()) {
		hash.update(`${file}\0`);
		hash.update(fs.readFileSync(path.join(dir, file)));
		hash.update('\0');
	}
	return hash.digest('hex').slice(0, 16);
}

/** Builds once, then packs each package (or reuses its cached tarball of the same content): package name → .tgz path. */
export async function buildPackageTarballs(): Promise<Record<string, string>> {
	const repoRoot = findRepoRoot();
	await runCommand('npm', ['run', 'build'], { cwd: repoRoot, env: withoutNodeEnv() });
	const cacheRoot = scratchDir('e2e-packages');
	fs.mkdirSync(cacheRoot, { recursive: true });
	const tarballs: Record<string, string> = {};
	for (const provider of PROVIDER_PACKAGES) {
		const stage = fs.mkdtempSync(path.join(cacheRoot, 'staging-'));
		try {
			stagePackage(repoRoot, provider, stage);
			const cacheDir = path.join(cacheRoot, `${provider.name}-${treeHash(stage)}`);
			const cached = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).find((name) => name.endsWith('.tgz')) : undefined;
			if (cached) {
				tarballs[provider.name] = path.join(cacheDir, cached);
				continue;
			}
			const packed = fs.mkdtempSync(path.join(cacheRoot, 'packing-'));
			const { stdout } = await runCommand('npm', ['pack', stage, '--pack-destination', packed, '--json', '--ignore-scripts'], { cwd: packed, env: withoutNodeEnv() });
			const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
			try {
				fs.renameSync(packed, cacheDir);
			} catch (error) {
				// Another test run packed the same content meanwhile: its tarball is as good as ours.
				fs.rmSync(packed, { recursive: true, force: true });
				if (!fs.existsSync(path.join(cacheDir, filename))) throw error;
			}
			tarballs[provider.name] = path.join(cacheDir, filename);
		} finally {
			fs.rmSync(stage, { recursive: true, force: true });
		}
	}
	return tarballs;
}
