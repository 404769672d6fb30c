// n8n in queue mode on one machine: PostgreSQL and Redis on loopback, one main (`n8n start`: UI,
// API, activation and polling) and workers (`n8n worker`: they run every execution, manual runs
// included), each n8n with its own user folder and the packed package installed there.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, N8nInstance, processGroupMembers } from '../../e2e/harness/n8nInstance.cjs';
import { scratchDir } from '../../setup/repo.cjs';
import { ensureServiceBinaries, POSTGRES_DATABASE, POSTGRES_USER, PostgresServer, RedisServer } from './services.cjs';

export interface QueueModeClusterOptions {
	n8nDir: string;
	nodeBin: string;
	/** The packed packages, installed side by side into every n8n's <userFolder>/.n8n/nodes. */
	tarballs: string[];
	workers?: number;
	/** `n8n worker --concurrency`: with 1, a busy worker leaves the next job to another one. */
	workerConcurrency?: number;
	log?: (line: string) => void;
}

export interface ClusterTimings {
	/** scale-services.sh (an apt install when Redis or PostgreSQL is missing), then PostgreSQL and Redis up. */
	databaseAndQueueSeconds: number;
	/** The above and, alongside, the package installed into each n8n's user folder. */
	servicesSeconds: number;
	mainSeconds: number;
	workersSeconds: number;
}

/** A worker's share of the work, read from its log ("Worker started/finished execution <id> (job <n>)"). */
export interface WorkerLogExecutions {
	started: string[];
	finished: string[];
}

export class QueueModeCluster {
	readonly timings: ClusterTimings = { databaseAndQueueSeconds: 0, servicesSeconds: 0, mainSeconds: 0, workersSeconds: 0 };
	main!: N8nInstance;
	readonly workers: N8nInstance[] = [];
	postgres!: PostgresServer;
	redis!: RedisServer;
	/** Every process group the cluster started, for the leftover check after stop(). */
	private readonly groups: number[] = [];

	private constructor(
		readonly workDir: string,
		private readonly postgresDir: string,
		private readonly options: QueueModeClusterOptions,
	) {}

