import { describe, expect, it } from 'vitest';
import { applicantScreen } from './applicantScreen.ts';

describe('applicantScreen()', () => {
	it('asks for consent first, or shows the "not now" page after a decline', () => {
		expect(applicantScreen({ state: 'created' }, {})).toBe('consent');
		expect(applicantScreen({ state: 'created' }, { consentDeclined: true })).toBe('declined');
	});

	it('runs the device check after consent, waiting or not, until it was passed in this tab', () => {
		expect(applicantScreen({ state: 'waiting' }, {})).toBe('device_check');
		expect(applicantScreen({ state: 'in_call' }, {})).toBe('device_check');
	});

	it('goes to the waiting room or the call once the devices were checked, also after a reload', () => {
		expect(applicantScreen({ state: 'waiting' }, { deviceChecked: true })).toBe('waiting');
		expect(applicantScreen({ state: 'in_call' }, { deviceChecked: true })).toBe('call');
	});

	it('ends in every final state whatever the tab remembers', () => {
		for (const state of ['approved', 'rejected', 'escalated', 'abandoned', 'interrupted', 'expired'] as const) {
			expect(applicantScreen({ state }, { deviceChecked: true })).toBe('end');
			expect(applicantScreen({ state }, {})).toBe('end');
		}
	});
});
