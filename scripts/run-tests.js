#!/usr/bin/env node
// The whole suite, as `npm test` runs it: the type check, then every jest project.
// Ends with the plain line "N passed, N failed" that CI reads (the type check counts as one test).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const resultsFile = path.join(root, '.tmp', 'jest-results.json');
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.rmSync(resultsFile, { force: true });

let passed = 0;
let failed = 0;

const step = (label, command, args) => {
	console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}`);
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	console.log(`=== ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result.status === 0;
};

if (step('type check', bin('tsc'), ['-p', 'tsconfig.dev.json', '--noEmit'])) passed++;
else failed++;

const jestArgs = ['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
const jestOk = step('jest', bin('jest'), jestArgs);
if (fs.existsSync(resultsFile)) {
	const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	passed += results.numPassedTests;
	failed += results.numFailedTests;
	// A suite that fails to load has no failed tests of its own: count it, so it cannot pass silently.
	failed += results.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
	if (results.numTotalTests === 0) failed++;
} else {
	failed++;
}
if (!jestOk && failed === 0) failed++;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
