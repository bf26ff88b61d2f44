// The hash chain behind every Journal implementation: how a record is chained (to the journal's record
// before it and, for a record of a verification, to that verification's record before it), and the
// checks applied when records are read back, so that the embedded file, Redis and the audit script all
// agree on what an intact chain is and name a broken record the same way. What each hash covers is
// defined once, in @vidverify/verifier, which hosts run on the bundles they receive.
import { canonicalJson, isPlainObject, RECORD_FORMAT, recordHash, recordShapeProblem } from '@vidverify/verifier';
import { type ChainReport, GENESIS_HASH, type JournalEntry, type JournalRecord } from './Journal.ts';

export { canonicalJson };

/** A record's own contents are broken, or it does not follow the one before it. */
export class JournalCorruptError extends Error {
	override name = 'JournalCorruptError';
	/** The broken record's seq, or null when the record is too damaged to have one. */
	readonly seq: number | null;
	/** 1-based position of the record: its line in a file, its index in a list. */
	readonly line: number;
	readonly reason: string;

	constructor(where: string, seq: number | null, line: number, reason: string) {
		super(`${where}: broken at record seq ${seq ?? 'unknown'} (line ${line}): ${reason}`);
		this.seq = seq;
		this.line = line;
		this.reason = reason;
	}
}

/** The journal was closed (or failed and must be reopened); it takes no more appends or reads. */
export class JournalClosedError extends Error {
	override name = 'JournalClosedError';
}

/** The hash a record must carry; both record formats (see @vidverify/verifier's records.ts). */
export const hashRecord = recordHash;

/**
 * Checks an entry handed to append and returns it as it will be stored: data goes through a JSON round
 * trip (so a Date becomes its ISO string and undefined members disappear, exactly as a reader will see
 * them), and values JSON would silently change (NaN, Infinity) or cannot hold (BigInt) are a TypeError.
 */
export function normaliseEntry(entry: JournalEntry): JournalEntry {
	if (typeof entry?.type !== 'string' || entry.type.length === 0) {
		throw new TypeError('journal entry: type must be a non-empty string');
	}
	if (entry.verificationId !== undefined && (typeof entry.verificationId !== 'string' || entry.verificationId.length === 0)) {
		throw new TypeError('journal entry: verificationId must be a non-empty string when given');
	}
	const serialised: string | undefined = JSON.stringify(entry.data, (key, value: unknown) => {
		if (typeof value === 'number' && !Number.isFinite(value)) {
			throw new TypeError(`journal entry: data.${key} is ${value}, which JSON cannot hold`);
		}
		return value;
	});
	const data: unknown = serialised === undefined ? undefined : JSON.parse(serialised);
	if (!isPlainObject(data)) throw new TypeError('journal entry: data must be a plain object');
	return entry.verificationId === undefined
		? { type: entry.type, data }
		: { type: entry.type, verificationId: entry.verificationId, data };
}

/** Where a verification's records stand: how many there are and the last one's hash (64 zeros for none). */
export type VerificationHead = { count: number; hash: string };

export const NO_RECORDS: VerificationHead = { count: 0, hash: GENESIS_HASH };

/**
 * The record that follows `previous` (or the first one), with its hash. A record of a verification also
 * follows `verification`, that verification's head, which the caller must give.
 */
export function chainRecord(
	entry: JournalEntry,
	previous: { seq: number; hash: string },
	at: Date,
	verification?: VerificationHead,
): JournalRecord {
	const unhashed: Omit<JournalRecord, 'hash'> = {
		format: RECORD_FORMAT,
		seq: previous.seq + 1,
		at: at.toISOString(),
		type: entry.type,
		data: entry.data,
		prevHash: previous.hash,
	};
	if (entry.verificationId !== undefined) {
		if (verification === undefined) throw new TypeError('chainRecord: a record of a verification needs its head');
		unhashed.verificationId = entry.verificationId;
		unhashed.vseq = verification.count + 1;
		unhashed.vprev = verification.hash;
	}
	return { ...unhashed, hash: recordHash(unhashed) };
}

/** Every verification's head as records pass, for chaining the next record and checking the ones read. */
export class VerificationHeads {
	readonly #heads = new Map<string, VerificationHead>();

	get size(): number {
		return this.#heads.size;
	}

	of(verificationId: string): VerificationHead {
		return this.#heads.get(verificationId) ?? NO_RECORDS;
	}