	/** Starts everything; on a failure stops what was started and rethrows. */
	static async start(options: QueueModeClusterOptions): Promise<QueueModeCluster> {
		const workDir = fs.mkdtempSync(scratchDir('scale-'));
		// mkdtemp makes it 0700: PostgreSQL runs as another user (under root) and must reach its folder inside.
		fs.chmodSync(workDir, 0o755);
		// A clone in a folder others cannot enter (e.g. under /root): PostgreSQL's data goes to the system temp folder.
		const postgresDir = traversableByOthers(workDir) ? path.join(workDir, 'postgres') : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-invoicing-postgres-'));
		const cluster = new QueueModeCluster(workDir, postgresDir, options);
		try {
			await cluster.startAll();
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return cluster;
	}

	private get log(): (line: string) => void {
		return this.options.log ?? (() => {});
	}

	private async startAll(): Promise<void> {
		const { n8nDir, nodeBin, tarballs } = this.options;
		const workerCount = this.options.workers ?? 2;
		// Ports are picked first so that every n8n's environment is complete before anything starts.
		const [postgresPort, redisPort, ...healthPorts] = await distinctFreePorts(2 + workerCount);
		const postgresPassword = randomBytes(12).toString('hex');
		// Same key everywhere: workers decrypt the credentials the main stored.
		const shared = sharedEnv({ postgresPort, redisPort, postgresPassword, encryptionKey: randomBytes(24).toString('hex') });
		const newInstance = (name: string, extra: { args?: string[]; port?: number; env?: Record<string, string> }) =>
			new N8nInstance({
				n8nDir,
				nodeBin,
				userFolder: path.join(this.workDir, name),
				log: (line) => this.log(`${name}: ${line}`),
				...extra,
				env: { ...shared, ...extra.env },
			});
		this.main = newInstance('main', {
			env: {
				// Manual runs (the editor's "Execute workflow", POST /rest/workflows/<id>/run) stay on the main
				// in 2.41 unless offloaded: WorkflowRunner enqueues them only with this set.
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			},
		});
		const concurrency = this.options.workerConcurrency ?? 10;
		for (const [index, healthPort] of healthPorts.entries()) {
			this.workers.push(
				newInstance(`worker-${index + 1}`, {
					args: ['worker', `--concurrency=${concurrency}`],
					// The worker's health server: start() waits for its /healthz/readiness (database and Redis up).
					port: healthPort,
					env: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
				}),
			);
		}

		let started = Date.now();
		const servicesUp = (async () => {
			const binaries = await ensureServiceBinaries(this.log);
			this.postgres = new PostgresServer(binaries.pgBin, this.postgresDir, { port: postgresPort, password: postgresPassword });
			this.redis = new RedisServer(binaries.redisServer, path.join(this.workDir, 'redis'), redisPort);
			await Promise.all([this.startTracked(this.postgres), this.startTracked(this.redis)]);
			this.timings.databaseAndQueueSeconds = (Date.now() - started) / 1000;
		})();
		// The package installs (npm, a few seconds each) run while the services start.
		const instances = [this.main, ...this.workers];
		await Promise.all([servicesUp, ...instances.map(async (instance) => await instance.installPackages(tarballs))]);
		this.timings.servicesSeconds = (Date.now() - started) / 1000;
		this.log(`PostgreSQL :${postgresPort}, Redis :${redisPort}, package installed ${instances.length}× in ${this.timings.servicesSeconds.toFixed(1)} s`);

		// The main first: it runs the database migrations, which workers must not race.
		started = Date.now();
		await this.startTracked(this.main);
		await this.main.setupOwner();
		this.timings.mainSeconds = (Date.now() - started) / 1000;

		started = Date.now();
		await Promise.all(this.workers.map(async (worker) => await this.startTracked(worker)));
		this.timings.workersSeconds = (Date.now() - started) / 1000;
		this.log(`main ready in ${this.timings.mainSeconds.toFixed(1)} s, ${this.workers.length} workers in ${this.timings.workersSeconds.toFixed(1)} s`);
	}

	private async startTracked(service: { start(): Promise<void>; processGroupId: number | undefined }): Promise<void> {
		const starting = service.start();
		// The group id exists as soon as the process is spawned; record it even if start() then fails.
		const recordGroup = () => {
			if (service.processGroupId !== undefined && !this.groups.includes(service.processGroupId)) this.groups.push(service.processGroupId);
		};
		const timer = setInterval(recordGroup, 50);
		try {
			await starting;
		} finally {
			clearInterval(timer);
			recordGroup();
		}
	}

	/** Process ids (live, not zombies) in any group the cluster started. */
	leftoverProcesses(): number[] {
		return this.groups.flatMap((pgid) => processGroupMembers(pgid));
	}

	/** Execution ids a worker logged as started and as finished, in log order. */
	workerExecutions(worker: N8nInstance): WorkerLogExecutions {
		const log = fs.existsSync(worker.logFile) ? fs.readFileSync(worker.logFile, 'utf8') : '';
		const ids = (verb: string) => [...log.matchAll(new RegExp(`Worker ${verb} execution (\\d+) \\(job`, 'g'))].map((match) => match[1]);
		return { started: ids('started'), finished: ids('finished') };
	}

	/** Execution ids the main logged as handed to the queue ("Enqueued execution <id> (job <n>)"). */
	enqueuedExecutions(): string[] {
		const log = fs.existsSync(this.main.logFile) ? fs.readFileSync(this.main.logFile, 'utf8') : '';
		return [...log.matchAll(/Enqueued execution (\d+) \(job/g)].map((match) => match[1]);
	}

	/** Whether each worker's health server answers ready (it checks the database and Redis connections). */
	async workersReady(): Promise<boolean[]> {
		return await Promise.all(
			this.workers.map(async (worker) => {
				try {
					return (await fetch(`${worker.url}/healthz/readiness`)).ok;
				} catch {
					return false;
				}
			}),
		);
	}

	/**
	 * Workers, then the main, then Redis and PostgreSQL (n8n closes its connections first). Deletes
	 * the work folder unless N8N_E2E_KEEP_USER_FOLDER=1 (logs, user folders, database).
	 */
	async stop(): Promise<void> {
		await Promise.all(this.workers.map(async (worker) => await worker.stop()));
		await this.main?.stop();
		await Promise.all([this.redis?.stop(), this.postgres?.stop()]);
		if (process.env.N8N_E2E_KEEP_USER_FOLDER !== '1') {
			for (const dir of [this.workDir, this.postgresDir]) fs.rmSync(dir, { recursive: true, force: true });
		} else {
			this.log(`kept ${this.workDir} and ${this.postgresDir}`);
		}
	}
}

/** What main and workers share: the database, the queue, the encryption key. */
function sharedEnv(settings: { postgresPort: number; redisPort: number; postgresPassword: string; encryptionKey: string }): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(settings.redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(settings.postgresPort),
		DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE,
		DB_POSTGRESDB_USER: POSTGRES_USER,
		DB_POSTGRESDB_PASSWORD: settings.postgresPassword,
		N8N_ENCRYPTION_KEY: settings.encryptionKey,
	};
}

/** Whether every folder from / down to `dir` lets other users through (o+x). */
function traversableByOthers(dir: string): boolean {
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		if ((fs.statSync(current).mode & 0o001) === 0) return false;
		if (path.dirname(current) === current) return true;
	}
}

/** `count` free loopback ports, no two alike. */
async function distinctFreePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}
