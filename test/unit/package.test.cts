// The packages as n8n installs them: what each package's own package.json (packages/<name>/) names, built by the
// repository's `npm run build` (the unit project's globalSetup) into dist/, which holds every package's nodes for the
// tests and the playground. Each package's own tree, build and tarball: test/e2e/export.test.cts.
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const PACKAGE_NAMES = ['n8n-nodes-payrequest', 'n8n-nodes-alternative-payments', 'n8n-nodes-paisr'];
const manifests: Record<string, any> = Object.fromEntries(
	PACKAGE_NAMES.map((name) => [name, JSON.parse(fs.readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8'))]),
);

/** The credential and node files that a package's n8n section names. */
function listedFiles(name: string): string[] {
	return [...manifests[name].n8n.credentials, ...manifests[name].n8n.nodes];
}

describe('packages', () => {
	test("each package's n8n section names its own credential and nodes, together every one this repository builds", () => {
		expect(listedFiles('n8n-nodes-payrequest')).toEqual([
			'dist/credentials/PayRequestApi.credentials.js',
			'dist/nodes/PayRequest/PayRequest.node.js',
			'dist/nodes/PayRequest/PayRequestTrigger.node.js',
		]);
		expect(listedFiles('n8n-nodes-alternative-payments')).toEqual([
			'dist/credentials/AlternativePaymentsOAuth2Api.credentials.js',
			'dist/nodes/AlternativePayments/AlternativePayments.node.js',
			'dist/nodes/AlternativePayments/AlternativePaymentsTrigger.node.js',
			'dist/nodes/AlternativePayments/AlternativePaymentsOverdueTrigger.node.js',
		]);
		expect(listedFiles('n8n-nodes-paisr')).toEqual([
			'dist/credentials/PaisrApi.credentials.js',
			'dist/nodes/Paisr/Paisr.node.js',
			'dist/nodes/Paisr/PaisrTrigger.node.js',
			'dist/nodes/Paisr/PaisrOverdueTrigger.node.js',
		]);
		// The repository's own n8n section (the development build, n8n-node lint of this repository) names them all.
		expect([...packageJson.n8n.credentials, ...packageJson.n8n.nodes].sort()).toEqual(PACKAGE_NAMES.flatMap(listedFiles).sort());
	});

	test.each(PACKAGE_NAMES)('every file the n8n section of %s names is built, with the icons its nodes and credential point at', (name) => {
		for (const file of listedFiles(name)) {
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

	test("each node's codex file sits beside it in dist, naming the node type of its package: Finance & Accounting, aliases, documentation links", () => {
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

	test.each(PACKAGE_NAMES)("%s is shaped as n8n's starter has it: no runtime dependencies, n8n-workflow a peer, n8n-node's scripts, its own repository", (name) => {
		const manifest = manifests[name];
		expect(manifest).toMatchObject({ name, version: '0.1.0', license: 'MIT', files: ['dist'] });
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// n8n provides n8n-workflow itself: a manual `npm install` in ~/.n8n/nodes must not pull it in.
		expect(manifest.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		// No "main": n8n loads the files its n8n section names, and a main that is not shipped misleads.
		expect(manifest.main).toBeUndefined();
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(manifest.scripts).toEqual({
			build: 'n8n-node build',
			'build:watch': 'tsc --watch',
			dev: 'n8n-node dev',
			lint: 'n8n-node lint',
			'lint:fix': 'n8n-node lint --fix',
			release: 'n8n-node release',
			prepublishOnly: 'n8n-node prerelease',
		});
		// n8n's no-monorepo rule: a repository of its own, no `directory`.
		expect(manifest.repository).toEqual({ type: 'git', url: `https://github.com/n8n-nodes-invoicing/${name}.git` });
		// The tools that build and lint it are the ones this repository tests with.
		const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies;
		for (const tool of ['@n8n/node-cli', 'typescript']) expect(manifest.devDependencies[tool]).toBe(ours[tool]);
		// Its lockfile is of this manifest.
		const lock = JSON.parse(fs.readFileSync(path.join(root, 'packages', name, 'package-lock.json'), 'utf8'));
		expect(lock.packages['']).toMatchObject({ name, version: manifest.version, devDependencies: manifest.devDependencies, peerDependencies: manifest.peerDependencies });
	});

	test('this repository publishes nothing itself: it is private, under the name its test setup finds it by', () => {
		expect(packageJson).toMatchObject({ name: 'n8n-nodes-invoicing', private: true });
	});

	test.each(PACKAGE_NAMES)("every link a user of %s can click goes to its package page (npm, which exists from the day of publishing), to a heading of its README", (name) => {
		const homepage = manifests[name].homepage;
		expect(homepage).toBe(`https://www.npmjs.com/package/${name}`);
		const links: string[] = [];
		for (const file of listedFiles(name)) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const instance = new (Object.values(require(path.join(root, file)) as Record<string, new () => Record<string, any>>)[0])();
			links.push(instance.documentationUrl ?? instance.description.documentationUrl);
		}
		for (const codexFile of manifests[name].n8n.nodes.map((file: string) => file.replace(/\.js$/, '.json'))) {
			const codex = JSON.parse(fs.readFileSync(path.join(root, codexFile), 'utf8'));
			for (const group of Object.values(codex.resources) as Array<Array<{ url: string }>>) links.push(...group.map((resource) => resource.url));
		}
		expect(links.length).toBeGreaterThanOrEqual(4);
		for (const link of links) expect(link.split('#')[0]).toBe(homepage);
		// Each anchor is a heading of the README that the package page shows.
		const anchors = new Set(
			fs
				.readFileSync(path.join(root, 'packages', name, 'README.md'), 'utf8')
				.split('\n')
				.filter((line) => /^#{1,4} /.test(line))
				.map((line) => line.replace(/^#+ /, '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')),
		);
		for (const link of links) expect(anchors).toContain(link.split('#')[1]);
	});

	test.each([
		['n8n-nodes-payrequest', 'PayRequest', /list, create and chase .* start a workflow when one becomes overdue/i],
		['n8n-nodes-alternative-payments', 'AlternativePayments', /invoices and customers, .* start a workflow on its webhook events/i],
		['n8n-nodes-paisr', 'Paisr', /invoices and customers, .* start a workflow on signed Paisr events/i],
	])("the node panel's one merged entry of %s says what the package does, whichever node's text n8n shows", (name, folder, words) => {
		const descriptions = listedFiles(name)
			.filter((file: string) => file.includes(`/${folder}/`) && !file.includes('Overdue'))
			.map((file: string) => {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const instance = new (Object.values(require(path.join(root, file)) as Record<string, new () => { description: { description: string } }>)[0])();
				return instance.description.description;
			});
		expect(descriptions).toHaveLength(2);
		expect(new Set(descriptions).size).toBe(1);
		expect(descriptions[0]).toMatch(words);
	});
});
