#!/usr/bin/env node
// The whole suite, as `npm test` runs it: type check, lint (n8n's rules, actionlint), the engine tests, the exported
// packages, then the end-to-end tests in a real n8n 2.x, in queue mode, and on n8n 1.x (one n8n at a time, so in
// band). Ends with the plain line "N passed, N failed" that CI reads; the type check and the lint count as one test each.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// Jest's results go to the scratch folder of tests and scripts (test/setup/repo.cts).
const tmp = path.join(root, 'node_modules', '.cache', 'n8n-nodes-invoicing');
fs.mkdirSync(tmp, { recursive: true });

const COMPAT_ENV = { N8N_VERSION: '1.123.81', N8N_NODE_MAJOR: '22' };

let passed = 0;
let failed = 0;

function step(label, command, args, env = process.env) {
	console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}`);
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
	console.log(`=== ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result.status === 0;
}

function countCheck(ok) {
	if (ok) passed++;
	else failed++;
}

function jestProject(project, extraArgs, { label = project, env = {} } = {}) {
	const resultsFile = path.join(tmp, `jest-${label}.json`);
	fs.rmSync(resultsFile, { force: true });
	const ok = step(`jest ${label}`, bin('jest'), ['--selectProjects', project, '--json', `--outputFile=${resultsFile}`, ...extraArgs], {
		...process.env,
		...env,
	});
	if (!fs.existsSync(resultsFile)) {
		failed++;
		return;
	}
	const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	passed += results.numPassedTests;
	failed += results.numFailedTests;
	// A suite that fails to load has no failed test of its own: count it, so it cannot pass silently.
	const brokenSuites = results.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.every((test) => test.status !== 'failed'));
	failed += brokenSuites.length;
	if (results.numTotalTests === 0 || (!ok && results.numFailedTests === 0 && brokenSuites.length === 0)) failed++;
}

countCheck(step('type check', bin('tsc'), ['-p', 'tsconfig.dev.json', '--noEmit']));
countCheck(step('lint', 'npm', ['run', '--silent', 'lint']));
jestProject('unit', []);
// Each exported package on its own: npm ci, build, n8n's strict lint and scanner, pack (npm run test:packages).
jestProject('packages', ['--runInBand']);
jestProject('e2e', ['--runInBand']);
// n8n in queue mode: PostgreSQL, Redis, a main and two workers (services from Debian's packages).
jestProject('scale', ['--runInBand']);
// The same end-to-end suite on the oldest n8n line the README claims (npm run test:compat).
jestProject('e2e', ['--runInBand'], { label: 'compat', env: COMPAT_ENV });

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
