// The journal records of the verification domain, as zod schemas: the types come from them, and the
// start-up rebuild parses every record it folds instead of trusting its shape. Schemas are not strict:
// journaled data also carries fields the fold does not read (the change's `rev`), which parsing drops.
import {
	accessibilitySchema,
	callQualitySummarySchema,
	DECIDED_STATES,
	FINAL_STATES,
	localeSchema,
	MESSAGES,
	type MessageKey,
	outcomeSchema,
	purposeSchema,
	REVIEW_DECISION_STATES,
	REVIEWED_CALL_DECISIONS,
	reasonCodeSchema,
	relationSchema,
	roleSchema,
	STEP_IDS,
	STEP_KINDS,
} from '@vidverify/shared';
import { z } from 'zod';

const at = z.iso.datetime({ offset: true });
const stepId = z.enum(STEP_IDS);
const messageKey = z.custom<MessageKey>((value) => typeof value === 'string' && value in MESSAGES.en, 'not a message key');

const stepDefinition = z.object({
	id: stepId,
	kind: z.enum(STEP_KINDS),
	actor: z.enum(['applicant', 'interpreter', 'both']),
	required: z.boolean(),
	promptKey: messageKey,
	agentGuidanceKey: messageKey,
});
const securityFeature = z.object({ categoryId: z.string(), featureId: z.string() });

export const verificationEventSchemas = {
	'verification.created': z.object({
		at,
		externalUserRef: z.string(),
		purpose: purposeSchema,
		locale: localeSchema,
		accessibility: accessibilitySchema,
		expiresAt: at,
		applicantParticipantId: z.string(),
		checklist: z.array(stepDefinition),
		/** An identity reset's earlier verification, as it was at creation. Absent without one. */
		earlier: z
			.object({
				verificationId: z.string(),
				state: z.enum(FINAL_STATES),
				decidedAt: at,
				reasonCodes: z.array(reasonCodeSchema),
				documentType: z.string().nullable(),
				documentHash: z.string().nullable(),
			})
			.optional(),
		/** Who the host declared the applicant to be (personal data). Absent when it declared nothing. */
		declared: z.object({ fullName: z.string().optional(), dateOfBirth: z.string().optional() }).optional(),
	}),
	'participant.joined': z.object({ at, participantId: z.string(), role: roleSchema }),
	'verification.consented': z.object({ at, consentVersion: z.string() }),
	'verification.accepted': z.object({ at, agentId: z.string(), agentName: z.string(), participantId: z.string() }),
	'step.prompted': z.object({ at, stepId, securityFeatures: z.array(securityFeature).nullable() }),
	'challenge.issued': z.object({ at, stepId, typed: z.boolean(), expiresAt: at }),
	'challenge.answered': z.object({ at, stepId, matched: z.boolean() }),
	'step.marked': z.object({ at, stepId, result: z.enum(['passed', 'failed']), note: z.string().nullable() }),
	'interpreter.invited': z.object({
		at,
		invitationId: z.string(),
		participantId: z.string(),
		invitedBy: roleSchema,
		expiresAt: at,
	}),
	'interpreter.joined': z.object({ at, participantId: z.string(), checklist: z.array(stepDefinition) }),
	'interpreter.declared': z.object({ at, fullName: z.string(), relation: relationSchema }),
	'interpreter.consented': z.object({ at, participantId: z.string(), consentVersion: z.string() }),
	'interpreter.removed': z.object({ at, participantId: z.string() }),
	'interpreter.left': z.object({ at, participantId: z.string() }),
	'document.checked': z.object({
		at,
		// Free text in records older than the catalogue's document types.
		documentType: z.string(),
		documentHash: z.string(),
		duplicate: z.boolean(),
		/** The MRZ reading aid's verdicts when the number came from it. Absent otherwise and in earlier records. */
		mrz: z
			.object({
				checkDigits: z.enum(['valid', 'invalid']),
				expired: z.boolean(),
				matchesDeclaration: z.boolean().nullable(),
			})
			.optional(),
	}),
	/**
	 * The agent's decision that ends the verification. `escalated` in records before four-eyes review
	 * only (an escalation ended the verification then): they are folded as they were, final.
	 */
	'verification.decided': z.object({
		at,
		state: z.enum(DECIDED_STATES),
		reasonCodes: z.array(reasonCodeSchema),
		note: z.string().nullable(),
		agentId: z.string(),
		agentName: z.string(),
		/** Approvals: the check recorded as the applicant's document, or null. Absent in earlier records. */
		applicantDocument: z.number().int().positive().nullable().optional(),
	}),
	/**
	 * The agent's decision that sends the verification to a reviewer: an escalation, or an approval of
	 * a purpose whose approvals a reviewer confirms. It ends the call; what was measured of it is kept
	 * here, since a review may come long after the call's quality summary is gone.
	 */
	'review.requested': z.object({
		at,
		decision: z.enum(REVIEWED_CALL_DECISIONS),
		note: z.string().nullable(),
		agentId: z.string(),
		agentName: z.string(),
		/** An approval's check recorded as the applicant's document, or null. */
		applicantDocument: z.number().int().positive().nullable(),
		callQuality: callQualitySummarySchema.nullable(),
		/** The applicant's connection was gone when the agent decided (evidence for applicant_left). */
		applicantGone: z.boolean(),
	}),
	/** A reviewer's decision of a verification in review: final. */
	'review.decided': z.object({
		at,
		state: z.enum(REVIEW_DECISION_STATES),
		reasonCodes: z.array(reasonCodeSchema),
		note: z.string().nullable(),
		reviewerId: z.string(),
		reviewerName: z.string(),
		/** The check recorded as the applicant's document at approval, or null. */
		applicantDocument: z.number().int().positive().nullable(),
	}),
	'verification.ended': z.object({
		at,
		state: z.enum(['abandoned', 'interrupted', 'expired']),
		reasonCodes: z.array(reasonCodeSchema),
	}),
	'outcome.recorded': z.object({ at, outcome: outcomeSchema, signedOutcome: z.string() }),
	/**
	 * The verification's keys were destroyed (privacy/Sealer.ts): its personal fields read as erased from
	 * now on, in the journal too; states, decision and reasons stay. By the host's request or by retention.
	 */
	'personal_data.erased': z.object({ at, reason: z.enum(['host_request', 'retention']) }),
	/** The verification's document key was destroyed: its keyed document hashes no longer serve the duplicate check. */
	'document_hashes.forgotten': z.object({ at }),
};

export type VerificationEvents = { [K in keyof typeof verificationEventSchemas]: z.infer<(typeof verificationEventSchemas)[K]> };
export type VerificationEventType = keyof VerificationEvents;
export type VerificationEvent = { [K in VerificationEventType]: { type: K; data: VerificationEvents[K] } }[VerificationEventType];

export function isVerificationEventType(type: string): type is VerificationEventType {
	return Object.hasOwn(verificationEventSchemas, type);
}

/** A journal record's type and data as a verification event, or the reason it is not a valid one. */
export function parseVerificationEvent(
	type: string,
	data: unknown,
): { ok: true; event: VerificationEvent } | { ok: false; error: string } {
	if (!isVerificationEventType(type)) return { ok: false, error: `${type} is not a verification event` };
	const parsed = verificationEventSchemas[type].safeParse(data);
	if (!parsed.success) return { ok: false, error: parsed.error.message };
	return { ok: true, event: { type, data: parsed.data } as VerificationEvent };
}
