// Signs checkpoints of the journal (its length and head hash at a time, with the outcome key) and keeps
// them in the CheckpointLog: every CHECKPOINT_INTERVAL_MS while the journal grows, soon after every
// outcome, and on demand when a bundle needs one covering a record no checkpoint covers yet. A host then
// proves a verification's records against a checkpoint (see bundle.ts), and an auditor with the journal
// checks every checkpoint against it (npm run audit:verify).
import type { Checkpoint } from '@vidverify/verifier';
import type { Logger } from '../logger.ts';
import type { CheckpointLog, StoredCheckpoint } from '../store/CheckpointLog.ts';
import type { Journal, ProvableJournal } from '../store/Journal.ts';

export type CheckpointsOptions = {
	journal: Pick<ProvableJournal, 'head'>;
	log: CheckpointLog;
	/** The checkpoint as a compact JWS signed with the outcome key. */
	sign: (checkpoint: Checkpoint) => string;
	/** How often a grown journal is signed even when no outcome asks for it. */
	intervalMs: number;
	logger: Logger;
	clock?: () => Date;
};

export class Checkpoints {
	readonly #options: CheckpointsOptions;
	readonly #clock: () => Date;
	readonly #logger: Logger;
	/** Signing runs one at a time; each reads the head when its turn comes. */
	#turn: Promise<unknown> = Promise.resolve();
	/** A requested checkpoint waits for its turn; more requests meanwhile are served by it. */
	#requested = false;
	#latest: StoredCheckpoint | undefined;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(options: CheckpointsOptions) {
		this.#options = options;
		this.#clock = options.clock ?? (() => new Date());
		this.#logger = options.logger;
	}

	/** Signs a grown journal every intervalMs from now on. */
	start(): void {
		this.#timer ??= setInterval(() => this.request(), this.#options.intervalMs);
		this.#timer.unref();
		this.request();
	}

	/** Asks for a checkpoint of the journal as it will be when signing's turn comes; failures are logged. */
	request(): void {
		if (this.#requested || this.#closed) return;
		this.#requested = true;
		this.#signInTurn(() => {
			this.#requested = false;
		}).catch((error: unknown) => {
			this.#logger.warn({ err: error }, 'could not sign a checkpoint of the journal; the next one tries again');
		});
	}

	/** Signs the journal's head now (after any signing under way), unless a checkpoint already names it. */
	checkpoint(): Promise<StoredCheckpoint | undefined> {
		return this.#signInTurn(() => {});
	}

	/** The earliest checkpoint of a journal that holds record `seq`, signing one when none does yet. */
	async covering(seq: number): Promise<StoredCheckpoint> {
		const kept = await this.#options.log.firstCovering(seq);
		if (kept !== undefined) return kept;
		const signed = await this.checkpoint();
		// The head is read after the record was acknowledged, so it holds it: anything else is a bug.
		if (signed === undefined || signed.length < seq) throw new Error(`no checkpoint covers journal record ${seq}`);
		return signed;
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#turn.catch(() => {});
	}

	#signInTurn(beforeHead: () => void): Promise<StoredCheckpoint | undefined> {
		const signed = this.#turn.then(() => {
			beforeHead();
			return this.#sign();
		});
		this.#turn = signed.catch(() => {});
		return signed;
	}

	async #sign(): Promise<StoredCheckpoint | undefined> {
		const head = await this.#options.journal.head();
		if (head.seq === 0) return undefined;
		this.#latest ??= await this.#options.log.latest();
		if (this.#latest !== undefined && this.#latest.length >= head.seq) return this.#latest;
		const checkpoint: Checkpoint = { length: head.seq, head: head.hash, at: this.#clock().toISOString() };
		const stored = { ...checkpoint, jws: this.#options.sign(checkpoint) };
		await this.#options.log.append(stored);
		this.#latest = stored;
		this.#logger.debug({ length: stored.length }, 'signed a checkpoint of the journal');
		return stored;
	}
}

/** The journal with a checkpoint requested after every outcome it records; everything else passes through. */
export function checkpointAtOutcomes(journal: Journal, checkpoints: Pick<Checkpoints, 'request'>): Journal {
	return {
		append: async (entry) => {
			const record = await journal.append(entry);
			if (record.type === 'outcome.recorded') checkpoints.request();
			return record;
		},
		readAll: () => journal.readAll(),
		readVerification: (verificationId) => journal.readVerification(verificationId),
		verify: () => journal.verify(),
		close: () => journal.close(),
	};
}
