import { describe, expect, it } from 'vitest';
import { challenge, snapshot, step } from '../../session/testSnapshots.ts';
import {
	applyCallAnswer,
	applyCallEvent,
	type CallEvent,
	type CallState,
	challengeSecondsLeft,
	initialCallState,
	withSnapshot,
} from './callState.ts';

function apply(state: CallState, ...events: CallEvent[]): CallState {
	return events.reduce((current, event) => applyCallEvent(current, event).state, state);
}

const answered = (matched: boolean, revision = 11): CallEvent => ({
	name: 'challengeAnswered',
	payload: { stepId: 'challenge', matched, at: 'x', revision },
});

describe('applyCallEvent', () => {
	it('a new prompt of the challenge step brings a new number and voids the earlier answer', () => {
		const state = apply(initialCallState(snapshot()), answered(false), {
			name: 'stepPrompted',
			payload: { step: step('challenge', 'prompted'), challenge, revision: 12 },
		});
		expect(state.snapshot.challenge).toEqual(challenge);
		expect(state.typedAnswer).toBeNull();
	});

	it('challengeAnswered keeps the expected number on screen with the result', () => {
		const state = apply(initialCallState(snapshot({ challenge, currentStepId: 'challenge' })), answered(true));
		expect(state.typedAnswer?.matched).toBe(true);
		expect(state.snapshot.challenge).toEqual(challenge);
	});

	it('participantReconnecting marks the participant and remembers the end of its grace period until it is back', () => {
		let state = apply(initialCallState(snapshot()), {
			name: 'participantReconnecting',
			payload: { participantId: 'app-1', role: 'applicant', graceEndsAt: '2026-01-01T00:10:00.000Z', revision: 11 },
		});
		expect(state.snapshot.participants[0]?.connected).toBe(false);
		expect(state.reconnecting).toEqual({ 'app-1': '2026-01-01T00:10:00.000Z' });
		state = apply(state, {
			name: 'participantJoined',
			payload: {
				participant: { participantId: 'app-1', role: 'applicant', displayName: null, connected: true },
				resumed: true,
				revision: 12,
			},
		});
		expect(state.reconnecting).toEqual({});
		expect(state.snapshot.participants.find((participant) => participant.participantId === 'app-1')?.connected).toBe(true);
	});

	it('participantLeft of the applicant remembers why, for the end of the call', () => {
		const state = apply(initialCallState(snapshot()), {
			name: 'participantLeft',
			payload: { participantId: 'app-1', role: 'applicant', reason: 'connection_lost', revision: 11 },
		});
		expect(state.applicantDeparture).toBe('connection_lost');
		expect(state.snapshot.participants.map((participant) => participant.role)).toEqual(['agent']);
	});

	it('a stale notification changes none of the agent’s own state either', () => {
		const state = initialCallState(snapshot());
		expect(applyCallEvent(state, answered(true, 3))).toEqual({ state, refetch: false });
	});

	it('passes on the snapshot’s request for a refetch after a gap', () => {
		expect(applyCallEvent(initialCallState(snapshot()), answered(true, 15)).refetch).toBe(true);
	});
});

describe('applyCallAnswer', () => {
	it('shows the agent’s own prompt at once, with the new number and no earlier answer', () => {
		const state = applyCallAnswer(apply(initialCallState(snapshot()), answered(false)), {
			name: 'stepPrompted',
			payload: { step: step('challenge', 'prompted'), challenge },
		});
		expect(state.snapshot.currentStepId).toBe('challenge');
		expect(state.snapshot.challenge).toEqual(challenge);
		expect(state.typedAnswer).toBeNull();
		expect(state.snapshot.revision).toBe(11);
	});
});

describe('withSnapshot', () => {
	it('starts afresh for another verification', () => {
		const state = { ...initialCallState(snapshot()), reconnecting: { 'app-1': 'x' } };
		expect(withSnapshot(state, snapshot({ verificationId: 'v2' })).reconnecting).toEqual({});
	});

	it('keeps a typed answer and its number while the server no longer shows the answered number', () => {
		const state = apply(initialCallState(snapshot({ challenge, currentStepId: 'challenge' })), answered(true));
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
