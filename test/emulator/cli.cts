// Runs the PayRequest emulator as a standalone server with demo data, e.g. to point n8n or a benchmark at it:
//   node .build/test/emulator/cli.cjs --port 8787 [--host 127.0.0.1] [--invoices 40] [--rate-limit on|off] [--latency-ms 0] [--token T]
import { parseArgs } from 'util';
import { DEFAULT_NOW, DEFAULT_TOKENS, PayRequestEmulator, SCOPE_READ, SCOPE_WRITE } from './PayRequestEmulator.cjs';

const USAGE = `Usage: node .build/test/emulator/cli.cjs [options]
  --port N            port to listen on (default 8787; 0 picks a free one)
  --host H            address to bind (default 127.0.0.1)
  --invoices N        demo invoices to seed (default 40)
  --customers N       demo customers to seed (default 12)
  --seed N            seed of the demo data generator (default 1)
  --now ISO|today     emulator clock (default ${DEFAULT_NOW}; "today" uses the real date)
  --rate-limit on|off 60 requests per minute with bursts up to 100 (default off)
  --latency-ms N      delay added to every request (default 0)
  --token T           accept T as a token with billing.read and billing.write (repeatable)
  --help              show this text`;

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function nonNegativeInteger(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value)) fail(`--${name} must be a whole number >= 0, got "${value}"`);
	return Number(value);
}

async function main(): Promise<void> {
	let parsed: ReturnType<typeof parseCommandLine>;
	try {
		parsed = parseCommandLine();
	} catch (error) {
		fail(error instanceof Error ? error.message : String(error));
	}
	const { values } = parsed;
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const port = nonNegativeInteger('port', values.port, 8787);
	if (port > 65535) fail('--port must be at most 65535');
	const rateLimit = values['rate-limit'] ?? 'off';
	if (rateLimit !== 'on' && rateLimit !== 'off') fail('--rate-limit must be "on" or "off"');
	const now = values.now === 'today' ? new Date().toISOString().slice(0, 10) + 'T12:00:00Z' : values.now ?? DEFAULT_NOW;
	if (!Number.isFinite(Date.parse(now))) fail(`--now must be an ISO date or date-time, got "${now}"`);

	const tokens: Record<string, string[]> = { ...DEFAULT_TOKENS };
	for (const token of values.token ?? []) {
		if (!/^\S+$/.test(token)) fail('--token must not be empty or contain spaces');
		tokens[token] = [SCOPE_READ, SCOPE_WRITE];
	}

	const emulator = new PayRequestEmulator({
		tokens,
		now,
		seed: {
			customers: nonNegativeInteger('customers', values.customers, 12),
			invoices: nonNegativeInteger('invoices', values.invoices, 40),
			seed: nonNegativeInteger('seed', values.seed, 1),
		},
		rateLimit: rateLimit === 'on' ? { perMinute: 60, burst: 100 } : false,
		latencyMs: nonNegativeInteger('latency-ms', values['latency-ms'], 0),
	});

	let baseUrl: string;
	try {
		baseUrl = await emulator.listen(port, values.host ?? '127.0.0.1');
	} catch (error) {
		process.stderr.write(`Could not start the PayRequest emulator: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	}

	const invoices = emulator.listInvoices();
	const today = emulator.today();
	const overdueCount = invoices.filter((invoice) => invoice.due_date < today && !['paid', 'cancelled', 'draft'].includes(invoice.status)).length;
	process.stdout.write(`PayRequest emulator listening on ${baseUrl}\n`);
	for (const [token, scopes] of Object.entries(tokens)) {
		process.stdout.write(`  token ${token}  scopes: ${scopes.length > 0 ? scopes.join(', ') : '(none)'}\n`);
	}
	process.stdout.write(
		`  ${invoices.length} invoices (${overdueCount} overdue) for ${emulator.customers().length} customers; clock ${emulator.now().toISOString()}; rate limit ${rateLimit}\n`,
	);

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`Received ${signal}, stopping the PayRequest emulator\n`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

function parseCommandLine() {
	return parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			invoices: { type: 'string' },
			customers: { type: 'string' },
			seed: { type: 'string' },
			now: { type: 'string' },
			'rate-limit': { type: 'string' },
			'latency-ms': { type: 'string' },
			token: { type: 'string', multiple: true },
			help: { type: 'boolean' },
		},
		strict: true,
		allowPositionals: false,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
