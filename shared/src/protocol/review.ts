// The four-eyes review's signalling, on the verification namespace beside the call's requests: what a
// reviewer (an agent token with the `review` permission) asks of the server and what it is told. A
// reviewer decides a verification in review from its recorded evidence alone (no media exists to
// show), and never one whose call it took as the agent.
import { z } from 'zod';
import { STEP_IDS } from '../catalogue/checklists.ts';
import { REASON_CODES } from '../catalogue/reasonCodes.ts';
import { callQualitySummarySchema } from './call.ts';
import { outcomeSchema, recordedDecisionSchema } from './hostApi.ts';
import { id } from './media.ts';
import type { RequestEvents } from './requests.ts';
import {
	accessibilitySchema,
	documentCheckViewSchema,
	earlierRecordViewSchema,
	localeSchema,
	purposeSchema,
	REVIEW_DECISION_STATES,
	type Role,
	reasonCodeSchema,
	stepViewSchema,
	verificationStateSchema,
} from './verification.ts';

const isoTime = z.iso.datetime({ offset: true });
const note = z.string().trim().min(1).max(2000);

/** The most entries one getReviewQueue answer lists (the longest waiting); `total` counts them all. */
export const REVIEW_QUEUE_LIMIT = 200;

/** What the call's agent decided that sent the verification to review. */
export const REVIEWED_CALL_DECISIONS = ['approve', 'escalate'] as const;

/** One verification waiting for a reviewer, as the review queue lists it. */
export const reviewQueueEntrySchema = z.strictObject({
	verificationId: id,
	purpose: purposeSchema,
	locale: localeSchema,
	/** When it entered review: when its call ended. */
	since: isoTime,
	/** The call's agent, who may not review it. */
	agent: z.strictObject({ agentId: z.string(), displayName: z.string() }),
	/** An escalation, or an approval of a purpose whose approvals a reviewer confirms. */
	agentDecision: z.enum(REVIEWED_CALL_DECISIONS),
	/** Whether an interpreter took part in the call. */
	interpreter: z.boolean(),
});
export type ReviewQueueEntry = z.infer<typeof reviewQueueEntrySchema>;

/** What the call recorded that reason codes can rest on (the catalogue's DecisionEvidence). */
export const decisionEvidenceSchema = z.strictObject({
	failedSteps: z.array(z.enum(STEP_IDS)),
	duplicateFound: z.boolean(),
	typedChallengeMismatched: z.boolean(),
	poorConnection: z.boolean(),
	/** The applicant's connection was gone when the agent decided. */
	applicantGone: z.boolean(),
});

/**
 * A verification in review with its whole recorded evidence: every step with its result, time, note
 * and the security features asked for; the agent's decision; the duplicate checks and their verdicts;
 * the interpreter's declaration and consent; the call's measured quality; what reasons rest on.
 */
export const reviewCaseSchema = z.strictObject({
	verificationId: id,
	state: verificationStateSchema,
	purpose: purposeSchema,
	locale: localeSchema,
	accessibility: accessibilitySchema,
	createdAt: isoTime,
	consent: outcomeSchema.shape.consent,
	acceptedAt: isoTime.nullable(),
	/** When the call ended and review began. */
	since: isoTime,
	durations: outcomeSchema.shape.durations,
	steps: z.array(stepViewSchema),
	agentDecision: recordedDecisionSchema.extend({
		/** An approval's document check recorded as the applicant's document; null when none. */
		applicantDocument: z.number().int().positive().nullable(),
	}),
	documentChecks: z.array(documentCheckViewSchema),
	/** An identity reset's earlier verification; null otherwise. */
	earlierRecord: earlierRecordViewSchema.nullable(),
	interpreter: outcomeSchema.shape.interpreter,
	callQuality: callQualitySummarySchema.nullable(),
	evidence: decisionEvidenceSchema,
});
export type ReviewCase = z.infer<typeof reviewCaseSchema>;

export const reviewDecisionSchema = z.discriminatedUnion('decision', [
	z.strictObject({
		verificationId: id,
		decision: z.literal('approve'),
		/**
		 * The document check to record as the applicant's own document. Absent: the one the agent's
		 * approval recorded, if any.
		 */
		applicantDocument: z.number().int().positive().optional(),
		note: note.optional(),
	}),
	z.strictObject({
		verificationId: id,
		decision: z.literal('reject'),
		reasonCodes: z.array(reasonCodeSchema).min(1).max(REASON_CODES.length),
		note: note.optional(),
	}),
]);

export const reviewRequestSchemas = {
	/** Reviewer: the verifications waiting for a reviewer, longest waiting first. */
	getReviewQueue: z.strictObject({}),
	/** Reviewer: one verification in review with its recorded evidence. */
	getReviewCase: z.strictObject({ verificationId: id }),
	/**
	 * Reviewer: the final decision of a verification in review, by the same rules as the agent's: an
	 * approval needs every required step passed and none failed; a rejection names reasons the record
	 * supports (or the reviewer's note, for causes only a person saw).
	 */
	decideReview: reviewDecisionSchema,
};
export type ReviewRequestName = keyof typeof reviewRequestSchemas;
export type ReviewRequestPayload<N extends ReviewRequestName> = z.output<(typeof reviewRequestSchemas)[N]>;

export const reviewResponseSchemas = {
	getReviewQueue: z.strictObject({
		items: z.array(reviewQueueEntrySchema).max(REVIEW_QUEUE_LIMIT),
		/** How many are in review, listed or not. */
		total: z.number().int().nonnegative(),
	}),
	getReviewCase: reviewCaseSchema,
	decideReview: z.strictObject({
		verificationId: id,
		state: z.enum(REVIEW_DECISION_STATES),
		reasonCodes: z.array(reasonCodeSchema),
		at: isoTime,
	}),
} satisfies Record<ReviewRequestName, z.ZodType>;
export type ReviewResponses = { [K in ReviewRequestName]: z.infer<(typeof reviewResponseSchemas)[K]> };

/** Agents send them; only those whose token has the `review` permission are answered. */
export const REVIEW_REQUEST_ROLES = {
	getReviewQueue: ['agent'],
	getReviewCase: ['agent'],
	decideReview: ['agent'],
} as const satisfies Record<ReviewRequestName, readonly Role[]>;

export const reviewNotificationSchemas = {
	/**
	 * To every connected reviewer: a verification entered review (with its entry) or left it (entry null,
	 * its state the decision).
	 */
	reviewQueueChanged: z.strictObject({
		verificationId: id,
		state: verificationStateSchema,
		entry: reviewQueueEntrySchema.nullable(),
	}),
};
export type ReviewNotificationName = keyof typeof reviewNotificationSchemas;
export type ReviewNotifications = { [K in ReviewNotificationName]: z.infer<(typeof reviewNotificationSchemas)[K]> };

export type ReviewClientToServerEvents = RequestEvents<typeof reviewRequestSchemas, ReviewResponses>;
export type ReviewServerToClientEvents = { [K in ReviewNotificationName]: (payload: ReviewNotifications[K]) => void };
