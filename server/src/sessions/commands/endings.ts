// The undecided endings: the applicant gives up or leaves (abandoned before the call, interrupted in
// it), a deadline passes (expired), a dropped participant does not come back in time. Which states each
// ending may end is the lifecycle table's; a verification not in one of them is left as it is.
import { isCallOver, type ReasonCode, type Role } from '@vidverify/shared';
import { type Ending, mayEnd } from '../lifecycle.ts';
import { deadlineOf } from '../timers.ts';
import type { Actor } from '../types.ts';
import type { VerificationRecord } from '../VerificationRecord.ts';
import { assertMayAct, assertMember, type CommandContext, type Decision, notice, unchanged } from './Decision.ts';
import { interpreterGone } from './interpreter.ts';

/** Ends the verification as `ending`; nothing (result false) when its state may not end so. */
export function end(
	record: VerificationRecord,
	ending: Ending,
	reasonCodes: ReasonCode[],
	context: CommandContext,
): Decision<boolean> {
	if (!mayEnd(ending, record.state)) return unchanged(false);
	const at = context.now.toISOString();
	return {
		events: [{ type: 'verification.ended', data: { at, state: ending, reasonCodes } }],
		queue: 'leave',
		notices: [
			notice({ verificationId: record.id }, 'stateChanged', {
				verificationId: record.id,
				state: ending,
				previousState: record.state,
				at,
			}),
		],
		result: true,
	};
}

/** The applicant gives up before an agent took the call. */
export function cancel(record: VerificationRecord, actor: Actor, context: CommandContext): Decision<boolean> {
	assertMayAct(record, actor, 'cancel');
	return end(record, 'abandoned', ['applicant_left'], context);
}

/** An applicant leaving ends the verification; an interpreter just goes. Leaving a call that is over changes nothing. */
export function leave(record: VerificationRecord, actor: Actor, context: CommandContext): Decision<boolean> {
	assertMember(record, actor);
	if (isCallOver(record.state)) return unchanged(false);
	if (actor.role === 'interpreter') return interpreterGone(record, actor.participantId, 'left', context);
	if (record.state === 'in_call') return end(record, 'interrupted', ['applicant_left'], context);
	return end(record, 'abandoned', ['applicant_left'], context);
}

/**
 * A deadline passed: the link was never used in time, or nobody took the call in time. Checked again on
 * the record being changed, whose state (and so deadline) may have moved since the timer was read.
 */
export function expire(record: VerificationRecord, context: CommandContext): Decision<boolean> {
	const deadline = deadlineOf(record, context.settings);
	if (deadline === undefined || deadline > context.now.getTime()) return unchanged(false);
	return end(record, 'expired', [], context);
}

/**
 * A participant's grace period, begun at `since`, is over. One who came back, or dropped again later
 * (a newer grace period), is left alone; an interpreter just goes; an applicant or agent gone ends the
 * call, or the wait (an applicant's).
 */
export function graceExpired(
	record: VerificationRecord,
	role: Role,
	participantId: string,
	since: string,
	context: CommandContext,
): Decision<boolean> {
	if (role === 'interpreter') {
		if (record.interpreter?.participantId !== participantId || record.interpreter.disconnectedAt !== since) {
			return unchanged(false);
		}
		return interpreterGone(record, participantId, 'connection_lost', context);
	}
	const presence = role === 'applicant' ? record.applicant : record.agent;
	if (!presence || presence.connections > 0 || presence.disconnectedAt !== since) return unchanged(false);
	const gone = notice({ verificationId: record.id }, 'participantLeft', {
		participantId: presence.participantId,
		role,
		reason: 'connection_lost',
	});
	if (isCallOver(record.state)) return unchanged(false);
	const ending =
		record.state === 'in_call'
			? end(record, 'interrupted', role === 'applicant' ? ['applicant_left'] : [], context)
			: record.state === 'waiting' && role === 'applicant'
				? end(record, 'abandoned', ['applicant_left'], context)
				: unchanged(false);
	return { ...ending, notices: [gone, ...(ending.notices ?? [])] };
}
