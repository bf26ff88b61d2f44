// Why a verification is rejected or refused: the closed set of reason codes an agent (or the eligibility
// check at creation) can give, grouped as the agent console shows them, with the minimum age rule.
import type { MessageKey } from './messages.en.ts';

export const REASON_CODES = [
	'document_unreadable',
	'document_blurred',
	'document_cropped',
	'screenshot_or_edited',
	'document_expired',
	'document_unsupported',
	'language_unsupported',
	'face_mismatch',
	'duplicate_identity',
	'underage',
	'unsupported_region',
	'c2c_frozen',
	'procedure_not_followed',
	'someone_else_answered',
	'connection_too_poor',
	'applicant_left',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const REASON_GROUPS = ['document', 'identity', 'eligibility', 'procedure', 'technical'] as const;
export type ReasonGroup = (typeof REASON_GROUPS)[number];

export const REASON_GROUP_LABEL_KEYS: Record<ReasonGroup, MessageKey> = {
	document: 'reasonGroup.document',
	identity: 'reasonGroup.identity',
	eligibility: 'reasonGroup.eligibility',
	procedure: 'reasonGroup.procedure',
	technical: 'reasonGroup.technical',
};

export type ReasonCodeInfo = {
	group: ReasonGroup;
	/** For agents and the host's audit. */
	labelKey: MessageKey;
	/** For the applicant: what went wrong and what to do next. */
	adviceKey: MessageKey;
};

export const REASON_CODE_INFO: Record<ReasonCode, ReasonCodeInfo> = {
	document_unreadable: {
		group: 'document',
		labelKey: 'reason.document_unreadable.label',
		adviceKey: 'reason.document_unreadable.advice',
	},
	document_blurred: { group: 'document', labelKey: 'reason.document_blurred.label', adviceKey: 'reason.document_blurred.advice' },
	document_cropped: { group: 'document', labelKey: 'reason.document_cropped.label', adviceKey: 'reason.document_cropped.advice' },
	screenshot_or_edited: {
		group: 'document',
		labelKey: 'reason.screenshot_or_edited.label',
		adviceKey: 'reason.screenshot_or_edited.advice',
	},
	document_expired: { group: 'document', labelKey: 'reason.document_expired.label', adviceKey: 'reason.document_expired.advice' },
	document_unsupported: {
		group: 'document',
		labelKey: 'reason.document_unsupported.label',
		adviceKey: 'reason.document_unsupported.advice',
	},
	language_unsupported: {
		group: 'document',
		labelKey: 'reason.language_unsupported.label',
		adviceKey: 'reason.language_unsupported.advice',
	},
	face_mismatch: { group: 'identity', labelKey: 'reason.face_mismatch.label', adviceKey: 'reason.face_mismatch.advice' },
	duplicate_identity: {
		group: 'identity',
		labelKey: 'reason.duplicate_identity.label',
		adviceKey: 'reason.duplicate_identity.advice',
	},
	underage: { group: 'eligibility', labelKey: 'reason.underage.label', adviceKey: 'reason.underage.advice' },
	unsupported_region: {
		group: 'eligibility',
		labelKey: 'reason.unsupported_region.label',
		adviceKey: 'reason.unsupported_region.advice',
	},
	c2c_frozen: { group: 'eligibility', labelKey: 'reason.c2c_frozen.label', adviceKey: 'reason.c2c_frozen.advice' },
	procedure_not_followed: {
		group: 'procedure',
		labelKey: 'reason.procedure_not_followed.label',
		adviceKey: 'reason.procedure_not_followed.advice',
	},
	someone_else_answered: {
		group: 'procedure',
		labelKey: 'reason.someone_else_answered.label',
		adviceKey: 'reason.someone_else_answered.advice',
	},
	connection_too_poor: {
		group: 'technical',
		labelKey: 'reason.connection_too_poor.label',
		adviceKey: 'reason.connection_too_poor.advice',
	},
	applicant_left: { group: 'technical', labelKey: 'reason.applicant_left.label', adviceKey: 'reason.applicant_left.advice' },
};

/** Applicants younger than this are refused; the host may already know the age at creation. */
export const MIN_AGE = 18;

// The facts a host can know before any call; when one fails the verification is refused at creation
// with this reason, and the applicant cannot proceed until the fact changes.
export const ELIGIBILITY_REFUSALS = {
	underage: 'underage',
	unsupported_region: 'unsupported_region',
	c2c_frozen: 'c2c_frozen',
} as const satisfies Record<'underage' | 'unsupported_region' | 'c2c_frozen', ReasonCode>;

/** The values of the placeholders the applicant-facing advice texts use, to pass to translate(). */
export const REASON_ADVICE_PARAMS = { minAge: MIN_AGE } as const;
