import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.ts';
import { requestAdmission, TokenBucket } from './rateLimit.ts';

describe('TokenBucket', () => {
	it('take() allows a burst, then refills at the steady rate', () => {
		let now = 0;
		const bucket = new TokenBucket(10, 3, () => now);
		expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
		now += 100;
		expect([bucket.take(), bucket.take()]).toEqual([true, false]);
		now += 10_000;
		expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
	});
});

describe('requestAdmission', () => {
	it('throws RATE_LIMITED on an empty bucket and reports a flood once after enough refusals in a row', () => {
		let floods = 0;
		const admit = requestAdmission({ ratePerSecond: 0.001, burst: 2, disconnectAfter: 3 }, () => {
			floods += 1;
		});
		admit();
		admit();
		const codes: string[] = [];
		for (let index = 0; index < 5; index += 1) {
			try {
				admit();
			} catch (error) {
				codes.push((error as AppError).code);
			}
		}
		expect(codes).toEqual(Array(5).fill('RATE_LIMITED'));
		expect(floods).toBe(1);
	});
});
