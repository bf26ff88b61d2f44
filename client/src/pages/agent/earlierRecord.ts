// What the agent compares an identity reset with: the earlier verification's summary, and whether the
// document checked in this call is the one recorded then. The server compares the keyed hashes; the
// console only reads each check's answer.
import type { DocumentCheckView, EarlierRecordView } from '@vidverify/shared';

/**
 * same: a check in this call is the earlier record's document (type and number); different: checks
 * were run and none is; not_checked: no check yet; no_earlier_document: nothing was recorded then.
 */
export type EarlierDocumentMatch = 'same' | 'different' | 'not_checked' | 'no_earlier_document';

export function earlierDocumentMatch(
	earlier: EarlierRecordView,
	checks: readonly DocumentCheckView[] | null,
): EarlierDocumentMatch {
	if (earlier.documentType === null) return 'no_earlier_document';
	const compared = (checks ?? []).filter((check) => check.matchesEarlier !== undefined);
	if (compared.length === 0) return 'not_checked';
	return compared.some((check) => check.matchesEarlier) ? 'same' : 'different';
}
