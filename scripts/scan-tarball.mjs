// Runs @n8n/scan-community-package's own lint (the checks it makes of a package's published
// contents) on a packed tarball, before anything is published; with --source, the lint it makes of
// the source commit that a published version's provenance names (package.json, nodes/, credentials/).
// The full scan, which also checks provenance, needs the package on npm:
// `npx @n8n/scan-community-package n8n-nodes-payrequest`.
// Usage: node scripts/scan-tarball.mjs [--source] <package.tgz | package folder>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const source = process.argv[2] === '--source';
const target = path.resolve(process.argv[source ? 3 : 2] ?? '');
if (!fs.existsSync(target)) {
	console.error('Usage: node scripts/scan-tarball.mjs [--source] <package.tgz | package folder>');
	process.exit(2);
}
const extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
try {
	let packageDir = target;
	if (fs.statSync(target).isFile()) {
		execFileSync('tar', ['xzf', target, '-C', extracted]);
		packageDir = path.join(extracted, 'package');
	}
	const result = await analyzePackage(packageDir, ...(source ? [SOURCE_FILE_PATTERNS] : []));
	console.log(JSON.stringify(result));
	process.exitCode = result.passed ? 0 : 1;
} finally {
	fs.rmSync(extracted, { recursive: true, force: true });
}
