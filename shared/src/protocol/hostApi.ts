// The host platform's HTTP API (/api/v1): request bodies and queries as zod schemas, and the answers,
// including the outcome that is also signed and sent by webhook.
import { z } from 'zod';
import { callQualitySummarySchema } from './call.ts';
import {
	accessibilitySchema,
	DECIDED_STATES,
	declaredIdentitySchema,
	FINAL_STATES,
	localeSchema,
	mrzVerdictsSchema,
	purposeSchema,
	reasonCodeSchema,
	relationSchema,
	stepViewSchema,
	verificationStateSchema,
} from './verification.ts';

const isoTime = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(100);

export const createVerificationBodySchema = z.strictObject({
	externalUserRef: z.string().trim().min(1).max(200),
	purpose: purposeSchema,
	locale: localeSchema.optional(),
	accessibility: z.strictObject({ interpreter: z.boolean().optional(), textOnlyChallenge: z.boolean().optional() }).optional(),
	eligibility: z
		.strictObject({
			age: z.number().int().min(0).max(150).optional(),
			/** ISO 3166-1 alpha-2 (or a subdivision such as CN-HK); checked against the configured unsupported list. */
			region: z.string().trim().min(2).max(10).optional(),
			c2cFrozen: z.boolean().optional(),
		})
		.optional(),
	/**
	 * identity_reset only: the id of the user's earlier verification, already over, which the agent
	 * compares the renewed document with (its decision, date, document type and whether this call's
	 * document is the same one). It must be this user's (same externalUserRef); it is never changed.
	 */
	earlierVerificationId: id.optional(),
	/**
	 * Who the applicant is by the host's records (name, date of birth as YYYY-MM-DD), for the agent to
	 * compare the document's machine-readable zone with. Shown to the agent only; the outcome says
	 * whether the document matched it, never the data.
	 */
	declared: declaredIdentitySchema.optional(),
});
export type CreateVerificationBody = z.infer<typeof createVerificationBodySchema>;

export const createVerificationAnswerSchema = z.strictObject({
	id,
	state: verificationStateSchema,
	applicantUrl: z.string(),
	applicantToken: z.string(),
	expiresAt: isoTime,
});
export type CreateVerificationAnswer = z.infer<typeof createVerificationAnswerSchema>;

const label = z.string().trim().min(1).max(40);

/**
 * What an agent token allows beyond taking calls. `review`: the agent is also a reviewer, who decides
 * verifications in review (four-eyes) from their recorded evidence, never those of calls it took itself.
 */
export const AGENT_PERMISSIONS = ['review'] as const;
export type AgentPermission = (typeof AGENT_PERMISSIONS)[number];
export const agentPermissionSchema = z.enum(AGENT_PERMISSIONS);

export const agentTokenBodySchema = z.strictObject({
	agentId: z.string().trim().min(1).max(100),
	displayName: z.string().trim().min(1).max(200),
	/** Language tags the agent can run a call in, e.g. "en", "zh". */
	languages: z.array(label).max(20).optional(),
	/** e.g. "sign_language" for interpreter-assisted calls. */
	skills: z.array(label).max(20).optional(),
	/** e.g. ["review"] for a reviewer. None by default. */
	permissions: z.array(agentPermissionSchema).max(AGENT_PERMISSIONS.length).optional(),
});
export type AgentTokenBody = z.infer<typeof agentTokenBodySchema>;

export const agentTokenAnswerSchema = z.strictObject({
	token: z.string(),
	/**
	 * The id of this sign-in: revoke it alone with POST /agent-tokens/:tokenId/revoke. The console
	 * refreshes its token over its connection; every refreshed token keeps this sign-in.
	 */
	tokenId: z.string(),
	agentUrl: z.string(),
	/** When this token runs out unless the open console refreshes it. */
	expiresAt: isoTime,
});
export type AgentTokenAnswer = z.infer<typeof agentTokenAnswerSchema>;

