import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

const PRODUCTION = 'https://public-api.alternativepayments.io';
const DEMO = 'https://public-api.demo.alternativepayments.io';

/**
 * Alternative Payments' API key (a client id and secret) through n8n's own OAuth2 credential with
 * the client-credentials grant: n8n mints the token, stores it with the credential (every worker
 * shares it) and mints a new one when a request meets an expired one. No token code of our own.
 */
export class AlternativePaymentsOAuth2Api implements ICredentialType {
	name = 'alternativePaymentsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Alternative Payments OAuth2 API';

	icon: Icon = { light: 'file:../icons/alternativepayments.svg', dark: 'file:../icons/alternativepayments.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-alternative-payments#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: PRODUCTION },
				{ name: 'Demo', value: 'demo', description: DEMO },
				{ name: 'Custom', value: 'custom', description: 'A proxy in front of the API, or a test server' },
			],
			default: 'production',
			description: 'Keys and tokens belong to one environment: a demo key does not work in production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://proxy.example.com',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description:
				'The API address without a path. It must start with https:// (plain http only for localhost, 127.0.0.1 and ::1, where the secret does not cross a network).',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			// Follows the environment; a custom base URL that is not https (off this machine) gets no token URL at all.
			default: `={{ ($self.environment === "custom" ? (/^(https:\\/\\/|http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test(String($self.baseUrl).trim()) ? String($self.baseUrl).trim().replace(/\\/+$/, "") : "") : ($self.environment === "demo" ? "${DEMO}" : "${PRODUCTION}")) + "/oauth/token" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// The token request carries the client id and secret as HTTP Basic, as the API documents.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	// n8n mints a token first, then this reads one invoice with it. A refused client id or secret
	// fails the mint, before this request, and n8n words that itself; the rules cover the read.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : ($credentials.environment === "demo" ? "${DEMO}" : "${PRODUCTION}") }}`,
			url: '/invoices',
			method: 'GET',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Alternative Payments gave a token but refused it for reading invoices (HTTP 401): check that the Environment is the one the Client ID and Client Secret were made in (a demo key works only with Demo).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The Alternative Payments API key behind this Client ID may not read invoices (HTTP 403): give it the invoices:read scope in Alternative Payments, or enter the Client ID and Client Secret of a key that has it.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing at the Base URL answers as the Alternative Payments API (HTTP 404 for /invoices): pick the Production or Demo Environment, or set the Base URL to the API address without a path, such as https://public-api.alternativepayments.io.',
				},
			},
		],
	};
}
