// The package as n8n installs it: what `npm run build` (the unit project's globalSetup) leaves in
// dist/ and what `npm pack` ships.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scratchDir } from '../setup/repo.cjs';

const root = path.join(__dirname, '..', '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The credential and node files that the n8n section of package.json names. */
function listedFiles(): string[] {
	return [...packageJson.n8n.credentials, ...packageJson.n8n.nodes];
}

function packedFiles(): string[] {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
	return pack.files.map((file) => file.path).sort();
}

describe('package', () => {
	test('every file the n8n section names is built, with the icons its nodes and credential point at', () => {
		const listed: string[] = [...packageJson.n8n.credentials, ...packageJson.n8n.nodes];
		expect(listed).toEqual([
			'dist/credentials/PayRequestApi.credentials.js',
			'dist/credentials/AlternativePaymentsOAuth2Api.credentials.js',
			'dist/credentials/PaisrApi.credentials.js',
			'dist/nodes/PayRequest/PayRequest.node.js',
			'dist/nodes/PayRequest/PayRequestTrigger.node.js',
			'dist/nodes/AlternativePayments/AlternativePayments.node.js',
			'dist/nodes/AlternativePayments/AlternativePaymentsTrigger.node.js',
			'dist/nodes/AlternativePayments/AlternativePaymentsOverdueTrigger.node.js',
			'dist/nodes/Paisr/Paisr.node.js',
			'dist/nodes/Paisr/PaisrTrigger.node.js',
			'dist/nodes/Paisr/PaisrOverdueTrigger.node.js',
		]);
		for (const file of listed) {
			expect(fs.existsSync(path.join(root, file))).toBe(true);
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = Object.values(require(path.join(root, file)) as Record<string, new () => { description: { icon?: unknown } }>);
			const instance = new exported[0]();
			const icons = Object.values((instance as { icon?: object }).icon ?? instance.description.icon ?? {}) as string[];
			expect(icons).toHaveLength(2);
			for (const icon of icons) {
				expect(icon).toMatch(/^file:/);
				expect(fs.existsSync(path.resolve(path.dirname(path.join(root, file)), icon.slice('file:'.length)))).toBe(true);
			}
		}
	});

	test("each node's codex file sits beside it in dist: Finance & Accounting, aliases, documentation links", () => {
		for (const [file, type] of [
			['dist/nodes/PayRequest/PayRequest.node.json', 'n8n-nodes-payrequest.payRequest'],
			['dist/nodes/PayRequest/PayRequestTrigger.node.json', 'n8n-nodes-payrequest.payRequestTrigger'],
			['dist/nodes/AlternativePayments/AlternativePayments.node.json', 'n8n-nodes-alternative-payments.alternativePayments'],
			['dist/nodes/AlternativePayments/AlternativePaymentsTrigger.node.json', 'n8n-nodes-alternative-payments.alternativePaymentsTrigger'],
			['dist/nodes/Paisr/Paisr.node.json', 'n8n-nodes-paisr.paisr'],
			['dist/nodes/Paisr/PaisrTrigger.node.json', 'n8n-nodes-paisr.paisrTrigger'],
			['dist/nodes/AlternativePayments/AlternativePaymentsOverdueTrigger.node.json', 'n8n-nodes-alternative-payments.alternativePaymentsOverdueTrigger'],
			['dist/nodes/Paisr/PaisrOverdueTrigger.node.json', 'n8n-nodes-paisr.paisrOverdueTrigger'],
		]) {
			const codex = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
			expect(codex).toMatchObject({ node: type, categories: ['Finance & Accounting'] });
			expect(codex.alias).toEqual(expect.arrayContaining(['invoice', 'billing']));
			expect(codex.resources.primaryDocumentation[0].url).toMatch(/#/);
		}
	});

	test('npm pack ships only dist/, README, LICENSE and package.json', () => {
		const files = packedFiles();
		expect(files.filter((file) => !file.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files).toEqual(expect.arrayContaining(['dist/icons/payrequest.svg', 'dist/icons/payrequest.dark.svg', 'dist/nodes/PayRequest/PayRequest.node.js']));
		expect(files.some((file) => /test|bench|\.ts$/.test(file.replace(/\.d\.ts$/, '')))).toBe(false);
	});

	test('no runtime dependencies; n8n-workflow is a peer dependency "*"; community package keyword', () => {
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// n8n provides n8n-workflow itself: a manual `npm install` in ~/.n8n/nodes must not pull it in.
		expect(packageJson.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		// No "main": n8n loads the files its n8n section names, and a main that is not shipped misleads.
		expect(packageJson.main).toBeUndefined();
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	test("n8n's manual route (npm install in ~/.n8n/nodes) installs this one package and nothing else", () => {
		const folder = fs.mkdtempSync(scratchDir('manual-install-'));
		try {
			const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], { cwd: root, encoding: 'utf8' })) as Array<{ filename: string }>;
			fs.writeFileSync(path.join(folder, 'package.json'), '{"name":"installed-nodes","private":true}');
			execFileSync('npm', ['install', path.join(folder, packed[0].filename), '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: folder, encoding: 'utf8' });
			const installed = fs.readdirSync(path.join(folder, 'node_modules')).filter((name) => !name.startsWith('.'));
			expect(installed).toEqual(['n8n-nodes-invoicing']);
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	}, 60_000);

	test('every link a user can click goes to the package page that package.json names (npm, which exists from the day of publishing)', () => {
		expect(packageJson.homepage).toBe('https://www.npmjs.com/package/n8n-nodes-invoicing');
		// No repository or bugs link while the repository is not public.
		expect(packageJson.repository).toBeUndefined();
		expect(packageJson.bugs).toBeUndefined();
		const links: string[] = [];
		for (const file of listedFiles()) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const instance = new (Object.values(require(path.join(root, file)) as Record<string, new () => Record<string, any>>)[0])();
			links.push(instance.documentationUrl ?? instance.description.documentationUrl);
		}
		for (const codexFile of packageJson.n8n.nodes.map((file: string) => file.replace(/\.js$/, '.json'))) {
			const codex = JSON.parse(fs.readFileSync(path.join(root, codexFile), 'utf8'));
			for (const group of Object.values(codex.resources) as Array<Array<{ url: string }>>) links.push(...group.map((resource) => resource.url));
		}
		expect(links.length).toBeGreaterThanOrEqual(8);
		for (const link of links) expect(link.split('#')[0]).toBe(packageJson.homepage);
		// Each anchor is a heading of the README that the package page shows.
		const anchors = new Set(
			fs
				.readFileSync(path.join(root, 'README.md'), 'utf8')
				.split('\n')
				.filter((line) => /^#{1,4} /.test(line))
				.map((line) => line.replace(/^#+ /, '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')),
		);
		for (const link of links) expect(anchors).toContain(link.split('#')[1]);
	});

	test.each([
		['PayRequest', /list, create and chase .* start a workflow when one becomes overdue/i],
		['AlternativePayments', /invoices and customers, .* start a workflow on its webhook events/i],
		['Paisr', /invoices and customers, .* start a workflow on signed Paisr events/i],
	])("the node panel's one merged %s entry says what the package does for it, whichever node's text n8n shows", (folder, words) => {
		const descriptions = packageJson.n8n.nodes.filter((file: string) => file.includes(`/${folder}/`) && !file.includes('Overdue')).map((file: string) => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const instance = new (Object.values(require(path.join(root, file)) as Record<string, new () => { description: { description: string } }>)[0])();
			return instance.description.description;
		});
		expect(descriptions).toHaveLength(2);
		expect(new Set(descriptions).size).toBe(1);
		expect(descriptions[0]).toMatch(words);
	});
});
