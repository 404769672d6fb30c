/**
 * `npm run bench`: runs every benchmark, prints the tables and writes them to
 * bench/results/<YYYY-MM-DD>.md (the raw figures to <YYYY-MM-DD>.json, not committed).
 * Compiled to .build/bench/run.cjs and run by plain node, not jest. About three minutes.
 * BENCH_REPETITIONS sets the runs per Return All variant (default 3).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, platform, release, totalmem } from 'os';
import * as path from 'path';
import { scratchDir } from '../test/setup/repo.cjs';

const repoRoot = path.resolve(__dirname, '..', '..');
// n8n-core reads these when it is first loaded: set them before anything requires it.
process.env.N8N_USER_FOLDER = scratchDir('n8n-user');
process.env.N8N_LOG_LEVEL = 'silent';

/* eslint-disable @typescript-eslint/no-require-imports */
const returnAll = require('./returnAll.cjs') as typeof import('./returnAll.cjs');
const triggerPoll = require('./triggerPoll.cjs') as typeof import('./triggerPoll.cjs');
const altPayments = require('./altPayments.cjs') as typeof import('./altPayments.cjs');
const triggerCost = require('./triggerCost.cjs') as typeof import('./triggerCost.cjs');
const simplifyCost = require('./simplifyCost.cjs') as typeof import('./simplifyCost.cjs');
/* eslint-enable @typescript-eslint/no-require-imports */

type ReturnAllReport = import('./returnAll.cjs').ReturnAllReport;
type RateLimitedReport = import('./returnAll.cjs').RateLimitedReport;
type TriggerPollResult = import('./triggerPoll.cjs').TriggerPollResult;
type AltPaymentsReport = import('./altPayments.cjs').AltPaymentsReport;
type CostRow = import('./triggerCost.cjs').CostRow;
type SimplifyCostReport = import('./simplifyCost.cjs').SimplifyCostReport;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (mb: number) => `${mb.toFixed(1)} MB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const verdict = (met: boolean) => (met ? 'met' : '**NOT met**');

function machineLines(): string[] {
	const cpu = cpus();
	const n8nCore = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'n8n-core', 'package.json'), 'utf8')) as { version: string };
	return [
		`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GB memory, ${platform()} ${release()}`,
		`- Node.js ${process.version}, n8n-core ${n8nCore.version}`,
	];
}

function returnAllSection(report: ReturnAllReport): string[] {
	const [a, b, c] = report.variants;
	return [
		`## Return All: ${report.invoices.toLocaleString('en')} invoices, ${report.latencyMs} ms latency per request, no rate limit`,
		'',
		'A runs our node through n8n-core\'s WorkflowExecute. B is the HTTP Request node\'s way: n8n-core\'s requestWithAuthenticationPaginated with the options HTTP Request V3 builds (page = {{ $pageCount + 1 }}, per_page 100, complete when current_page >= last_page), in the same engine. C is a plain axios loop with A\'s paging and concurrency.',
		`Wall time: median of ${report.repetitions} runs each, interleaved, after a warm-up. Memory: the highest over the runs; heap is above the heap after a GC just before each run.`,
		'',
		'| Variant | Wall time | Runs (s) | Requests | Items | Peak heap | Peak RSS |',
		'| --- | ---: | --- | ---: | ---: | ---: | ---: |',
		...report.variants.map(
			(variant) =>
				`| ${variant.label} | ${seconds(variant.wallMs)} | ${variant.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} | ${variant.requests} | ${variant.items} | ${megabytes(variant.peakHeapMb)} | ${megabytes(variant.peakRssMb)} |`,
		),
		'',
		`- B / A = ${ratio(b.wallMs / a.wallMs)}: A at least 3× faster than B: ${verdict(b.wallMs / a.wallMs >= 3)}`,
		`- A / C = ${ratio(a.wallMs / c.wallMs)}: A within 1.3× of C: ${verdict(a.wallMs / c.wallMs <= 1.3)}`,
		`- Requests of A = ${a.requests}, ceil(N / 100) = ${report.expectedRequests}: ${verdict(a.requests === report.expectedRequests)}`,
		'',
	];
}

