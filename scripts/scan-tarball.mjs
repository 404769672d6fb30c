// Runs @n8n/scan-community-package's own lint (the checks it makes of a package's published
// contents) on a packed tarball, before anything is published. The full scan, which also checks
// provenance, needs the package on npm: `npx @n8n/scan-community-package n8n-nodes-invoicing`.
// Usage: node scripts/scan-tarball.mjs <package.tgz | unpacked package folder>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const target = path.resolve(process.argv[2] ?? '');
if (!fs.existsSync(target)) {
	console.error('Usage: node scripts/scan-tarball.mjs <package.tgz | unpacked package folder>');
	process.exit(2);
}
const extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
try {
	let packageDir = target;
	if (fs.statSync(target).isFile()) {
		execFileSync('tar', ['xzf', target, '-C', extracted]);
		packageDir = path.join(extracted, 'package');
	}
	const result = await analyzePackage(packageDir);
	console.log(JSON.stringify(result));
	process.exitCode = result.passed ? 0 : 1;
} finally {
	fs.rmSync(extracted, { recursive: true, force: true });
}
