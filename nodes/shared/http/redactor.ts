/**
 * Keeps a credential's secret out of everything a node shows: error messages and bodies, even when
 * a provider or a proxy echoes the secret back, raw, URL-encoded or JSON-escaped.
 */
export class SecretRedactor {
	private readonly variants: string[];

	constructor(secrets: string[]) {
		const variants = new Set<string>();
		for (const secret of secrets) {
			if (secret.trim().length < 4) continue;
			// The secret as it may come back: raw, trimmed, URL-encoded, JSON-escaped, and with PHP's escaped slashes.
			const jsonEscaped = JSON.stringify(secret).slice(1, -1);
			for (const variant of [secret, secret.trim(), encodeURIComponent(secret.trim()), jsonEscaped, jsonEscaped.replace(/\//g, '\\/')]) {
				variants.add(variant);
			}
		}
		// Longest first, so that a variant inside another is not replaced half.
		this.variants = [...variants].sort((a, b) => b.length - a.length);
	}

	redact(text: string): string {
		let result = text;
		for (const variant of this.variants) result = result.split(variant).join('***');
		return result;
	}

	/** A body (a proxy echoing headers, an API quoting the token), parsed or not. */
	redactBody(body: { text: string; parsed?: unknown }): { text: string; parsed?: unknown } {
		let parsed = body.parsed;
		if (parsed !== undefined) {
			try {
				parsed = JSON.parse(this.redact(JSON.stringify(parsed))) as unknown;
			} catch {
				parsed = undefined;
			}
		}
		return { text: this.redact(body.text), parsed };
	}
}
