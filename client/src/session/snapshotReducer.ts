// The one fold of a verification's notifications into its snapshot, the same for the applicant, the
// interpreter and the agent: each page adds only its own state on top. Revisions decide what to do
// with a notification: one older than the snapshot is stale (ignored), the same or the next revision
// is applied, and one further ahead is applied too but tells the page to fetch the snapshot again,
// because a change in between never reached it (sent to another role, or lost while reconnecting).
import {
	DECIDED_STATES,
	type DocumentCheckView,
	type InterpreterView,
	isFinalState,
	type ParticipantView,
	type RevisedNotificationName,
	type StepView,
	type VerificationNotifications,
	type VerificationSnapshot,
	type VerificationState,
} from '@vidverify/shared';

/** Every notification the snapshot folds: the verification's changes, and a waiting applicant's queue. */
export type SnapshotNotificationName = RevisedNotificationName | 'queuePositionChanged';
export type SnapshotNotification = {
	[K in SnapshotNotificationName]: { name: K; payload: VerificationNotifications[K] };
}[SnapshotNotificationName];

/**
 * The next snapshot; whether the notification was applied (not stale, not another verification's);
 * and whether the snapshot is known to miss something only a fresh getState can tell.
 */
export type Folded = { snapshot: VerificationSnapshot; applied: boolean; refetch: boolean };

/**
 * A request's own answer that says what its notification will say (promptStep, markStep): applied at
 * once so the asker's screen does not wait; the notification follows with the revision.
 */
export type SnapshotAnswer =
	| { name: 'stepPrompted'; payload: Omit<VerificationNotifications['stepPrompted'], 'revision'> }
	| { name: 'stepMarked'; payload: Omit<VerificationNotifications['stepMarked'], 'revision'> }
	/** The agent's own duplicate check: no notification tells of it, so the answer is the only news. */
	| { name: 'documentChecked'; payload: DocumentCheckView };

function withStep(checklist: readonly StepView[], step: StepView): StepView[] {
	// A step the list does not know yet (an interpreter's, before checklistChanged) still belongs on screen.
	return checklist.some((candidate) => candidate.id === step.id)
		? checklist.map((candidate) => (candidate.id === step.id ? step : candidate))
		: [...checklist, step];
}

function withParticipant(participants: readonly ParticipantView[], participant: ParticipantView): ParticipantView[] {
	return participants.some((candidate) => candidate.participantId === participant.participantId)
		? participants.map((candidate) => (candidate.participantId === participant.participantId ? participant : candidate))
		: [...participants, participant];
}

function withoutParticipant(participants: readonly ParticipantView[], participantId: string): ParticipantView[] {
	return participants.filter((participant) => participant.participantId !== participantId);
}

function interpreterChange(
	snapshot: VerificationSnapshot,
	participantId: string,
	change: Partial<InterpreterView>,
): InterpreterView | null {
	const { interpreter } = snapshot;
	return interpreter?.participantId === participantId ? { ...interpreter, ...change } : interpreter;
}

/** The interpreter and the participants once someone has gone; the same for a removal and a departure. */
function departed(
	snapshot: VerificationSnapshot,
	participantId: string,
	status: 'left' | 'removed',
): Pick<VerificationSnapshot, 'interpreter' | 'participants'> {
	const current = snapshot.interpreter;
	// A removal is final for this invitation: a late "left" of the same interpreter must not undo it.
	const nextStatus = current?.participantId === participantId && current.status === 'removed' ? 'removed' : status;
	return {
		interpreter: interpreterChange(snapshot, participantId, { status: nextStatus, connected: false }),
		participants: withoutParticipant(snapshot.participants, participantId),
	};
}

type Fold<K extends SnapshotNotificationName> = (
	snapshot: VerificationSnapshot,
	payload: Omit<VerificationNotifications[K], 'revision'>,
) => VerificationSnapshot;

