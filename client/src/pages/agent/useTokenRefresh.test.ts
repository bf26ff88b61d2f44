import { describe, expect, it } from 'vitest';
import { refreshDelay } from './useTokenRefresh.ts';

describe('refreshDelay', () => {
	it('asks for the next token two thirds into what is left of the current one, and never sooner than a second', () => {
		const now = 1_000_000;
		expect(refreshDelay(now + 15 * 60_000, now)).toBe(10 * 60_000);
		expect(refreshDelay(now + 900, now)).toBe(1_000);
		expect(refreshDelay(now - 5_000, now)).toBe(1_000);
	});
});
