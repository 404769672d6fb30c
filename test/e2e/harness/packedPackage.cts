// What every e2e test file needs: n8n installed, and the three packages (one per provider) built and packed the way
// they are published (harness/packages.cts), once per test run.
import * as fs from 'fs';
import { N8nInstance } from './n8nInstance.cjs';
import { buildPackageTarballs } from './packages.cjs';

/** What every e2e test file needs: n8n's installation and the packages' tarballs. */
export interface E2eSetup {
	n8nDir: string;
	nodeBin: string;
	/** The installed n8n's version, e.g. '2.41.1' (N8N_VERSION picks it; see n8nFlavour.cts). */
	n8nVersion: string;
	/** Package name → its `npm pack` tarball: n8n-nodes-payrequest, n8n-nodes-alternative-payments, n8n-nodes-paisr. */
	tarballs: Record<string, string>;
	/** Seconds ensureInstalled took in this run (about 4.5 minutes on a fresh machine, ~0 when cached). */
	installSeconds: number;
	/** Seconds the build and the three packs took (a cached tarball of the same content is not packed again). */
	packSeconds: number;
}

/** Environment variable through which globalSetup hands the E2eSetup to the test files (JSON). */
export const E2E_SETUP_ENV = 'INVOICING_E2E_SETUP';

let setupInThisProcess: Promise<E2eSetup> | undefined;

/** n8n installed and the packages built and packed: what globalSetup does, for a process that has none. */
export async function prepareE2e(log: (line: string) => void = () => {}): Promise<E2eSetup> {
	const installation = await N8nInstance.ensureInstalled(log);
	const packStarted = Date.now();
	const tarballs = await buildPackageTarballs();
	const packSeconds = (Date.now() - packStarted) / 1000;
	log(`built and packed ${Object.keys(tarballs).join(', ')} in ${packSeconds.toFixed(1)} s`);
	return {
		n8nDir: installation.n8nDir,
		nodeBin: installation.nodeBin,
		n8nVersion: installation.n8nVersion,
		tarballs,
		installSeconds: installation.installSeconds,
		packSeconds,
	};
}

/**
 * The E2eSetup of this test run: from globalSetup when it ran (jest's e2e project), otherwise
 * prepared here once per process (a test file run by some other configuration).
 */
export async function e2eSetup(log: (line: string) => void = () => {}): Promise<E2eSetup> {
	const fromGlobalSetup = process.env[E2E_SETUP_ENV];
	if (fromGlobalSetup) {
		const setup = JSON.parse(fromGlobalSetup) as E2eSetup;
		const tarballs = Object.values(setup.tarballs ?? {});
		if (tarballs.length > 0 && tarballs.every((tarball) => fs.existsSync(tarball))) return setup;
	}
	setupInThisProcess ??= prepareE2e(log).then((setup) => {
		// Jest gives each test file fresh modules, not a fresh process: later files of a --runInBand run reuse it.
		process.env[E2E_SETUP_ENV] = JSON.stringify(setup);
		return setup;
	});
	return await setupInThisProcess;
}
