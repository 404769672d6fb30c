/** The shapes an answer is checked for before anything is taken from it (with ApiClient.expectShape). */

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** One record as an API returns it: an object that has an id. */
export const isObjectWithId = (value: unknown): value is Record<string, unknown> =>
	isPlainObject(value) && value.id !== undefined && value.id !== null && value.id !== '';

export const isObjectArray = (value: unknown): value is Array<Record<string, unknown>> => Array.isArray(value) && value.every(isPlainObject);
