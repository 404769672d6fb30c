/**
 * Queue mode with one token: three worker processes, each with its own rate budget as n8n's
 * workers have, run Return All at once with one PayRequest token against one emulator that limits
 * like Laravel (Limit and Remaining on every answer, Reset and Retry-After only on the 429). Each
 * process learns its share of the window from how fast X-RateLimit-Remaining falls.
 */
import { execFile, execFileSync } from 'child_process';
import * as path from 'path';

import { addInvoices, useEmulator } from '../engine/emulatorFixture.cjs';

jest.setTimeout(240_000);

const root = path.join(__dirname, '..', '..');
const fixture = useEmulator({ seed: { customers: 2, invoices: 0, seed: 5 } });
const WORKERS = 3;
const INVOICES = 3_000;

beforeAll(() => {
	// The worker runs as plain node from the compiled tests.
	execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.dev.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

function worker(baseUrl: string): Promise<{ results: Array<{ items: number; error?: string }>; tooMany: number[] }> {
	return new Promise((resolve, reject) => {
		execFile(process.execPath, [path.join(root, '.build', 'test', 'engine', 'returnAllWorker.cjs'), baseUrl, '2', '4'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
			if (error) reject(error);
			else resolve(JSON.parse(stdout) as { results: Array<{ items: number; error?: string }>; tooMany: number[] });
		});
	});
}

test(`${WORKERS} processes, one token, Return All of ${INVOICES.toLocaleString('en')} invoices twice each: every run complete, at most one 429 per worker per window`, async () => {
	// 20 requests a window of 2 s (PayRequest's 60 a minute, scaled down), 30 ms per answer.
	fixture.emulator.setRateLimit({ perMinute: 20, burst: 0, windowMs: 2_000, headers: 'laravel' });
	fixture.emulator.setLatency(30);
	addInvoices(fixture.emulator, INVOICES);
	const outcomes = await Promise.all(Array.from({ length: WORKERS }, () => worker(fixture.credential.baseUrl)));
	for (const { results } of outcomes) for (const result of results) expect(result).toEqual({ items: INVOICES });

	const requests = fixture.emulator.requests.filter((request) => request.path === '/api/v1/invoices');
	const perWindow = new Map<number, number>();
	for (const request of requests) if (request.status === 429) perWindow.set(request.rateWindow!, (perWindow.get(request.rateWindow!) ?? 0) + 1);
	const windows = new Set(requests.map((request) => request.rateWindow)).size;
	const total = [...perWindow.values()].reduce((sum, count) => sum + count, 0);
	// The figure the README reports.
	console.log(`shared token: ${WORKERS} workers, ${requests.length} requests over ${windows} windows, ${total} answered 429 in ${perWindow.size} windows, at most ${Math.max(0, ...perWindow.values())} in one; per worker ${outcomes.map((outcome) => outcome.tooMany.length).join(', ')}`);
	for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(WORKERS);
	// Per worker and window: each 429 a worker received falls in the window of the last 429 the emulator sent before it.
	const refusals = requests.filter((request) => request.status === 429).sort((a, b) => a.at - b.at);
	for (const outcome of outcomes) {
		const windowsHit = outcome.tooMany.map((at) => [...refusals].reverse().find((request) => request.at <= at)?.rateWindow);
		const counts = new Map<unknown, number>();
		for (const window of windowsHit) counts.set(window, (counts.get(window) ?? 0) + 1);
		for (const count of counts.values()) expect(count).toBeLessThanOrEqual(1);
	}
});
