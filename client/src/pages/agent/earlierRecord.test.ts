import type { DocumentCheckView, EarlierRecordView } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { earlierDocumentMatch } from './earlierRecord.ts';

const earlier: EarlierRecordView = {
	verificationId: 'v-0',
	state: 'approved',
	decidedAt: '2026-06-01T10:00:00.000Z',
	reasonCodes: [],
	documentType: 'passport',
};
const check = (number: number, matchesEarlier?: boolean): DocumentCheckView => ({
	check: number,
	documentType: 'passport',
	duplicate: false,
	at: '2026-12-01T10:00:00.000Z',
	...(matchesEarlier === undefined ? {} : { matchesEarlier }),
});

describe('earlierDocumentMatch', () => {
	it('says whether any check of this call is the earlier record’s document', () => {
		expect(earlierDocumentMatch(earlier, [])).toBe('not_checked');
		expect(earlierDocumentMatch(earlier, null)).toBe('not_checked');
		expect(earlierDocumentMatch(earlier, [check(1, false)])).toBe('different');
		expect(earlierDocumentMatch(earlier, [check(1, false), check(2, true)])).toBe('same');
	});

	it('has nothing to compare when the earlier record kept no document', () => {
		expect(earlierDocumentMatch({ ...earlier, documentType: null }, [check(1, false)])).toBe('no_earlier_document');
	});
});
