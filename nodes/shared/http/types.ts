import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every n8n context that may talk to a provider: node runs, trigger polls, list searches, webhook set-up and deliveries. */
export type ApiContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface TransportSettings {
	/** Seconds one request may take before it is given up. */
	timeoutSeconds: number;
	/** Seconds the rate limit may make one node run wait in all. */
	maxWaitSeconds: number;
	/**
	 * Seconds the whole run may take, requests, repeats and waits together (a trigger's poll, which
	 * n8n's scheduler abandons after about 45 s); unset, only the two limits above apply.
	 */
	wholeRunSeconds?: number;
}

export const DEFAULT_TRANSPORT_SETTINGS: TransportSettings = { timeoutSeconds: 60, maxWaitSeconds: 300 };

/** The editor waits on a list search: it never waits out a rate limit (Max Wait 0), and answers within a few seconds. */
export const LIST_SEARCH_SETTINGS: TransportSettings = { timeoutSeconds: 5, maxWaitSeconds: 0, wholeRunSeconds: 8 };

export interface ApiRequest {
	method: HttpMethod;
	/** Path below the base URL. Ids in it must be URL-encoded by the caller. */
	path: string;
	qs?: Record<string, string | number>;
	body?: object;
	itemIndex?: number;
	/**
	 * For requests that change something: what may have happened when the answer is lost,
	 * e.g. "The invoice (reference X) may have been created". Such requests are never repeated
	 * unless the provider said 429 (it surely did not act then).
	 */
	effectIfAnswerLost?: string;
}

/** A provider's JSON answer, once its envelope has been checked. */
export type ApiBody = Record<string, unknown>;

/** What a provider (or a proxy in front of it) answered with an error status, as far as it can be read. */
export interface ApiFailure {
	status: number;
	method: HttpMethod;
	path: string;
	body: unknown;
	itemIndex?: number;
	/** For a write: what may have happened, since a server error does not prove nothing was done. */
	effectIfAnswerLost?: string;
}
