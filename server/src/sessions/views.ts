// What each audience is shown of a verification record: the host's view and outcome, and each
// participant's snapshot, with the parts a role must not see (guidance, notes, the challenge number
// for the interpreter) left out.
import {
	type CallQualitySummary,
	type ChallengeView,
	type DecisionEvidence,
	DOCUMENT_TYPES,
	type DocumentCheckView,
	type DocumentType,
	type EarlierRecordView,
	type InterpreterView,
	isCallOver,
	isFinalState,
	isInterpreterStep,
	type Outcome,
	type ParticipantView,
	type QueueStatus,
	type RecordedDecision,
	type ReviewCase,
	type ReviewQueueEntry,
	type Role,
	type StepView,
	type VerificationSnapshot,
	type VerificationView,
} from '@vidverify/shared';
import type {
	DocumentCheck,
	EarlierRecord,
	InterpreterState,
	ReviewState,
	StepState,
	VerificationRecord,
} from './VerificationRecord.ts';

export function stepView(step: StepState, role: Role): StepView {
	const view: StepView = {
		id: step.id,
		kind: step.kind,
		actor: step.actor,
		required: step.required,
		promptKey: step.promptKey,
		status: step.status,
		promptedAt: step.promptedAt,
		markedAt: step.markedAt,
	};
	if (role === 'agent') {
		view.agentGuidanceKey = step.agentGuidanceKey;
		if (step.securityFeatures) view.securityFeatures = step.securityFeatures;
		view.note = step.note;
	}
	return view;
}

/** The live challenge as this role may see it: the number for the applicant and the agent only. */
export function challengeView(record: VerificationRecord, role: Role, now: Date): ChallengeView | null {
	const challenge = record.challenge;
	if (!challenge || challenge.value === null || challenge.answered || role === 'interpreter') return null;
	if (Date.parse(challenge.expiresAt) <= now.getTime()) return null;
	return { stepId: challenge.stepId, value: challenge.value, typed: challenge.typed, expiresAt: challenge.expiresAt };
}

export function participantsOf(record: VerificationRecord): ParticipantView[] {
	const participants: ParticipantView[] = [
		{
			participantId: record.applicant.participantId,
			role: 'applicant',
			displayName: null,
			connected: record.applicant.connections > 0,
		},
	];
	if (record.agent) {
		participants.push({
			participantId: record.agent.participantId,
			role: 'agent',
			displayName: record.agent.displayName,
			connected: record.agent.connections > 0,
		});
	}
	const interpreter = record.interpreter;
	if (interpreter?.status === 'joined') {
		participants.push({
			participantId: interpreter.participantId,
			role: 'interpreter',
			displayName: interpreter.declaration?.fullName ?? null,
			connected: interpreter.connections > 0,
		});
	}
	return participants;
}

export function snapshotFor(
	record: VerificationRecord,
	you: { participantId: string; role: Role },
	queue: QueueStatus | null,
	now: Date,
): VerificationSnapshot {
	const interpreter = record.interpreter;
	const decided = isCallOver(record.state);
	return {
		verificationId: record.id,
		state: record.state,
		purpose: record.purpose,
		locale: record.locale,
		accessibility: record.accessibility,
		you,
		revision: record.revision,
		expiresAt: record.expiresAt,
		consentedAt: record.consentedAt,
		acceptedAt: record.acceptedAt,
		queue,
		participants: participantsOf(record),
		checklist: record.checklist.map((step) => stepView(step, you.role)),
		currentStepId: record.currentStepId,
		challenge: challengeView(record, you.role, now),
		interpreter: interpreter ? interpreterView(interpreter) : null,
		decision: decided ? { state: record.state, reasonCodes: record.decision?.reasonCodes ?? record.endReasonCodes } : null,
		documentChecks:
			you.role === 'agent' ? record.documentChecks.map((check, index) => documentCheckView(record, check, index)) : null,
		...(you.role === 'agent' && record.earlier ? { earlierRecord: earlierRecordView(record.earlier) } : {}),
		...(you.role === 'agent' && record.declared ? { declared: { ...record.declared } } : {}),
	};
}

function catalogueType(type: string): DocumentType {
	return (DOCUMENT_TYPES as readonly string[]).includes(type) ? (type as DocumentType) : 'other';
}

