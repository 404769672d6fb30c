// Where the repository is, and where tests, benches and scripts keep what they make as they run (n8n user folders,
// the playground of npm start, packed tarballs, results): node_modules/.cache/n8n-nodes-invoicing, per checkout.
// Not a folder of its own at the top: n8n's lint (`n8n-node lint`) reads every file that ESLint does not ignore, and an
// n8n user folder holds n8n's whole front end (tens of seconds to parse); ESLint never reads node_modules.
import * as fs from 'fs';
import * as path from 'path';

/** The repository root: the nearest folder upwards holding this project's package.json (works from .build/ too). */
export function findRepoRoot(start: string = __dirname): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest)) {
			try {
				if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'n8n-nodes-invoicing') return dir;
			} catch {
				// not ours: keep walking up
			}
		}
		if (path.dirname(dir) === dir) throw new Error(`no n8n-nodes-invoicing package.json above ${start}`);
	}
}

/** A path in the scratch folder, whose parent folders exist. */
export function scratchDir(...segments: string[]): string {
	const target = path.join(findRepoRoot(), 'node_modules', '.cache', 'n8n-nodes-invoicing', ...segments);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	return target;
}
