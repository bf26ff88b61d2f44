// The verification call's signalling: what applicants, agents and interpreters may ask of the server
// (requests, imperative), what the server tells them (notifications, past tense), and who may send
// what. Served on the socket.io namespace VERIFICATION_NAMESPACE; answers use the shared Ack shape.
import { z } from 'zod';
import { STEP_IDS } from '../catalogue/checklists.ts';
import { DOCUMENT_TYPES } from '../catalogue/documentTypes.ts';
import { LOCALES } from '../catalogue/i18n.ts';
import { PURPOSES } from '../catalogue/purposes.ts';
import { REASON_CODES } from '../catalogue/reasonCodes.ts';
import { RELATIONS } from '../catalogue/relations.ts';
import { id } from './media.ts';
import type { RequestEvents } from './requests.ts';

export const VERIFICATION_NAMESPACE = '/verification';

export const ROLES = ['applicant', 'agent', 'interpreter'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export const VERIFICATION_STATES = [
	'created',
	'waiting',
	'in_call',
	'in_review',
	'approved',
	'rejected',
	'escalated',
	'abandoned',
	'interrupted',
	'expired',
] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const verificationStateSchema = z.enum(VERIFICATION_STATES);

/**
 * The states before the call is over: the applicant's link, the queue and the call. Past them the
 * verification is in review (a reviewer decides it from the record) or final.
 */
export const CALL_STATES = ['created', 'waiting', 'in_call'] as const satisfies readonly VerificationState[];

/** Whether the call is over: no participant joins, speaks or is waited for any more (in review, or final). */
export function isCallOver(state: VerificationState): boolean {
	return !(CALL_STATES as readonly VerificationState[]).includes(state);
}

/**
 * The decisions an outcome records. `escalated` is only found in outcomes recorded before four-eyes
 * review, when an escalation ended the verification; an escalation now takes it to `in_review`.
 */
export const DECIDED_STATES = ['approved', 'rejected', 'escalated'] as const satisfies readonly VerificationState[];
export type DecidedState = (typeof DECIDED_STATES)[number];
/**
 * Where the agent's decision takes the verification: approved or rejected, or to a reviewer (an
 * escalation, or an approval of a purpose whose approvals a reviewer confirms).
 */
export const CALL_DECISION_STATES = ['approved', 'rejected', 'in_review'] as const satisfies readonly VerificationState[];
export type CallDecisionState = (typeof CALL_DECISION_STATES)[number];
/** What a reviewer's decision makes of a verification in review. */
export const REVIEW_DECISION_STATES = ['approved', 'rejected'] as const satisfies readonly DecidedState[];
export type ReviewDecisionState = (typeof REVIEW_DECISION_STATES)[number];
/** States a verification never leaves. */
export const FINAL_STATES = [
	...DECIDED_STATES,
	'abandoned',
	'interrupted',
	'expired',
] as const satisfies readonly VerificationState[];
export type FinalState = (typeof FINAL_STATES)[number];

export function isFinalState(state: VerificationState): state is FinalState {
	return (FINAL_STATES as readonly VerificationState[]).includes(state);
}

/** What a client puts in the socket.io handshake's `auth`. */
export const handshakeAuthSchema = z.object({ token: z.string().min(1).max(4096), protocolVersion: z.number().int() });
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

const isoTime = z.iso.datetime({ offset: true });
const note = z.string().trim().min(1).max(2000);
const stepId = z.enum(STEP_IDS);

export const STEP_KINDS = ['plain', 'security_features', 'challenge', 'interpreter_declaration'] as const;
export const STEP_STATUSES = ['pending', 'prompted', 'passed', 'failed', 'not_applicable'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const AVAILABILITIES = ['available', 'away'] as const;
export type Availability = (typeof AVAILABILITIES)[number];
export const CHALLENGE_PATTERN = /^\d{6}$/;

export const reasonCodeSchema = z.enum(REASON_CODES);
export const relationSchema = z.enum(RELATIONS);
export const purposeSchema = z.enum(PURPOSES);
export const localeSchema = z.enum(LOCALES);

export const accessibilitySchema = z.strictObject({ interpreter: z.boolean(), textOnlyChallenge: z.boolean() });

/**
 * One checklist step as a participant sees it. The agent's copy adds the guidance key, the security
 * features to check and the note; the applicant's and interpreter's copies leave them out.
 */
export const stepViewSchema = z.strictObject({
	id: stepId,
	kind: z.enum(STEP_KINDS),
	actor: z.enum(['applicant', 'interpreter', 'both']),
	required: z.boolean(),
	promptKey: z.string().max(100),
	status: z.enum(STEP_STATUSES),
	promptedAt: isoTime.nullable(),
	markedAt: isoTime.nullable(),
	agentGuidanceKey: z.string().max(100).optional(),
	securityFeatures: z.array(z.strictObject({ categoryId: z.string(), featureId: z.string() })).optional(),
	note: z.string().max(2000).nullable().optional(),
});
export type StepView = z.infer<typeof stepViewSchema>;

export const participantViewSchema = z.strictObject({
	participantId: id,
	role: roleSchema,
	displayName: z.string().max(200).nullable(),
	connected: z.boolean(),
});
export type ParticipantView = z.infer<typeof participantViewSchema>;

export const queueStatusSchema = z.strictObject({
	/** 1 for the next verification an agent will take. */
	position: z.number().int().positive(),
	queueLength: z.number().int().nonnegative(),
	estimatedWaitSeconds: z.number().int().nonnegative(),
});
export type QueueStatus = z.infer<typeof queueStatusSchema>;

/**
 * Where an interpreter is in its invitation: invited (link not used yet), joined (in the call, its
 * connection may be dropped for a grace period), left (on its own, or its connection was not resumed in
 * time) or removed (sent away by the agent). A new invitation starts again at invited.
 */
export const INTERPRETER_STATUSES = ['invited', 'joined', 'left', 'removed'] as const;
export type InterpreterStatus = (typeof INTERPRETER_STATUSES)[number];

export const interpreterViewSchema = z.strictObject({
	invitationId: id,
	participantId: id,
	invitedBy: roleSchema,
	expiresAt: isoTime,
	status: z.enum(INTERPRETER_STATUSES),
	connected: z.boolean(),
	/** Whether the interpreter has accepted the consent text (recorded with its time and version). */
	consented: z.boolean(),
	declaration: z.strictObject({ fullName: z.string().max(200), relation: relationSchema }).nullable(),
});

/** A live challenge: the applicant's copy holds the number to show, the agent's the expected value. */
export const challengeViewSchema = z.strictObject({
	stepId,
	value: z.string().regex(CHALLENGE_PATTERN),
	typed: z.boolean(),
	expiresAt: isoTime,
});
export type ChallengeView = z.infer<typeof challengeViewSchema>;
export type InterpreterView = z.infer<typeof interpreterViewSchema>;

/**
 * Counts the changes of one verification: a snapshot carries the revision it shows, and every
 * notification about the verification the revision its change produced (several notifications of one
 * change share it). A client that receives a revision more than one past its own missed a change meant
 * for another audience or lost on the way, and fetches the snapshot again (getState).
 */
const revision = z.number().int().nonnegative();

/**
 * Who the host says the applicant is, as given at creation, for the agent to compare the document with
 * (the MRZ reading aid does it in the agent's browser). Personal data: shown to the agent only, never
 * part of the outcome.
 */
export const declaredIdentitySchema = z.strictObject({
	fullName: z.string().trim().min(1).max(200).optional(),
	dateOfBirth: z.iso.date().optional(),
});
export type DeclaredIdentity = z.infer<typeof declaredIdentitySchema>;

/**
 * What the agent's browser concluded from the document's machine-readable zone, read there and never
 * sent: whether every ICAO 9303 check digit held, whether the document has expired, and whether the
 * name and date of birth match what the host declared (null when the host declared neither). Verdicts
 * only: the fields read stay in the agent's browser.
 */
export const mrzVerdictsSchema = z.strictObject({
	checkDigits: z.enum(['valid', 'invalid']),
	expired: z.boolean(),
	matchesDeclaration: z.boolean().nullable(),
});
export type MrzVerdicts = z.infer<typeof mrzVerdictsSchema>;

/** One duplicate check the agent ran, by its number in this verification: what was checked and the answer. */
export const documentCheckViewSchema = z.strictObject({
	check: z.number().int().positive(),
	documentType: z.enum(DOCUMENT_TYPES),
	duplicate: z.boolean(),
	at: isoTime,
	/** The verdicts of the MRZ the number was read from; absent when the agent typed the number. */
	mrz: mrzVerdictsSchema.optional(),
	/**
	 * In an identity reset with an earlier record that has a document: whether this is that same
	 * document (type and number), compared by keyed hash. Absent otherwise.
	 */
	matchesEarlier: z.boolean().optional(),
});
export type DocumentCheckView = z.infer<typeof documentCheckViewSchema>;

/**
 * The earlier verification an identity reset is compared with, as the agent sees it: how it ended and
 * when, its reason codes, and the type of the document recorded as the applicant's then (null when
 * none was). Whether this call's document is the same one is told per check (matchesEarlier).
 */
export const earlierRecordViewSchema = z.strictObject({
	verificationId: id,
	state: z.enum(FINAL_STATES),
	decidedAt: isoTime,
	reasonCodes: z.array(reasonCodeSchema),
	documentType: z.enum(DOCUMENT_TYPES).nullable(),
});
export type EarlierRecordView = z.infer<typeof earlierRecordViewSchema>;

/** Everything a participant needs to draw its screen; the copy depends on the participant's role. */
export const verificationSnapshotSchema = z.strictObject({
	verificationId: id,
	state: verificationStateSchema,
	purpose: purposeSchema,
	locale: localeSchema,
	accessibility: accessibilitySchema,
	you: z.strictObject({ participantId: id, role: roleSchema }),
	revision,
	expiresAt: isoTime,
	consentedAt: isoTime.nullable(),
	acceptedAt: isoTime.nullable(),
	queue: queueStatusSchema.nullable(),
	participants: z.array(participantViewSchema),
	checklist: z.array(stepViewSchema),
	currentStepId: stepId.nullable(),
	challenge: challengeViewSchema.nullable(),
	interpreter: interpreterViewSchema.nullable(),
	decision: z.strictObject({ state: verificationStateSchema, reasonCodes: z.array(reasonCodeSchema) }).nullable(),
	/** The agent's duplicate checks so far, numbered in order (never the number read); null for other roles. */
	documentChecks: z.array(documentCheckViewSchema).nullable(),
	/** The agent's copy in an identity reset the host gave an earlier verification for; absent otherwise. */
	earlierRecord: earlierRecordViewSchema.optional(),
	/** The agent's copy: who the host declared the applicant to be, where it did; absent otherwise. */
	declared: declaredIdentitySchema.optional(),
});
export type VerificationSnapshot = z.infer<typeof verificationSnapshotSchema>;

/** One waiting verification in an agent's queue view. */
export const queueEntrySchema = z.strictObject({
	verificationId: id,
	purpose: purposeSchema,
	locale: localeSchema,
	interpreterNeeded: z.boolean(),
	textOnlyChallenge: z.boolean(),
	waitingSince: isoTime,
	waitingSeconds: z.number().int().nonnegative(),
	/** Whether this agent's languages and skills allow it to accept this one. */
	eligible: z.boolean(),
	/** The one an `accept` without a verificationId would give this agent: longest waiting among the eligible. */
	next: z.boolean(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const agentQueueViewSchema = z.strictObject({
	availability: z.enum(AVAILABILITIES),
	/** The verification this agent is in a call for, if any. */
	verificationId: id.nullable(),
	items: z.array(queueEntrySchema),
});
export type AgentQueueView = z.infer<typeof agentQueueViewSchema>;

export const decisionSchema = z.discriminatedUnion('decision', [
	z.strictObject({
		decision: z.literal('approve'),
		/**
		 * The duplicate check (its number) whose document the agent records as the applicant's own; only
		 * that document is tied to the applicant for later checks. Absent: no document is recorded.
		 */
		applicantDocument: z.number().int().positive().optional(),
	}),
	z.strictObject({
		decision: z.literal('reject'),
		reasonCodes: z.array(reasonCodeSchema).min(1).max(REASON_CODES.length),
		note: note.optional(),
	}),
	z.strictObject({ decision: z.literal('escalate'), note }),
]);

export const verificationRequestSchemas = {
	/**
	 * Applicant: accepts the consent text of this version and joins the queue. Interpreter: accepts it
	 * for themselves before joining the call (recorded in the outcome).
	 */
	consent: z.strictObject({ consentVersion: z.string().min(1).max(40) }),
	/** Applicant: gives up before an agent took the call (→ abandoned). */
	cancel: z.strictObject({}),
	/** Applicant or interpreter: leaves. An applicant leaving mid-call interrupts it; an interpreter just goes. */
	leave: z.strictObject({}),
	/** Agent: available for calls, or away. */
	setAvailability: z.strictObject({ availability: z.enum(AVAILABILITIES) }),
	/** Agent: the live queue. */
	getQueue: z.strictObject({}),
	/** Agent: takes a waiting verification; without an id, the longest waiting one it is eligible for. */
	accept: z.strictObject({ verificationId: id.optional() }),
	/** Agent: shows a step's prompt to everyone in the call (again, if already prompted). */
	promptStep: z.strictObject({ stepId }),
	/** Agent: records a step's result. */
	markStep: z.strictObject({ stepId, result: z.enum(['passed', 'failed']), note: note.optional() }),
	/** Applicant, text-only mode: types the number shown; single use. */
	answerChallenge: z.strictObject({ answer: z.string().trim().min(1).max(12) }),
	/** Applicant or agent: asks for a one-time interpreter link. */
	inviteInterpreter: z.strictObject({}),
	/** Agent: sends the interpreter away; its unmarked steps become not applicable. */
	removeInterpreter: z.strictObject({}),
	/** Interpreter: states who they are and how they are related to the applicant. */
	declareInterpreter: z.strictObject({ fullName: z.string().trim().min(2).max(200), relation: relationSchema }),
	/** Agent: checks whether the document read on camera is tied to another user's approved verification. */
	checkDocument: z.strictObject({
		documentType: z.enum(DOCUMENT_TYPES),
		documentNumber: z.string().trim().min(1).max(64),
		/** When the number comes from the MRZ reading aid: its verdicts, recorded with the check (never the fields). */
		mrz: mrzVerdictsSchema.optional(),
	}),
	/**
	 * Agent: the call's decision. Approve and reject are final, unless approvals of the verification's
	 * purpose are confirmed by a reviewer (APPROVALS_NEED_REVIEW); escalate and such an approval end
	 * the call and put the verification in review.
	 */
	decide: decisionSchema,
	/** Anyone: the current snapshot of their verification. */
	getState: z.strictObject({}),
	/** Anyone in the call: a text message to the others; never stored. */
	sendChat: z.strictObject({ text: z.string().trim().min(1).max(1000) }),
};
export type VerificationRequestName = keyof typeof verificationRequestSchemas;
export type VerificationRequestPayload<N extends VerificationRequestName> = z.output<(typeof verificationRequestSchemas)[N]>;

const empty = z.strictObject({});

export const verificationResponseSchemas = {
	consent: verificationSnapshotSchema,
	cancel: verificationSnapshotSchema,
	leave: empty,
	setAvailability: agentQueueViewSchema,
	getQueue: agentQueueViewSchema,
	accept: verificationSnapshotSchema,
	promptStep: z.strictObject({ step: stepViewSchema, challenge: challengeViewSchema.nullable() }),
	markStep: z.strictObject({ step: stepViewSchema }),
	answerChallenge: z.strictObject({ matched: z.boolean() }),
	inviteInterpreter: z.strictObject({ invitationId: id, expiresAt: isoTime, url: z.string() }),
	removeInterpreter: empty,
	declareInterpreter: empty,
	checkDocument: z.strictObject({ duplicate: z.boolean(), check: documentCheckViewSchema }),
	decide: verificationSnapshotSchema,
	getState: verificationSnapshotSchema,
	sendChat: empty,
} satisfies Record<VerificationRequestName, z.ZodType>;

export type VerificationResponses = { [K in VerificationRequestName]: z.infer<(typeof verificationResponseSchemas)[K]> };

/** Who may send each request; checked at the dispatch point before any domain code runs. */
export const REQUEST_ROLES = {
	consent: ['applicant', 'interpreter'],
	cancel: ['applicant'],
	leave: ['applicant', 'interpreter'],
	setAvailability: ['agent'],
	getQueue: ['agent'],
	accept: ['agent'],
	promptStep: ['agent'],
	markStep: ['agent'],
	answerChallenge: ['applicant'],
	inviteInterpreter: ['applicant', 'agent'],
	removeInterpreter: ['agent'],
	declareInterpreter: ['interpreter'],
	checkDocument: ['agent'],
	decide: ['agent'],
	getState: ['applicant', 'agent', 'interpreter'],
	sendChat: ['applicant', 'agent', 'interpreter'],
} as const satisfies Record<VerificationRequestName, readonly Role[]>;

export function mayRequest(role: Role, name: VerificationRequestName): boolean {
	return (REQUEST_ROLES[name] as readonly Role[]).includes(role);
}

export const verificationNotificationSchemas = {
	/** To everyone in the verification. */
	stateChanged: z.strictObject({
		verificationId: id,
		state: verificationStateSchema,
		previousState: verificationStateSchema,
		at: isoTime,
		revision,
	}),
	/** To each connected agent: its own view of the queue, with eligibility; at most one per tick, the latest state. */
	queueUpdated: agentQueueViewSchema,
	/**
	 * To a waiting applicant, when its position or estimated wait differs from what it last saw (in a
	 * notification or a snapshot); queueLength is as of then, and a longer queue alone is not told.
	 */
	queuePositionChanged: queueStatusSchema,
	/** To everyone in the call; only the applicant's copy holds the challenge number, the agent's holds the features. */
	stepPrompted: z.strictObject({ step: stepViewSchema, challenge: challengeViewSchema.nullable(), revision }),
	/** To everyone in the call; the note only in the agent's copy. */
	stepMarked: z.strictObject({ step: stepViewSchema, revision }),
	/** To the agent: the typed answer's result (never the answer). */
	challengeAnswered: z.strictObject({ stepId, matched: z.boolean(), at: isoTime, revision }),
	/** To everyone in the call when steps join or drop out (interpreter joined or removed). */
	checklistChanged: z.strictObject({ checklist: z.array(stepViewSchema), currentStepId: stepId.nullable(), revision }),
	participantJoined: z.strictObject({ participant: participantViewSchema, resumed: z.boolean(), revision }),
	participantLeft: z.strictObject({
		participantId: id,
		role: roleSchema,
		reason: z.enum(['left', 'removed', 'connection_lost']),
		revision,
	}),
	participantReconnecting: z.strictObject({ participantId: id, role: roleSchema, graceEndsAt: isoTime, revision }),
	/** The interpreter as the snapshot shows it; the applicant's copy also carries the link to hand over. */
	interpreterInvited: z.strictObject({ interpreter: interpreterViewSchema, url: z.string().optional(), revision }),
	interpreterDeclared: z.strictObject({ participantId: id, fullName: z.string().max(200), relation: relationSchema, revision }),
	interpreterRemoved: z.strictObject({ participantId: id, revision }),
	/** To everyone in the verification; the note only in the agent's copy. */
	decided: z.strictObject({
		verificationId: id,
		state: z.enum(CALL_DECISION_STATES),
		reasonCodes: z.array(reasonCodeSchema),
		note: z.string().nullable().optional(),
		at: isoTime,
		revision,
	}),
	/**
	 * To a participant's older connection when a newer one of the same participant arrives (another tab,
	 * another device); the older one is closed right after.
	 */
	connectionReplaced: z.strictObject({ at: isoTime }),
	/**
	 * To an agent's connection just before the server closes it: its token ran out without a refresh
	 * (the sign-in reached its longest life), or the host revoked the agent or this sign-in.
	 */
	signedOut: z.strictObject({ at: isoTime, reason: z.enum(['tokenExpired', 'revoked']) }),
	chatMessageSent: z.strictObject({
		from: participantViewSchema.pick({ participantId: true, role: true }),
		text: z.string(),
		at: isoTime,
	}),
};
export type VerificationNotificationName = keyof typeof verificationNotificationSchemas;
export type VerificationNotifications = {
	[K in VerificationNotificationName]: z.infer<(typeof verificationNotificationSchemas)[K]>;
};

export type VerificationClientToServerEvents = RequestEvents<typeof verificationRequestSchemas, VerificationResponses>;
export type VerificationServerToClientEvents = {
	[K in VerificationNotificationName]: (payload: VerificationNotifications[K]) => void;
};

/** The notifications that report a change of the verification, each carrying the revision it produced. */
export type RevisedNotificationName = {
	[K in VerificationNotificationName]: VerificationNotifications[K] extends { revision: number } ? K : never;
}[VerificationNotificationName];
