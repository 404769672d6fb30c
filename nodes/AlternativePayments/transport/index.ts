import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { checkBaseUrl } from '../../shared/http/baseUrl';
import type { ProviderProfile } from '../../shared/http/client';
import { ApiClient, thrownResponse } from '../../shared/http/client';
import { errorText, keepMessage } from '../../shared/http/errorChain';
import { otherStatusWords, statusError } from '../../shared/http/statusError';
import type { RatePolicy } from '../../shared/http/rateLimitBudget';
import { RateLimitBudgets } from '../../shared/http/rateLimitBudget';
import type { ApiContext, ApiFailure, TransportSettings } from '../../shared/http/types';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../shared/http/types';

export const CREDENTIAL_TYPE = 'alternativePaymentsOAuth2Api';
export const PROVIDER = 'Alternative Payments';

const HOSTS: Record<string, string> = {
	production: 'https://public-api.alternativepayments.io',
	demo: 'https://public-api.demo.alternativepayments.io',
};

/** 5 requests a second per API key (no rate header is documented, so this paces every request). Exported so that tests can change it. */
export const RATE_POLICY: RatePolicy = { requests: 5, perMs: 1000 };

export const budgets = new RateLimitBudgets();

export { resourcePath } from '../../shared/http/paths';

function account(node: INode, credentials: IDataObject, itemIndex?: number) {
	const environment = typeof credentials.environment === 'string' ? credentials.environment : 'production';
	const baseUrl =
		environment === 'custom'
			? checkBaseUrl(node, credentials.baseUrl, { field: 'Base URL', credential: 'Alternative Payments OAuth2 API', example: HOSTS.production }, itemIndex)
			: (HOSTS[environment] ?? HOSTS.production);
	const token = (credentials.oauthTokenData as IDataObject | undefined)?.access_token;
	return { baseUrl, secrets: [String(credentials.clientSecret ?? ''), typeof token === 'string' ? token : ''] };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The API's own words: its error object's message and each validation error. */
function ownWords(body: unknown): { message?: string; fields: string[] } {
	const object = asObject(body);
	const message = typeof object?.message === 'string' && object.message.trim() !== '' ? object.message.trim() : undefined;
	const validation = asObject(object?.validation_errors) ?? {};
	return { message, fields: Object.entries(validation).map(([field, problem]) => `${field}: ${String(problem)}`) };
}

const scopeFor = (failure: ApiFailure) => {
	const resource = failure.path.split('/')[1] ?? 'invoices';
	return `${resource}:${failure.method === 'GET' ? 'read' : 'write'}`;
};

function statusErrorOf(node: INode, failure: ApiFailure): NodeApiError {
	const { message: own, fields } = ownWords(failure.body);
	const endpoint = `${failure.method} ${failure.path}`;
	let message: string;
	let description: string;
	switch (failure.status) {
		case 401:
			// n8n has already minted a new token and repeated the request once: the key itself is refused.
			message = `Alternative Payments refused the access token even after n8n renewed it: ${own ?? 'unauthorized'}`;
			description = `Check the Client ID and Client Secret in the Alternative Payments OAuth2 API credential, and that its environment matches the key. (${endpoint})`;
			break;
		case 403:
			message = `The API key lacks the permission for this: ${own ?? 'forbidden'}`;
			description = `This operation needs a key with the ${scopeFor(failure)} scope. Give the key that scope in the Partner Dashboard (Team Preferences → API Keys), or make a new key. (${endpoint})`;
			break;
		case 404:
			message = `Alternative Payments has no such ${failure.path.split('/')[1]?.replace(/s$/, '') ?? 'thing'}: ${own ?? 'not found'}`;
			description = `Check the ID; it may have been archived. (${endpoint})`;
			break;
		case 400:
		case 422:
			message = `Alternative Payments rejected the request: ${[own, ...fields].filter(Boolean).join('; ') || 'invalid request'}`;
			description = `Correct what the message names and run again. (${endpoint})`;
			break;
		case 429:
			message = `Alternative Payments' rate limit was still exceeded after waiting: ${own ?? 'too many requests'}`;
			description = `The API key sends more than 5 requests a second. Spread the work over time: fewer items a run, or runs less often. (${endpoint})`;
			break;
		default:
			({ message, description } = otherStatusWords('Alternative Payments', failure, own));
	}
	return statusError(node, failure, { message, description });
}

/** Whether n8n's error says that it could not mint a token (its wording, somewhere in the cause chain). */
function isTokenFailure(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && /Failed to acquire OAuth2 access token/i.test(message)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** n8n could not mint a token: the client id or secret (or the environment) is refused, or the token endpoint failed. */
function credentialFailure(node: INode, error: unknown, itemIndex?: number): NodeApiError | undefined {
	if (!isTokenFailure(error)) return undefined;
	const status = thrownResponse(error)?.statusCode;
	const refused = status === undefined || status === 400 || status === 401 || status === 403;
	const message = refused
		? 'Alternative Payments refused the client id or secret'
		: `Alternative Payments could not give an access token (HTTP ${status})`;
	const nodeError = new NodeApiError(node, { message: errorText(error) } as JsonObject, {
		message,
		description: refused
			? 'n8n could not get an access token with them. Check the Client ID and Client Secret in the Alternative Payments OAuth2 API credential (Partner Dashboard → Team Preferences → API Keys), and that its environment matches the key: a demo key works only with Demo.'
			: 'Its token endpoint failed, so nothing was sent to the API. Try again later.',
		itemIndex,
	});
	return keepMessage(nodeError, message);
}

export const ALTERNATIVE_PAYMENTS_PROFILE: ProviderProfile = {
	name: PROVIDER,
	credentialType: CREDENTIAL_TYPE,
	ratePolicy: RATE_POLICY,
	budgets,
	rateLimitAdvice: 'Alternative Payments allows 5 requests a second for each API key, shared by every workflow that uses it.',
	baseUrlAdvice: 'the environment (or the custom Base URL) in the Alternative Payments OAuth2 API credential should be the address the API answers on itself.',
	account,
	statusError: statusErrorOf,
	statusErrorsThrow: true,
	credentialFailure,
};

export class AlternativePaymentsClient extends ApiClient {
	constructor(context: ApiContext, settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS) {
		super(context, ALTERNATIVE_PAYMENTS_PROFILE, settings);
	}
}
