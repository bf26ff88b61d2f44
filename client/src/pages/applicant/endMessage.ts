// What the end screen tells the applicant: what happened, and what to do next. Decisions are the
// platform's to announce (it receives the outcome and may act on it: unlock, retry window), so the
// page says the check is over and the platform will tell them; for a rejection it adds the advice
// texts of the reasons, which the catalogue words neutrally for that purpose.
import {
	type FinalState,
	MESSAGES,
	type MessageKey,
	placeholdersOf,
	REASON_CODE_INFO,
	type ReasonCode,
	type VerificationSnapshot,
} from '@vidverify/shared';
import type { UiKey } from '../../i18n/resources.ts';

type EndKey = Extract<UiKey, `end.${string}`>;

export type EndMessage = {
	state: FinalState | 'in_review';
	/** UI string keys (applicant dictionary) of the title and the paragraphs, in order. */
	titleKey: EndKey;
	bodyKeys: EndKey[];
	/** Catalogue advice for the reasons, when they help the applicant do better next time. */
	adviceKeys: MessageKey[];
};

function adviceFor(reasonCodes: readonly ReasonCode[]): MessageKey[] {
	return reasonCodes
		.map((code) => REASON_CODE_INFO[code].adviceKey)
		.filter((key) => placeholdersOf(MESSAGES.en[key]).length === 0);
}

export function endMessage(snapshot: Pick<VerificationSnapshot, 'state' | 'decision'>): EndMessage | undefined {
	const reasons = snapshot.decision?.reasonCodes ?? [];
	switch (snapshot.state) {
		case 'approved':
			return {
				state: 'approved',
				titleKey: 'end.approved.title',
				bodyKeys: ['end.approved.body', 'end.platformTells'],
				adviceKeys: [],
			};
		case 'rejected':
			return {
				state: 'rejected',
				titleKey: 'end.rejected.title',
				bodyKeys: ['end.rejected.body', 'end.platformTells'],
				adviceKeys: adviceFor(reasons),
			};
		// A colleague reviews the call's record; to the applicant, it is over for now either way.
		case 'in_review':
		case 'escalated':
			return {
				state: snapshot.state,
				titleKey: 'end.escalated.title',
				bodyKeys: ['end.escalated.body', 'end.platformTells'],
				adviceKeys: [],
			};
		case 'abandoned':
			return {
				state: 'abandoned',
				titleKey: 'end.abandoned.title',
				bodyKeys: ['end.abandoned.body', 'end.startAgain'],
				adviceKeys: [],
			};
		case 'interrupted':
			return {
				state: 'interrupted',
				titleKey: 'end.interrupted.title',
				bodyKeys: [reasons.includes('applicant_left') ? 'end.interrupted.left' : 'end.interrupted.lost', 'end.startAgain'],
				adviceKeys: reasons.includes('connection_too_poor') ? adviceFor(['connection_too_poor']) : [],
			};
		case 'expired':
			return {
				state: 'expired',
				titleKey: 'end.expired.title',
				bodyKeys: ['end.expired.body', 'end.startAgain'],
				adviceKeys: [],
			};
		default:
			return undefined;
	}
}
