import { describe, expect, it } from 'vitest';
import { ApiKeys } from './ApiKeys.ts';

describe('ApiKeys', () => {
	const keys = new ApiKeys(['first-key-0123456789', 'second-key-0123456789']);

	it('accepts() any configured key in a Bearer header', () => {
		expect(keys.accepts('Bearer first-key-0123456789')).toBe(true);
		expect(keys.accepts('bearer second-key-0123456789')).toBe(true);
	});

	it('accepts() nothing else', () => {
		for (const value of [
			undefined,
			'',
			'Bearer',
			'Bearer ',
			'first-key-0123456789',
			'Basic first-key-0123456789',
			'Bearer first-key-012345678',
		]) {
			expect(keys.accepts(value)).toBe(false);
		}
	});

	it('refuses to be built without keys', () => {
		expect(() => new ApiKeys([])).toThrow(TypeError);
	});
});
