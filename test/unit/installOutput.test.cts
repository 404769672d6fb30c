// A quiet first `npm start`: of install-n8n.sh's output, only its progress lines and npm's errors are printed;
// npm's warnings and the rest go to a log file, whose path is printed once.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { quietInstallOutput } from '../e2e/harness/n8nInstance.cjs';

// Lines as a cold install of n8n 2.41.1 prints them on stderr (npm's own, between the script's).
const INSTALL_OUTPUT = [
	'[install-n8n] installing n8n@2.41.1 into /root/.cache/n8n-nodes-invoicing/n8n-2.41.1 (several minutes on a fresh machine)',
	'npm warn ERESOLVE overriding peer dependency',
	'npm warn While resolving: @n8n/n8n-nodes-langchain@2.41.1',
	'npm warn Found: zod@3.25.76',
	'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
	'[install-n8n] npm install n8n@2.41.1: still working (20 s)',
	'added 1796 packages in 3m',
	'npm error code ETARGET',
	'[install-n8n] n8n 2.41.1 is installed and its native modules load with Node 24',
];

describe('install-n8n.sh output, as npm start and the e2e setup show it', () => {
	let folder: string;
	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'install-output-'));
	});
	afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

	it('prints the progress lines and npm errors, points once at the log file, and keeps the rest there', () => {
		const printed: string[] = [];
		const logFile = path.join(folder, 'install-n8n.log');
		const onLine = quietInstallOutput((line) => printed.push(line), logFile);
		for (const line of INSTALL_OUTPUT) onLine(line);

		expect(printed).toEqual([
			'[install-n8n] installing n8n@2.41.1 into /root/.cache/n8n-nodes-invoicing/n8n-2.41.1 (several minutes on a fresh machine)',
			expect.stringMatching(/^npm's warnings and other output of the n8n install go to .*install-n8n\.log$/),
			'[install-n8n] npm install n8n@2.41.1: still working (20 s)',
			'npm error code ETARGET',
			'[install-n8n] n8n 2.41.1 is installed and its native modules load with Node 24',
		]);
		const logged = fs.readFileSync(logFile, 'utf8').split('\n');
		expect(logged[0]).toMatch(/^===== install-n8n\.sh \d{4}-\d\d-\d\dT/);
		expect(logged.slice(1)).toEqual([
			'npm warn ERESOLVE overriding peer dependency',
			'npm warn While resolving: @n8n/n8n-nodes-langchain@2.41.1',
			'npm warn Found: zod@3.25.76',
			'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
			'added 1796 packages in 3m',
			'',
		]);
	});

	it('a cached install, which prints no noise, neither writes the log nor mentions it', () => {
		const printed: string[] = [];
		const logFile = path.join(folder, 'install-n8n.log');
		quietInstallOutput((line) => printed.push(line), logFile)('[install-n8n] n8n 2.41.1 is installed and its native modules load with Node 24');
		expect(printed).toHaveLength(1);
		expect(fs.existsSync(logFile)).toBe(false);
	});
});
