// What erasure does to a verification's record as the domain folds it (VerificationRecord.ts): every
// personal field reads ERASED, as the journal's sealed fields do once the keys are gone, so the live
// record, the host's views and a rebuild after a restart all agree. States, times, decision, reason
// codes and step results stay.
import type { VerificationRecord } from '../sessions/VerificationRecord.ts';
import { ERASED } from './envelope.ts';

const erased = <T>(value: T): T | typeof ERASED => (value === null || value === undefined ? value : ERASED);

export function erasePersonalFields(record: VerificationRecord, at: string): void {
	record.externalUserRef = ERASED;
	if (record.declared) {
		const { fullName, dateOfBirth } = record.declared;
		record.declared = {
			...(fullName === undefined ? {} : { fullName: ERASED }),
			...(dateOfBirth === undefined ? {} : { dateOfBirth: ERASED }),
		};
	}
	for (const step of record.checklist) step.note = erased(step.note);
	if (record.decision) record.decision.note = erased(record.decision.note);
	if (record.review?.reviewer) record.review.reviewer.note = erased(record.review.reviewer.note);
	if (record.interpreter?.declaration) record.interpreter.declaration.fullName = ERASED;
	const { outcome } = record;
	if (outcome) {
		outcome.externalUserRef = ERASED;
		outcome.note = erased(outcome.note);
		for (const step of outcome.steps) step.note = erased(step.note);
		if (outcome.interpreter) outcome.interpreter.fullName = erased(outcome.interpreter.fullName);
		if (outcome.review) {
			outcome.review.agent.note = erased(outcome.review.agent.note);
			outcome.review.reviewer.note = erased(outcome.review.reviewer.note);
		}
	}
	forgetDocumentHashes(record, at);
	record.personalDataErasedAt ??= at;
}

export function forgetDocumentHashes(record: VerificationRecord, at: string): void {
	for (const check of record.documentChecks) check.documentHash = ERASED;
	record.applicantDocumentHashes = [];
	if (record.earlier) record.earlier.documentHash = erased(record.earlier.documentHash);
	record.documentHashesForgottenAt ??= at;
}