function rateLimitedSection(report: RateLimitedReport): string[] {
	const { measurement, limit } = report;
	const laravel = limit.headers === 'laravel';
	const headerText = laravel
		? "Laravel's headers (PayRequest's): Limit and Remaining on every answer, Reset and Retry-After only on the 429"
		: 'Reset on every answer';
	const served = measurement.requests - measurement.rateLimited;
	return [
		`## Return All under the documented limit, ${headerText}: ${report.invoices.toLocaleString('en')} invoices, ${limit.perMinute}/min with burst ${limit.burst}, ${report.latencyMs} ms latency`,
		'',
		`Forced time, from PayRequestEmulator's model: a fixed ${limit.windowMs / 1000} s window per token opens with the first request it counts (after the latency); it lets ${Math.max(limit.perMinute, limit.burst)} through when the window before it let fewer than ${limit.perMinute} through, else ${limit.perMinute}. At best the ${report.expectedRequests} requests go ${report.forcedWindows.join(' + ')} in ${report.forcedWindows.length} windows, so the last one cannot be let through before ${report.latencyMs} ms + ${report.forcedWindows.length - 1} × ${limit.windowMs / 1000} s = ${seconds(report.forcedMs)}, however the client sends.`,
		'',
		'| Wall time | Forced by the limit | Ratio | Requests answered | 429 answers | Most 429 in a window | Items | Peak heap | Peak RSS |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${seconds(measurement.wallMs)} | ${seconds(report.forcedMs)} | ${ratio(measurement.wallMs / report.forcedMs)} | ${served} | ${measurement.rateLimited} | ${report.most429InAWindow} | ${measurement.items} | ${megabytes(measurement.peakHeapMb)} | ${megabytes(measurement.peakRssMb)} |`,
		'',
		`- Every invoice once, in order: ${verdict(report.everyInvoiceOnce)}; ${laravel ? `at most one 429 a window: ${verdict(report.most429InAWindow <= 1)}` : `zero 429: ${verdict(measurement.rateLimited === 0)}`}; answered requests = ceil(N / 100): ${verdict(served === report.expectedRequests)}; within 1.1× of the forced time: ${verdict(measurement.wallMs <= 1.1 * report.forcedMs)}`,
		'',
	];
}

function altPaymentsSection(report: AltPaymentsReport): string[] {
	return [
		`## Alternative Payments Return All: ${report.invoices.toLocaleString('en')} invoices at 5 requests a second per key, ${report.latencyMs} ms latency (bench/altPayments.cts)`,
		'',
		`Forced time: the emulator lets 5 requests through in each fixed 1 s window, which opens with the first request it counts (no rate header, as the API documents none), so ${report.forcedWindows.length} windows for the ${report.forcedWindows.reduce((sum, count) => sum + count, 0)} pages; cursor pages go one after another, so the last window's ${report.forcedWindows[report.forcedWindows.length - 1]} pages follow each other one latency apart: ${report.latencyMs} ms + ${report.forcedWindows.length - 1} × 1 s + ${report.forcedWindows[report.forcedWindows.length - 1] - 1} × ${report.latencyMs} ms = ${seconds(report.forcedMs)}, however the client sends.`,
		'',
		'| Wall time | Forced by the limit | Ratio | Page requests | 429 answers | Most 429 in a window |',
		'| ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${seconds(report.wallMs)} | ${seconds(report.forcedMs)} | ${ratio(report.wallMs / report.forcedMs)} | ${report.requests} | ${report.rateLimited} | ${report.mostInAWindow429} |`,
		'',
		`- Every invoice once, in order: ${verdict(report.everyInvoiceOnce)}; within 1.1× of the forced time: ${verdict(report.wallMs <= 1.1 * report.forcedMs)}; no 429 surfaced (the run succeeded): met`,
		'',
	];
}

function simplifyCostSection(report: SimplifyCostReport): string[] {
	const lines = [
		`## Simplify's cost on Alternative Payments: ${report.invoices.toLocaleString('en')} invoices naming ${report.customers.toLocaleString('en')} customers, 5 requests a second per key, ${report.latencyMs} ms latency (bench/simplifyCost.cts)`,
		'',
		"Through n8n-core's engine against the emulator at its documented rate limit; each run on an emulator of its own. Requests: API requests (n8n's token requests not counted); customer requests are Simplify's.",
		'',
		'| Case | Simplify | Wall time | Requests | Customer requests | 429 answers | Items | With customer |',
		'| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
	];
	const checks: string[] = [];
	for (const { what, off, on } of report.cases) {
		for (const run of [off, on]) {
			lines.push(`| ${what} | ${run.simple ? 'on' : 'off'} | ${seconds(run.wallMs)} | ${run.requests} | ${run.customerRequests} | ${run.rateLimited} | ${run.items} | ${run.customersShown} |`);
		}
		const time = on.wallMs / off.wallMs;
		const requests = on.requests / off.requests;
		checks.push(`- ${what}: on / off = ${ratio(time)} in time, ${ratio(requests)} in requests; within 1.2×: ${verdict(time <= 1.2 && requests <= 1.2)}; every item with its customer: ${verdict(on.customersShown === on.items)}`);
	}
	return [...lines, '', ...checks, ''];
}

