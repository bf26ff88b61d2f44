// The agent's decision: approve (every required step passed, none failed), reject with reason codes
// the call supports (a failed step, a recorded check, or the agent's note for causes only they saw), or
// escalate with a note. Approve and reject are final; an escalation, and an approval of a purpose whose
// approvals a reviewer confirms (settings.reviewedApprovals), end the call and put the verification in
// review, keeping what the call measured for the reviewer. The outcome that follows a final decision
// is added by the service, which signs it.
import {
	type CallDecisionState,
	type CallQualitySummary,
	type DecisionEvidence,
	poorConnectionMeasured,
	type ReasonCode,
	unsupportedReasons,
	type VerificationRequestPayload,
} from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../types.ts';
import type { VerificationEvent, VerificationRecord } from '../VerificationRecord.ts';
import { reviewQueueEntry } from '../views.ts';
import { after, assertMayAct, type CommandContext, type Decision, type Notice, notice, requireAgent } from './Decision.ts';

/** What the media layer measured of the call, read before the decision: the quality summary, or null. */
export type Measured = { callQuality: CallQualitySummary | null };

export function decide(
	record: VerificationRecord,
	actor: Actor,
	input: VerificationRequestPayload<'decide'>,
	context: CommandContext,
	measured: Measured = { callQuality: null },
): Decision {
	const agent = requireAgent(actor, 'decide');
	assertMayAct(record, actor, 'decide');
	if (input.decision === 'approve') assertApprovable(record);
	if (input.decision === 'reject') assertReasonsSupported(input.reasonCodes, decisionEvidence(record, measured), input.note);
	const applicantDocument = input.decision === 'approve' ? applicantDocumentCheck(record, input.applicantDocument) : null;
	const toReview =
		input.decision === 'escalate' ||
		(input.decision === 'approve' && context.settings.reviewedApprovals.includes(record.purpose));
	const state: CallDecisionState = toReview ? 'in_review' : input.decision === 'approve' ? 'approved' : 'rejected';
	const reasonCodes: ReasonCode[] = input.decision === 'reject' ? [...new Set(input.reasonCodes)] : [];
	const note = input.decision === 'approve' ? null : (input.note ?? null);
	const at = context.now.toISOString();
	const id = record.id;
	const told = { verificationId: id, state, reasonCodes, at };
	const identity = { agentId: agent.agentId, agentName: agent.displayName };
	const event: VerificationEvent = toReview
		? {
				type: 'review.requested',
				data: {
					at,
					decision: input.decision === 'approve' ? 'approve' : 'escalate',
					note,
					...identity,
					applicantDocument: applicantDocument?.number ?? null,
					callQuality: measured.callQuality,
					applicantGone: record.applicant.disconnectedAt !== null,
				},
			}
		: {
				type: 'verification.decided',
				data: {
					at,
					state: state === 'approved' ? 'approved' : 'rejected',
					reasonCodes,
					note,
					...identity,
					...(state === 'approved' ? { applicantDocument: applicantDocument?.number ?? null } : {}),
				},
			};
	const notices: Notice[] = [
		notice({ verificationId: id }, 'stateChanged', { verificationId: id, state, previousState: record.state, at }),
		notice({ verificationId: id, roles: ['applicant', 'interpreter'] }, 'decided', told),
		notice({ verificationId: id, roles: ['agent'] }, 'decided', { ...told, note }),
	];
	const review = toReview ? after(record, { events: [event] }) : undefined;
	if (review?.review) {
		const entry = reviewQueueEntry(review, review.review);
		notices.push(notice({ reviewers: true }, 'reviewQueueChanged', { verificationId: id, state, entry }));
	}
	return {
		events: [event],
		// A document is tied to the applicant once the verification is approved: after review, by the reviewer.
		...(applicantDocument && !toReview ? { approvesDocuments: [applicantDocument.documentHash] } : {}),
		notices,
		result: undefined,
	};
}

/** An approval, the agent's or a reviewer's, needs every required step passed and none failed. */
export function assertApprovable(record: VerificationRecord): void {
	const open = record.checklist.filter((step) => step.required && step.status !== 'passed' && step.status !== 'not_applicable');
	if (open.length > 0) {
		const steps = open.map((step) => step.id).join(', ');
		throw AppError.invalidState(`approval needs every required step passed; not passed: ${steps}`, 'approvalNeedsRequiredSteps', {
			steps,
		});
	}
	const failed = failedSteps(record);
	if (failed.length > 0) {
		const steps = failed.join(', ');
		throw AppError.invalidState(`a step was marked failed; an approval contradicts it: ${steps}`, 'approvalWithFailedStep', {
			steps,
		});
	}
}

function failedSteps(record: VerificationRecord): DecisionEvidence['failedSteps'] {
	return record.checklist.filter((step) => step.status === 'failed').map((step) => step.id);
}

/** What this call recorded that reason codes can rest on. */
export function decisionEvidence(record: VerificationRecord, measured: Measured): DecisionEvidence {
	return {
		failedSteps: failedSteps(record),
		duplicateFound: record.duplicateFound,
		typedChallengeMismatched: record.typedChallengeMismatched ?? false,
		poorConnection: measured.callQuality !== null && poorConnectionMeasured(measured.callQuality.participants),
		applicantGone: record.applicant.disconnectedAt !== null,
	};
}

/**
 * A rejection names only causes the call supports: each code a failed step or a recorded check
 * supports, or one of the causes only the agent saw, with the note that says what they saw.
 */
export function assertReasonsSupported(codes: readonly ReasonCode[], evidence: DecisionEvidence, note: string | undefined): void {
	const { unsupported, needNote } = unsupportedReasons(codes, evidence, note !== undefined);
	if (unsupported.length > 0) {
		const reasons = unsupported.join(',');
		throw AppError.invalidState(
			`no failed step or recorded check of this call supports: ${reasons}; fail the step first or leave them out`,
			'reasonsNotSupported',
			{ reasons },
		);
	}
	if (needNote.length > 0) {
		const reasons = needNote.join(',');
		throw AppError.invalidState(
			`nothing recorded in this call shows ${reasons}; a note must say what the agent saw`,
			'reasonsNeedNote',
			{ reasons },
		);
	}
}

/**
 * The check an approval records as the applicant's document. It must exist, and it must not be one
 * that found the document tied to another user: approving would tie one document to two people.
 */
export function applicantDocumentCheck(
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
