// The consent the applicant gives before a call: its version, recorded with the consent, and the
// message keys of its text in reading order.
import type { MessageKey } from './messages.en.ts';

// A new date whenever the meaning of the consent text changes in any locale, so every recorded consent
// points at the words the applicant actually saw.
export const CONSENT_VERSION = '2026-11-01';

export const CONSENT_TEXT_KEYS = [
	'consent.title',
	'consent.intro',
	'consent.whatIsChecked',
	'consent.nothingRecorded',
	'consent.whatIsKept',
	'consent.rightToStop',
] as const satisfies readonly MessageKey[];
