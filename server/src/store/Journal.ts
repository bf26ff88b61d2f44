// The durable log of vidverify: verification events, outcomes and the webhook outbox, as one
// append-only sequence of hash-chained records. Two implementations stand behind this interface:
// embedded (an fsync'd file, the default) and Redis; both pass the same contract tests.
import { GENESIS_HASH, type JournalRecord as VerifierRecord } from '@vidverify/verifier';

export type JournalEntry = {
	/** What happened, dotted: 'verification.created', 'outcome.recorded', 'webhook.enqueued', ... */
	type: string;
	/** The verification the record belongs to, when it belongs to one. */
	verificationId?: string;
	/** JSON-serialisable payload. Never tokens, secrets, document numbers or media. */
	data: Record<string, unknown>;
};

/**
 * A record as stored: the entry with its place in the journal's chain (seq, at, prevHash, hash) and, for
 * a record of a verification, in that verification's chain (vseq, vprev). Defined with what each hash
 * covers in @vidverify/verifier.
 */
export type JournalRecord = VerifierRecord;

export type ChainReport =
	| { ok: true; records: number; lastHash: string }
	| { ok: false; records: number; firstBroken: { seq: number | null; line: number; reason: string } };

export interface Journal {
	/**
	 * Appends one record. Resolves only once the record is durable (fsync'd to disk, or acknowledged
	 * by the store); records are chained in the order append was called.
	 */
	append(entry: JournalEntry): Promise<JournalRecord>;
	/** Every record in order; used at start-up to rebuild state. */
	readAll(): AsyncIterable<JournalRecord>;
	/** The records of one verification, in order. */
	readVerification(verificationId: string): Promise<JournalRecord[]>;
	/** Checks the whole chain and names the first broken record. */
	verify(): Promise<ChainReport>;
	/** Flushes and releases the store; further appends reject. Idempotent. */
	close(): Promise<void>;
}

export { GENESIS_HASH };

/** The last acknowledged record's seq and hash; seq 0 and the genesis hash for an empty journal. */
export type JournalHead = { seq: number; hash: string };

/**
 * What proofs of the record need of a journal beyond the Journal interface: both store modes give it,
 * the journal the domain sees (which tests may wrap) need not.
 */
export interface ProvableJournal extends Journal {
	head(): Promise<JournalHead>;
	/** Acknowledged records fromSeq..toSeq, in order, each checked and linked to the one before it. */
	readRange(fromSeq: number, toSeq: number): AsyncIterable<JournalRecord>;
}

/**
 * The journal with the duration of each append (and whether it succeeded) told to `observe`, for
 * metrics; everything else passes through.
 */
export function observeAppends(journal: Journal, observe: (seconds: number, ok: boolean) => void): Journal {
	return {
		append: async (entry) => {
			const startedAt = performance.now();
			let ok = false;
			try {
				const record = await journal.append(entry);
				ok = true;
				return record;
			} finally {
				observe((performance.now() - startedAt) / 1000, ok);
			}
		},
		readAll: () => journal.readAll(),
		readVerification: (verificationId) => journal.readVerification(verificationId),
		verify: () => journal.verify(),
		close: () => journal.close(),
	};
}