function triggerSection(result: TriggerPollResult): string[] {
	return [
		`## PayRequest Trigger: ${result.invoices.toLocaleString('en')} overdue invoices, no latency (bench/triggerPoll.cts)`,
		'',
		'| First poll | Steady poll (median) | Stored state | State per invoice | Requests |',
		'| ---: | ---: | ---: | ---: | ---: |',
		`| ${result.firstPollMs} ms | ${result.steadyPollMs} ms | ${(result.stateBytes / 1024).toFixed(1)} KB | ${Math.round(result.stateBytes / result.invoices)} B | ${result.requests} |`,
		'',
	];
}

function triggerCostSection(rows: CostRow[]): string[] {
	return [
		'## Requests per poll of each polling trigger, 10,000 and 50,000 invoices in the account (bench/triggerCost.cts)',
		'',
		"Through n8n-core's poll path against each emulator, rate limits off (this counts requests). Where a situation takes several polls (a first recording or reading), the requests are their sum, and Max is the most one poll made. State: the node's static data as n8n stores it.",
		'',
		'| Trigger | Invoices | Situation | Polls | Requests | Max per poll | Events | State |',
		'| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
		...rows.map(
			(row) =>
				`| ${row.trigger} | ${row.invoices.toLocaleString('en')} | ${row.situation} | ${row.polls} | ${row.requests} | ${row.maxPerPoll} | ${row.events} | ${(row.stateBytes / 1024).toFixed(1)} KB |`,
		),
		'',
	];
}

async function main() {
	const date = new Date().toISOString().slice(0, 10);
	const lines: string[] = [`# Benchmark ${date}`, '', ...machineLines(), ''];
	const show = (section: string[]) => {
		lines.push(...section);
		console.log(section.join('\n'));
	};
	console.log(lines.join('\n'));

	console.log('Return All, 10,000 invoices, 100 ms latency per request (about a minute)…\n');
	const speed = await returnAll.benchReturnAll({ repetitions: Number(process.env.BENCH_REPETITIONS ?? 3) });
	show(returnAllSection(speed));

	console.log('Return All, 15,000 invoices, rate limit 60/min with burst 100, Reset on every answer (about a minute)…\n');
	const limited = await returnAll.benchRateLimited({ limit: { perMinute: 60, burst: 100, headers: 'reset-always' } });
	show(rateLimitedSection(limited));

	console.log("Return All, 15,000 invoices, rate limit 60/min with burst 100, Laravel's headers (about a minute)…\n");
	const laravel = await returnAll.benchRateLimited({ limit: { perMinute: 60, burst: 100, headers: 'laravel' } });
	show(rateLimitedSection(laravel));

	console.log('Alternative Payments Return All, 5,000 invoices at 5 requests a second (about ten seconds)…\n');
	const alternative = await altPayments.benchAltPayments();
	show(altPaymentsSection(alternative));

	console.log("Simplify's cost on Alternative Payments, 5,000 invoices naming 4,000 customers at 5 requests a second (about a minute)…\n");
	const simplify = await simplifyCost.benchSimplifyCost();
	show(simplifyCostSection(simplify));

	console.log('PayRequest Trigger, 10,000 overdue invoices…\n');
	const trigger = await triggerPoll.benchTriggerPoll();
	show(triggerSection(trigger));

	console.log('Requests per poll of each polling trigger, 10,000 invoices…\n');
	const costs = await triggerCost.benchTriggerCost();
	show(triggerCostSection(costs));

	const resultsDir = path.join(repoRoot, 'bench', 'results');
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(path.join(resultsDir, `${date}.md`), `${lines.join('\n')}\n`);
	writeFileSync(path.join(resultsDir, `${date}.json`), `${JSON.stringify({ machine: machineLines(), speed, limited, laravel, alternative, simplify, trigger, costs }, null, '\t')}\n`);
	console.log(`Written to bench/results/${date}.md`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
