// A verification's bundle: its journal records, its signed outcome, a signed checkpoint of the journal
// at or after its last record, and the proof that links the one to the other, with the public key, so
// a host can check it offline (@vidverify/verifier's verifyBundle; docs/audit.md). The checkpoint is the
// earliest that covers the last record, which keeps the proof short: it steps over only the records
// journaled between that record and the checkpoint, as two digests each.
import type { JsonWebKey } from 'node:crypto';
import { VERIFICATION_BUNDLE_FORMAT, type VerificationBundle } from '@vidverify/shared';
import { type ProofLink, proofLinkOf } from '@vidverify/verifier';
import type { JournalRecord, ProvableJournal } from '../store/Journal.ts';
import type { Checkpoints } from './Checkpoints.ts';

export type BundleSources = {
	journal: Pick<ProvableJournal, 'readRange'>;
	checkpoints: Pick<Checkpoints, 'covering'>;
	/** The outcome key, public. */
	key: JsonWebKey;
};

/** The bundle of a verification whose records (all of them, in order, at least one) are `events`. */
export async function buildBundle(
	sources: BundleSources,
	verificationId: string,
	events: JournalRecord[],
): Promise<VerificationBundle> {
	const last = events.at(-1);
	if (last === undefined) throw new TypeError(`buildBundle: verification ${verificationId} has no records`);
	const checkpoint = await sources.checkpoints.covering(last.seq);
	const proof: ProofLink[] = [];
	for await (const record of sources.journal.readRange(last.seq + 1, checkpoint.length)) proof.push(proofLinkOf(record));
	const recorded = events.findLast((record) => record.type === 'outcome.recorded');
	const signedOutcome = typeof recorded?.data.signedOutcome === 'string' ? recorded.data.signedOutcome : null;
	return {
		format: VERIFICATION_BUNDLE_FORMAT,
		verificationId,
		key: { ...sources.key },
		signedOutcome,
		events,
		checkpoint: checkpoint.jws,
		proof,
	};
}
