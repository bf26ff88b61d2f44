import type { VerificationSnapshot } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { foldNotification, isOlderSnapshot, SNAPSHOT_NOTIFICATION_NAMES, type SnapshotNotification } from './snapshotReducer.ts';
import { at, challenge, interpreterView, snapshot, step, withInterpreter } from './testSnapshots.ts';

/** Folds in order at the next revision each, as a connection that misses nothing receives them. */
function fold(from: VerificationSnapshot, ...notifications: SnapshotNotification[]): VerificationSnapshot {
	return notifications.reduce((current, notification) => foldNotification(current, notification).snapshot, from);
}

const next = 11;

describe('foldNotification() applies each notification', () => {
	it('moves the queue position and drops it once the call starts', () => {
		const waiting = snapshot({ state: 'waiting', queue: { position: 2, queueLength: 3, estimatedWaitSeconds: 240 } });
		const moved = fold(waiting, {
			name: 'queuePositionChanged',
			payload: { position: 1, queueLength: 2, estimatedWaitSeconds: 60 },
		});
		expect(moved.queue?.position).toBe(1);
		const started = fold(moved, {
			name: 'stateChanged',
			payload: { verificationId: 'v1', state: 'in_call', previousState: 'waiting', at, revision: next },
		});
		expect(started.state).toBe('in_call');
		expect(started.queue).toBeNull();
	});

	it('makes a prompted step current with its new status and security features', () => {
		const prompted = {
			...step('security_features', 'prompted'),
			securityFeatures: [{ categoryId: 'substrate', featureId: 'watermark' }],
		};
		const folded = fold(snapshot(), { name: 'stepPrompted', payload: { step: prompted, challenge: null, revision: next } });
		expect(folded.currentStepId).toBe('security_features');
		expect(folded.checklist[1]).toEqual(prompted);
	});

	it('takes the number of a new prompt of the challenge step, and forgets it once the step is marked', () => {
		const prompted = fold(snapshot(), {
			name: 'stepPrompted',
			payload: { step: { ...step('challenge', 'prompted'), promptedAt: at }, challenge, revision: next },
		});
		expect(prompted.currentStepId).toBe('challenge');
		expect(prompted.challenge).toEqual(challenge);
		const marked = fold(prompted, { name: 'stepMarked', payload: { step: step('challenge', 'passed'), revision: next + 1 } });
		expect(marked.challenge).toBeNull();
		expect(marked.currentStepId).toBe('challenge');
		expect(marked.checklist.find((candidate) => candidate.id === 'challenge')?.status).toBe('passed');
	});

	it('replaces a marked step with its note and keeps a challenge when another step is marked', () => {
		const marked = { ...step('consent', 'passed'), note: 'clear yes' };
		const folded = fold(snapshot({ challenge }), { name: 'stepMarked', payload: { step: marked, revision: next } });
		expect(folded.checklist[0]).toEqual(marked);
		expect(folded.challenge).toEqual(challenge);
	});

	it('tracks participants joining, reconnecting and leaving', () => {
		const lin = { participantId: 'agent-2', role: 'agent' as const, displayName: 'Lin', connected: true };
		const joined = fold(snapshot(), { name: 'participantJoined', payload: { participant: lin, resumed: false, revision: next } });
		expect(joined.participants).toContainEqual(lin);
		const reconnecting = fold(joined, {
			name: 'participantReconnecting',
			payload: { participantId: 'agent-2', role: 'agent', graceEndsAt: at, revision: next + 1 },
		});
		expect(reconnecting.participants.find((participant) => participant.participantId === 'agent-2')?.connected).toBe(false);
		const left = fold(reconnecting, {
			name: 'participantLeft',
			payload: { participantId: 'agent-2', role: 'agent', reason: 'connection_lost', revision: next + 2 },
		});
		expect(left.participants.map((participant) => participant.participantId)).toEqual(['app-1', 'agent-1']);
	});

	it("records the interpreter's invitation, declaration and removal", () => {
		const invited = interpreterView({ status: 'invited', connected: false, consented: false });
		const withInvitation = fold(snapshot(), { name: 'interpreterInvited', payload: { interpreter: invited, revision: next } });
		expect(withInvitation.interpreter).toEqual(invited);
		const declared = fold(withInterpreter(), {
			name: 'interpreterDeclared',
			payload: { participantId: 'int-1', fullName: 'Wang Fang', relation: 'sibling', revision: next },
		});
		expect(declared.interpreter?.declaration).toEqual({ fullName: 'Wang Fang', relation: 'sibling' });
		expect(declared.participants.at(-1)?.displayName).toBe('Wang Fang');
		const removed = fold(declared, { name: 'interpreterRemoved', payload: { participantId: 'int-1', revision: next + 1 } });
		expect(removed.interpreter?.status).toBe('removed');
		expect(removed.participants.map((participant) => participant.role)).toEqual(['applicant', 'agent']);
	});

	it('ends on a decision with its reason codes', () => {
		const decided = fold(snapshot(), {
			name: 'decided',
			payload: { verificationId: 'v1', state: 'rejected', reasonCodes: ['face_mismatch'], at, revision: next },
		});
		expect(decided.state).toBe('rejected');
		expect(decided.decision).toEqual({ state: 'rejected', reasonCodes: ['face_mismatch'] });
	});

	it('knows every notification that changes the snapshot, and only those', () => {
		expect([...SNAPSHOT_NOTIFICATION_NAMES].sort()).toEqual(
			[
				'challengeAnswered',
				'checklistChanged',
				'decided',
				'interpreterDeclared',
				'interpreterInvited',
				'interpreterRemoved',
				'participantJoined',
				'participantLeft',
				'participantReconnecting',
				'queuePositionChanged',
				'stateChanged',
				'stepMarked',
				'stepPrompted',
			].sort(),
		);
	});
});

