// Signed checkpoints of the journal, kept beside it (DATA_DIR/checkpoints.jsonl, or a sorted set in
// Redis): each says, under the outcome key's signature, how long the journal was and the hash of its
// last record at a time. Beside rather than in the journal, so that a checkpoint never moves the head it
// signs; the journal's own chain is what makes any two checkpoints consistent (audit:verify checks each
// against it). Only signed text is kept: losing a checkpoint loses nothing a new one cannot say again.
import { type Checkpoint, isHash, isPlainObject } from '@vidverify/verifier';

/** A checkpoint as kept: what it says, and the compact JWS that says it. */
export type StoredCheckpoint = Checkpoint & { jws: string };

export interface CheckpointLog {
	/** Keeps a checkpoint; resolves once it is durable. Checkpoints are appended in order of length. */
	append(checkpoint: StoredCheckpoint): Promise<void>;
	/** The checkpoint of the longest journal kept, or undefined before the first. */
	latest(): Promise<StoredCheckpoint | undefined>;
	/** The earliest checkpoint of a journal at least `length` records long, or undefined when none is yet. */
	firstCovering(length: number): Promise<StoredCheckpoint | undefined>;
	/** Every checkpoint kept, in order of length (for the audit). */
	readAll(): AsyncIterable<StoredCheckpoint>;
	/** Idempotent; later calls reject. */
	close(): Promise<void>;
}

/** A checkpoint read back, or undefined when the value is not one (what it says is checked by the audit). */
export function parseStoredCheckpoint(value: unknown): StoredCheckpoint | undefined {
	if (!isPlainObject(value)) return undefined;
	const { length, head, at, jws } = value;
	if (!Number.isSafeInteger(length) || (length as number) < 1 || !isHash(head)) return undefined;
	if (typeof at !== 'string' || typeof jws !== 'string') return undefined;
	return { length: length as number, head, at, jws };
}
