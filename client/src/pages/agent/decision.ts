// The rules of the decision dialog, kept apart from the dialog so they can be tested: approval needs
// every required step passed and none failed, a rejection at least one reason code, an escalation a
// note; the reasons the call supports are proposed (shared catalogue, decisions.ts). The server applies
// the same rules and is the one that enforces which reasons a rejection may give: the dialog shows what
// each reason rests on, and the server's refusal when one rests on nothing.
import {
	CHECK_REASONS,
	type DecisionEvidence,
	type DocumentCheckView,
	isNoteExplained,
	type MediaQuality,
	POOR_CONNECTION,
	REASON_CODE_INFO,
	REASON_CODES,
	REASON_GROUPS,
	type ReasonCode,
	type ReasonGroup,
	STEP_FAILURE_REASONS,
	type StepView,
	type VerificationRequestPayload,
	type VerificationSnapshot,
} from '@vidverify/shared';

export type DecisionChoice = VerificationRequestPayload<'decide'>['decision'];

/** Required steps not (yet) passed. A step that no longer applies (interpreter removed) is not missing. */
export function missingRequiredSteps(checklist: readonly StepView[]): StepView[] {
	return checklist.filter((step) => step.required && step.status !== 'passed' && step.status !== 'not_applicable');
}

/** Steps marked failed: an approval would contradict them, whether the step is required or not. */
export function failedSteps(checklist: readonly StepView[]): StepView[] {
	return checklist.filter((step) => step.status === 'failed');
}

/** What stops an approval: required steps not passed, then any other step marked failed. */
export function approvalBlockers(checklist: readonly StepView[]): StepView[] {
	const missing = missingRequiredSteps(checklist);
	return [...missing, ...failedSteps(checklist).filter((step) => !missing.includes(step))];
}

export function canApprove(checklist: readonly StepView[]): boolean {
	return approvalBlockers(checklist).length === 0;
}

/**
 * Codes an agent can ever give: those a step, a check or a note can support. The others are the host's
 * facts, refused at creation (C2C trading frozen), never the agent's to find in a call.
 */
const AGENT_REASON_CODES = new Set<ReasonCode>([
	...Object.values(STEP_FAILURE_REASONS).flat(),
	...Object.values(CHECK_REASONS).flat(),
	...REASON_CODES.filter(isNoteExplained),
]);

/** The reason codes under their groups, in the catalogue's order, for the reject form's fieldsets; `except` left out. */
export function reasonCodesByGroup(except: readonly ReasonCode[] = []): { group: ReasonGroup; codes: ReasonCode[] }[] {
	return REASON_GROUPS.map((group) => ({
		group,
		codes: REASON_CODES.filter(
			(code) => REASON_CODE_INFO[code].group === group && AGENT_REASON_CODES.has(code) && !except.includes(code),
		),
	})).filter((entry) => entry.codes.length > 0);
}

/** Whether this sample shows the applicant's or interpreter's packet loss at the level the server counts as too poor. */
export function poorLossIn(sample: Pick<MediaQuality, 'role' | 'video' | 'audio'>): boolean {
	if (sample.role === 'agent') return false;
	const losses = [sample.video?.packetLossPercent ?? 0, sample.audio?.packetLossPercent ?? 0];
	return Math.max(...losses) >= POOR_CONNECTION.packetLossPercent;
}

/**
 * What the console knows of the call's evidence: the failed steps, a duplicate found, the applicant's
 * connection, and what it saw itself (a typed answer that did not match, a sample with poor loss). The
 * server measures quality over the whole call, so it may support connection_too_poor where this does not.
 */
export function evidenceOf(
	snapshot: Pick<VerificationSnapshot, 'checklist' | 'documentChecks' | 'participants'>,
	seen: { typedChallengeMismatched: boolean; poorConnection: boolean },
): DecisionEvidence {
	const applicant = snapshot.participants.find((participant) => participant.role === 'applicant');
	return {
		failedSteps: failedSteps(snapshot.checklist).map((step) => step.id),
		duplicateFound: (snapshot.documentChecks ?? []).some((check) => check.duplicate),
		typedChallengeMismatched: seen.typedChallengeMismatched,
		poorConnection: seen.poorConnection,
		applicantGone: applicant !== undefined && !applicant.connected,
	};
}

export type DecisionForm = {
	choice: DecisionChoice | undefined;
	reasonCodes: readonly ReasonCode[];
	note: string;
	/** On approval: the check whose document is the applicant's own, or 'none'; unset until chosen. */
	applicantDocument?: number | 'none' | undefined;
};

export type DecisionProblem =
	| 'choice_missing'
	| 'approve_blocked'
	| 'document_unchosen'
	| 'reasons_missing'
	| 'note_missing'
	| 'note_too_long';

/** The checks an approval may record as the applicant's document: those that found no other account. */
export function recordableDocuments(checks: readonly DocumentCheckView[] | null): DocumentCheckView[] {
	return (checks ?? []).filter((check) => !check.duplicate);
}

export const NOTE_MAX_LENGTH = 2000;

/** The `decide` payload the form stands for, or what stops it from being sent. */
export function decisionPayload(
	form: DecisionForm,
	checklist: readonly StepView[],
	documentChecks: readonly DocumentCheckView[] | null = [],
): { payload: VerificationRequestPayload<'decide'> } | { problem: DecisionProblem } {
	const note = form.note.trim();
	if (note.length > NOTE_MAX_LENGTH) return { problem: 'note_too_long' };
	switch (form.choice) {
		case undefined:
			return { problem: 'choice_missing' };
		case 'approve': {
			if (!canApprove(checklist)) return { problem: 'approve_blocked' };
			// A document is tied to the applicant only when the agent says it is theirs: never by default.
			const recordable = recordableDocuments(documentChecks);
			const chosen = form.applicantDocument;
			if (recordable.length > 0 && chosen === undefined) return { problem: 'document_unchosen' };
			if (typeof chosen === 'number' && recordable.some((check) => check.check === chosen)) {
				return { payload: { decision: 'approve', applicantDocument: chosen } };
			}
			return { payload: { decision: 'approve' } };
		}
		case 'reject': {
			// In the catalogue's order, once each, whatever order they were ticked in.
			const reasonCodes = REASON_CODES.filter((code) => form.reasonCodes.includes(code));
			if (reasonCodes.length === 0) return { problem: 'reasons_missing' };
			return { payload: note ? { decision: 'reject', reasonCodes, note } : { decision: 'reject', reasonCodes } };
		}
		case 'escalate':
			return note ? { payload: { decision: 'escalate', note } } : { problem: 'note_missing' };
	}
}
