/**
 * Shared by the fault, bad-input, secrets and soak suites: an emulator that knows one distinctive
 * token, a recording logger in place of n8n's, and a watch that searches everything the node
 * shows (run data, errors, items, log lines, request URLs) for that token.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import type { EmulatorOptions, Fault, RecordedRequest } from '../../emulator/PayRequestEmulator.cjs';
import { DEFAULT_TOKENS, PayRequestEmulator, SCOPE_READ, SCOPE_WRITE } from '../../emulator/PayRequestEmulator.cjs';
import type { NodeRun, PollOutcome, RunNodeOptions, TestCredential } from '../../engine/harness.cjs';
import { runNode } from '../../engine/harness.cjs';
import { scratchDir } from '../../setup/repo.cjs';

/**
 * Has characters that change when URL-encoded or JSON-escaped by Laravel ('+', '/', '='), so a
 * leak in any of those spellings is caught too.
 */
export const SECRET_TOKEN = 'prq_live_7Hq+Zx/9fT3=Kw2-SECRET-c4d1e8b6a5f0';

/** Every spelling of the token, and every 12-character stretch of them: a cut-off token is still a leak. */
const secretSpellings = (() => {
	const whole = [SECRET_TOKEN, encodeURIComponent(SECRET_TOKEN), SECRET_TOKEN.replace(/\//g, '\\/')];
	const pieces = new Set<string>();
	for (const spelling of whole) {
		for (let start = 0; start + 12 <= spelling.length; start++) pieces.add(spelling.slice(start, start + 12));
	}
	return [...pieces];
})();

export function containsSecret(text: string): boolean {
	return secretSpellings.some((piece) => text.includes(piece));
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

const logLines: LogLine[] = [];
let loggerInstalled = false;

/**
 * n8n logs through two doors: LoggerProxy (WorkflowExecute) and the Logger service that node
 * contexts hand out as `this.logger`. Both go to one recorder, whatever the log level.
 */
export function installRecordingLogger(): LogLine[] {
	if (loggerInstalled) return logLines;
	Container.get(Logger); // constructs n8n's logger first: its constructor re-inits LoggerProxy
	const record = (level: string) => (message: string, meta?: unknown) => {
		logLines.push({ level, message, meta });
	};
	const recorder = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		scoped: () => recorder,
	};
	LoggerProxy.init(recorder);
	Container.set(Logger, recorder as unknown as Logger);
	loggerInstalled = true;
	return logLines;
}

/** All strings inside a value, own non-enumerable ones (message, stack, cause) included. */
export function allStrings(value: unknown, into: string[] = [], seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') {
		into.push(value);
		return into;
	}
	if (typeof value !== 'object' || value === null || seen.has(value)) return into;
	seen.add(value);
	for (const key of Object.getOwnPropertyNames(value)) {
		into.push(key);
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		allStrings(child, into, seen);
	}
	const cause = (value as { cause?: unknown }).cause;
	if (cause !== undefined) allStrings(cause, into, seen);
	return into;
}

/** Tallies of what the suite saw, for its report. */
export interface SuiteFigures {
	executions: number;
	requests: number;
	/** Requests the emulator answered 429 or 5xx, or never answered (dropped or hung). */
	faultsInjected: number;
	byStatus: Record<string, number>;
	textsSearched: number;
	logLinesSearched: number;
	tokensFound: number;
	leaks: string[];
}

export function emptyFigures(): SuiteFigures {
	return { executions: 0, requests: 0, faultsInjected: 0, byStatus: {}, textsSearched: 0, logLinesSearched: 0, tokensFound: 0, leaks: [] };
}

export const isFaultStatus = (status: number) => status === 0 || status === 429 || status >= 500;

export interface SecretFixture {
	emulator: PayRequestEmulator;
	credential: TestCredential;
	figures: SuiteFigures;
	/** Runs the node through the engine and searches everything it produced for the token. */
	run(options: Omit<RunNodeOptions, 'credential'> & { credential?: TestCredential }): Promise<NodeRun>;
	/** Searches any value (a poll outcome, a state) for the token. */
	inspect(value: unknown, where: string): void;
	/** Counts the requests the emulator saw so far, searches their URLs, and forgets them. */
	drainRequests(): void;
	/** Searches the log lines recorded so far, and forgets them. */
	drainLogLines(): void;
}

/**
 * A fresh emulator per test that knows SECRET_TOKEN (both scopes) besides the default tokens,
 * and a credential with SECRET_TOKEN. After each test the requests it saw are counted and their
 * URLs searched; after the file, the log lines; the file fails on any hit.
 */
export function useSecretEmulator(options: EmulatorOptions = {}): SecretFixture {
	const figures = emptyFigures();
	const fixture = { figures } as SecretFixture;
	const found = (where: string, text: string) => {
		figures.tokensFound++;
		if (figures.leaks.length < 20) figures.leaks.push(`${where}: ${text.slice(0, 200)}`);
	};
	fixture.inspect = (value: unknown, where: string) => {
		const texts = allStrings(value);
		figures.textsSearched += texts.length;
		// One search over everything; only on a hit are the strings looked at one by one.
		if (!containsSecret(texts.join('\u0000'))) return;
		for (const text of texts) if (containsSecret(text)) found(where, text);
	};
	fixture.run = async (runOptions) => {
		const result = await runNode({ ...runOptions, credential: runOptions.credential ?? fixture.credential });
		figures.executions++;
		fixture.inspect(result.run, 'run data');
		fixture.inspect(result.error, 'node error');
		return result;
	};
	const lines = installRecordingLogger();
	fixture.drainLogLines = () => {
		for (const line of lines.splice(0)) {
			figures.logLinesSearched++;
			for (const text of allStrings(line)) if (containsSecret(text)) found(`log line "${line.message}"`, text);
		}
	};
	fixture.drainRequests = () => {
		const requests = fixture.emulator.requests;
		countRequests(requests, figures);
		for (const request of requests) {
			const url = `${request.path}?${new URLSearchParams(request.query).toString()}`;
			if (containsSecret(safeDecode(request.path)) || containsSecret(url) || containsSecret(JSON.stringify(request.query))) {
				found('request URL', url);
			}
		}
		fixture.emulator.clearRequests();
	};

	beforeEach(async () => {
		fixture.emulator = new PayRequestEmulator({
			...options,
			tokens: { ...DEFAULT_TOKENS, [SECRET_TOKEN]: [SCOPE_READ, SCOPE_WRITE], ...options.tokens },
		});
		fixture.credential = { accessToken: SECRET_TOKEN, baseUrl: await fixture.emulator.listen() };
	});
	afterEach(async () => {
		fixture.drainRequests();
		fixture.drainLogLines();
		await fixture.emulator.close();
	});
	afterAll(() => {
		fixture.drainLogLines();
		// Every test passed through here: a token anywhere fails the file.
		expect(figures.leaks).toEqual([]);
		expect(figures.tokensFound).toBe(0);
	});
	return fixture;
}

export function countRequests(requests: RecordedRequest[], figures: SuiteFigures): void {
	for (const request of requests) {
		figures.requests++;
		const key = String(request.status);
		figures.byStatus[key] = (figures.byStatus[key] ?? 0) + 1;
		if (isFaultStatus(request.status)) figures.faultsInjected++;
	}
}

/** The figures of one suite, kept in the scratch folder for the report. */
export function saveFigures(name: string, figures: object): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const fs = require('fs') as typeof import('fs');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const path = require('path') as typeof import('path');
	const folder = scratchDir('fault-figures');
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(path.join(folder, `${name}.json`), `${JSON.stringify(figures, null, '\t')}\n`);
}

/** The faults the issue names: 429 with Retry-After, 500, 502 with an HTML body, a dropped connection. */
export const READ_FAULTS: Fault[] = [
	{ status: 429, headers: { 'Retry-After': '1' }, body: '{"message":"Too Many Attempts."}' },
	{ status: 500 },
	{ status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>' },
	{ drop: 'before' },
	{ drop: 'after' },
];

export const invoiceLocator = (value: unknown) => ({ __rl: true, mode: 'id', value });

export type { IDataObject, PollOutcome };
