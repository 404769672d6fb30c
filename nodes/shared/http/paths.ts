/** A path below the base URL: the resource, then ids and actions, each URL-encoded (ids are taken as the user gave them). */
export function resourcePath(resource: string, ...segments: string[]): string {
	return `/${resource}${segments.map((segment) => `/${encodeURIComponent(segment)}`).join('')}`;
}
