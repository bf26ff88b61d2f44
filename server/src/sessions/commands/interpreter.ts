// A family interpreter for a deaf or mute applicant: invited by link, joins once from its own device,
// declares who it is, and leaves, is removed, or drops and does not come back in time. Its status is
// one field (invited | joined | left | removed); a new invitation starts it again.
import { ROLES, type VerificationRequestPayload } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import { assertMayJoin } from '../lifecycle.ts';
import type { Actor, InterpreterInvitation } from '../types.ts';
import { interpreterChecklist, interpreterPresent, type VerificationRecord } from '../VerificationRecord.ts';
import { interpreterView, stepView } from '../views.ts';
import {
	after,
	assertMayAct,
	assertWithinBound,
	type CommandContext,
	type Decision,
	type Notice,
	notice,
	unchanged,
} from './Decision.ts';

export type InvitationInput = { invitation: InterpreterInvitation; url: string };
export type OpenInvitation = { invitationId: string; participantId: string; expiresAt: string; reused: boolean };

/**
 * A new invitation, or the one still open: at most one invitation is open at a time, so asking again
 * (a second press, a second device) answers the same one and records nothing.
 */
export function inviteInterpreter(
	record: VerificationRecord,
	actor: Actor,
	input: InvitationInput,
	context: CommandContext,
): Decision<OpenInvitation> {
	assertMayAct(record, actor, 'inviteInterpreter');
	if (interpreterPresent(record)) {
		throw AppError.invalidState('an interpreter is already taking part', 'interpreterAlreadyPresent');
	}
	const open = record.interpreter;
	if (open?.status === 'invited' && Date.parse(open.expiresAt) > context.now.getTime()) {
		return unchanged({
			invitationId: open.invitationId,
			participantId: open.participantId,
			expiresAt: open.expiresAt,
			reused: true,
		});
	}
	assertWithinBound(record);
	const { invitation, url } = input;
	const decision: Decision<OpenInvitation> = {
		events: [
			{
				type: 'interpreter.invited',
				data: {
					at: context.now.toISOString(),
					invitationId: invitation.invitationId,
					participantId: invitation.participantId,
					invitedBy: actor.role,
					expiresAt: invitation.expiresAt,
				},
			},
		],
		result: { ...invitation, reused: false },
	};
	const invited = after(record, decision).interpreter;
	if (!invited) throw new TypeError('the invitation made no interpreter');
	const view = interpreterView(invited);
	return {
		...decision,
		// The applicant hands the link to the interpreter, so only the applicant's copy carries it.
		notices: [
			notice({ verificationId: record.id, roles: ['applicant'] }, 'interpreterInvited', { interpreter: view, url }),
			notice({ verificationId: record.id, roles: ['agent', 'interpreter'] }, 'interpreterInvited', { interpreter: view }),
		],
	};
}

export function removeInterpreter(record: VerificationRecord, actor: Actor, context: CommandContext): Decision<string> {
	assertMayAct(record, actor, 'removeInterpreter');
	const interpreter = record.interpreter;
	if (!interpreter || !interpreterPresent(record)) {
		throw AppError.invalidState('no interpreter is taking part', 'noInterpreterPresent');
	}
	const { participantId } = interpreter;
	const decision: Decision<string> = {
		events: [{ type: 'interpreter.removed', data: { at: context.now.toISOString(), participantId } }],
		result: participantId,
	};
	return {
		...decision,
		notices: [
			notice({ verificationId: record.id }, 'interpreterRemoved', { participantId }),
			notice({ verificationId: record.id }, 'participantLeft', { participantId, role: 'interpreter', reason: 'removed' }),
			...checklistNotices(after(record, decision)),
		],
	};
}

export function declareInterpreter(
	record: VerificationRecord,
	actor: Actor,
	input: VerificationRequestPayload<'declareInterpreter'>,
	context: CommandContext,
): Decision {
	assertMayAct(record, actor, 'declareInterpreter');
	assertWithinBound(record);
	const { fullName, relation } = input;
	return {
		events: [{ type: 'interpreter.declared', data: { at: context.now.toISOString(), fullName, relation } }],
		notices: [
			notice({ verificationId: record.id }, 'interpreterDeclared', { participantId: actor.participantId, fullName, relation }),
		],
		result: undefined,
	};
}

/**
 * Whether an interpreter's connection may join: 'resume' for a dropped interpreter coming back within
 * its grace period, or the time its invitation has left for a first join (which must also win the
 * invitation's one-time claim).
 */
export function interpreterJoinCheck(
	record: VerificationRecord,
	actor: Actor,
	context: CommandContext,
): { kind: 'resume' } | { kind: 'first'; remainingMs: number } {
	const interpreter = record.interpreter;
	if (!interpreter || interpreter.participantId !== actor.participantId) {
		throw AppError.unauthenticated('this invitation is no longer valid', 'invitationInvalid');
	}
	assertMayJoin('interpreter', record.state);
	switch (interpreter.status) {
		case 'removed':
			throw AppError.unauthenticated('you were removed from this call', 'removedFromCall');
		case 'left':
			throw AppError.unauthenticated('invitation already used', 'invitationUsed');
		case 'joined':
			// Only a dropped interpreter may come back, within its grace period; a second device may not.
			if (interpreter.connections > 0) throw AppError.unauthenticated('invitation already used', 'invitationUsed');
			return { kind: 'resume' };
		case 'invited': {
			const remainingMs = Date.parse(interpreter.expiresAt) - context.now.getTime();
			if (remainingMs <= 0) throw AppError.unauthenticated('this invitation has expired', 'invitationExpired');
			return { kind: 'first', remainingMs };
		}
	}
}

/** The interpreter's connection counts in; its first join adds its steps to the checklist. */
export function interpreterJoined(
	record: VerificationRecord,
	actor: Actor,
	first: boolean,
	context: CommandContext,
): Decision<{ firstJoin: boolean }> {
	const live = (next: VerificationRecord) => {
		if (!next.interpreter) return;
		next.interpreter.connections += 1;
		next.interpreter.disconnectedAt = null;
	};
	if (!first) return { events: [], live, result: { firstJoin: false } };
	const decision: Decision<{ firstJoin: boolean }> = {
		events: [
			{
				type: 'interpreter.joined',
				data: { at: context.now.toISOString(), participantId: actor.participantId, checklist: interpreterChecklist(record) },
			},
		],
		live,
		result: { firstJoin: true },
	};
	return { ...decision, notices: checklistNotices(after(record, decision)) };
}

/** The interpreter went on its own ('left') or did not come back in time; nothing when it is not in the call. */
export function interpreterGone(
	record: VerificationRecord,
	participantId: string,
	reason: 'left' | 'connection_lost',
	context: CommandContext,
): Decision<boolean> {
	const interpreter = record.interpreter;
	if (interpreter?.participantId !== participantId || interpreter.status !== 'joined') return unchanged(false);
	if (reason === 'connection_lost' && interpreter.connections > 0) return unchanged(false);
	return {
		events: [{ type: 'interpreter.left', data: { at: context.now.toISOString(), participantId } }],
		notices: [notice({ verificationId: record.id }, 'participantLeft', { participantId, role: 'interpreter', reason })],
		result: true,
	};
}

/** Each role's copy of the checklist after steps joined or dropped out. */
export function checklistNotices(record: VerificationRecord): Notice[] {
	return ROLES.map((role) =>
		notice({ verificationId: record.id, roles: [role] }, 'checklistChanged', {
			checklist: record.checklist.map((step) => stepView(step, role)),
			currentStepId: record.currentStepId,
		}),
	);
}
