import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PayRequestApi implements ICredentialType {
	name = 'payRequestApi';

	displayName = 'PayRequest API';

	icon: Icon = { light: 'file:../icons/payrequest.svg', dark: 'file:../icons/payrequest.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-invoicing/n8n-nodes-invoicing#credentials';

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
				'The API address without the version. Change it only for a sandbox or a proxy in front of PayRequest.',
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
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/invoices',
			method: 'GET',
			qs: { per_page: 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'PayRequest refused the token. Check the access token and that it has the billing.read scope.',
				},
			},
		],
	};
}
