// A local npm registry (verdaccio) for the install tests: the packed packages are published to it with `npm publish`,
// and n8n's own installer and the manual `npm install` fetch it from there, as they would from npmjs.org. It has no
// uplink, so nothing is read from or sent to a public registry; its storage lives in the scratch folder.
import * as fs from 'fs';
import type { IncomingMessage, Server } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { runServer } from 'verdaccio';
import { scratchDir } from '../../setup/repo.cjs';
import { runCommand } from './n8nInstance.cjs';

const USER = { name: 'publisher', password: 'local-registry-only' };

export class LocalRegistry {
	/** Every request it answered after publishing, as 'METHOD /path' (what n8n and npm fetched). */
	readonly requests: string[] = [];

	private constructor(
		private readonly server: Server,
		/** e.g. http://127.0.0.1:41234/ */
		readonly url: string,
		private readonly folder: string,
	) {}

	static async start(): Promise<LocalRegistry> {
		const folder = fs.mkdtempSync(scratchDir('registry-'));
		const server = (await runServer({
			self_path: folder,
			storage: path.join(folder, 'storage'),
			auth: { htpasswd: { file: path.join(folder, 'htpasswd'), max_users: 10 } },
			uplinks: {},
			packages: { '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' } },
			log: { type: 'stdout', format: 'pretty', level: 'fatal' },
			web: { enable: false },
		} as never)) as Server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		const { port } = server.address() as AddressInfo;
		return new LocalRegistry(server, `http://127.0.0.1:${port}/`, folder);
	}

	/** Publishes packed tarballs the way a maintainer does (`npm publish`, one each), as a user of this registry. */
	async publish(...tarballs: string[]): Promise<void> {
		const signup = await fetch(`${this.url}-/user/org.couchdb.user:${USER.name}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: USER.name, password: USER.password }),
		});
		if (!signup.ok) throw new Error(`local registry refused the publisher: ${signup.status} ${await signup.text()}`);
		const { token } = (await signup.json()) as { token: string };
		const authKey = `--${this.url.replace(/^http:/, '')}:_authToken=${token}`;
		for (const tarball of tarballs) {
			await runCommand('npm', ['publish', path.resolve(tarball), '--registry', this.url, authKey, '--ignore-scripts'], { cwd: this.folder });
		}
		this.server.on('request', (request: IncomingMessage) => this.requests.push(`${request.method} ${request.url}`));
	}

	/** The manifest of a published package, as npm clients read it. */
	async packument(name: string): Promise<{ 'dist-tags': Record<string, string>; versions: Record<string, unknown> }> {
		const response = await fetch(`${this.url}${encodeURIComponent(name)}`);
		if (!response.ok) throw new Error(`local registry: ${name} ${response.status}`);
		return (await response.json()) as never;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
		fs.rmSync(this.folder, { recursive: true, force: true });
	}
}
