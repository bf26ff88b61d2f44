import type { StepView, VerificationSnapshot } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { applyCallEvent, challengeSecondsLeft, initialCallState, withSnapshot } from './callState.ts';

function step(id: StepView['id'], kind: StepView['kind'] = 'plain', status: StepView['status'] = 'pending'): StepView {
	return {
		id,
		kind,
		actor: 'applicant',
		required: true,
		promptKey: `step.${id}.prompt`,
		status,
		promptedAt: null,
		markedAt: null,
	};
}

function snapshot(overrides: Partial<VerificationSnapshot> = {}): VerificationSnapshot {
	return {
		verificationId: 'v1',
		state: 'in_call',
		purpose: 'c2c_video',
		locale: 'en',
		accessibility: { interpreter: false, textOnlyChallenge: true },
		you: { participantId: 'agent-1', role: 'agent' },
		expiresAt: '2026-01-01T01:00:00.000Z',
		consentedAt: '2026-01-01T00:00:00.000Z',
		acceptedAt: '2026-01-01T00:01:00.000Z',
		queue: null,
		participants: [
			{ participantId: 'app-1', role: 'applicant', displayName: null, connected: true },
			{ participantId: 'agent-1', role: 'agent', displayName: 'Ann', connected: true },
		],
		checklist: [step('consent'), step('security_features', 'security_features'), step('challenge', 'challenge')],
		currentStepId: null,
		challenge: null,
		interpreter: null,
		decision: null,
		...overrides,
	};
}

const challenge = { stepId: 'challenge' as const, value: '123456', typed: true, expiresAt: '2026-01-01T00:05:00.000Z' };

