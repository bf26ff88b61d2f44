// A verification's whole state as one JSON record, and the events that change it. Every change is a
// journal event folded by applyEvent, both live and when the state is rebuilt from the journal at
// start-up, so the two can never disagree. Live-only facts (who is connected, the challenge number)
// are set beside the fold and are absent after a rebuild.
import {
	type CallQualitySummary,
	checklistFor,
	type InterpreterStatus,
	isInterpreterStep,
	type Locale,
	type Outcome,
	type Purpose,
	type ReasonCode,
	type Relation,
	type Role,
	type SecurityFeaturePick,
	type StepDefinition,
	type StepId,
	type StepStatus,
	type VerificationState,
} from '@vidverify/shared';
import { erasePersonalFields, forgetDocumentHashes } from '../privacy/erasedRecord.ts';
import type { VerificationEvent, VerificationEvents } from './events.ts';

export type { VerificationEvent, VerificationEvents, VerificationEventType } from './events.ts';

export type StepState = StepDefinition & {
	status: StepStatus;
	promptedAt: string | null;
	markedAt: string | null;
	note: string | null;
	securityFeatures: SecurityFeaturePick[] | null;
};

export type Presence = {
	participantId: string;
	/** When the participant first joined; null until then. */
	joinedAt: string | null;
	/** Open connections (a participant may have two tabs). Live only. */
	connections: number;
	/** Set while the last connection is gone and the grace period runs. Live only. */
	disconnectedAt: string | null;
};

export type AgentAssignment = Presence & { agentId: string; displayName: string };

export type InterpreterState = Presence & {
	invitationId: string;
	invitedBy: Role;
	expiresAt: string;
	/** invited until it joins; left on its own or when its connection was not resumed in time; removed by the agent. */
	status: InterpreterStatus;
	declaration: { fullName: string; relation: Relation; at: string } | null;
	/** When the interpreter accepted the consent text, and which version. */
	consent: { at: string; version: string } | null;
};

export type ChallengeState = {
	stepId: StepId;
	/** The number, live only: the journal never holds it, so a rebuilt challenge cannot be answered. */
	value: string | null;
	typed: boolean;
	issuedAt: string;
	expiresAt: string;
	answered: boolean;
	matched: boolean | null;
};

/**
 * The earlier verification an identity reset is compared with, copied at creation: how and when it
 * ended, and the document recorded as the applicant's then (type and keyed hash; null when none was).
 */
export type EarlierRecord = VerificationEvents['verification.created']['earlier'] & {};

/** Who the host declared the applicant to be, as given at creation (personal data). */
export type DeclaredIdentity = VerificationEvents['verification.created']['declared'] & {};

/** The MRZ reading aid's verdicts on a checked document: never the fields it read. */
export type MrzVerdicts = VerificationEvents['document.checked']['mrz'] & {};

/**
 * A verification the call's agent sent to review: when, what the agent decided, what the call measured
 * (the review may come long after the call's own records are gone), and the reviewer's decision once made.
 */
export type ReviewState = {
	since: string;
	agentDecision: VerificationEvents['review.requested']['decision'];
	/** The check the agent's approval recorded as the applicant's document, or null. */
	applicantDocument: number | null;
	callQuality: CallQualitySummary | null;
	applicantGone: boolean;
	reviewer: {
		state: VerificationEvents['review.decided']['state'];
		reviewerId: string;
		reviewerName: string;
		at: string;
		reasonCodes: ReasonCode[];
		note: string | null;
		applicantDocument: number | null;
	} | null;
};

/**
 * One duplicate check: what the agent said the document was, its keyed hash, the answer, and the MRZ
 * verdicts when the number was read from the zone.
 */
export type DocumentCheck = { documentType: string; documentHash: string; duplicate: boolean; at: string; mrz?: MrzVerdicts };