// Where the agent's and the participant's folds used to disagree, the behaviour both now share.
describe('foldNotification() where the two former folds disagreed', () => {
	it('appends a prompted or marked step the list does not hold yet', () => {
		const prompted = fold(snapshot(), {
			name: 'stepPrompted',
			payload: { step: step('interpreter_declaration', 'prompted'), challenge: null, revision: next },
		});
		expect(prompted.checklist.at(-1)?.id).toBe('interpreter_declaration');
		const marked = fold(snapshot(), { name: 'stepMarked', payload: { step: step('head_turn', 'passed'), revision: next } });
		expect(marked.checklist.map((candidate) => candidate.id)).toEqual(['consent', 'security_features', 'challenge', 'head_turn']);
	});

	it('clears the number when its challenge step is marked', () => {
		const marked = fold(snapshot({ challenge, currentStepId: 'challenge' }), {
			name: 'stepMarked',
			payload: { step: step('challenge', 'failed'), revision: next },
		});
		expect(marked.challenge).toBeNull();
	});

	it('clears the number and the queue on a decision', () => {
		const decided = fold(snapshot({ challenge, queue: { position: 1, queueLength: 1, estimatedWaitSeconds: 0 } }), {
			name: 'decided',
			payload: { verificationId: 'v1', state: 'approved', reasonCodes: [], at, revision: next },
		});
		expect(decided.challenge).toBeNull();
		expect(decided.queue).toBeNull();
	});

	it('keeps the number when another step is prompted, as the server still holds it', () => {
		const prompted = fold(snapshot({ challenge, currentStepId: 'challenge' }), {
			name: 'stepPrompted',
			payload: { step: step('head_turn', 'prompted'), challenge: null, revision: next },
		});
		expect(prompted.challenge).toEqual(challenge);
	});

	it('marks an interpreter who left as left and not connected, and one sent away as removed', () => {
		const left = fold(withInterpreter(), {
			name: 'participantLeft',
			payload: { participantId: 'int-1', role: 'interpreter', reason: 'connection_lost', revision: next },
		});
		expect(left.interpreter).toMatchObject({ status: 'left', connected: false });
		expect(left.participants.some((participant) => participant.role === 'interpreter')).toBe(false);
		const removed = fold(withInterpreter(), {
			name: 'participantLeft',
			payload: { participantId: 'int-1', role: 'interpreter', reason: 'removed', revision: next },
		});
		expect(removed.interpreter).toMatchObject({ status: 'removed', connected: false });
	});

	it('treats interpreterRemoved and a participantLeft of the removal alike, in either order', () => {
		const removedThenLeft = fold(
			withInterpreter(),
			{ name: 'interpreterRemoved', payload: { participantId: 'int-1', revision: next } },
			{ name: 'participantLeft', payload: { participantId: 'int-1', role: 'interpreter', reason: 'left', revision: next } },
		);
		const leftThenRemoved = fold(
			withInterpreter(),
			{ name: 'participantLeft', payload: { participantId: 'int-1', role: 'interpreter', reason: 'removed', revision: next } },
			{ name: 'interpreterRemoved', payload: { participantId: 'int-1', revision: next } },
		);
		expect(removedThenLeft).toEqual(leftThenRemoved);
		expect(removedThenLeft.interpreter).toMatchObject({ status: 'removed', connected: false });
	});

	it('leaves an interpreter of another invitation alone when someone else is removed', () => {
		const folded = fold(withInterpreter(), {
			name: 'interpreterRemoved',
			payload: { participantId: 'someone-else', revision: next },
		});
		expect(folded.interpreter?.status).toBe('joined');
	});

	it('marks the interpreter joined and connected when it joins', () => {
		const invited = withInterpreter({ interpreter: interpreterView({ status: 'invited', connected: false }) });
		const joined = fold(invited, {
			name: 'participantJoined',
			payload: {
				participant: { participantId: 'int-1', role: 'interpreter', displayName: null, connected: true },
				resumed: false,
				revision: next,
			},
		});
		expect(joined.interpreter).toMatchObject({ status: 'joined', connected: true });
	});

	it('ignores a state change or decision of another verification', () => {
		const current = snapshot();
		expect(
			foldNotification(current, {
				name: 'decided',
				payload: { verificationId: 'other', state: 'approved', reasonCodes: [], at, revision: 99 },
			}),
		).toEqual({ snapshot: current, applied: false, refetch: false });
		expect(
			foldNotification(current, {
				name: 'stateChanged',
				payload: { verificationId: 'other', state: 'abandoned', previousState: 'waiting', at, revision: 99 },
			}).snapshot,
		).toBe(current);
	});

	it('takes the checklist and the current step from checklistChanged', () => {
		const changed = fold(snapshot({ currentStepId: 'challenge' }), {
			name: 'checklistChanged',
			payload: { checklist: [step('consent'), step('face')], currentStepId: null, revision: next },
		});
		expect(changed.checklist.map((candidate) => candidate.id)).toEqual(['consent', 'face']);
		expect(changed.currentStepId).toBeNull();
	});

	it('updates a participant who joins again in its place in the list', () => {
		const joined = fold(snapshot(), {
			name: 'participantJoined',
			payload: {
				participant: { participantId: 'app-1', role: 'applicant', displayName: null, connected: true },
				resumed: true,
				revision: next,
			},
		});
		expect(joined.participants.map((participant) => participant.participantId)).toEqual(['app-1', 'agent-1']);
	});
});

