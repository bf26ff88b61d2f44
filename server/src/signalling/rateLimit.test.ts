import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.ts';
import { requestAdmission } from './rateLimit.ts';

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
