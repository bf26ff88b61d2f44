// The durable log of vidverify: verification events, outcomes and the webhook outbox, as one
// append-only sequence of hash-chained records. Two implementations stand behind this interface:
// embedded (an fsync'd file, the default) and Redis; both pass the same contract tests.

export type JournalEntry = {
	/** What happened, dotted: 'verification.created', 'outcome.recorded', 'webhook.enqueued', ... */
	type: string;
	/** The verification the record belongs to, when it belongs to one. */
	verificationId?: string;
	/** JSON-serialisable payload. Never tokens, secrets, document numbers or media. */
	data: Record<string, unknown>;
};

export type JournalRecord = JournalEntry & {
	/** 1, 2, 3, ... in append order, with no gaps. */
	seq: number;
	/** ISO-8601 time at which the record was appended (server clock). */
	at: string;
	/** The previous record's hash; 64 zeros for the first record. */
	prevHash: string;
	/** SHA-256 (hex) over prevHash and the canonical JSON of {seq, at, type, verificationId, data}. */
	hash: string;
};

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

export const GENESIS_HASH = '0'.repeat(64);

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
