// Jest globalSetup of the unit project: one `npm run build` before the suites that read dist/
// (package shape, the scanner), so no two test files rebuild it under each other.
import { execFileSync } from 'child_process';
import * as path from 'path';

export default function buildOnce(): void {
	execFileSync('npm', ['run', 'build'], { cwd: path.join(__dirname, '..', '..'), stdio: 'pipe' });
}
