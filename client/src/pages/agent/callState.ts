// The agent's picture of the call in progress: the snapshot from `getState`/`accept`, kept current by
// the call's notifications, plus what the snapshot does not carry (the typed answer's result, who is
// reconnecting until when). A pure reducer, so every notification's effect is tested in Node.
import type {
	ChallengeView,
	ParticipantView,
	StepId,
	StepView,
	VerificationNotifications,
	VerificationSnapshot,
} from '@vidverify/shared';

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

/** The notifications that change the call's state (chat and quality samples have their own panels). */
export const CALL_EVENT_NAMES = [
	'stateChanged',
	'stepPrompted',
	'stepMarked',
	'challengeAnswered',
	'checklistChanged',
	'participantJoined',
	'participantLeft',
	'participantReconnecting',
	'interpreterInvited',
	'interpreterDeclared',
	'interpreterRemoved',
	'decided',
] as const satisfies readonly (keyof VerificationNotifications)[];
export type CallEventName = (typeof CALL_EVENT_NAMES)[number];
export type CallEvent = { [N in CallEventName]: { name: N; payload: VerificationNotifications[N] } }[CallEventName];

/**
 * Notifications that carry less than the snapshot holds (an invitation names no participant id, a
 * new interpreter brings new steps): after these the console asks for the whole snapshot again.
 */
export const REFRESHING_EVENTS: ReadonlySet<CallEventName> = new Set([
	'interpreterInvited',
	'interpreterRemoved',
	'checklistChanged',
	'participantJoined',
]);

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

function replaceStep(checklist: readonly StepView[], step: StepView): StepView[] {
	return checklist.map((existing) => (existing.id === step.id ? step : existing));
}

function upsertParticipant(participants: readonly ParticipantView[], participant: ParticipantView): ParticipantView[] {
	const others = participants.filter((existing) => existing.participantId !== participant.participantId);
	return [...others, participant];
}

function without(record: Record<string, string>, key: string): Record<string, string> {
	const { [key]: _removed, ...rest } = record;
	return rest;
}

export function applyCallEvent(state: CallState, event: CallEvent): CallState {
	const snapshot = state.snapshot;
	switch (event.name) {
		case 'stateChanged':
			if (event.payload.verificationId !== snapshot.verificationId) return state;
			return { ...state, snapshot: { ...snapshot, state: event.payload.state } };
		case 'stepPrompted': {
			const { step, challenge } = event.payload;
			const next: VerificationSnapshot = {
				...snapshot,
				checklist: replaceStep(snapshot.checklist, step),
				currentStepId: step.id,
			};
			// A new prompt of the challenge step is a new number: the old one and its answer are void.
			if (step.kind === 'challenge') {
				next.challenge = challenge;
				return { ...state, snapshot: next, typedAnswer: null };
			}
			return { ...state, snapshot: next };
		}
		case 'stepMarked':
			return { ...state, snapshot: { ...snapshot, checklist: replaceStep(snapshot.checklist, event.payload.step) } };
		case 'challengeAnswered':
			return { ...state, typedAnswer: event.payload };
		case 'checklistChanged':
			return { ...state, snapshot: { ...snapshot, checklist: event.payload.checklist } };
		case 'participantJoined': {
			const { participant } = event.payload;
			return {
				...state,
				snapshot: { ...snapshot, participants: upsertParticipant(snapshot.participants, participant) },
				reconnecting: without(state.reconnecting, participant.participantId),
			};
		}
		case 'participantLeft':
			return {
				...state,
				applicantDeparture: event.payload.role === 'applicant' ? event.payload.reason : state.applicantDeparture,
				snapshot: {
					...snapshot,
					participants: snapshot.participants.filter((participant) => participant.participantId !== event.payload.participantId),
				},
				reconnecting: without(state.reconnecting, event.payload.participantId),
			};
		case 'participantReconnecting': {
			const { participantId, graceEndsAt } = event.payload;
			return {
				...state,
				snapshot: {
					...snapshot,
					participants: snapshot.participants.map((participant) =>
						participant.participantId === participantId ? { ...participant, connected: false } : participant,
					),
				},
				reconnecting: { ...state.reconnecting, [participantId]: graceEndsAt },
			};
		}
		case 'interpreterInvited':
			return state;
		case 'interpreterDeclared': {
			const { participantId, fullName, relation } = event.payload;
			return {
				...state,
				snapshot: {
					...snapshot,
					interpreter: snapshot.interpreter ? { ...snapshot.interpreter, declaration: { fullName, relation } } : null,
					participants: snapshot.participants.map((participant) =>
						participant.participantId === participantId ? { ...participant, displayName: fullName } : participant,
					),
				},
			};
		}
		case 'interpreterRemoved':
			return {
				...state,
				snapshot: {
					...snapshot,
					interpreter: snapshot.interpreter ? { ...snapshot.interpreter, removed: true } : null,
					participants: snapshot.participants.filter((participant) => participant.participantId !== event.payload.participantId),
				},
				reconnecting: without(state.reconnecting, event.payload.participantId),
			};
		case 'decided':
			if (event.payload.verificationId !== snapshot.verificationId) return state;
			return {
				...state,
				snapshot: {
					...snapshot,
					state: event.payload.state,
					decision: { state: event.payload.state, reasonCodes: event.payload.reasonCodes },
				},
			};
	}
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