	/** Moves the record's verification (if it has one) past it. */
	advance(record: JournalRecord): void {
		if (record.verificationId === undefined) return;
		this.#heads.set(record.verificationId, { count: this.of(record.verificationId).count + 1, hash: record.hash });
	}
}

/** Why a record was refused: damaged in itself (what a torn write leaves) or not linked to the one before. */
export type BreakKind = 'malformed' | 'tampered' | 'unlinked';

export type ChainStep = { ok: true; record: JournalRecord } | { ok: false; seq: number | null; kind: BreakKind; reason: string };

/**
 * Walks a chain one record at a time from the genesis hash. Each step checks, in order: the record's shape,
 * its own hash, its seq and prevHash against the record before, then (format 2) its vseq and vprev against
 * its verification's record before; it advances only past good records. Records of format 1 count in
 * their verification's head too, so that format-2 records appended to a verification begun before them
 * continue its count; once a format-2 record has passed, a format-1 record is refused (a downgrade would
 * drop the verification's chain).
 */
export class ChainCursor {
	#seq = 0;
	#hash = GENESIS_HASH;
	#format2Since: number | undefined;
	readonly verifications = new VerificationHeads();

	get seq(): number {
		return this.#seq;
	}

	get hash(): string {
		return this.#hash;
	}

	accept(value: unknown): ChainStep {
		const step = checkRecord(value);
		if (!step.ok) return step;
		const record = step.record;
		if (record.seq !== this.#seq + 1) {
			return { ok: false, seq: record.seq, kind: 'unlinked', reason: `seq ${record.seq} where ${this.#seq + 1} was expected` };
		}
		if (record.prevHash !== this.#hash) {
			const previous = this.#seq === 0 ? 'the genesis hash' : `the hash of record ${this.#seq}`;
			return { ok: false, seq: record.seq, kind: 'unlinked', reason: `prevHash is not ${previous}` };
		}
		const verificationProblem = this.#verificationProblem(record);
		if (verificationProblem !== undefined) return { ok: false, seq: record.seq, kind: 'unlinked', reason: verificationProblem };
		this.#seq = record.seq;
		this.#hash = record.hash;
		if (record.format === RECORD_FORMAT) this.#format2Since ??= record.seq;
		this.verifications.advance(record);
		return { ok: true, record };
	}

	#verificationProblem(record: JournalRecord): string | undefined {
		if (record.format !== RECORD_FORMAT) {
			if (this.#format2Since === undefined) return undefined;
			return `a record without its verification's chain (format 1) after record ${this.#format2Since} had one`;
		}
		if (record.verificationId === undefined) return undefined;
		const head = this.verifications.of(record.verificationId);
		if (record.vseq !== head.count + 1) {
			return `vseq ${record.vseq} where ${head.count + 1} was expected for verification ${record.verificationId}`;
		}
		if (record.vprev !== head.hash) {
			return head.count === 0
				? `vprev is not the genesis hash, and this is verification ${record.verificationId}'s first record`
				: `vprev is not the hash of verification ${record.verificationId}'s record ${head.count}`;
		}
		return undefined;
	}
}

/** Checks one record on its own (shape and hash), without the record before it. */
export function checkRecord(value: unknown): ChainStep {
	const shapeProblem = recordShapeProblem(value);
	if (shapeProblem !== undefined) {
		const seq = isPlainObject(value) && Number.isSafeInteger(value.seq) ? (value.seq as number) : null;
		return { ok: false, seq, kind: 'malformed', reason: shapeProblem };
	}
	const record = value as JournalRecord;
	let expectedHash: string;
	try {
		expectedHash = hashRecord(record);
	} catch (error) {
		return { ok: false, seq: record.seq, kind: 'malformed', reason: (error as Error).message };
	}
	if (expectedHash !== record.hash) {
		return { ok: false, seq: record.seq, kind: 'tampered', reason: "hash does not match the record's contents" };
	}
	return { ok: true, record };
}

/** Checks a whole sequence of records (as read back, before any trust) from the genesis hash. */
export async function verifyChain(records: Iterable<unknown> | AsyncIterable<unknown>): Promise<ChainReport> {
	const cursor = new ChainCursor();
	let line = 0;
	for await (const value of records) {
		line += 1;
		const step = cursor.accept(value);
		if (!step.ok) return { ok: false, records: cursor.seq, firstBroken: { seq: step.seq, line, reason: step.reason } };
	}
	return { ok: true, records: cursor.seq, lastHash: cursor.hash };
}
