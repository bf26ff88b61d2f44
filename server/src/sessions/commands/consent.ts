// Consent: the applicant's, which puts the verification in the queue, and the interpreter's own,
// recorded once per invitation.
import { CONSENT_VERSION } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../types.ts';
import type { VerificationRecord } from '../VerificationRecord.ts';
import { assertMayAct, assertWithinBound, type CommandContext, type Decision, notice, unchanged } from './Decision.ts';

export function consent(record: VerificationRecord, actor: Actor, consentVersion: string, context: CommandContext): Decision {
	assertMayAct(record, actor, 'consent');
	const at = context.now.toISOString();
	if (actor.role === 'interpreter') {
		assertCurrentVersion(consentVersion);
		assertWithinBound(record);
		// Given once per invitation; giving it again changes nothing.
		if (record.interpreter?.consent) return unchanged(undefined);
		return {
			events: [{ type: 'interpreter.consented', data: { at, participantId: actor.participantId, consentVersion } }],
			result: undefined,
		};
	}
	if (Date.parse(record.expiresAt) <= context.now.getTime()) {
		throw AppError.invalidState('this verification link has expired', 'linkExpired');
	}
	assertCurrentVersion(consentVersion);
	return {
		events: [{ type: 'verification.consented', data: { at, consentVersion } }],
		queue: 'join',
		notices: [
			notice({ verificationId: record.id }, 'stateChanged', {
				verificationId: record.id,
				state: 'waiting',
				previousState: record.state,
				at,
			}),
		],
		result: undefined,
	};
}

function assertCurrentVersion(consentVersion: string): void {
	if (consentVersion === CONSENT_VERSION) return;
	throw AppError.invalidState(
		`the consent text has changed (now ${CONSENT_VERSION}); reload and read it again`,
		'consentChanged',
		{ version: CONSENT_VERSION },
	);
}
