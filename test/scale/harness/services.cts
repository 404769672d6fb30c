// Throwaway PostgreSQL and Redis servers for the queue-mode tests: Debian's packages (installed by
// scripts/scale-services.sh when missing), each on a free loopback port with its data in a folder of
// its own, in a process group of its own so that stop() ends it with every child.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { processGroupMembers, runCommand, runningGroups } from '../../e2e/harness/n8nInstance.cjs';
import { findRepoRoot } from '../../setup/repo.cjs';

export interface ServiceBinaries {
	redisServer: string;
	/** Folder holding initdb, postgres and createdb (Debian keeps them off PATH). */
	pgBin: string;
	/** Seconds scale-services.sh took (an apt install on a fresh machine, ~0 otherwise). */
	checkSeconds: number;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;

/** Runs scripts/scale-services.sh: installs Redis and PostgreSQL with apt-get if missing, returns where they are. */
export async function ensureServiceBinaries(log: (line: string) => void = () => {}): Promise<ServiceBinaries> {
	const started = Date.now();
	const { output } = await runCommand('bash', [path.join(findRepoRoot(), 'scripts', 'scale-services.sh')], { env: process.env });
	const value = (key: string) => output.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1]?.trim();
	const redisServer = value('REDIS_SERVER');
	const pgBin = value('PG_BIN');
	if (!redisServer || !pgBin) throw new Error(`scale-services.sh printed no REDIS_SERVER / PG_BIN:\n${output}`);
	const checkSeconds = (Date.now() - started) / 1000;
	log(`redis-server ${redisServer}, PostgreSQL ${pgBin} (check took ${checkSeconds.toFixed(1)} s)`);
	return { redisServer, pgBin, checkSeconds };
}

/**
 * A server process in its own process group, its output appended to a log file. stop() sends
 * `stopSignal` to the group, waits until no member is left, and SIGKILLs the group after a grace period.
 */
class GroupProcess {
	private pgidValue?: number;

	constructor(
		readonly name: string,
		readonly logFile: string,
		private readonly stopSignal: NodeJS.Signals,
	) {}

	get pgid(): number | undefined {
		return this.pgidValue;
	}

	get running(): boolean {
		return this.pgidValue !== undefined && processGroupMembers(this.pgidValue).length > 0;
	}

	spawn(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string } = {}): void {
		const logFd = fs.openSync(this.logFile, 'a');
		const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', logFd, logFd] });
		fs.closeSync(logFd);
		child.unref();
		child.once('error', () => {}); // a spawn failure shows as "not running" in waitUntilReady
		this.pgidValue = child.pid;
		if (child.pid !== undefined) runningGroups.add(child.pid);
	}

	async stop(): Promise<void> {
		const pgid = this.pgidValue;
		if (pgid === undefined) return;
		const signalGroup = (signal: NodeJS.Signals) => {
			try {
				process.kill(-pgid, signal);
			} catch {
				// group already gone
			}
		};
		signalGroup(this.stopSignal);
		const deadline = Date.now() + STOP_GRACE_MS;
		while (processGroupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(100);
		if (processGroupMembers(pgid).length > 0) {
			signalGroup('SIGKILL');
			while (processGroupMembers(pgid).length > 0) await sleep(100);
		}
		runningGroups.delete(pgid);
		this.pgidValue = undefined;
	}

	logTail(lines = 30): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return `(no ${this.name} log)`;
		}
	}

	/** Polls `probe` until it succeeds; fails early when the process is gone. */
	async waitUntilReady(probe: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (await probe().catch(() => false)) return;
			if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.logTail()}`);
			if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logTail()}`);
			await sleep(100);
		}
	}
}

/** uid/gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith(`${name}:`));
	if (!line) return undefined;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export const POSTGRES_DATABASE = 'n8n';
export const POSTGRES_USER = 'n8n';

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

/**
 * PostgreSQL on 127.0.0.1 only, its socket beside the data folder (not /var/run/postgresql),
 * durability off: a throwaway database need not survive a crash.
 */
export class PostgresServer {
	readonly connection: PostgresConnection;
	private readonly process: GroupProcess;
	private readonly dataDir: string;
	private readonly socketDir: string;

