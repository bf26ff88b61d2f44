// What a decision must agree with: the reason codes each failed step supports, the recorded checks
// that support others, the causes an agent may give on a written note alone, and the measured quality
// at which a connection counts as too poor. The server refuses a rejection that names a cause nothing
// in the call supports; the agent console proposes reasons from the same tables.
import type { StepId } from './checklists.ts';
import { REASON_CODES, type ReasonCode } from './reasonCodes.ts';

/**
 * The causes a failed step can explain: what the agent looks at in that step (its guidance). Failing
 * the step proposes them; a rejection may name them. A step whose failure has one cause only proposes
 * it ticked; the others leave the agent to pick among theirs.
 */
export const STEP_FAILURE_REASONS: Record<StepId, readonly ReasonCode[]> = {
	consent: ['procedure_not_followed', 'language_unsupported'],
	face: ['face_mismatch'],
	// The front carries the photo's document data: name, date of birth, expiry, issuing country.
	document_front: [
		'document_unreadable',
		'document_blurred',
		'document_cropped',
		'document_expired',
		'document_unsupported',
		'language_unsupported',
		'underage',
		'unsupported_region',
	],
	document_back: ['document_unreadable', 'document_blurred', 'document_cropped'],
	confirm_details: ['document_unreadable', 'document_expired', 'underage', 'unsupported_region'],
	// Not the renewal of the identity verified before: another person, or a document someone else holds.
	renewal_check: ['face_mismatch', 'duplicate_identity', 'document_expired'],
	security_features: ['screenshot_or_edited'],
	challenge: ['someone_else_answered'],
	// A frozen picture, a mask or a loop: the person on camera is not shown to be the one on the document.
	head_turn: ['face_mismatch'],
	interpreter_declaration: ['someone_else_answered', 'procedure_not_followed'],
	interpreter_document: ['procedure_not_followed'],
	joint_presence: ['procedure_not_followed'],
};

/** What the call recorded besides the steps, each of which supports reason codes of its own. */
export type DecisionEvidence = {
	/** Steps marked failed (and still applicable). */
	failedSteps: readonly StepId[];
	/** A duplicate check found the document tied to another user. */
	duplicateFound: boolean;
	/** A typed challenge answer did not match its number. */
	typedChallengeMismatched: boolean;
	/** The measured call quality of the applicant or interpreter was poor (poorConnectionMeasured). */
	poorConnection: boolean;
	/** The applicant's connection is gone (its grace period is running). */
	applicantGone: boolean;
};

export type RecordedCheck = Exclude<keyof DecisionEvidence, 'failedSteps'>;

export const CHECK_REASONS: Record<RecordedCheck, readonly ReasonCode[]> = {
	duplicateFound: ['duplicate_identity'],
	typedChallengeMismatched: ['someone_else_answered'],
	poorConnection: ['connection_too_poor'],
	applicantGone: ['applicant_left'],
};

/**
 * Causes an agent sees without any step or check recording them (the applicant read from a script,
 * the sound kept cutting out though the figures held): a rejection may name them when the agent's note
 * says what happened. Every other code needs a failed step or a recorded check.
 */
export const NOTE_EXPLAINED_REASONS = [
	'procedure_not_followed',
	'someone_else_answered',
	'connection_too_poor',
] as const satisfies readonly ReasonCode[];

export function isNoteExplained(code: ReasonCode): boolean {
	return (NOTE_EXPLAINED_REASONS as readonly ReasonCode[]).includes(code);
}

/**
 * Where a connection is too poor for a video check, as the agent console judges a sample poor:
 * loss that smears the picture, a delay that breaks conversation, too few bits for a readable picture.
 */
export const POOR_CONNECTION = { packetLossPercent: 5, roundTripMs: 400, videoKbps: 150 } as const;

/** One participant's measured quality over the call (the fields of the outcome's call quality). */
export type MeasuredQuality = {
	role: string;
	worstPacketLossPercent: number | null;
	averageRoundTripMs: number | null;
	averageVideoKbps: number | null;
};

/** Whether the applicant's or interpreter's measured quality was poor; the agent's own is not their fault. */
export function poorConnectionMeasured(participants: readonly MeasuredQuality[]): boolean {
	return participants.some(
		(participant) =>
			participant.role !== 'agent' &&
			((participant.worstPacketLossPercent ?? 0) >= POOR_CONNECTION.packetLossPercent ||
				(participant.averageRoundTripMs ?? 0) >= POOR_CONNECTION.roundTripMs ||
				(participant.averageVideoKbps !== null && participant.averageVideoKbps < POOR_CONNECTION.videoKbps)),
	);
}

/** What supports a reason code in this call: failed steps and recorded checks. */
export type ReasonSource = { step: StepId } | { check: RecordedCheck };

/** The reason codes this call's evidence supports, in the catalogue's order, each with what supports it. */
export function proposedReasons(evidence: DecisionEvidence): { code: ReasonCode; sources: ReasonSource[] }[] {
	const sources = new Map<ReasonCode, ReasonSource[]>();
	const add = (code: ReasonCode, source: ReasonSource) => sources.set(code, [...(sources.get(code) ?? []), source]);
	for (const step of evidence.failedSteps) for (const code of STEP_FAILURE_REASONS[step]) add(code, { step });
	for (const check of Object.keys(CHECK_REASONS) as RecordedCheck[]) {
		if (evidence[check]) for (const code of CHECK_REASONS[check]) add(code, { check });
	}
	return REASON_CODES.filter((code) => sources.has(code)).map((code) => ({ code, sources: sources.get(code) ?? [] }));
}

/**
 * The proposals to tick in advance: those a source supports as its only cause (a failed face step is a
 * face mismatch; a failed document step could be one of several, which the agent picks).
 */
export function preselectedReasons(evidence: DecisionEvidence): ReasonCode[] {
	const single = (codes: readonly ReasonCode[]) => (codes.length === 1 ? codes : []);
	const chosen = new Set<ReasonCode>([
		...evidence.failedSteps.flatMap((step) => single(STEP_FAILURE_REASONS[step])),
		...(Object.keys(CHECK_REASONS) as RecordedCheck[]).flatMap((check) => (evidence[check] ? single(CHECK_REASONS[check]) : [])),
	]);
	return REASON_CODES.filter((code) => chosen.has(code));
}

/**
 * The codes of a rejection the call does not support: `unsupported` needs a failed step or a recorded
 * check, `needNote` would be accepted with a note saying what the agent saw. Both empty: consistent.
 */
export function unsupportedReasons(
	codes: readonly ReasonCode[],
	evidence: DecisionEvidence,
	hasNote: boolean,
): { unsupported: ReasonCode[]; needNote: ReasonCode[] } {
	const supported = new Set(proposedReasons(evidence).map((entry) => entry.code));
	const missing = REASON_CODES.filter((code) => codes.includes(code) && !supported.has(code));
	return {
		unsupported: missing.filter((code) => !isNoteExplained(code)),
		needNote: hasNote ? [] : missing.filter(isNoteExplained),
	};
}
