// The hash chain behind every Journal implementation: the canonical JSON a record's hash covers, the
// hash itself, and the checks applied when records are read back, so that the embedded file, Redis and
// the audit script all agree on what an intact chain is and name a broken record the same way.
import { createHash } from 'node:crypto';
import { type ChainReport, GENESIS_HASH, type JournalEntry, type JournalRecord } from './Journal.ts';

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

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no whitespace, so that one value
 * always gives the same bytes whatever order its keys were written in. Accepts only what survives a JSON
 * round trip unchanged; anything else is a TypeError rather than a silent change to hashed data.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) {
		return `[${value
			.map((item) => {
				if (item === undefined) throw new TypeError('canonicalJson: undefined inside an array');
				return canonicalJson(item);
			})
			.join(',')}]`;
	}
	if (typeof value === 'object' && isPlainObject(value)) {
		const members = Object.keys(value)
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
		return `{${members.join(',')}}`;
	}
	throw new TypeError(`canonicalJson: a ${describeType(value)} is not a JSON value`);
}

/** SHA-256 (hex) over the previous hash, a newline, and the canonical JSON of the record's contents. */
export function hashRecord(record: Omit<JournalRecord, 'hash'>): string {
	const contents: Record<string, unknown> = { seq: record.seq, at: record.at, type: record.type, data: record.data };
	if (record.verificationId !== undefined) contents.verificationId = record.verificationId;
	return createHash('sha256')
		.update(`${record.prevHash}\n${canonicalJson(contents)}`)
		.digest('hex');
}

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

/** The record that follows `previous` (or the first one), with its hash. */
export function chainRecord(entry: JournalEntry, previous: { seq: number; hash: string }, at: Date): JournalRecord {
	const unhashed: Omit<JournalRecord, 'hash'> = {
		seq: previous.seq + 1,
		at: at.toISOString(),
		type: entry.type,
		...(entry.verificationId === undefined ? {} : { verificationId: entry.verificationId }),
		data: entry.data,
		prevHash: previous.hash,
	};
	return { ...unhashed, hash: hashRecord(unhashed) };
}

/** Why a record was refused: damaged in itself (what a torn write leaves) or not linked to the one before. */
export type BreakKind = 'malformed' | 'tampered' | 'unlinked';

export type ChainStep = { ok: true; record: JournalRecord } | { ok: false; seq: number | null; kind: BreakKind; reason: string };

const RECORD_FIELDS = new Set(['seq', 'at', 'type', 'verificationId', 'data', 'prevHash', 'hash']);
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Walks a chain one record at a time from the genesis hash. Each step checks, in order: the record's shape,
 * its own hash, then its seq and prevHash against the record before; it advances only past good records.
 */
export class ChainCursor {
	#seq = 0;
	#hash = GENESIS_HASH;

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
		this.#seq = record.seq;
		this.#hash = record.hash;
		return { ok: true, record };
	}
}

/** Checks one record on its own (shape and hash), without the record before it. */
export function checkRecord(value: unknown): ChainStep {
	const shapeProblem = describeShapeProblem(value);
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

function describeShapeProblem(value: unknown): string | undefined {
	if (!isPlainObject(value)) return 'not a JSON object';
	const unexpected = Object.keys(value).find((key) => !RECORD_FIELDS.has(key));
	if (unexpected !== undefined) return `unexpected field ${JSON.stringify(unexpected)}`;
	if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 1) return 'seq is not a positive integer';
	if (typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at))) return 'at is not a time';
	if (typeof value.type !== 'string' || value.type.length === 0) return 'type is not a non-empty string';
	if ('verificationId' in value && (typeof value.verificationId !== 'string' || value.verificationId.length === 0)) {
		return 'verificationId is not a non-empty string';
	}
	if (!isPlainObject(value.data)) return 'data is not an object';
	if (typeof value.prevHash !== 'string' || !HASH_PATTERN.test(value.prevHash)) return 'prevHash is not a SHA-256 hex digest';
	if (typeof value.hash !== 'string' || !HASH_PATTERN.test(value.hash)) return 'hash is not a SHA-256 hex digest';
	return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function describeType(value: unknown): string {
	if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object';
	return typeof value;
}
