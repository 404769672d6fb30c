import type { IDataObject, INode, NodeApiError } from 'n8n-workflow';

import { isObjectArray, isObjectWithId, isPlainObject } from '../../shared/actions/shapes';
import { checkBaseUrl } from '../../shared/http/baseUrl';
import { readBearerToken } from '../../shared/http/bearerToken';
import type { ProviderProfile } from '../../shared/http/client';
import { ApiClient } from '../../shared/http/client';
import { otherStatusWords, statusError } from '../../shared/http/statusError';
import type { RatePolicy } from '../../shared/http/rateLimitBudget';
import { RateLimitBudgets } from '../../shared/http/rateLimitBudget';
import type { ApiBody, ApiContext, ApiFailure, ApiRequest, TransportSettings } from '../../shared/http/types';
import { DEFAULT_TRANSPORT_SETTINGS } from '../../shared/http/types';

export const CREDENTIAL_TYPE = 'paisrApi';
export const PROVIDER = 'Paisr';

const HOSTS: Record<string, string> = {
	live: 'https://api.live.paisr.tech/v2',
	staging: 'https://api.staging.paisr.tech/v2',
};

/** 250 requests a minute per token (no rate header is documented). Exported so that tests can change it. */
export const RATE_POLICY: RatePolicy = { requests: 250, perMs: 60_000 };

/** The most one list answer holds: Paisr's lists have no paging. */
export const MAX_LIST = 1000;

export const budgets = new RateLimitBudgets();

export { resourcePath } from '../../shared/http/paths';

function account(node: INode, credentials: IDataObject, itemIndex?: number) {
	const environment = typeof credentials.environment === 'string' ? credentials.environment : 'live';
	const baseUrl =
		environment === 'custom'
			? checkBaseUrl(node, credentials.baseUrl, { field: 'Base URL', credential: 'Paisr API', example: HOSTS.live }, itemIndex)
			: (HOSTS[environment] ?? HOSTS.live);
	const token = readBearerToken(node, credentials, { field: 'Access Token', credential: 'Paisr API', madeAt: 'the Paisr Dashboard under Developers → Access Tokens' }, itemIndex);
	return { baseUrl, secrets: [token] };
}

/** Paisr's only words on a failure: `{success: false, message}`. */
function ownMessage(body: unknown): string | undefined {
	const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
	return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

const RESOURCE_NAMES: Record<string, string> = { invoices: 'invoice', customers: 'customer', payments: 'payment', webhooks: 'webhook', metrics: 'metrics endpoint' };

/** The permission an endpoint most likely needs (Paisr publishes only invoices.read; the rest are hints). */
function permissionFor(failure: ApiFailure): string {
	const resource = failure.path.split('/')[1] ?? 'invoices';
	if (resource === 'metrics') return 'invoice metrics read';
	const noun = RESOURCE_NAMES[resource] ?? resource;
	return failure.method === 'GET' ? `${resource}.read` : `${noun} write`;
}

function statusErrorOf(node: INode, failure: ApiFailure): NodeApiError {
	const own = ownMessage(failure.body);
	const endpoint = `${failure.method} ${failure.path}`;
	const thing = /\/items\/[^/]+$/.test(failure.path) ? 'line item' : (RESOURCE_NAMES[failure.path.split('/')[1] ?? ''] ?? 'thing');
	let message: string;
	let description: string;
	switch (failure.status) {
		case 401:
			message = `Paisr refused the access token: ${own ?? 'unauthenticated'}`;
			description = `The token is mistyped, revoked or expired (Paisr tokens expire and cannot be renewed). Make a new one in the Paisr Dashboard under Developers → Access Tokens and put its secret in the Paisr API credential. (${endpoint})`;
			break;
		case 403:
			message = `Paisr did not allow this: ${own ?? 'forbidden'}`;
			description = /business/i.test(own ?? '')
				? `Paisr's invoice, customer and payment API works for business profiles only; this token belongs to a personal profile. Use a token made under a business profile. (${endpoint})`
				: `The token likely lacks the ${permissionFor(failure)} permission (or its profile is not a business profile). Add the permission under Developers → Access Tokens, or make a new token with it. (${endpoint})`;
			break;
		case 404:
			message = `Paisr has no such ${thing}: ${own ?? 'not found'}`;
			description = `Check the ID${thing === 'invoice' ? '; a deleted invoice is gone for good' : ''}. (${endpoint})`;
			break;
		case 400:
		case 422:
			message = `Paisr rejected the request: ${own ?? 'invalid request'}`;
			description = `Correct what the message names and run again. (${endpoint})`;
			break;
		case 429:
			message = `Paisr's rate limit was still exceeded after waiting: ${own ?? 'too many requests'}`;
			description = `The token sends more than 250 requests a minute. Spread the work over time: fewer items a run, or runs less often. (${endpoint})`;
			break;
		default:
			({ message, description } = otherStatusWords('Paisr', failure, own));
	}
	return statusError(node, failure, { message, description });
}

export const PAISR_PROFILE: ProviderProfile = {
	name: PROVIDER,
	credentialType: CREDENTIAL_TYPE,
	ratePolicy: RATE_POLICY,
	budgets,
	rateLimitAdvice: 'Paisr allows 250 requests a minute for each token, shared by every workflow that uses it.',
	baseUrlAdvice: 'the environment (or the custom Base URL, with its /v2) in the Paisr API credential should be the address the API answers on itself.',
	account,
	refusal: (envelope: ApiBody) => (envelope.success === false ? (ownMessage(envelope) ?? 'no reason given') : undefined),
	statusError: statusErrorOf,
};

/** The kit's client, speaking to Paisr, with its `{success, data}` envelope unwrapped. */
export class PaisrClient extends ApiClient {
	constructor(context: ApiContext, settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS) {
		super(context, PAISR_PROFILE, settings);
	}

	/** `data` of the answer, checked: an object (with an id, where `withId`). */
	async data(request: ApiRequest, what: string, withId = true): Promise<IDataObject> {
		const answer = await this.request(request);
		return this.expectShape(answer.data, withId ? isObjectWithId : isPlainObject, what, request) as IDataObject;
	}

	/** A list from `data.<key>`, as every Paisr list answers. */
	async list(request: ApiRequest, key: string): Promise<IDataObject[]> {
		const answer = await this.request(request);
		const data = isPlainObject(answer.data) ? answer.data : undefined;
		return this.expectShape(data?.[key], isObjectArray, `list of ${key} (data.${key})`, request) as IDataObject[];
	}
}
