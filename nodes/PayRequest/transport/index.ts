import type { IDataObject, INode } from 'n8n-workflow';

import { checkBaseUrl } from '../../shared/http/baseUrl';
import { readBearerToken } from '../../shared/http/bearerToken';
import type { ProviderProfile } from '../../shared/http/client';
import { ApiClient } from '../../shared/http/client';
import type { RatePolicy } from '../../shared/http/rateLimitBudget';
import { RateLimitBudgets } from '../../shared/http/rateLimitBudget';
import type { ApiBody, ApiContext, TransportSettings } from '../../shared/http/types';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../shared/http/types';
import { apiError, providerMessage } from './errors';

export type { ApiBody, TransportSettings } from '../../shared/http/types';
export type { ApiRequest as PayRequestRequest } from '../../shared/http/types';
export { DEFAULT_TRANSPORT_SETTINGS } from '../../shared/http/types';

export const CREDENTIAL_TYPE = 'payRequestApi';
export const PER_PAGE_MAX = 100;

/**
 * PayRequest's documented rate (60 a minute), which paces requests only while no rate header
 * arrives (a proxy that strips them). Exported so that tests can shorten the minute.
 */
export const RATE_POLICY: RatePolicy = { requests: 60, perMs: 60_000 };

/** Budgets per account (base URL + credential), shared by every run in this n8n process (not across queue-mode workers). */
export const budgets = new RateLimitBudgets();

export function invoicePath(invoiceId: string, suffix = ''): string {
	return `/v1/invoices/${encodeURIComponent(invoiceId)}${suffix}`;
}

/** The PayRequest API credential: a base URL and a static bearer token, checked before any request. */
function payRequestAccount(node: INode, credentials: IDataObject, itemIndex?: number) {
	const baseUrl = checkBaseUrl(
		node,
		credentials.baseUrl,
		{ field: 'Base URL', credential: 'PayRequest API', example: 'https://payrequest.app/api' },
		itemIndex,
	);
	const token = readBearerToken(node, credentials, { field: 'Access Token', credential: 'PayRequest API', madeAt: 'PayRequest under Settings → API Tokens' }, itemIndex);
	return { baseUrl, secrets: [token] };
}

export const PAYREQUEST_PROFILE: ProviderProfile = {
	name: 'PayRequest',
	credentialType: CREDENTIAL_TYPE,
	ratePolicy: RATE_POLICY,
	budgets,
	rateLimitAdvice: 'PayRequest allows 60 requests a minute for each account, shared by every workflow that uses it.',
	baseUrlAdvice:
		'the Base URL in the PayRequest API credential should be the address the API answers on itself (with https://, ending in /api, without the /v1 part).',
	account: payRequestAccount,
	// PayRequest's envelope says success: false with its reason in `error` (or Laravel's `message`).
	refusal: (envelope: ApiBody) => (envelope.success === false ? (providerMessage(envelope) ?? 'no reason given') : undefined),
	statusError: apiError,
};

/** The kit's client, speaking to PayRequest. */
export class PayRequestClient extends ApiClient {
	constructor(context: ApiContext, settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS) {
		super(context, PAYREQUEST_PROFILE, settings);
	}
}
