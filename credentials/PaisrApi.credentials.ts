import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

const LIVE = 'https://api.live.paisr.tech/v2';
const STAGING = 'https://api.staging.paisr.tech/v2';

/** n8n's credential tester shows a rule's fixed text, so each says every cause its status can have. */
const REFUSED_TOKEN =
	'Paisr refused the token (HTTP 401): it is mistyped, revoked or expired. Create a new one in the Paisr Dashboard under Developers → Access Tokens, paste its secret here, and check that the environment is the one the token was made in.';
const FORBIDDEN =
	'Paisr answered 403 to reading one invoice. Either the token lacks the invoices.read permission (tick it under Developers → Access Tokens, or make a new token), or the token belongs to a personal profile: Paisr’s invoice, customer and payment API works for business profiles only.';
const NOT_FOUND =
	'Nothing at this address answers as the Paisr API (HTTP 404 for /invoices): pick the Live or Staging Environment, or set the Base URL to the API address including /v2, such as https://api.live.paisr.tech/v2.';
const REDIRECTED =
	'Paisr redirected the test request to another address, and n8n did not follow it (the token would go along). Set the environment or the Base URL to the address the API answers on itself.';

/** A Paisr access token: a static bearer token with permissions, made in the Dashboard. No exchange, no refresh. */
export class PaisrApi implements ICredentialType {
	name = 'paisrApi';

	displayName = 'Paisr API';

	icon: Icon = { light: 'file:../icons/paisr.svg', dark: 'file:../icons/paisr.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-paisr#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret of a Paisr access token (Dashboard → Developers → Access Tokens), shown once when the token is made. Reading needs invoices.read; the other operations need the matching write, customer or payment permissions.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Live', value: 'live', description: LIVE },
				{ name: 'Staging', value: 'staging', description: STAGING },
				{ name: 'Custom', value: 'custom', description: 'A proxy in front of the API, or a test server' },
			],
			default: 'live',
			description: 'Tokens belong to one environment: a staging token does not work on Live',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://proxy.example.com/v2',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description:
				'The API address including /v2. It must start with https:// (plain http only for localhost, 127.0.0.1 and ::1, where the token does not cross a network); otherwise the test fails as an invalid URL and the node refuses to run.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// One invoice: the cheapest read, and the permission every invoice workflow needs.
	test: ICredentialTestRequest = {
		request: {
			// A custom address that is not https (off this machine) becomes no address at all, so nothing is sent.
			baseURL: `={{ $credentials.environment === "custom" ? (/^(https:\\/\\/|http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test(String($credentials.baseUrl).trim()) ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : "") : ($credentials.environment === "staging" ? "${STAGING}" : "${LIVE}") }}`,
			url: '/invoices',
			method: 'GET',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
			disableFollowRedirect: true,
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: REFUSED_TOKEN } },
			{ type: 'responseCode', properties: { value: 403, message: FORBIDDEN } },
			{ type: 'responseCode', properties: { value: 404, message: NOT_FOUND } },
			...[301, 302, 303, 307, 308].map((status) => ({ type: 'responseCode' as const, properties: { value: status, message: REDIRECTED } })),
		],
	};
}
