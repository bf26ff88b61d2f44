// The agent's decision: approve (every required step passed), reject with reason codes, or escalate
// with a note. The outcome that follows it is added by the service, which signs it.
import type { DecidedState, ReasonCode, VerificationRequestPayload } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../types.ts';
import type { VerificationRecord } from '../VerificationRecord.ts';
import { assertMayAct, type CommandContext, type Decision, notice, requireAgent } from './Decision.ts';

const STATE_OF = { approve: 'approved', reject: 'rejected', escalate: 'escalated' } as const satisfies Record<
	VerificationRequestPayload<'decide'>['decision'],
	DecidedState
>;

export function decide(
	record: VerificationRecord,
	actor: Actor,
	input: VerificationRequestPayload<'decide'>,
	context: CommandContext,
): Decision {
	const agent = requireAgent(actor, 'decide');
	assertMayAct(record, actor, 'decide');
	const state = STATE_OF[input.decision];
	if (state === 'approved') {
		const open = record.checklist.filter((step) => step.required && step.status !== 'passed' && step.status !== 'not_applicable');
		if (open.length > 0) {
			const steps = open.map((step) => step.id).join(', ');
			throw AppError.invalidState(
				`approval needs every required step passed; not passed: ${steps}`,
				'approvalNeedsRequiredSteps',
				{
					steps,
				},
			);
		}
	}
	const applicantDocument = input.decision === 'approve' ? applicantDocumentCheck(record, input.applicantDocument) : null;
	const reasonCodes: ReasonCode[] = input.decision === 'reject' ? [...new Set(input.reasonCodes)] : [];
	const note = input.decision === 'approve' ? null : (input.note ?? null);
	const at = context.now.toISOString();
	const id = record.id;
	const told = { verificationId: id, state, reasonCodes, at };
	return {
		events: [
			{
				type: 'verification.decided',
				data: {
					at,
					state,
					reasonCodes,
					note,
					agentId: agent.agentId,
					agentName: agent.displayName,
					...(state === 'approved' ? { applicantDocument: applicantDocument?.number ?? null } : {}),
				},
			},
		],
		...(applicantDocument ? { approvesDocuments: [applicantDocument.documentHash] } : {}),
		notices: [
			notice({ verificationId: id }, 'stateChanged', { verificationId: id, state, previousState: record.state, at }),
			notice({ verificationId: id, roles: ['applicant', 'interpreter'] }, 'decided', told),
			notice({ verificationId: id, roles: ['agent'] }, 'decided', { ...told, note }),
		],
		result: undefined,
	};
}

/**
 * The check an approval records as the applicant's document. It must exist, and it must not be one
 * that found the document tied to another user: approving would tie one document to two people.
 */
function applicantDocumentCheck(
	record: VerificationRecord,
	number: number | undefined,
): { number: number; documentHash: string } | null {
	if (number === undefined) return null;
	const check = record.documentChecks[number - 1];
	if (!check) {
		throw AppError.invalidState(`no document check number ${number} in this verification`, 'noSuchDocumentCheck', {
			check: number,
		});
	}
	if (check.duplicate) {
		throw AppError.invalidState(
			`document check ${number} found the document tied to another user; it cannot be recorded as the applicant's`,
			'documentHeldByAnother',
			{ check: number },
		);
	}
	return { number, documentHash: check.documentHash };
}
