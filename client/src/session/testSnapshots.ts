// Builders of snapshots and steps for the client's unit tests: a plausible call in progress that each
// test changes only where its behaviour is about.
import type { InterpreterView, StepView, VerificationSnapshot } from '@vidverify/shared';

export const at = '2026-11-02T10:00:00.000Z';

export function step(id: StepView['id'], status: StepView['status'] = 'pending', kind?: StepView['kind']): StepView {
	return {
		id,
		kind: kind ?? (id === 'challenge' ? 'challenge' : id === 'security_features' ? 'security_features' : 'plain'),
		actor: 'applicant',
		required: true,
		promptKey: `step.${id}.prompt`,
		status,
		promptedAt: null,
		markedAt: null,
	};
}

export function snapshot(overrides: Partial<VerificationSnapshot> = {}): VerificationSnapshot {
	return {
		verificationId: 'v1',
		state: 'in_call',
		purpose: 'c2c_video',
		locale: 'en',
		accessibility: { interpreter: false, textOnlyChallenge: true },
		you: { participantId: 'agent-1', role: 'agent' },
		revision: 10,
		expiresAt: '2026-11-02T11:00:00.000Z',
		consentedAt: at,
		acceptedAt: at,
		queue: null,
		participants: [
			{ participantId: 'app-1', role: 'applicant', displayName: null, connected: true },
			{ participantId: 'agent-1', role: 'agent', displayName: 'Ann', connected: true },
		],
		checklist: [step('consent'), step('security_features'), step('challenge')],
		currentStepId: null,
		challenge: null,
		interpreter: null,
		decision: null,
		documentChecks: [],
		...overrides,
	};
}

export const challenge = { stepId: 'challenge' as const, value: '123456', typed: true, expiresAt: '2026-11-02T10:05:00.000Z' };

export function interpreterView(overrides: Partial<InterpreterView> = {}): InterpreterView {
	return {
		invitationId: 'inv-1',
		participantId: 'int-1',
		invitedBy: 'applicant',
		expiresAt: '2026-11-02T10:30:00.000Z',
		status: 'joined',
		connected: true,
		consented: true,
		declaration: null,
		...overrides,
	};
}

/** A call with a joined, connected interpreter. */
export function withInterpreter(overrides: Partial<VerificationSnapshot> = {}): VerificationSnapshot {
	const base = snapshot();
	return snapshot({
		interpreter: interpreterView(),
		participants: [...base.participants, { participantId: 'int-1', role: 'interpreter', displayName: null, connected: true }],
		...overrides,
	});
}
