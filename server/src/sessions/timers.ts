// The deadlines and grace periods a verification has pending, as members of the due-queue. They are
// derived from the record alone, so every write can keep the queue in step with the record it writes,
// whichever process writes it: a deadline while the link waits to be used or the applicant waits for an
// agent, and a grace period for each participant whose last connection dropped.
import { isCallOver, ROLES, type Role } from '@vidverify/shared';
import type { DomainSettings } from './types.ts';
import { interpreterPresent, type Presence, type VerificationRecord } from './VerificationRecord.ts';

export type Timer =
	| { kind: 'deadline'; verificationId: string; state: 'created' | 'waiting' }
	| { kind: 'grace'; verificationId: string; role: Role; participantId: string; since: string };

/** A timer as a member of the due-queue: its fields joined by '|', which no id or ISO time contains. */
export function timerMember(timer: Timer): string {
	return timer.kind === 'deadline'
		? `deadline|${timer.verificationId}|${timer.state}`
		: `grace|${timer.verificationId}|${timer.role}|${timer.participantId}|${timer.since}`;
}

export function parseTimerMember(member: string): Timer | undefined {
	const [kind, verificationId, third, participantId, since] = member.split('|');
	if (!verificationId || !third) return undefined;
	if (kind === 'deadline' && (third === 'created' || third === 'waiting')) return { kind, verificationId, state: third };
	if (kind === 'grace' && (ROLES as readonly string[]).includes(third) && participantId && since) {
		return { kind, verificationId, role: third as Role, participantId, since };
	}
	return undefined;
}

/** When the verification expires if nothing happens: the join window, then the longest wait. */
export function deadlineOf(record: VerificationRecord, settings: DomainSettings): number | undefined {
	if (record.state === 'created') return Date.parse(record.expiresAt);
	if (record.state === 'waiting' && record.consentedAt) return Date.parse(record.consentedAt) + settings.maxWaitMs;
	return undefined;
}

export function graceEndsAt(since: string, settings: DomainSettings): number {
	return Date.parse(since) + settings.graceMs;
}

/** Every timer the record has pending, with when it is due. */
export function timersOf(record: VerificationRecord, settings: DomainSettings): { member: string; at: number }[] {
	// A call that is over waits for nobody: a verification in review has no deadline.
	if (isCallOver(record.state)) return [];
	const timers: { member: string; at: number }[] = [];
	const deadline = deadlineOf(record, settings);
	if (deadline !== undefined && (record.state === 'created' || record.state === 'waiting')) {
		timers.push({ member: timerMember({ kind: 'deadline', verificationId: record.id, state: record.state }), at: deadline });
	}
	const grace = (role: Role, presence: Presence) => {
		if (presence.connections > 0 || presence.disconnectedAt === null) return;
		const timer: Timer = {
			kind: 'grace',
			verificationId: record.id,
			role,
			participantId: presence.participantId,
			since: presence.disconnectedAt,
		};
		timers.push({ member: timerMember(timer), at: graceEndsAt(presence.disconnectedAt, settings) });
	};
	if (record.applicant.joinedAt) grace('applicant', record.applicant);
	if (record.agent) grace('agent', record.agent);
	if (interpreterPresent(record) && record.interpreter) grace('interpreter', record.interpreter);
	return timers;
}
