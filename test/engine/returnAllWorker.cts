/**
 * One worker process for the shared-token test (test/unit/sharedToken.test.cts): runs PayRequest
 * Get Many with Return All through n8n-core's engine, `runs` times one after another, against the
 * emulator at `baseUrl`, and prints what each run returned and the 429s this process received, as
 * JSON. Run from .build/ by plain node, as a process of its own (its own rate budget, as an n8n
 * worker has).
 */
import { scratchDir } from '../setup/repo.cjs';

process.env.N8N_USER_FOLDER ??= scratchDir('n8n-user');
process.env.N8N_LOG_LEVEL ??= 'silent';

async function main(): Promise<void> {
	const [baseUrl, runs, maxConcurrency] = process.argv.slice(2);
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { Logger } = require('@n8n/backend-common') as typeof import('@n8n/backend-common');
	const { Container } = require('@n8n/di') as typeof import('@n8n/di');
	const { runNode } = require('./harness.cjs') as typeof import('./harness.cjs');
	/* eslint-enable @typescript-eslint/no-require-imports */
	// The client logs each wait at debug level: a 429 it received says so.
	const tooMany: number[] = [];
	const logger = Container.get(Logger);
	logger.debug = ((message: string) => {
		if (/429 from PayRequest/.test(message)) tooMany.push(Date.now());
	}) as typeof logger.debug;
	const results: Array<{ items: number; error?: string }> = [];
	for (let run = 0; run < Number(runs); run++) {
		const { items, error } = await runNode({
			credential: { accessToken: 'test-token-rw', baseUrl },
			parameters: { resource: 'invoice', operation: 'getAll', returnAll: true, options: { maxConcurrency: Number(maxConcurrency) } },
		});
		results.push({ items: items.length, ...(error ? { error: error.message } : {}) });
	}
	process.stdout.write(JSON.stringify({ results, tooMany }));
	process.exit(0);
}

void main();