export const listVerificationsQuerySchema = z.strictObject({
	/** e.g. `in_review` for the verifications awaiting a reviewer. */
	state: verificationStateSchema.optional(),
	/** Only verifications created at or after this time. */
	since: isoTime.optional(),
	/** The nextCursor of the previous page. */
	cursor: z.string().min(1).max(200).optional(),
	limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type ListVerificationsQuery = z.infer<typeof listVerificationsQuerySchema>;

export const stepResultSchema = stepViewSchema
	.pick({ id: true, kind: true, actor: true, required: true, status: true, promptedAt: true, markedAt: true })
	.extend({ note: z.string().nullable() });

const staff = z.strictObject({ agentId: z.string(), displayName: z.string() });

/** One person's decision as recorded: who, when, what, why. */
export const recordedDecisionSchema = z.strictObject({
	/** The agent's: approve, reject or escalate. The reviewer's: approve or reject. */
	decision: z.enum(['approve', 'reject', 'escalate']),
	reasonCodes: z.array(reasonCodeSchema),
	note: z.string().nullable(),
	by: staff,
	at: isoTime,
});
export type RecordedDecision = z.infer<typeof recordedDecisionSchema>;

/** A verification that went through review: the call's agent's decision, then the reviewer's, who is another person. */
export const reviewedDecisionsSchema = z.strictObject({
	agent: recordedDecisionSchema,
	reviewer: recordedDecisionSchema,
});

export const outcomeSchema = z.strictObject({
	verificationId: id,
	externalUserRef: z.string(),
	purpose: purposeSchema,
	state: z.enum(FINAL_STATES),
	/**
	 * Set when someone decided; null for abandoned, interrupted and expired. After a review, the
	 * reviewer's decision (the agent's is in `review`), as are reasonCodes, note, decidedBy and decidedAt.
	 */
	decision: z.enum(DECIDED_STATES).nullable(),
	reasonCodes: z.array(reasonCodeSchema),
	note: z.string().nullable(),
	decidedBy: staff.nullable(),
	/** When the verification reached its final state. */
	decidedAt: isoTime,
	/**
	 * Both decisions of a verification that went through review (four-eyes); null when the agent's
	 * decision was final. Absent in outcomes recorded before review existed.
	 */
	review: reviewedDecisionsSchema.nullable().optional(),
	consent: z.strictObject({ version: z.string(), at: isoTime }).nullable(),
	steps: z.array(stepResultSchema),
	interpreter: z
		.strictObject({
			joined: z.boolean(),
			fullName: z.string().nullable(),
			relation: relationSchema.nullable(),
			removed: z.boolean(),
			/** The interpreter's own consent: when, and to which version of the text. */
			consent: z.strictObject({ at: isoTime, version: z.string() }).nullable(),
			/** What happened to the interpreter's unmarked steps when it was removed. */
			stepsOnRemoval: z.literal('not_applicable'),
		})
		.nullable(),
	documentChecks: z.strictObject({
		count: z.number().int().nonnegative(),
		duplicateFound: z.boolean(),
		/**
		 * The verdicts of each check whose number the MRZ reading aid read, by the check's number; never
		 * the fields read. Absent in outcomes recorded before it was kept.
		 */
		mrz: z.array(mrzVerdictsSchema.extend({ check: z.number().int().positive() })).optional(),
	}),
	/** What the server measured of the call's media; null when the call never had media. */
	callQuality: callQualitySummarySchema.nullable(),
	durations: z.strictObject({
		waitingSeconds: z.number().int().nonnegative().nullable(),
		inCallSeconds: z.number().int().nonnegative().nullable(),
	}),
});
export type Outcome = z.infer<typeof outcomeSchema>;

export const verificationViewSchema = z.strictObject({
	id,
	externalUserRef: z.string(),
	purpose: purposeSchema,
	locale: localeSchema,
	accessibility: accessibilitySchema,
	state: verificationStateSchema,
	createdAt: isoTime,
	/** The applicant must join before this time. */
	expiresAt: isoTime,
	consentedAt: isoTime.nullable(),
	acceptedAt: isoTime.nullable(),
	endedAt: isoTime.nullable(),
	outcome: outcomeSchema.nullable(),
	/** The outcome as a compact JWS signed with the server key, for offline checks by the host. */
	signedOutcome: z.string().nullable(),
	/** The earlier verification an identity reset was compared with, as given at creation; null without one. */
	earlierVerificationId: id.nullable(),
	/**
	 * Once the call's agent sent the verification to review: when, the agent's decision, and the
	 * reviewer's once made (null while in review). Null for a verification that never went to review.
	 */
	review: z
		.strictObject({
			since: isoTime,
			agent: recordedDecisionSchema,
			reviewer: recordedDecisionSchema.nullable(),
		})
		.nullable(),
});
export type VerificationView = z.infer<typeof verificationViewSchema>;

/**
 * The webhook events: one when a verification enters review (the call is over, a reviewer decides
 * next), and one when it reaches its final state (decided by the agent or a reviewer, or ended
 * undecided). Deliveries are not ordered: after a retry, `verification.in_review` may arrive after
 * the decision that followed it.
 */
export const WEBHOOK_EVENT_TYPES = [
	'verification.in_review',
	'verification.decided',
	'verification.abandoned',
	'verification.interrupted',
	'verification.expired',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The payload of `verification.in_review`: since when, and the agent's decision without its note (free
 * text, which may name the applicant, is read with GET /verifications/:id; the final outcome has it).
 */
export const inReviewWebhookPayloadSchema = z.strictObject({
	purpose: purposeSchema,
	since: isoTime,
	agent: recordedDecisionSchema.omit({ note: true }),
});
export type InReviewWebhookPayload = z.infer<typeof inReviewWebhookPayloadSchema>;

/** The payload of every final event: the outcome and the same outcome as a compact JWS. */
export const outcomeWebhookPayloadSchema = z.strictObject({ outcome: outcomeSchema, signedOutcome: z.string() });

export const listVerificationsAnswerSchema = z.strictObject({
	items: z.array(verificationViewSchema),
	nextCursor: z.string().nullable(),
});
export type ListVerificationsAnswer = z.infer<typeof listVerificationsAnswerSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One record of the journal, the service-wide hash chain (what each hash covers: verifier/src/records.ts).
 * Records journaled since per-verification proofs have format 2 and, when they belong to a verification,
 * vseq (their place among its records) and vprev (the hash of its record before).
 */
export const journalRecordSchema = z.strictObject({
	format: z.literal(2).optional(),
	seq: z.number().int().positive(),
	at: isoTime,
	type: z.string(),
	verificationId: z.string().optional(),
	vseq: z.number().int().positive().optional(),
	vprev: sha256Hex.optional(),
	data: z.record(z.string(), z.unknown()),
	prevHash: sha256Hex,
	hash: sha256Hex,
});
export type JournalRecordView = z.infer<typeof journalRecordSchema>;

export const VERIFICATION_BUNDLE_FORMAT = 'vidverify-bundle/1';

/**
 * Everything a host needs to prove one verification's record offline with the service's public key
 * (`npx vidverify-verify bundle.json`; see docs/audit.md).
 */
export const verificationBundleSchema = z.strictObject({
	format: z.literal(VERIFICATION_BUNDLE_FORMAT),
	verificationId: id,
	/** The outcome key (public, ES256) as a JWK; kid is its RFC 7638 thumbprint. Pin it: compare it with the one you hold. */
	key: z.record(z.string(), z.unknown()),
	/** The outcome as a compact JWS; it commits to the count and digest of the events before it. Null until final. */
	signedOutcome: z.string().nullable(),
	/** Every journal record of the verification, in order, each chained to the one before (vprev). */
	events: z.array(journalRecordSchema),
	/** A checkpoint signed with the same key (compact JWS): the journal's length and head hash at a time, at or after the last event. */
	checkpoint: z.string(),
	/** [subject, body digest] of each journal record after the last event up to the checkpoint's length: the path from the last event to the checkpoint's head. */
	proof: z.array(z.array(z.string()).length(2)),
});
export type VerificationBundle = z.infer<typeof verificationBundleSchema>;
