// Where n8n 1.x and 2.x differ for the harness, in one place. The flavour follows the installed
// n8n's own package.json (scripts/install-n8n.sh installs N8N_VERSION, default 2.41.1), so the
// same suite runs against both lines: `N8N_VERSION=1.123.81 N8N_NODE_MAJOR=22 jest --selectProjects e2e`.
import * as fs from 'fs';
import * as path from 'path';

/** 'v1': n8n 1.x (1.123.81 measured); 'v2': n8n 2.x (2.41.1 measured). */
export type N8nApiFlavour = 'v1' | 'v2';

/** What n8n itself (not our nodes) says where its versions word it differently. */
export interface N8nMessages {
	/** A redirect in the credential test: 2.x shows the credential's responseCode rule; 1.x's tester never sees the status, so no rule applies. */
	credentialTestRedirected: RegExp;
	/**
	 * What the credential test shows for a status that the credential has a responseCode rule for:
	 * 2.x shows the rule's message; 1.x's tester never applies the rule and shows its own text
	 * (n8n-workflow's STATUS_CODE_MESSAGES).
	 */
	credentialTestRuled(status: 401 | 403 | 404, ruleMessage: RegExp): RegExp;
}

export interface N8nFlavour {
	/** The installed n8n's version, e.g. '1.123.81'. */
	version: string;
	apiFlavour: N8nApiFlavour;
	/** Environment n8n gets on top of the harness's common settings. */
	startEnv: Record<string, string>;
	/**
	 * A line `n8n start` logs once it is fully up, for versions whose /healthz/readiness answers
	 * earlier: 1.x reports ready once migrations end, before its REST routes exist (POST
	 * /rest/owner/setup answers 404) and before active workflows are activated. 2.x waits for both.
	 */
	startedLogLine?: string;
	/**
	 * Body of POST /rest/workflows/<id>/run: 2.x reads the stored workflow itself; 1.x runs the
	 * workflowData the editor sends (and checks that its id matches the URL).
	 */
	manualRunBody(storedWorkflow: Record<string, any>, startNode: string): Record<string, unknown>;
	/**
	 * Whether POST /rest/credentials/test tests unsaved data (id ''): 2.x does; 1.x looks the id up
	 * and answers 403 for one it does not know (its editor saves a credential before testing it).
	 */
	testsUnsavedCredentials: boolean;
	/**
	 * Credential data as POST /api/v1/credentials accepts it. 1.x adds "Allowed HTTP Request
	 * Domains" to every credential with an `authenticate` block, and its public API schema then
	 * demands allowedDomains unless allowedHttpRequestDomains is given: send n8n's default, 'all'
	 * (what the editor stores too).
	 */
	publicApiCredentialData(data: object): object;
	messages: N8nMessages;
}

const FLAVOURS: Record<N8nApiFlavour, Omit<N8nFlavour, 'version' | 'apiFlavour'>> = {
	v2: {
		startEnv: {
			// Otherwise n8n calls out to its servers at start.
			N8N_DISABLED_MODULES: 'mcp-registry',
			// Activation becomes synchronous and reports errors as HTTP 400 instead of failing silently.
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		},
		manualRunBody: (_storedWorkflow, startNode) => ({ triggerToStartFrom: { name: startNode } }),
		testsUnsavedCredentials: true,
		publicApiCredentialData: (data) => data,
		messages: {
			credentialTestRedirected: /^PayRequest redirected the test request to another address, and n8n did not follow it/,
			credentialTestRuled: (_status, ruleMessage) => ruleMessage,
		},
	},
	v1: {
		// 1.x has no mcp-registry module (an unknown name in N8N_DISABLED_MODULES is fatal at start)
		// and no publication service: activation is synchronous already.
		startEnv: {},
		startedLogLine: 'Editor is now accessible via',
		manualRunBody: (storedWorkflow, startNode) => ({ workflowData: storedWorkflow, triggerToStartFrom: { name: startNode } }),
		testsUnsavedCredentials: false,
		publicApiCredentialData: (data) => ({ allowedHttpRequestDomains: 'all', ...data }),
		messages: {
			credentialTestRedirected: /^Request failed with status code 301$/,
			credentialTestRuled: (status) =>
				({ 401: /^Authorization failed - please check your credentials$/, 403: /^Forbidden - perhaps check your credentials\?$/, 404: /^The resource you are requesting could not be found$/ })[status],
		},
	},
};

/** Version of the n8n installed in n8nDir (the folder holding node_modules/n8n). */
export function installedN8nVersion(n8nDir: string): string {
	const manifest = path.join(n8nDir, 'node_modules', 'n8n', 'package.json');
	return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export function flavourOfVersion(version: string): N8nFlavour {
	const major = Number(version.split('.')[0]);
	if (major !== 1 && major !== 2) throw new Error(`n8n ${version}: the e2e harness knows the 1.x and 2.x APIs only`);
	const apiFlavour: N8nApiFlavour = major === 1 ? 'v1' : 'v2';
	return { version, apiFlavour, ...FLAVOURS[apiFlavour] };
}

export function n8nFlavour(n8nDir: string): N8nFlavour {
	return flavourOfVersion(installedN8nVersion(n8nDir));
}
