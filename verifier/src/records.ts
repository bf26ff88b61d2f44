// What the hashes of the vidverify journal cover, for the service that writes it and for a host that
// checks a bundle offline: one implementation, so the two cannot disagree.
//
// The journal is one chain of records (seq 1, 2, 3, ...; each names the hash of the one before). Two
// record formats live in it:
// - format 1 (records journaled before per-verification proofs, no `format` field):
//   hash = SHA-256(prevHash "\n" canonical JSON of {seq, at, type, verificationId, data}).
// - format 2 (`format: 2`): a record of a verification also carries `vseq`, its place among that
//   verification's records (1, 2, ...), and `vprev`, the hash of the verification's record before it
//   (64 zeros for its first), so each verification's records form a chain of their own inside the
//   journal's. hash = SHA-256(prevHash "\n" subject "\n" body), where body is the SHA-256 of the canonical
//   JSON of every field but prevHash and hash, and subject is SHA-256("verification\n" + verificationId),
//   or "-" for a record of no verification. Split that way, a proof can step over a record of somebody
//   else with two digests, learning nothing of its contents but whether it belongs to the verification
//   being proven.
import { createHash } from 'node:crypto';
import { canonicalJson, isPlainObject } from './canonicalJson.ts';

export const GENESIS_HASH = '0'.repeat(64);
export const RECORD_FORMAT = 2;
/** The subject of a record that belongs to no verification. */
export const NO_SUBJECT = '-';

export type JournalRecord = {
	/** 2 for records with per-verification chains; absent on records journaled before them. */
	format?: 2;
	/** 1, 2, 3, ... in append order, with no gaps. */
	seq: number;
	/** ISO-8601 time at which the record was appended (server clock). */
	at: string;
	/** What happened, dotted: 'verification.created', 'outcome.recorded', 'webhook.enqueued', ... */
	type: string;
	/** The verification the record belongs to, when it belongs to one. */
	verificationId?: string;
	/** Format 2, records of a verification: 1, 2, 3, ... among that verification's records. */
	vseq?: number;
	/** Format 2, records of a verification: the hash of its record before this one, or 64 zeros. */
	vprev?: string;
	data: Record<string, unknown>;
	/** The hash of the journal's record before this one; 64 zeros for the first record. */
	prevHash: string;
	hash: string;
};

/** One record of somebody else in a proof: its subject and body, enough to hash it into the chain. */
export type ProofLink = [subject: string, body: string];

/**
 * Fields of a record's data that the journal adds when it journals a change (the repository's `rev`,
 * which makes a repeated append recognisable), after the outcome that commits to the events was signed.
 * They are covered by the record's hash, but not by the outcome's commitment to the events.
 */
export const BOOKKEEPING_FIELDS: readonly string[] = ['rev'];

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const FIELDS_1 = new Set(['seq', 'at', 'type', 'verificationId', 'data', 'prevHash', 'hash']);
const FIELDS_2 = new Set([...FIELDS_1, 'format', 'vseq', 'vprev']);

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

export function isHash(value: unknown): value is string {
	return typeof value === 'string' && HASH_PATTERN.test(value);
}

/** The hash a record must carry, from all its other fields. */
export function recordHash(record: Omit<JournalRecord, 'hash'>): string {
	if (record.format === RECORD_FORMAT) return linkHash(record.prevHash, subjectOf(record.verificationId), bodyOf(record));
	const contents: Record<string, unknown> = { seq: record.seq, at: record.at, type: record.type, data: record.data };
	if (record.verificationId !== undefined) contents.verificationId = record.verificationId;
	return sha256Hex(`${record.prevHash}\n${canonicalJson(contents)}`);
}

/** Format 2: the digest of everything a record says but its links to the journal's chain. */
export function bodyOf(record: Omit<JournalRecord, 'hash'>): string {
	const { prevHash: _prevHash, hash: _hash, ...contents } = record as JournalRecord;
	return sha256Hex(canonicalJson(contents));
}

/** Format 2: whose record it is, without saying who (a host knows its own verification's subject). */
export function subjectOf(verificationId: string | undefined): string {
	return verificationId === undefined ? NO_SUBJECT : sha256Hex(`verification\n${verificationId}`);
}

/** Format 2: the hash of a record from the hash before it and the record's subject and body. */
export function linkHash(prevHash: string, subject: string, body: string): string {
	return sha256Hex(`${prevHash}\n${subject}\n${body}`);
}

/** What a proof carries of a format-2 record that is not the host's. */
export function proofLinkOf(record: JournalRecord): ProofLink {
	return [subjectOf(record.verificationId), bodyOf(record)];
}

/**
 * Why a value is not a well-formed record of either format, or undefined when it is one. Only the shape:
 * whether its hash is right is recordHash's to say.
 */
export function recordShapeProblem(value: unknown): string | undefined {
	if (!isPlainObject(value)) return 'not a JSON object';
	const format2 = 'format' in value;
	if (format2 && value.format !== RECORD_FORMAT) return `format is ${JSON.stringify(value.format)}, not ${RECORD_FORMAT}`;
	const allowed = format2 ? FIELDS_2 : FIELDS_1;
	const unexpected = Object.keys(value).find((key) => !allowed.has(key));
	if (unexpected !== undefined) return `unexpected field ${JSON.stringify(unexpected)}`;
	if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 1) return 'seq is not a positive integer';
	if (typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at))) return 'at is not a time';
	if (typeof value.type !== 'string' || value.type.length === 0) return 'type is not a non-empty string';
	const hasVerification = 'verificationId' in value;
	if (hasVerification && (typeof value.verificationId !== 'string' || value.verificationId.length === 0)) {
		return 'verificationId is not a non-empty string';
	}
	if (format2 && hasVerification) {
		if (!Number.isSafeInteger(value.vseq) || (value.vseq as number) < 1) return 'vseq is not a positive integer';
		if (!isHash(value.vprev)) return 'vprev is not a SHA-256 hex digest';
	} else if ('vseq' in value || 'vprev' in value) {
		return 'vseq and vprev belong only to records of a verification';
	}
	if (!isPlainObject(value.data)) return 'data is not an object';
	if (!isHash(value.prevHash)) return 'prevHash is not a SHA-256 hex digest';
	if (!isHash(value.hash)) return 'hash is not a SHA-256 hex digest';
	return undefined;
}

/** What an outcome commits to: how many of its verification's records came before it, and their digest. */
export type EventsHead = { count: number; hash: string };

export const NO_EVENTS: EventsHead = { count: 0, hash: GENESIS_HASH };

/**
 * The head after one more event. It covers what the domain decided (type and data, without the
 * journal's bookkeeping fields) and not where the journal put it (seq, at, links), because the outcome
 * is signed in the same change as the events before it, before the journal has placed them.
 */
export function nextEventsHead(head: EventsHead, event: { type: string; data: Record<string, unknown> }): EventsHead {
	const data = { ...event.data };
	for (const field of BOOKKEEPING_FIELDS) delete data[field];
	return { count: head.count + 1, hash: sha256Hex(`${head.hash}\n${canonicalJson({ type: event.type, data })}`) };
}

export function eventsHeadOf(events: Iterable<{ type: string; data: Record<string, unknown> }>): EventsHead {
	let head = NO_EVENTS;
	for (const event of events) head = nextEventsHead(head, event);
	return head;
}