/**
 * A check as the agent sees it: its number, type and answer, and in an identity reset whether it is
 * the earlier record's document; the keyed hashes stay on the server.
 */
export function documentCheckView(record: VerificationRecord, check: DocumentCheck, index: number): DocumentCheckView {
	const view: DocumentCheckView = {
		check: index + 1,
		documentType: catalogueType(check.documentType),
		duplicate: check.duplicate,
		at: check.at,
	};
	const earlierHash = record.earlier?.documentHash;
	if (earlierHash) view.matchesEarlier = check.documentHash === earlierHash;
	if (check.mrz) view.mrz = { ...check.mrz };
	return view;
}

export function earlierRecordView(earlier: EarlierRecord): EarlierRecordView {
	return {
		verificationId: earlier.verificationId,
		state: earlier.state,
		decidedAt: earlier.decidedAt,
		reasonCodes: earlier.reasonCodes,
		documentType: earlier.documentType === null ? null : catalogueType(earlier.documentType),
	};
}

export function interpreterView(interpreter: InterpreterState): InterpreterView {
	return {
		invitationId: interpreter.invitationId,
		participantId: interpreter.participantId,
		invitedBy: interpreter.invitedBy,
		expiresAt: interpreter.expiresAt,
		status: interpreter.status,
		connected: interpreter.connections > 0,
		consented: interpreter.consent !== null,
		declaration: interpreter.declaration
			? { fullName: interpreter.declaration.fullName, relation: interpreter.declaration.relation }
			: null,
	};
}

export function verificationView(record: VerificationRecord): VerificationView {
	return {
		id: record.id,
		externalUserRef: record.externalUserRef,
		purpose: record.purpose,
		locale: record.locale,
		accessibility: record.accessibility,
		state: record.state,
		createdAt: record.createdAt,
		expiresAt: record.expiresAt,
		consentedAt: record.consentedAt,
		acceptedAt: record.acceptedAt,
		endedAt: record.endedAt,
		outcome: record.outcome,
		signedOutcome: record.signedOutcome,
		earlierVerificationId: record.earlier?.verificationId ?? null,
		review: record.review
			? {
					since: record.review.since,
					agent: agentDecisionOf(record, record.review),
					reviewer: record.review.reviewer ? reviewerDecisionOf(record.review.reviewer) : null,
				}
			: null,
	};
}

/** The agent's decision that sent a verification to review, as the host and the reviewer read it. */
export function agentDecisionOf(record: VerificationRecord, review: ReviewState): RecordedDecision {
	return {
		decision: review.agentDecision,
		reasonCodes: record.decision?.reasonCodes ?? [],
		note: record.decision?.note ?? null,
		by: { agentId: record.decision?.agentId ?? '', displayName: record.decision?.agentName ?? '' },
		at: review.since,
	};
}

function reviewerDecisionOf(reviewer: NonNullable<ReviewState['reviewer']>): RecordedDecision {
	return {
		decision: reviewer.state === 'approved' ? 'approve' : 'reject',
		reasonCodes: reviewer.reasonCodes,
		note: reviewer.note,
		by: { agentId: reviewer.reviewerId, displayName: reviewer.reviewerName },
		at: reviewer.at,
	};
}

