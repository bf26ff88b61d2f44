// The rules of the decision dialog, kept apart from the dialog so they can be tested: approval needs
// every required step passed, a rejection at least one reason code, an escalation a note. The server
// applies the same rules; checking here lets the dialog say what is missing before anything is sent.
import {
	type DocumentCheckView,
	REASON_CODE_INFO,
	REASON_CODES,
	REASON_GROUPS,
	type ReasonCode,
	type ReasonGroup,
	type StepView,
	type VerificationRequestPayload,
} from '@vidverify/shared';

export type DecisionChoice = VerificationRequestPayload<'decide'>['decision'];

/** Required steps not (yet) passed. A step that no longer applies (interpreter removed) is not missing. */
export function missingRequiredSteps(checklist: readonly StepView[]): StepView[] {
	return checklist.filter((step) => step.required && step.status !== 'passed' && step.status !== 'not_applicable');
}

export function canApprove(checklist: readonly StepView[]): boolean {
	return missingRequiredSteps(checklist).length === 0;
}

/** The reason codes under their groups, in the catalogue's order, for the reject form's fieldsets. */
export function reasonCodesByGroup(): { group: ReasonGroup; codes: ReasonCode[] }[] {
	return REASON_GROUPS.map((group) => ({
		group,
		codes: REASON_CODES.filter((code) => REASON_CODE_INFO[code].group === group),
	})).filter((entry) => entry.codes.length > 0);
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