describe('applyCallEvent', () => {
	it('stepPrompted makes the step current with its new status and security features', () => {
		const prompted = {
			...step('security_features', 'security_features', 'prompted'),
			securityFeatures: [{ categoryId: 'substrate', featureId: 'watermark' }],
		};
		const state = applyCallEvent(initialCallState(snapshot()), {
			name: 'stepPrompted',
			payload: { step: prompted, challenge: null },
		});
		expect(state.snapshot.currentStepId).toBe('security_features');
		expect(state.snapshot.checklist[1]).toEqual(prompted);
	});

	it('a new prompt of the challenge step brings a new number and voids the earlier answer', () => {
		let state = initialCallState(snapshot());
		state = applyCallEvent(state, { name: 'challengeAnswered', payload: { stepId: 'challenge', matched: false, at: 'x' } });
		state = applyCallEvent(state, {
			name: 'stepPrompted',
			payload: { step: step('challenge', 'challenge', 'prompted'), challenge },
		});
		expect(state.snapshot.challenge).toEqual(challenge);
		expect(state.typedAnswer).toBeNull();
	});

	it('challengeAnswered keeps the expected number on screen with the result', () => {
		let state = initialCallState(snapshot({ challenge, currentStepId: 'challenge' }));
		state = applyCallEvent(state, { name: 'challengeAnswered', payload: { stepId: 'challenge', matched: true, at: 'x' } });
		expect(state.typedAnswer?.matched).toBe(true);
		expect(state.snapshot.challenge).toEqual(challenge);
	});

	it('stepMarked replaces the step', () => {
		const marked = { ...step('consent', 'plain', 'passed'), note: 'clear yes' };
		const state = applyCallEvent(initialCallState(snapshot()), { name: 'stepMarked', payload: { step: marked } });
		expect(state.snapshot.checklist[0]).toEqual(marked);
	});

	it('participantReconnecting marks the participant and remembers the end of its grace period until it is back', () => {
		let state = applyCallEvent(initialCallState(snapshot()), {
			name: 'participantReconnecting',
			payload: { participantId: 'app-1', role: 'applicant', graceEndsAt: '2026-01-01T00:10:00.000Z' },
		});
		expect(state.snapshot.participants[0]?.connected).toBe(false);
		expect(state.reconnecting).toEqual({ 'app-1': '2026-01-01T00:10:00.000Z' });
		state = applyCallEvent(state, {
			name: 'participantJoined',
			payload: { participant: { participantId: 'app-1', role: 'applicant', displayName: null, connected: true }, resumed: true },
		});
		expect(state.reconnecting).toEqual({});
		expect(state.snapshot.participants.find((participant) => participant.participantId === 'app-1')?.connected).toBe(true);
	});

	it('interpreterDeclared records the name and relation; interpreterRemoved takes the interpreter out', () => {
		const interpreter = {
			invitationId: 'inv',
			participantId: 'int-1',
			invitedBy: 'agent' as const,
			expiresAt: '2026-01-01T00:30:00.000Z',
			joined: true,
			connected: true,
			removed: false,
			consented: true,
			declaration: null,
		};
		let state = initialCallState(
			snapshot({
				interpreter,
				participants: [
					...snapshot().participants,
					{ participantId: 'int-1', role: 'interpreter', displayName: null, connected: true },
				],
			}),
		);
		state = applyCallEvent(state, {
			name: 'interpreterDeclared',
			payload: { participantId: 'int-1', fullName: 'Wang Fang', relation: 'sibling' },
		});
		expect(state.snapshot.interpreter?.declaration).toEqual({ fullName: 'Wang Fang', relation: 'sibling' });
		expect(state.snapshot.participants.at(-1)?.displayName).toBe('Wang Fang');
		state = applyCallEvent(state, { name: 'interpreterRemoved', payload: { participantId: 'int-1' } });
		expect(state.snapshot.interpreter?.removed).toBe(true);
		expect(state.snapshot.participants.map((participant) => participant.role)).toEqual(['applicant', 'agent']);
	});

	it('participantLeft of the applicant remembers why, for the end of the call', () => {
		const state = applyCallEvent(initialCallState(snapshot()), {
			name: 'participantLeft',
			payload: { participantId: 'app-1', role: 'applicant', reason: 'connection_lost' },
		});
		expect(state.applicantDeparture).toBe('connection_lost');
		expect(state.snapshot.participants.map((participant) => participant.role)).toEqual(['agent']);
	});

	it('decided and stateChanged of another verification are ignored', () => {
		const state = initialCallState(snapshot());
		expect(
			applyCallEvent(state, {
				name: 'decided',
				payload: { verificationId: 'other', state: 'approved', reasonCodes: [], at: 'x' },
			}),
		).toBe(state);
		const decided = applyCallEvent(state, {
			name: 'decided',
			payload: { verificationId: 'v1', state: 'rejected', reasonCodes: ['face_mismatch'], at: 'x' },
		});
		expect(decided.snapshot.state).toBe('rejected');
		expect(decided.snapshot.decision).toEqual({ state: 'rejected', reasonCodes: ['face_mismatch'] });
	});
});

describe('withSnapshot', () => {
	it('starts afresh for another verification', () => {
		const state = { ...initialCallState(snapshot()), reconnecting: { 'app-1': 'x' } };
		expect(withSnapshot(state, snapshot({ verificationId: 'v2' })).reconnecting).toEqual({});
	});

	it('keeps a typed answer and its number while the server no longer shows the answered number', () => {
		let state = initialCallState(snapshot({ challenge, currentStepId: 'challenge' }));
		state = applyCallEvent(state, { name: 'challengeAnswered', payload: { stepId: 'challenge', matched: true, at: 'x' } });
		const refreshed = withSnapshot(state, snapshot({ challenge: null, currentStepId: 'challenge' }));
		expect(refreshed.typedAnswer?.matched).toBe(true);
		expect(refreshed.snapshot.challenge).toEqual(challenge);
	});

	it('drops reconnecting marks of participants the snapshot shows connected', () => {
		const state = { ...initialCallState(snapshot()), reconnecting: { 'app-1': 'x' } };
		expect(withSnapshot(state, snapshot()).reconnecting).toEqual({});
	});
});

describe('challengeSecondsLeft', () => {
	it('counts down to zero', () => {
		const expires = Date.parse(challenge.expiresAt);
		expect(challengeSecondsLeft(challenge, expires - 30_500)).toBe(31);
		expect(challengeSecondsLeft(challenge, expires + 1)).toBe(0);
		expect(challengeSecondsLeft(null, 0)).toBeUndefined();
	});
});
