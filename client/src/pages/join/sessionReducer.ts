// Keeps an applicant's or interpreter's snapshot current between fetches: each notification is folded
// into the last snapshot from getState. Anything missed while disconnected is covered by fetching the
// snapshot again on every (re)connect, so this only has to be right for notifications in order.
import type {
	ParticipantView,
	StepView,
	VerificationNotificationName,
	VerificationNotifications,
	VerificationSnapshot,
} from '@vidverify/shared';

export type SessionNotification = {
	[K in VerificationNotificationName]: { name: K; payload: VerificationNotifications[K] };
}[VerificationNotificationName];

/** The notifications that change a participant's snapshot (chat and the agent's queue do not). */
export const SNAPSHOT_NOTIFICATIONS = [
	'stateChanged',
	'queuePositionChanged',
	'stepPrompted',
	'stepMarked',
	'checklistChanged',
	'participantJoined',
	'participantLeft',
	'participantReconnecting',
	'interpreterInvited',
	'interpreterDeclared',
	'interpreterRemoved',
	'decided',
] as const satisfies readonly VerificationNotificationName[];

function replaceStep(checklist: StepView[], step: StepView): StepView[] {
	return checklist.some((candidate) => candidate.id === step.id)
		? checklist.map((candidate) => (candidate.id === step.id ? step : candidate))
		: [...checklist, step];
}

function upsertParticipant(participants: ParticipantView[], participant: ParticipantView): ParticipantView[] {
	return participants.some((candidate) => candidate.participantId === participant.participantId)
		? participants.map((candidate) => (candidate.participantId === participant.participantId ? participant : candidate))
		: [...participants, participant];
}

export function applyNotification(snapshot: VerificationSnapshot, notification: SessionNotification): VerificationSnapshot {
	switch (notification.name) {
		case 'stateChanged': {
			const { state } = notification.payload;
			return { ...snapshot, state, queue: state === 'waiting' ? snapshot.queue : null };
		}
		case 'queuePositionChanged':
			return { ...snapshot, queue: notification.payload };
		case 'stepPrompted': {
			const { step, challenge } = notification.payload;
			return { ...snapshot, checklist: replaceStep(snapshot.checklist, step), currentStepId: step.id, challenge };
		}
		case 'stepMarked': {
			const { step } = notification.payload;
			// A marked challenge step is over: its number must not stay on screen.
			const challenge = snapshot.challenge?.stepId === step.id ? null : snapshot.challenge;
			return { ...snapshot, checklist: replaceStep(snapshot.checklist, step), challenge };
		}
		case 'checklistChanged': {
			const { checklist } = notification.payload;
			const currentStepId = checklist.some((step) => step.id === snapshot.currentStepId) ? snapshot.currentStepId : null;
			return { ...snapshot, checklist, currentStepId };
		}
		case 'participantJoined':
			return { ...snapshot, participants: upsertParticipant(snapshot.participants, notification.payload.participant) };
		case 'participantReconnecting':
			return {
				...snapshot,
				participants: snapshot.participants.map((participant) =>
					participant.participantId === notification.payload.participantId ? { ...participant, connected: false } : participant,
				),
			};
		case 'participantLeft': {
			const { participantId, reason } = notification.payload;
			const interpreter =
				snapshot.interpreter?.participantId === participantId
					? { ...snapshot.interpreter, connected: false, removed: snapshot.interpreter.removed || reason === 'removed' }
					: snapshot.interpreter;
			return {
				...snapshot,
				interpreter,
				participants: snapshot.participants.filter((participant) => participant.participantId !== participantId),
			};
		}
		case 'interpreterInvited': {
			// The invitation's participant id is not in the notice; the page fetches the snapshot for it.
			return snapshot;
		}
		case 'interpreterDeclared': {
			const { participantId, fullName, relation } = notification.payload;
			return {
				...snapshot,
				interpreter:
					snapshot.interpreter?.participantId === participantId
						? { ...snapshot.interpreter, declaration: { fullName, relation } }
						: snapshot.interpreter,
				participants: snapshot.participants.map((participant) =>
					participant.participantId === participantId ? { ...participant, displayName: fullName } : participant,
				),
			};
		}
		case 'interpreterRemoved': {
			const { participantId } = notification.payload;
			return {
				...snapshot,
				interpreter:
					snapshot.interpreter?.participantId === participantId
						? { ...snapshot.interpreter, removed: true, connected: false }
						: snapshot.interpreter,
				participants: snapshot.participants.filter((participant) => participant.participantId !== participantId),
			};
		}
		case 'decided': {
			const { state, reasonCodes } = notification.payload;
			return { ...snapshot, state, queue: null, challenge: null, decision: { state, reasonCodes } };
		}
		default:
			return snapshot;
	}
}