// One entry per notification: the type makes a new notification in the protocol a compile error here
// until the snapshot knows what to do with it.
const FOLDS: { [K in SnapshotNotificationName]: Fold<K> } = {
	stateChanged: (snapshot, { state }) => ({ ...snapshot, state, queue: state === 'waiting' ? snapshot.queue : null }),
	queuePositionChanged: (snapshot, queue) => ({ ...snapshot, queue }),
	stepPrompted: (snapshot, { step, challenge }) => ({
		...snapshot,
		checklist: withStep(snapshot.checklist, step),
		currentStepId: step.id,
		// Each prompt of the challenge step issues a new number; other prompts leave the number alone.
		challenge: step.kind === 'challenge' ? challenge : snapshot.challenge,
	}),
	stepMarked: (snapshot, { step }) => ({
		...snapshot,
		checklist: withStep(snapshot.checklist, step),
		// A marked challenge step is over: its number must not stay on screen.
		challenge: snapshot.challenge?.stepId === step.id ? null : snapshot.challenge,
	}),
	// The typed answer's result is the agent's own state; the snapshot only takes its revision.
	challengeAnswered: (snapshot) => snapshot,
	checklistChanged: (snapshot, { checklist, currentStepId }) => ({ ...snapshot, checklist, currentStepId }),
	participantJoined: (snapshot, { participant }) => ({
		...snapshot,
		participants: withParticipant(snapshot.participants, participant),
		interpreter: interpreterChange(snapshot, participant.participantId, { status: 'joined', connected: participant.connected }),
	}),
	participantReconnecting: (snapshot, { participantId }) => ({
		...snapshot,
		participants: snapshot.participants.map((participant) =>
			participant.participantId === participantId ? { ...participant, connected: false } : participant,
		),
		interpreter: interpreterChange(snapshot, participantId, { connected: false }),
	}),
	participantLeft: (snapshot, { participantId, reason }) => ({
		...snapshot,
		...departed(snapshot, participantId, reason === 'removed' ? 'removed' : 'left'),
	}),
	interpreterInvited: (snapshot, { interpreter }) => ({ ...snapshot, interpreter }),
	interpreterDeclared: (snapshot, { participantId, fullName, relation }) => ({
		...snapshot,
		interpreter: interpreterChange(snapshot, participantId, { declaration: { fullName, relation } }),
		participants: snapshot.participants.map((participant) =>
			participant.participantId === participantId ? { ...participant, displayName: fullName } : participant,
		),
	}),
	interpreterRemoved: (snapshot, { participantId }) => ({ ...snapshot, ...departed(snapshot, participantId, 'removed') }),
	decided: (snapshot, { state, reasonCodes }) => ({
		...snapshot,
		state,
		queue: null,
		challenge: null,
		decision: { state, reasonCodes },
	}),
};

/** The names to subscribe to, straight from the fold table so no list is kept by hand. */
export const SNAPSHOT_NOTIFICATION_NAMES = Object.keys(FOLDS) as SnapshotNotificationName[];

function endsWithoutReasons(state: VerificationState): boolean {
	// An ending other than a decision (abandoned, interrupted, expired) has reason codes that only
	// the snapshot carries; a decision brings its own in `decided`.
	return isFinalState(state) && !(DECIDED_STATES as readonly VerificationState[]).includes(state);
}

export function foldNotification(snapshot: VerificationSnapshot, notification: SnapshotNotification): Folded {
	const { name, payload } = notification;
	const ignored = { snapshot, applied: false, refetch: false };
	// Revisions count one verification's changes: another verification's notice says nothing of this one.
	if ('verificationId' in payload && payload.verificationId !== snapshot.verificationId) return ignored;
	const fold = FOLDS[name] as Fold<typeof name>;
	if (!('revision' in payload)) return { snapshot: fold(snapshot, payload), applied: true, refetch: false };
	const { revision } = payload;
	if (revision < snapshot.revision) return ignored;
	const next = { ...fold(snapshot, payload), revision };
	const missedSome = revision > snapshot.revision + 1;
	const incomplete = notification.name === 'stateChanged' && endsWithoutReasons(notification.payload.state);
	return { snapshot: next, applied: true, refetch: missedSome || incomplete };
}

/**
 * Whether a fetched snapshot is older than the one on screen: a getState answered while a newer
 * notification was already on its way. Taking it would undo that notification with nothing to bring it
 * back; the page keeps what it has and fetches again, since the fetch was asked for a reason.
 */
export function isOlderSnapshot(current: VerificationSnapshot | undefined, fetched: VerificationSnapshot): boolean {
	return current !== undefined && current.verificationId === fetched.verificationId && fetched.revision < current.revision;
}

export function foldAnswer(snapshot: VerificationSnapshot, answer: SnapshotAnswer): VerificationSnapshot {
	switch (answer.name) {
		case 'stepPrompted':
			return FOLDS.stepPrompted(snapshot, answer.payload);
		case 'stepMarked':
			return FOLDS.stepMarked(snapshot, answer.payload);
		case 'documentChecked': {
			const checks = snapshot.documentChecks ?? [];
			// A snapshot fetched after the check may hold it already.
			if (checks.some((check) => check.check === answer.payload.check)) return snapshot;
			return { ...snapshot, documentChecks: [...checks, answer.payload].sort((a, b) => a.check - b.check) };
		}
	}
}
