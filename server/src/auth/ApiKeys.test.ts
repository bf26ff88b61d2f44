import { describe, expect, it } from 'vitest';
import { ApiKeys, parseApiKeySetting } from './ApiKeys.ts';

describe('ApiKeys', () => {
	const keys = new ApiKeys(['first-key-0123456789', { key: 'second-key-0123456789', rate: { ratePerSecond: 5, burst: 9 } }]);

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

	it('identify() names each key by an id of its own that does not contain the key, with the rate it was given', () => {
		const first = keys.identify('Bearer first-key-0123456789');
		const second = keys.identify('Bearer second-key-0123456789');
		expect(first?.id).toMatch(/^[0-9a-f]{16}$/);
		expect(second?.id).toMatch(/^[0-9a-f]{16}$/);
		expect(first?.id).not.toBe(second?.id);
		expect(first?.rate).toBeUndefined();
		expect(second?.rate).toEqual({ ratePerSecond: 5, burst: 9 });
		expect(keys.identify('Bearer not-a-key-0123456789')).toBeUndefined();
	});

	it('refuses to be built without keys', () => {
		expect(() => new ApiKeys([])).toThrow(TypeError);
	});
});

describe('parseApiKeySetting()', () => {
	it('reads a bare key, and a key with its own RATE/BURST', () => {
		expect(parseApiKeySetting('first-key-0123456789')).toEqual({ key: 'first-key-0123456789' });
		expect(parseApiKeySetting('big-host-key-0123456789:500/2000')).toEqual({
			key: 'big-host-key-0123456789',
			rate: { ratePerSecond: 500, burst: 2000 },
		});
	});

	it('refuses a rate that is not two whole numbers of at least 1, and keys with a colon or space', () => {
		for (const entry of ['key-0123456789:500', 'key-0123456789:fast/2000', 'key-0123456789:0/10', 'a:b:1/2', 'with space:1/2']) {
			expect(parseApiKeySetting(entry), entry).toHaveProperty('error');
		}
	});
});
