import type { StepView, VerificationSnapshot } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { applyNotification } from './sessionReducer.ts';

const at = '2026-11-02T10:00:00.000Z';

function step(id: StepView['id'], status: StepView['status'] = 'pending'): StepView {
	return {
		id,
		kind: id === 'challenge' ? 'challenge' : 'plain',
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
		state: 'waiting',
		purpose: 'c2c_video',
		locale: 'en',
		accessibility: { interpreter: true, textOnlyChallenge: false },
		you: { participantId: 'applicant-1', role: 'applicant' },
		expiresAt: '2026-11-02T11:00:00.000Z',
		consentedAt: at,
		acceptedAt: null,
		queue: { position: 2, queueLength: 3, estimatedWaitSeconds: 240 },
		participants: [{ participantId: 'applicant-1', role: 'applicant', displayName: null, connected: true }],
		checklist: [step('consent'), step('face'), step('challenge')],
		currentStepId: null,
		challenge: null,
		interpreter: null,
		decision: null,
		...overrides,
	};
}

describe('applyNotification()', () => {
	it('moves the queue position and drops it once the call starts', () => {
		const moved = applyNotification(snapshot(), {
			name: 'queuePositionChanged',
			payload: { position: 1, queueLength: 2, estimatedWaitSeconds: 60 },
		});
		expect(moved.queue?.position).toBe(1);
		const started = applyNotification(moved, {
			name: 'stateChanged',
			payload: { verificationId: 'v1', state: 'in_call', previousState: 'waiting', at },
		});
		expect(started.state).toBe('in_call');
		expect(started.queue).toBeNull();
	});

	it('makes a prompted step current with its challenge, and forgets the number once the step is marked', () => {
		const challenge = { stepId: 'challenge' as const, value: '482913', typed: false, expiresAt: at };
		const prompted = applyNotification(snapshot({ state: 'in_call' }), {
			name: 'stepPrompted',
			payload: { step: { ...step('challenge', 'prompted'), promptedAt: at }, challenge },
		});
		expect(prompted.currentStepId).toBe('challenge');
		expect(prompted.challenge).toEqual(challenge);
		expect(prompted.checklist.find((candidate) => candidate.id === 'challenge')?.status).toBe('prompted');

		const marked = applyNotification(prompted, { name: 'stepMarked', payload: { step: step('challenge', 'passed') } });
		expect(marked.challenge).toBeNull();
		expect(marked.currentStepId).toBe('challenge');
		expect(marked.checklist.find((candidate) => candidate.id === 'challenge')?.status).toBe('passed');
	});

	it('keeps a challenge when another step is marked', () => {
		const challenge = { stepId: 'challenge' as const, value: '482913', typed: true, expiresAt: at };
		const marked = applyNotification(snapshot({ challenge }), { name: 'stepMarked', payload: { step: step('face', 'passed') } });
		expect(marked.challenge).toEqual(challenge);
	});

	it('clears the current step when a new checklist no longer has it', () => {
		const changed = applyNotification(snapshot({ currentStepId: 'challenge' }), {
			name: 'checklistChanged',
			payload: { checklist: [step('consent'), step('face')] },
		});
		expect(changed.currentStepId).toBeNull();
	});

	it('tracks participants joining, reconnecting and leaving', () => {
		const agent = { participantId: 'agent-1', role: 'agent' as const, displayName: 'Lin', connected: true };
		const joined = applyNotification(snapshot(), { name: 'participantJoined', payload: { participant: agent, resumed: false } });
		expect(joined.participants).toContainEqual(agent);
		const reconnecting = applyNotification(joined, {
			name: 'participantReconnecting',
			payload: { participantId: 'agent-1', role: 'agent', graceEndsAt: at },
		});
		expect(reconnecting.participants.find((participant) => participant.participantId === 'agent-1')?.connected).toBe(false);
		const left = applyNotification(reconnecting, {
			name: 'participantLeft',
			payload: { participantId: 'agent-1', role: 'agent', reason: 'connection_lost' },
		});
		expect(left.participants.map((participant) => participant.participantId)).toEqual(['applicant-1']);
	});

	it("records the interpreter's declaration and removal", () => {
		const interpreter = {
			invitationId: 'inv-1',
			participantId: 'interp-1',
			invitedBy: 'applicant' as const,
			expiresAt: at,
			joined: true,
			connected: true,
			removed: false,
			consented: true,
			declaration: null,
		};
		const withInterpreter = snapshot({
			interpreter,
			participants: [
				...snapshot().participants,
				{ participantId: 'interp-1', role: 'interpreter', displayName: null, connected: true },
			],
		});
		const declared = applyNotification(withInterpreter, {
			name: 'interpreterDeclared',
			payload: { participantId: 'interp-1', fullName: 'Wang Fang', relation: 'parent' },
		});
		expect(declared.interpreter?.declaration).toEqual({ fullName: 'Wang Fang', relation: 'parent' });
		expect(declared.participants.find((participant) => participant.role === 'interpreter')?.displayName).toBe('Wang Fang');
		const removed = applyNotification(declared, { name: 'interpreterRemoved', payload: { participantId: 'interp-1' } });
		expect(removed.interpreter?.removed).toBe(true);
		expect(removed.participants.some((participant) => participant.role === 'interpreter')).toBe(false);
	});

	it('ends on a decision with its reason codes and no challenge', () => {
		const decided = applyNotification(
			snapshot({ state: 'in_call', challenge: { stepId: 'challenge', value: '111111', typed: false, expiresAt: at } }),
			{ name: 'decided', payload: { verificationId: 'v1', state: 'rejected', reasonCodes: ['document_blurred'], at } },
		);
		expect(decided.state).toBe('rejected');
		expect(decided.decision).toEqual({ state: 'rejected', reasonCodes: ['document_blurred'] });
		expect(decided.challenge).toBeNull();
	});
});