function secondsBetween(from: string | null, to: string | null): number | null {
	if (from === null || to === null) return null;
	return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/**
 * The outcome of a verification in a final state. After a review, its decision is the reviewer's, with
 * both decisions in `review`, and the call quality is what was measured when the call ended.
 */
export function buildOutcome(record: VerificationRecord, callQuality: CallQualitySummary | null = null): Outcome {
	if (!isFinalState(record.state) || record.endedAt === null) {
		throw new TypeError(`verification ${record.id} is ${record.state}: no outcome yet`);
	}
	const decision =
		record.state === 'approved' || record.state === 'rejected' || record.state === 'escalated' ? record.state : null;
	const review = record.review;
	const reviewer = review?.reviewer;
	return {
		verificationId: record.id,
		externalUserRef: record.externalUserRef,
		purpose: record.purpose,
		state: record.state,
		decision,
		reasonCodes: reviewer ? reviewer.reasonCodes : (record.decision?.reasonCodes ?? record.endReasonCodes),
		note: reviewer ? reviewer.note : (record.decision?.note ?? null),
		decidedBy: reviewer
			? { agentId: reviewer.reviewerId, displayName: reviewer.reviewerName }
			: record.decision
				? { agentId: record.decision.agentId, displayName: record.decision.agentName }
				: null,
		decidedAt: record.endedAt,
		review: review && reviewer ? { agent: agentDecisionOf(record, review), reviewer: reviewerDecisionOf(reviewer) } : null,
		consent: consentOf(record),
		steps: stepResults(record),
		interpreter: interpreterSummary(record),
		documentChecks: {
			count: record.documentChecks.length,
			duplicateFound: record.duplicateFound,
			mrz: record.documentChecks.flatMap((check, index) => (check.mrz ? [{ check: index + 1, ...check.mrz }] : [])),
		},
		callQuality: review ? review.callQuality : callQuality,
		durations: durationsOf(record),
	};
}

function consentOf(record: VerificationRecord): Outcome['consent'] {
	return record.consentedAt && record.consentVersion ? { version: record.consentVersion, at: record.consentedAt } : null;
}

export function stepResults(record: VerificationRecord): Outcome['steps'] {
	return record.checklist.map((step) => ({
		id: step.id,
		kind: step.kind,
		actor: step.actor,
		required: step.required,
		status: step.status,
		promptedAt: step.promptedAt,
		markedAt: step.markedAt,
		note: step.note,
	}));
}

/** The interpreter as the record keeps it, or null for a verification that never had one. */
export function interpreterSummary(record: VerificationRecord): Outcome['interpreter'] {
	const interpreter = record.interpreter;
	if (!interpreter && !record.checklist.some((step) => isInterpreterStep(step.id))) return null;
	return {
		joined: interpreter?.joinedAt != null,
		fullName: interpreter?.declaration?.fullName ?? null,
		relation: interpreter?.declaration?.relation ?? null,
		removed: interpreter?.status === 'removed',
		consent: interpreter?.consent ?? null,
		stepsOnRemoval: 'not_applicable',
	};
}

/** The wait and the call: a call sent to review ended when the agent decided, not when the reviewer did. */
function durationsOf(record: VerificationRecord): Outcome['durations'] {
	const callEnded = record.review?.since ?? record.endedAt;
	return {
		waitingSeconds: secondsBetween(record.consentedAt, record.acceptedAt ?? callEnded),
		inCallSeconds: secondsBetween(record.acceptedAt, callEnded),
	};
}

/** A verification in review as the reviewers' queue lists it. */
export function reviewQueueEntry(record: VerificationRecord, review: ReviewState): ReviewQueueEntry {
	return {
		verificationId: record.id,
		purpose: record.purpose,
		locale: record.locale,
		since: review.since,
		agent: { agentId: record.decision?.agentId ?? '', displayName: record.decision?.agentName ?? '' },
		agentDecision: review.agentDecision,
		interpreter: record.interpreter?.joinedAt != null,
	};
}

/**
 * A verification in review with its whole recorded evidence, as a reviewer reads it: the agent's copy
 * of every step (notes, security features), the checks, the interpreter, the measured quality, and what
 * the record gives reasons to rest on (`evidence`).
 */
export function reviewCaseView(record: VerificationRecord, review: ReviewState, evidence: DecisionEvidence): ReviewCase {
	return {
		verificationId: record.id,
		state: record.state,
		purpose: record.purpose,
		locale: record.locale,
		accessibility: record.accessibility,
		createdAt: record.createdAt,
		consent: consentOf(record),
		acceptedAt: record.acceptedAt,
		since: review.since,
		durations: durationsOf(record),
		steps: record.checklist.map((step) => stepView(step, 'agent')),
		agentDecision: { ...agentDecisionOf(record, review), applicantDocument: review.applicantDocument },
		documentChecks: record.documentChecks.map((check, index) => documentCheckView(record, check, index)),
		earlierRecord: record.earlier ? earlierRecordView(record.earlier) : null,
		interpreter: interpreterSummary(record),
		callQuality: review.callQuality,
		evidence: { ...evidence, failedSteps: [...evidence.failedSteps] },
	};
}