export type VerificationRecord = {
	id: string;
	externalUserRef: string;
	purpose: Purpose;
	locale: Locale;
	accessibility: { interpreter: boolean; textOnlyChallenge: boolean };
	state: VerificationState;
	/**
	 * Bumped by one on every write of the record: what snapshots and notifications carry so that a client
	 * can tell it missed a change. After a rebuild it starts again from the number of journaled events.
	 */
	revision: number;
	/** How many events the record has folded: what bounds the permanent record a participant can grow. */
	eventCount: number;
	createdAt: string;
	expiresAt: string;
	consentedAt: string | null;
	consentVersion: string | null;
	acceptedAt: string | null;
	endedAt: string | null;
	applicant: Presence;
	agent: AgentAssignment | null;
	interpreter: InterpreterState | null;
	checklist: StepState[];
	currentStepId: StepId | null;
	challenge: ChallengeState | null;
	/** The agent's duplicate checks in order; a check's number is its position + 1. */
	documentChecks: DocumentCheck[];
	duplicateFound: boolean;
	/** A typed answer to a challenge did not match its number. Absent in records written before it was kept. */
	typedChallengeMismatched?: boolean;
	/**
	 * The document hashes tied to the applicant once approved: only the check the agent recorded as the
	 * applicant's own at the decision (an interpreter's or a mistyped document is never tied to them).
	 */
	applicantDocumentHashes: string[];
	/** An identity reset's earlier verification, for the agent's comparison. Absent in records before it was kept. */
	earlier?: EarlierRecord | null;
	/** Who the host declared the applicant to be; absent when it declared nothing (and in records before it was kept). */
	declared?: DeclaredIdentity;
	/** The call's agent's decision, final or sent to review. */
	decision: { reasonCodes: ReasonCode[]; note: string | null; agentId: string; agentName: string } | null;
	/** Set once the agent sent the verification to review. Absent in records before review existed. */
	review?: ReviewState | null;
	/** Why an undecided verification ended (abandoned, interrupted, expired). */
	endReasonCodes: ReasonCode[];
	outcome: Outcome | null;
	/** The outcome as signed for the host (a compact JWS). */
	signedOutcome: string | null;
	/** When the verification's personal data was erased (its keys destroyed); absent until then. */
	personalDataErasedAt?: string;
	/** When its keyed document hashes were forgotten (by erasure or their retention); absent until then. */
	documentHashesForgottenAt?: string;
	/** Events applied here but not known to be journaled yet. Live only: a rebuilt record never has it. */
	unjournaled?: UnjournaledEvents;
};

/**
 * The events of the last change with events, written in the same compare-and-set as the change, so that
 * a journal append failing after it (the store went away, a disk error) leaves them here to be journaled
 * later instead of losing them. Cleared once they are journaled.
 */
export type UnjournaledEvents = {
	/**
	 * The record version the change produced and a random suffix (`<version>.<hex>`), carried by each of
	 * its events in the journal as `data.rev`: how a repair tells which of them are journaled already. The
	 * suffix because versions start again at 1 when the live record is rebuilt from the journal.
	 */
	rev: string;
	events: VerificationEvent[];
	/** When the change was written (ms since the epoch), and by which process: until it is stale, that process may still be journaling them. */
	at: number;
	by: string;
};

function freshStep(definition: StepDefinition): StepState {
	return { ...definition, status: 'pending', promptedAt: null, markedAt: null, note: null, securityFeatures: null };
}

function presence(participantId: string): Presence {
	return { participantId, joinedAt: null, connections: 0, disconnectedAt: null };
}

