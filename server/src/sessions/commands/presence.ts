// Who is connected to a verification: connections counted per participant (two tabs are two), the
// first join of an applicant journaled, and the moment the last connection of one drops, which starts
// its grace period. Connections are live-only: a rebuilt record has nobody connected.
import { AppError } from '../../errors.ts';
import { assertMayJoin } from '../lifecycle.ts';
import type { Actor } from '../types.ts';
import type { Presence, VerificationRecord } from '../VerificationRecord.ts';
import type { CommandContext, Decision } from './Decision.ts';
import { assertMember } from './Decision.ts';

export function applicantConnected(record: VerificationRecord, actor: Actor, context: CommandContext): Decision {
	assertMember(record, actor);
	assertMayJoin('applicant', record.state);
	if (record.state === 'created' && Date.parse(record.expiresAt) <= context.now.getTime()) {
		throw AppError.unauthenticated('this verification link has expired', 'linkExpired');
	}
	return {
		events:
			record.applicant.joinedAt === null
				? [
						{
							type: 'participant.joined',
							data: { at: context.now.toISOString(), participantId: actor.participantId, role: 'applicant' },
						},
					]
				: [],
		live: (next) => {
			next.applicant.connections += 1;
			next.applicant.disconnectedAt = null;
		},
		result: undefined,
	};
}

/** One connection of an applicant or interpreter ended; the last one starts the grace period. */
export function participantDisconnected(actor: Actor, context: CommandContext): Decision {
	return {
		events: [],
		live: (next) => {
			const presence = presenceOf(next, actor);
			if (!presence || presence.participantId !== actor.participantId || presence.connections === 0) return;
			presence.connections -= 1;
			if (presence.connections === 0) presence.disconnectedAt = context.now.toISOString();
		},
		result: undefined,
	};
}

/** The assigned agent connected again (a reload, a second tab). */
export function agentConnected(agentId: string, participantId: string): Decision {
	return {
		events: [],
		live: (next) => {
			if (!next.agent || next.agent.agentId !== agentId) return;
			next.agent.participantId = participantId;
			next.agent.connections += 1;
			next.agent.disconnectedAt = null;
		},
		result: undefined,
	};
}

/** The assigned agent's last connection ended. */
export function agentDisconnected(agentId: string, context: CommandContext): Decision {
	return {
		events: [],
		live: (next) => {
			if (!next.agent || next.agent.agentId !== agentId) return;
			next.agent.connections = 0;
			next.agent.disconnectedAt = context.now.toISOString();
		},
		result: undefined,
	};
}

export function presenceOf(record: VerificationRecord, actor: Pick<Actor, 'role'>): Presence | null {
	if (actor.role === 'applicant') return record.applicant;
	if (actor.role === 'agent') return record.agent;
	return record.interpreter;
}