	constructor(
		private readonly pgBin: string,
		private readonly workDir: string,
		server: { port: number; password: string },
	) {
		this.dataDir = path.join(workDir, 'data');
		this.socketDir = path.join(workDir, 'socket');
		this.process = new GroupProcess('PostgreSQL', path.join(workDir, 'postgres.log'), 'SIGINT'); // SIGINT: "fast" shutdown
		this.connection = { host: '127.0.0.1', port: server.port, database: POSTGRES_DATABASE, user: POSTGRES_USER, password: server.password };
	}

	get processGroupId(): number | undefined {
		return this.process.pgid;
	}

	async start(): Promise<void> {
		// initdb and postgres refuse to run as root: run them as the postgres user (created by Debian's
		// package), else nobody, with the folders given to that user.
		const owner = process.getuid?.() === 0 ? (systemUser('postgres') ?? systemUser('nobody')) : undefined;
		fs.mkdirSync(this.workDir, { recursive: true });
		fs.mkdirSync(this.socketDir, { recursive: true });
		const passwordFile = path.join(this.workDir, 'password');
		fs.writeFileSync(passwordFile, `${this.connection.password}\n`, { mode: 0o600 });
		if (owner) {
			for (const entry of [this.workDir, this.socketDir, passwordFile]) fs.chownSync(entry, owner.uid, owner.gid);
		}
		const asOwner = { ...(owner ?? {}), cwd: this.workDir };
		await runCommand(
			path.join(this.pgBin, 'initdb'),
			['-D', this.dataDir, '-U', this.connection.user, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C'],
			asOwner,
		);
		const settings = {
			listen_addresses: '127.0.0.1',
			port: String(this.connection.port),
			unix_socket_directories: this.socketDir,
			fsync: 'off',
			synchronous_commit: 'off',
			full_page_writes: 'off',
		};
		fs.writeFileSync(this.process.logFile, '');
		if (owner) fs.chownSync(this.process.logFile, owner.uid, owner.gid);
		this.process.spawn(path.join(this.pgBin, 'postgres'), ['-D', this.dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])], asOwner);
		// Creating n8n's database over TCP with the password is also the proof that n8n can log in.
		const { host, port, user, password, database } = this.connection;
		await this.process.waitUntilReady(async () => {
			await runCommand(path.join(this.pgBin, 'createdb'), ['-h', host, '-p', String(port), '-U', user, '-w', database], { env: { ...process.env, PGPASSWORD: password } });
			return true;
		});
	}

	async stop(): Promise<void> {
		await this.process.stop();
	}
}

/** Redis on 127.0.0.1 only, nothing persisted. */
export class RedisServer {
	private readonly process: GroupProcess;

	constructor(
		private readonly redisServerBin: string,
		private readonly workDir: string,
		readonly port: number,
	) {
		this.process = new GroupProcess('Redis', path.join(workDir, 'redis.log'), 'SIGTERM');
	}

	get processGroupId(): number | undefined {
		return this.process.pgid;
	}

	async start(): Promise<void> {
		fs.mkdirSync(this.workDir, { recursive: true });
		this.process.spawn(
			this.redisServerBin,
			['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.workDir, '--daemonize', 'no'],
			{ cwd: this.workDir },
		);
		await this.process.waitUntilReady(async () => (await this.command('PING')) === '+PONG');
	}

	/** One inline Redis command over a fresh connection; resolves with the first reply line. */
	async command(line: string): Promise<string> {
		return await new Promise((resolve, reject) => {
			const socket = net.connect(this.port, '127.0.0.1');
			let reply = '';
			socket.setTimeout(2_000, () => socket.destroy(new Error('Redis did not answer')));
			socket.on('connect', () => socket.write(`${line}\r\n`));
			socket.on('data', (chunk: Buffer) => {
				reply += chunk.toString();
				if (reply.includes('\r\n')) {
					socket.end();
					resolve(reply.split('\r\n')[0]);
				}
			});
			socket.on('error', reject);
		});
	}

	async stop(): Promise<void> {
		await this.process.stop();
	}
}