/** Returns the record after the event; `record` is not changed. Throws TypeError on an impossible event. */
export function applyEvent(record: VerificationRecord | undefined, event: VerificationEvent, id: string): VerificationRecord {
	if (event.type === 'verification.created') {
		const data = event.data;
		return {
			id,
			externalUserRef: data.externalUserRef,
			purpose: data.purpose,
			locale: data.locale,
			accessibility: data.accessibility,
			state: 'created',
			revision: 0,
			eventCount: 1,
			createdAt: data.at,
			expiresAt: data.expiresAt,
			consentedAt: null,
			consentVersion: null,
			acceptedAt: null,
			endedAt: null,
			applicant: presence(data.applicantParticipantId),
			agent: null,
			interpreter: null,
			checklist: data.checklist.map(freshStep),
			currentStepId: null,
			challenge: null,
			documentChecks: [],
			duplicateFound: false,
			applicantDocumentHashes: [],
			earlier: data.earlier ? pickEarlier(data.earlier) : null,
			...(data.declared ? { declared: pickDeclared(data.declared) } : {}),
			decision: null,
			endReasonCodes: [],
			outcome: null,
			signedOutcome: null,
		};
	}
	if (!record) throw new TypeError(`${event.type} for unknown verification ${id}`);
	const next: VerificationRecord = structuredClone(record);
	next.eventCount = (record.eventCount ?? 0) + 1;
	const step = (stepId: StepId): StepState => {
		const found = next.checklist.find((candidate) => candidate.id === stepId);
		if (!found) throw new TypeError(`${event.type}: no step ${stepId} in verification ${id}`);
		return found;
	};
	switch (event.type) {
		case 'participant.joined': {
			const { role, participantId, at } = event.data;
			if (role === 'applicant') next.applicant.joinedAt ??= at;
			if (role === 'interpreter' && next.interpreter?.participantId === participantId) next.interpreter.joinedAt ??= at;
			break;
		}
		case 'verification.consented':
			next.state = 'waiting';
			next.consentedAt = event.data.at;
			next.consentVersion = event.data.consentVersion;
			break;
		case 'verification.accepted': {
			const { at, agentId, agentName, participantId } = event.data;
			next.state = 'in_call';
			next.acceptedAt = at;
			next.agent = { ...presence(participantId), joinedAt: at, agentId, displayName: agentName };
			break;
		}
		case 'step.prompted': {
			const target = step(event.data.stepId);
			target.status = 'prompted';
			target.promptedAt = event.data.at;
			target.markedAt = null;
			target.note = null;
			if (event.data.securityFeatures) target.securityFeatures = event.data.securityFeatures;
			next.currentStepId = target.id;
			break;
		}
		case 'challenge.issued': {
			const { at, stepId, typed, expiresAt } = event.data;
			next.challenge = { stepId, value: null, typed, issuedAt: at, expiresAt, answered: false, matched: null };
			break;
		}
		case 'challenge.answered':
			if (next.challenge?.stepId === event.data.stepId) {
				next.challenge.answered = true;
				next.challenge.matched = event.data.matched;
			}
			if (!event.data.matched) next.typedChallengeMismatched = true;
			break;
		case 'step.marked': {
			const target = step(event.data.stepId);
			target.status = event.data.result;
			target.markedAt = event.data.at;
			target.note = event.data.note;
			// A marked challenge step is over: its number is no longer anyone's to see or answer.
			if (next.challenge?.stepId === target.id) next.challenge = null;
			break;
		}
		case 'interpreter.invited': {
			const { invitationId, participantId, invitedBy, expiresAt } = event.data;
			next.interpreter = {
				...presence(participantId),
				invitationId,
				invitedBy,
				expiresAt,
				status: 'invited',
				declaration: null,
				consent: null,
			};
			break;
		}
		case 'interpreter.joined': {
			if (next.interpreter?.participantId !== event.data.participantId) break;
			next.interpreter.joinedAt = event.data.at;
			next.interpreter.status = 'joined';
			// The interpreter's steps join the checklist, fresh: they are about this person, even if an
			// earlier interpreter went through them. The applicant's results are kept.
			next.checklist = event.data.checklist.map((definition) => {
				const existing = next.checklist.find((candidate) => candidate.id === definition.id);
				return existing && !isInterpreterStep(existing.id) ? existing : freshStep(definition);
			});
			break;
		}
		case 'interpreter.declared':
			if (next.interpreter) {
				// Picked, not spread: journaled data also carries fields the fold ignores (`rev`).
				const { fullName, relation, at } = event.data;
				next.interpreter.declaration = { fullName, relation, at };
			}
			break;
		case 'interpreter.consented':
			if (next.interpreter?.participantId === event.data.participantId) {
				next.interpreter.consent = { at: event.data.at, version: event.data.consentVersion };
			}
			break;
		case 'interpreter.removed':
			if (next.interpreter?.participantId !== event.data.participantId) break;
			next.interpreter.status = 'removed';
			next.interpreter.connections = 0;
			next.interpreter.disconnectedAt = null;
			for (const candidate of next.checklist) {
				if (isInterpreterStep(candidate.id) && (candidate.status === 'pending' || candidate.status === 'prompted')) {
					candidate.status = 'not_applicable';
				}
			}
			if (next.currentStepId && isInterpreterStep(next.currentStepId)) next.currentStepId = null;
			break;
		case 'interpreter.left':
			if (next.interpreter?.participantId !== event.data.participantId) break;
			next.interpreter.status = 'left';
			next.interpreter.connections = 0;
			next.interpreter.disconnectedAt = null;
			break;
		case 'document.checked':
			next.documentChecks.push({
				documentType: event.data.documentType,
				documentHash: event.data.documentHash,
				duplicate: event.data.duplicate,
				at: event.data.at,
				...(event.data.mrz ? { mrz: pickMrz(event.data.mrz) } : {}),
			});
			next.duplicateFound ||= event.data.duplicate;
			break;
		case 'verification.decided': {
			const { at, state, reasonCodes, note, agentId, agentName, applicantDocument } = event.data;
			next.state = state;
			next.endedAt = at;
			next.decision = { reasonCodes, note, agentId, agentName };
			next.applicantDocumentHashes = state === 'approved' ? applicantDocumentHashes(next, applicantDocument) : [];
			next.challenge = null;
			break;
		}
		case 'review.requested': {
			const { at, decision, note, agentId, agentName, applicantDocument, callQuality, applicantGone } = event.data;
			next.state = 'in_review';
			next.decision = { reasonCodes: [], note, agentId, agentName };
			next.review = { since: at, agentDecision: decision, applicantDocument, callQuality, applicantGone, reviewer: null };
			next.challenge = null;
			break;
		}
		case 'review.decided': {
			if (!next.review) throw new TypeError(`review.decided for verification ${id}, which was not in review`);
			const { at, state, reasonCodes, note, reviewerId, reviewerName, applicantDocument } = event.data;
			next.state = state;
			next.endedAt = at;
			next.review.reviewer = { state, reviewerId, reviewerName, at, reasonCodes, note, applicantDocument };
			next.applicantDocumentHashes = state === 'approved' ? applicantDocumentHashes(next, applicantDocument) : [];
			break;
		}
		case 'verification.ended':
			next.state = event.data.state;
			next.endedAt = event.data.at;
			next.endReasonCodes = event.data.reasonCodes;
			next.challenge = null;
			break;
		case 'outcome.recorded':
			next.outcome = event.data.outcome;
			next.signedOutcome = event.data.signedOutcome;
			break;
		case 'personal_data.erased':
			erasePersonalFields(next, event.data.at);
			break;
		case 'document_hashes.forgotten':
			forgetDocumentHashes(next, event.data.at);
			break;
	}
	return next;
}

