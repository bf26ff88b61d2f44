// Records in any state, built by folding the same events the service journals, for the pure tests of
// the commands and the lifecycle table: no store, no clock but the one given.
import { checklistFor, type VerificationState } from '@vidverify/shared';
import type { Actor, AgentProfile } from '../types.ts';
import { DEFAULT_DOMAIN_SETTINGS } from '../types.ts';
import {
	applyEvent,
	applyEvents,
	interpreterChecklist,
	type VerificationEvent,
	type VerificationRecord,
} from '../VerificationRecord.ts';
import type { CommandContext } from './Decision.ts';

export const T0 = Date.parse('2026-12-01T10:00:00.000Z');
export const at = (ms = 0) => new Date(T0 + ms).toISOString();

export function contextAt(ms = 0, randomValues: number[] = []): CommandContext {
	return { now: new Date(T0 + ms), randomInt: (max) => (randomValues.shift() ?? 0) % max, settings: DEFAULT_DOMAIN_SETTINGS };
}

export const AGENT: AgentProfile = { agentId: 'agent-1', displayName: 'Ana Agent', languages: ['en'], skills: ['sign_language'] };
export const OTHER_AGENT: AgentProfile = { agentId: 'agent-2', displayName: 'Bo Agent', languages: ['en'], skills: [] };
/** A reviewer: another person than the call's agent, whose token has the review permission. */
export const REVIEWER: AgentProfile = {
	agentId: 'reviewer-1',
	displayName: 'Cy Reviewer',
	languages: ['en'],
	skills: [],
	permissions: ['review'],
};

export const actors = {
	applicant: { role: 'applicant', participantId: 'applicant-p', verificationId: 'v-1' },
	agent: { role: 'agent', participantId: 'agent-p', verificationId: undefined, agent: AGENT },
	interpreter: { role: 'interpreter', participantId: 'interpreter-p', verificationId: 'v-1' },
	reviewer: { role: 'agent', participantId: 'reviewer-p', verificationId: undefined, agent: REVIEWER },
} as const satisfies Record<string, Actor>;

export function created(options: { textOnlyChallenge?: boolean } = {}): VerificationRecord {
	const accessibility = { interpreter: false, textOnlyChallenge: options.textOnlyChallenge ?? false };
	return applyEvent(
		undefined,
		{
			type: 'verification.created',
			data: {
				at: at(),
				externalUserRef: 'user-1',
				purpose: 'c2c_video',
				locale: 'en',
				accessibility,
				expiresAt: at(24 * 60 * 60_000),
				applicantParticipantId: actors.applicant.participantId,
				checklist: checklistFor('c2c_video', accessibility),
			},
		},
		'v-1',
	);
}

/** The events that take a fresh record to `state`, the way the service gets there. */
export function eventsTo(state: VerificationState): VerificationEvent[] {
	const consented: VerificationEvent = { type: 'verification.consented', data: { at: at(1000), consentVersion: '2026-01' } };
	const accepted: VerificationEvent = {
		type: 'verification.accepted',
		data: { at: at(2000), agentId: AGENT.agentId, agentName: AGENT.displayName, participantId: actors.agent.participantId },
	};
	const decided = (final: 'approved' | 'rejected' | 'escalated'): VerificationEvent => ({
		type: 'verification.decided',
		data: { at: at(3000), state: final, reasonCodes: [], note: null, agentId: AGENT.agentId, agentName: AGENT.displayName },
	});
	const reviewRequested: VerificationEvent = {
		type: 'review.requested',
		data: {
			at: at(3000),
			decision: 'escalate',
			note: 'a second look at the hologram',
			agentId: AGENT.agentId,
			agentName: AGENT.displayName,
			applicantDocument: null,
			callQuality: null,
			applicantGone: false,
		},
	};
	const ended = (final: 'abandoned' | 'interrupted' | 'expired'): VerificationEvent => ({
		type: 'verification.ended',
		data: { at: at(3000), state: final, reasonCodes: [] },
	});
	switch (state) {
		case 'created':
			return [];
		case 'waiting':
			return [consented];
		case 'in_call':
			return [consented, accepted];
		case 'in_review':
			return [consented, accepted, reviewRequested];
		case 'approved':
		case 'rejected':
		case 'escalated':
			return [consented, accepted, decided(state)];
		case 'abandoned':
		case 'expired':
			return [consented, ended(state)];
		case 'interrupted':
			return [consented, accepted, ended(state)];
	}
}

export function recordIn(state: VerificationState, options: { textOnlyChallenge?: boolean } = {}): VerificationRecord {
	return applyEvents(created(options), eventsTo(state));
}

/** An interpreter invited and joined, as its first connection leaves the record. */
export function withInterpreter(record: VerificationRecord): VerificationRecord {
	const next = applyEvents(record, [
		{
			type: 'interpreter.invited',
			data: {
				at: at(500),
				invitationId: 'invitation-1',
				participantId: actors.interpreter.participantId,
				invitedBy: 'applicant',
				expiresAt: at(15 * 60_000),
			},
		},
		{
			type: 'interpreter.joined',
			data: { at: at(600), participantId: actors.interpreter.participantId, checklist: interpreterChecklist(record) },
		},
	]);
	if (next.interpreter) next.interpreter.connections = 1;
	return next;
}
