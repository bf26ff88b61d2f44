// The reviewer's part of four-eyes review: who may review (an agent token with the `review`
// permission, never the call's own agent), and the reviewer's decision of a verification in review,
// held to the agent's rules: an approval needs every required step passed and none failed, a
// rejection names reasons the record supports (failed steps, recorded checks, the quality measured
// when the call ended) or, for causes only a person saw, the reviewer's note saying what.
import type { DecisionEvidence, ReviewRequestPayload, ReviewResponses } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import { assertState } from '../lifecycle.ts';
import type { Actor, AgentProfile } from '../types.ts';
import type { ReviewState, VerificationRecord } from '../VerificationRecord.ts';
import { type CommandContext, type Decision, notice, requireAgent } from './Decision.ts';
import { applicantDocumentCheck, assertApprovable, assertReasonsSupported, decisionEvidence } from './decide.ts';

/** The reviewer behind an actor: an agent whose token has the review permission. */
export function requireReviewer(actor: Actor): AgentProfile {
	const agent = requireAgent(actor);
	if (!agent.permissions?.includes('review')) {
		throw AppError.forbidden('this agent token has no review permission', 'notAReviewer');
	}
	return agent;
}

/**
 * The verification is this reviewer's to read and decide: in review, not decided by another reviewer
 * already, and not a call the reviewer took as its agent (four eyes are two people).
 */
export function assertMayReview(
	record: VerificationRecord,
	reviewer: AgentProfile,
	request: 'getReviewCase' | 'decideReview',
): ReviewState {
	if (record.review?.reviewer) {
		throw AppError.conflict(`another reviewer decided verification ${record.id} (${record.state})`, 'alreadyReviewed', {
			state: record.state,
		});
	}
	assertState(request, 'agent', record.state);
	const review = record.review;
	if (!review) throw new TypeError(`verification ${record.id} is in review without a review`);
	if (record.decision?.agentId === reviewer.agentId || record.agent?.agentId === reviewer.agentId) {
		throw AppError.forbidden(`${reviewer.agentId} was the agent of this call; another reviewer must decide it`, 'reviewOwnCall');
	}
	return review;
}

/** What the record gives a reviewer's reasons to rest on: its own figures as they were when the call ended. */
export function reviewEvidence(record: VerificationRecord, review: ReviewState): DecisionEvidence {
	return { ...decisionEvidence(record, { callQuality: review.callQuality }), applicantGone: review.applicantGone };
}

export function decideReview(
	record: VerificationRecord,
	actor: Actor,
	input: ReviewRequestPayload<'decideReview'>,
	context: CommandContext,
): Decision<ReviewResponses['decideReview']> {
	const reviewer = requireReviewer(actor);
	const review = assertMayReview(record, reviewer, 'decideReview');
	if (input.decision === 'approve') assertApprovable(record);
	else assertReasonsSupported(input.reasonCodes, reviewEvidence(record, review), input.note);
	// The reviewer's approval ties the document it names, or else the one the agent's approval named.
	const applicantDocument =
		input.decision === 'approve'
			? applicantDocumentCheck(record, input.applicantDocument ?? review.applicantDocument ?? undefined)
			: null;
	const state = input.decision === 'approve' ? 'approved' : 'rejected';
	const reasonCodes = input.decision === 'reject' ? [...new Set(input.reasonCodes)] : [];
	const at = context.now.toISOString();
	return {
		events: [
			{
				type: 'review.decided',
				data: {
					at,
					state,
					reasonCodes,
					note: input.note ?? null,
					reviewerId: reviewer.agentId,
					reviewerName: reviewer.displayName,
					applicantDocument: applicantDocument?.number ?? null,
				},
			},
		],
		...(applicantDocument ? { approvesDocuments: [applicantDocument.documentHash] } : {}),
		notices: [notice({ reviewers: true }, 'reviewQueueChanged', { verificationId: record.id, state, entry: null })],
		result: { verificationId: record.id, state, reasonCodes, at },
	};
}
