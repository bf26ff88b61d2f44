import { describe, expect, it } from 'vitest';
import { MESSAGES } from './i18n.ts';
import {
	ELIGIBILITY_REFUSALS,
	MIN_AGE,
	REASON_CODE_INFO,
	REASON_CODES,
	REASON_GROUP_LABEL_KEYS,
	REASON_GROUPS,
} from './reasonCodes.ts';

describe('reason codes', () => {
	it('has info with a label and applicant advice in both languages for every code', () => {
		expect(Object.keys(REASON_CODE_INFO).sort()).toEqual([...REASON_CODES].sort());
		for (const code of REASON_CODES) {
			const info = REASON_CODE_INFO[code];
			expect(REASON_GROUPS).toContain(info.group);
			for (const messages of Object.values(MESSAGES)) {
				expect(messages[info.labelKey]).toBeTruthy();
				expect(messages[info.adviceKey]).toBeTruthy();
			}
		}
	});

	it('lists every code once and uses every group', () => {
		expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
		expect(new Set(Object.values(REASON_CODE_INFO).map((info) => info.group))).toEqual(new Set(REASON_GROUPS));
		expect(Object.keys(REASON_GROUP_LABEL_KEYS).sort()).toEqual([...REASON_GROUPS].sort());
	});

	it('refuses each known eligibility failure with a reason of the eligibility group', () => {
		expect(ELIGIBILITY_REFUSALS).toEqual({
			underage: 'underage',
			unsupported_region: 'unsupported_region',
			c2c_frozen: 'c2c_frozen',
		});
		for (const code of Object.values(ELIGIBILITY_REFUSALS)) expect(REASON_CODE_INFO[code].group).toBe('eligibility');
	});

	it('sets the minimum age at 18', () => {
		expect(MIN_AGE).toBe(18);
	});
});
