// The one byte form of a JSON value that every hash of the record covers: object keys sorted (by UTF-16
// code units) at every depth, no whitespace. The service hashes what it journals with it and a host
// recomputes the same bytes from the JSON it received, whatever order the keys arrived in.

/**
 * Accepts only what survives a JSON round trip unchanged; anything else is a TypeError rather than a
 * silent change to hashed data.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) {
		return `[${value
			.map((item) => {
				if (item === undefined) throw new TypeError('canonicalJson: undefined inside an array');
				return canonicalJson(item);
			})
			.join(',')}]`;
	}
	if (typeof value === 'object' && isPlainObject(value)) {
		const members = Object.keys(value)
			.filter((key) => value[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
		return `{${members.join(',')}}`;
	}
	throw new TypeError(`canonicalJson: a ${describeType(value)} is not a JSON value`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function describeType(value: unknown): string {
	if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object';
	return typeof value;
}
