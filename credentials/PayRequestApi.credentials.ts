import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** What the test's answer means, one sentence each, naming the field to change. */
const REFUSED_TOKEN =
	'PayRequest refused the token (HTTP 401): the Access Token is mistyped or revoked; create a new one in PayRequest under Settings → API Tokens and paste it into Access Token.';
const FORBIDDEN =
	'PayRequest accepted the token but would not let it read invoices (HTTP 403): give the Access Token the billing.read scope under Settings → API Tokens, or paste a token that has it.';
const NOT_FOUND =
	'Nothing at the Base URL answers as the PayRequest API (HTTP 404 for /v1/invoices): set the Base URL to the API address, which ends in /api, such as https://payrequest.app/api.';

/** n8n's credential tester shows a rule's fixed text, so it cannot name the address itself. */
const REDIRECTED =
	'PayRequest redirected the test request to another address, and n8n did not follow it (the token would go along). Set the Base URL to the address the API answers on itself: the Location header of `curl -I <Base URL>/v1/invoices` names it.';

export class PayRequestApi implements ICredentialType {
	name = 'payRequestApi';

	displayName = 'PayRequest API';

	icon: Icon = { light: 'file:../icons/payrequest.svg', dark: 'file:../icons/payrequest.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-payrequest#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A PayRequest API token (Settings → API Tokens). Reading invoices needs the billing.read scope; creating invoices and sending reminders need billing.write.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://payrequest.app/api',
			required: true,
			placeholder: 'https://payrequest.app/api',
			description:
				'The API address without the version. Change it only for a sandbox or a proxy in front of PayRequest. It must start with https:// (plain http only for localhost, 127.0.0.1 and ::1, where the token does not cross a network); otherwise the test fails as an invalid URL and the node refuses to run.',
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

	// The cheapest read there is: one invoice of the first page. A wrong token answers 401,
	// a token without billing.read 403, a wrong base URL a connection error or 404.
	// A redirect is not followed (the token would go along to wherever it points) but reported.
	test: ICredentialTestRequest = {
		request: {
			// Not https and not this machine: no address at all, so the test fails before anything is sent
			// (an error thrown in an expression is swallowed by n8n, so the field's description says why).
			baseURL:
				'={{ /^(https:\\/\\/|http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test($credentials.baseUrl.trim()) ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : "" }}',
			url: '/v1/invoices',
			method: 'GET',
			qs: { per_page: 1 },
			headers: { Accept: 'application/json' },
			disableFollowRedirect: true,
		},
		// n8n's tester reads both kinds of rule from one list; its type allows only one kind per list.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: REFUSED_TOKEN } },
			{ type: 'responseCode', properties: { value: 403, message: FORBIDDEN } },
			{ type: 'responseCode', properties: { value: 404, message: NOT_FOUND } },
			...[301, 302, 303, 307, 308].map((status) => ({ type: 'responseCode', properties: { value: status, message: REDIRECTED } })),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'PayRequest refused the token. Check the access token and that it has the billing.read scope.',
				},
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}