/** Picked, not spread: journaled data also carries fields the fold ignores. */
function pickEarlier(earlier: EarlierRecord): EarlierRecord {
	const { verificationId, state, decidedAt, reasonCodes, documentType, documentHash } = earlier;
	return { verificationId, state, decidedAt, reasonCodes, documentType, documentHash };
}

function pickDeclared(declared: DeclaredIdentity): DeclaredIdentity {
	const { fullName, dateOfBirth } = declared;
	return { ...(fullName === undefined ? {} : { fullName }), ...(dateOfBirth === undefined ? {} : { dateOfBirth }) };
}

function pickMrz(mrz: MrzVerdicts): MrzVerdicts {
	const { checkDigits, expired, matchesDeclaration } = mrz;
	return { checkDigits, expired, matchesDeclaration };
}

/**
 * The hashes an approval ties to the applicant. A decision journaled before the agent named the
 * applicant's document (no field) tied every document checked in the call, and keeps doing so.
 */
function applicantDocumentHashes(record: VerificationRecord, applicantDocument: number | null | undefined): string[] {
	if (applicantDocument === undefined) return [...new Set(record.documentChecks.map((check) => check.documentHash))];
	const check = applicantDocument === null ? undefined : record.documentChecks[applicantDocument - 1];
	return check ? [check.documentHash] : [];
}

/** The checklist a verification has with an interpreter taking part. */
export function interpreterChecklist(record: VerificationRecord): StepDefinition[] {
	return checklistFor(record.purpose, { interpreter: true, textOnlyChallenge: record.accessibility.textOnlyChallenge });
}

/** Whether an interpreter is in the call now (its connection may be dropped within its grace period). */
export function interpreterPresent(record: VerificationRecord): boolean {
	return record.interpreter?.status === 'joined';
}

export function findStep(record: VerificationRecord, stepId: StepId): StepState | undefined {
	return record.checklist.find((candidate) => candidate.id === stepId);
}

/** The record after a change's events, folded in order. */
export function applyEvents(record: VerificationRecord, events: readonly VerificationEvent[]): VerificationRecord {
	return events.reduce((next, event) => applyEvent(next, event, record.id), record);
}
