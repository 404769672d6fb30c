import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

export type HttpMethod = 'GET' | 'POST';

/** Every n8n context that may talk to PayRequest: node runs, trigger polls and list searches. */
export type PayRequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

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

export interface PayRequestRequest {
	method: HttpMethod;
	/** Path below the base URL, starting with /v1. Ids in it must come from invoicePath(). */
	path: string;
	qs?: Record<string, string | number>;
	body?: object;
	itemIndex?: number;
	/**
	 * For requests that change something: what may have happened when the answer is lost,
	 * e.g. "The invoice (reference X) may have been created". Such requests are never repeated
	 * unless PayRequest said 429 (it surely did not act then).
	 */
	effectIfAnswerLost?: string;
}
