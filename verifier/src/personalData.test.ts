import { describe, expect, it } from 'vitest';
import { describePersonalData, personalDataOf } from './personalData.ts';

const sealed = 'vvseal1.personal.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB';

describe('personalDataOf', () => {
	it('counts the sealed fields at any depth and names the erasure when there is one', () => {
		const events = [
			{ type: 'verification.created', data: { externalUserRef: sealed, declared: { fullName: sealed }, purpose: 'c2c_video' } },
			{ type: 'outcome.recorded', data: { outcome: { steps: [{ note: sealed }, { note: null }] } } },
		];
		expect(personalDataOf(events)).toEqual({ sealedFields: 3, erased: null });
		const erased = [...events, { type: 'personal_data.erased', data: { at: '2026-12-02T07:00:00.000Z', reason: 'retention' } }];
		expect(describePersonalData(personalDataOf(erased))).toBe(
			'personal data: erased at 2026-12-02T07:00:00.000Z (retention); its 3 sealed fields can no longer be opened',
		);
	});
});
