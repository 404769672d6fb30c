// Jest globalSetup of the e2e project: installs n8n (once per machine, about 4.5 minutes on a fresh
// one) and builds + packs the three packages once per test run, then hands both to the test files through
// an environment variable (test workers inherit it; with --runInBand they share this process).
import { E2E_SETUP_ENV, prepareE2e } from './harness/packedPackage.cjs';

// Far above the slowest cold install measured (about 17 minutes, two installs at once on 2 cores;
// 4 min 40 s alone) but bounded: a hung npm must not hang CI forever. The install prints progress
// every 20 s meanwhile.
const SETUP_BUDGET_MS = 30 * 60_000;

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const log = (line: string) => process.stdout.write(`[e2e setup] ${line}\n`);
	let budgetTimer: NodeJS.Timeout | undefined;
	const overBudget = new Promise<never>((_, reject) => {
		budgetTimer = setTimeout(
			() => reject(new Error(`e2e setup (n8n install, build, pack) took over ${SETUP_BUDGET_MS / 60_000} minutes`)),
			SETUP_BUDGET_MS,
		);
	});
	try {
		const setup = await Promise.race([prepareE2e(log), overBudget]);
		process.env[E2E_SETUP_ENV] = JSON.stringify(setup);
		log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s for n8n ${setup.n8nVersion} (n8n install check ${setup.installSeconds.toFixed(1)} s, build and pack ${setup.packSeconds.toFixed(1)} s)`);
	} finally {
		clearTimeout(budgetTimer);
	}
}
