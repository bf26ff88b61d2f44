// The agent's picture of the call in progress: the shared snapshot fold, plus what the snapshot does
// not carry (the typed answer's result, who is reconnecting until when, why the applicant went). A
// pure reducer, so every notification's effect is tested in Node.
import type {
	ChallengeView,
	ParticipantView,
	StepId,
	StepView,
	VerificationNotifications,
	VerificationSnapshot,
} from '@vidverify/shared';
import {
	type Folded,
	foldAnswer,
	foldNotification,
	type SnapshotAnswer,
	type SnapshotNotification,
} from '../../session/snapshotReducer.ts';

export type TypedAnswer = VerificationNotifications['challengeAnswered'];

export type CallState = {
	snapshot: VerificationSnapshot;
	/** Why the applicant went, when it did: an ended call's snapshot is no longer the agent's to read. */
	applicantDeparture: VerificationNotifications['participantLeft']['reason'] | null;
	/** The result of the applicant's typed answer to the current number (text-only mode). */
	typedAnswer: TypedAnswer | null;
	/** Participants whose connection dropped, with the end of their grace period. */
	reconnecting: Record<string, string>;
};

export type CallEvent = SnapshotNotification;

export function initialCallState(snapshot: VerificationSnapshot): CallState {
	return { snapshot, typedAnswer: null, reconnecting: {}, applicantDeparture: null };
}

/** A fresh snapshot (after a reconnect or a refresh), keeping what only notifications told us. */
export function withSnapshot(state: CallState | undefined, snapshot: VerificationSnapshot): CallState {
	if (!state || state.snapshot.verificationId !== snapshot.verificationId) return initialCallState(snapshot);
	const stillCurrent = state.typedAnswer && snapshot.challenge === null && snapshot.currentStepId === state.typedAnswer.stepId;
	const reconnecting = Object.fromEntries(
		Object.entries(state.reconnecting).filter(([participantId]) =>
			snapshot.participants.some((participant) => participant.participantId === participantId && !participant.connected),
		),
	);
	return {
		snapshot: snapshot.challenge === null && stillCurrent ? { ...snapshot, challenge: state.snapshot.challenge } : snapshot,
		typedAnswer: stillCurrent ? state.typedAnswer : null,
		reconnecting,
		applicantDeparture: state.applicantDeparture,
	};
}

function without(record: Record<string, string>, key: string): Record<string, string> {
	const { [key]: _removed, ...rest } = record;
	return rest;
}

/** The agent's own additions for a notification the snapshot has taken. */
function agentPart(state: CallState, event: CallEvent): Omit<CallState, 'snapshot'> {
	const { typedAnswer, reconnecting, applicantDeparture } = state;
	switch (event.name) {
		case 'stepPrompted':
			// A new prompt of the challenge step is a new number: the answer to the old one is void.
			return { typedAnswer: event.payload.step.kind === 'challenge' ? null : typedAnswer, reconnecting, applicantDeparture };
		case 'challengeAnswered':
			return { typedAnswer: event.payload, reconnecting, applicantDeparture };
		case 'participantJoined':
			return { typedAnswer, reconnecting: without(reconnecting, event.payload.participant.participantId), applicantDeparture };
		case 'participantReconnecting': {
			const { participantId, graceEndsAt } = event.payload;
			return { typedAnswer, reconnecting: { ...reconnecting, [participantId]: graceEndsAt }, applicantDeparture };
		}
		case 'participantLeft':
			return {
				typedAnswer,
				reconnecting: without(reconnecting, event.payload.participantId),
				applicantDeparture: event.payload.role === 'applicant' ? event.payload.reason : applicantDeparture,
			};
		case 'interpreterRemoved':
			return { typedAnswer, reconnecting: without(reconnecting, event.payload.participantId), applicantDeparture };
		default:
			return { typedAnswer, reconnecting, applicantDeparture };
	}
}

/** The next call state, and whether the snapshot must be fetched again (see foldNotification). */
export function applyCallEvent(state: CallState, event: CallEvent): { state: CallState; refetch: boolean } {
	const folded: Folded = foldNotification(state.snapshot, event);
	if (!folded.applied) return { state, refetch: false };
	return { state: { ...agentPart(state, event), snapshot: folded.snapshot }, refetch: folded.refetch };
}

/** The agent's own promptStep or markStep answer, shown before its notification arrives. */
export function applyCallAnswer(state: CallState, answer: SnapshotAnswer): CallState {
	const snapshot = foldAnswer(state.snapshot, answer);
	const newNumber = answer.name === 'stepPrompted' && answer.payload.step.kind === 'challenge';
	return { ...state, snapshot, typedAnswer: newNumber ? null : state.typedAnswer };
}

/** Seconds until the challenge number expires (0 once it has); undefined without a number. */
export function challengeSecondsLeft(challenge: ChallengeView | null, nowMs: number): number | undefined {
	if (!challenge) return undefined;
	return Math.max(0, Math.ceil((Date.parse(challenge.expiresAt) - nowMs) / 1000));
}

export function stepById(snapshot: VerificationSnapshot, stepId: StepId): StepView | undefined {
	return snapshot.checklist.find((step) => step.id === stepId);
}

export function participantByRole(snapshot: VerificationSnapshot, role: ParticipantView['role']): ParticipantView | undefined {
	return snapshot.participants.find((participant) => participant.role === role);
}