describe('foldNotification() and revisions', () => {
	const marked = (revision: number): SnapshotNotification => ({
		name: 'stepMarked',
		payload: { step: step('consent', 'passed'), revision },
	});

	it('ignores a notification older than the snapshot', () => {
		const current = snapshot();
		expect(foldNotification(current, marked(9))).toEqual({ snapshot: current, applied: false, refetch: false });
	});

	it('applies notifications of the same revision (one change, several notices) without a refetch', () => {
		const { snapshot: folded, refetch } = foldNotification(snapshot(), marked(10));
		expect(folded.checklist[0]?.status).toBe('passed');
		expect(folded.revision).toBe(10);
		expect(refetch).toBe(false);
	});

	it('applies the next revision and takes it', () => {
		const { snapshot: folded, refetch } = foldNotification(snapshot(), marked(11));
		expect(folded.revision).toBe(11);
		expect(refetch).toBe(false);
	});

	it('applies a notification past a gap, takes its revision and asks for the snapshot', () => {
		const { snapshot: folded, refetch } = foldNotification(snapshot(), marked(13));
		expect(folded.checklist[0]?.status).toBe('passed');
		expect(folded.revision).toBe(13);
		expect(refetch).toBe(true);
	});

	it('after a gap, the next notice follows the revision it took', () => {
		const afterGap = foldNotification(snapshot(), marked(13)).snapshot;
		expect(foldNotification(afterGap, marked(14)).refetch).toBe(false);
		expect(foldNotification(afterGap, marked(12)).snapshot).toBe(afterGap);
	});

	it('applies queue positions, which carry no revision, whatever the revision', () => {
		const { snapshot: folded, refetch } = foldNotification(snapshot({ state: 'waiting' }), {
			name: 'queuePositionChanged',
			payload: { position: 3, queueLength: 5, estimatedWaitSeconds: 300 },
		});
		expect(folded.queue?.position).toBe(3);
		expect(folded.revision).toBe(10);
		expect(refetch).toBe(false);
	});

	it('asks for the snapshot when the verification ends other than by a decision, for the reasons only it carries', () => {
		const ended = foldNotification(snapshot(), {
			name: 'stateChanged',
			payload: { verificationId: 'v1', state: 'interrupted', previousState: 'in_call', at, revision: next },
		});
		expect(ended.snapshot.state).toBe('interrupted');
		expect(ended.refetch).toBe(true);
		const approved = foldNotification(snapshot(), {
			name: 'stateChanged',
			payload: { verificationId: 'v1', state: 'approved', previousState: 'in_call', at, revision: next },
		});
		expect(approved.refetch).toBe(false);
	});
});

describe('isOlderSnapshot(): a getState answer that a notification overtook', () => {
	it('is older when the notifications on screen took a later revision of the same verification', () => {
		// The applicant asked for the snapshot after a gap (revision 10); the agent's next prompt
		// (revision 11) reached the page before that answer. Taking the answer would put the earlier
		// "wait for the next instruction" back on screen with no later notice to undo it.
		const prompted = foldNotification(snapshot(), {
			name: 'stepPrompted',
			payload: { step: step('document_front', 'prompted'), challenge: null, revision: 11 },
		}).snapshot;
		expect(isOlderSnapshot(prompted, snapshot())).toBe(true);
	});

	it('is not older at the same or a later revision, for another verification, or with nothing on screen', () => {
		expect(isOlderSnapshot(snapshot(), snapshot())).toBe(false);
		expect(isOlderSnapshot(snapshot(), snapshot({ revision: 12 }))).toBe(false);
		expect(isOlderSnapshot(snapshot({ revision: 20 }), snapshot({ verificationId: 'v2', revision: 1 }))).toBe(false);
		expect(isOlderSnapshot(undefined, snapshot())).toBe(false);
	});
});
