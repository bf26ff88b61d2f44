import type { InterpreterStatus, VerificationSnapshot } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { interpreterEnding, interpreterScreen } from './interpreterScreen.ts';

const interpreter = {
	invitationId: 'inv-1',
	participantId: 'interp-1',
	invitedBy: 'applicant' as const,
	expiresAt: '2026-11-02T11:00:00.000Z',
	status: 'joined' as InterpreterStatus,
	connected: true,
	consented: true,
	declaration: null,
};

function snapshot(state: VerificationSnapshot['state'], overrides: Partial<typeof interpreter> = {}) {
	return {
		state,
		interpreter: { ...interpreter, ...overrides },
		you: { participantId: 'interp-1', role: 'interpreter' as const },
	};
}

describe('interpreterScreen()', () => {
	it('goes consent → device check → waiting or call', () => {
		expect(interpreterScreen(snapshot('in_call', { consented: false }), {})).toBe('consent');
		expect(interpreterScreen(snapshot('in_call'), {})).toBe('device_check');
		expect(interpreterScreen(snapshot('waiting'), { deviceChecked: true })).toBe('waiting');
		expect(interpreterScreen(snapshot('in_call'), { deviceChecked: true })).toBe('call');
	});

	it('ends when the interpreter left, was removed or replaced, or the verification ended', () => {
		const ready = { deviceChecked: true };
		expect(interpreterScreen(snapshot('in_call'), { ...ready, left: true })).toBe('end');
		expect(interpreterScreen(snapshot('in_call', { status: 'removed' }), ready)).toBe('end');
		expect(interpreterScreen(snapshot('in_call', { participantId: 'someone-else' }), ready)).toBe('end');
		expect(interpreterScreen(snapshot('approved'), ready)).toBe('end');
	});
});

describe('interpreterEnding()', () => {
	it('names why the part is over', () => {
		expect(interpreterEnding(snapshot('in_call'), { left: true })).toBe('left');
		expect(interpreterEnding(snapshot('in_call', { status: 'left' }), {})).toBe('left');
		expect(interpreterEnding(snapshot('in_call', { status: 'removed' }), {})).toBe('removed');
		expect(interpreterEnding(snapshot('rejected'), {})).toBe('decided');
		expect(interpreterEnding(snapshot('interrupted'), {})).toBe('ended');
		expect(interpreterEnding(snapshot('in_call'), {})).toBeUndefined();
	});
});
