// The Redis Journal: the hash-chained log kept in Redis so that several server processes append to one
// chain. Records live in one stream (entry id `<seq>-0`), each verification has a list of its seqs, and
// a head key holds the last record's seq and hash.
//
// Appends are optimistic. Node chains the record (seq, at, SHA-256 hash, and for a record of a
// verification its vseq and vprev) against the head it last saw and the verification's last record it
// knows of, and one Lua script writes it only if both are still those, moving the head in the same
// atomic step; if another process appended first, the script answers with the new head (and the
// verification's, read from its list) and Node chains again.
// The hash is computed in Node because Redis's Lua offers SHA-1 only, and computing it in Node keeps one
// implementation of the chain (chain.ts) for the embedded file, Redis and the audit script. The pending
// appends of one process go out together (pipelined, one script call each, each chained to the one
// before), so they share one network wait instead of queueing behind each other; a lost race re-chains
// the rest of them in call order.
//
// Durable means acknowledged by a Redis that runs AOF (see docs/redis.md for what each appendfsync
// setting risks); the journal warns at every connection when Redis is not set up that way.
import type { Logger } from '../../logger.ts';
import {
	ChainCursor,
	chainRecord,
	checkRecord,
	JournalClosedError,
	JournalCorruptError,
	NO_RECORDS,
	normaliseEntry,
} from '../chain.ts';
import {
	type ChainReport,
	GENESIS_HASH,
	type JournalEntry,
	type JournalHead,
	type JournalRecord,
	type ProvableJournal,
} from '../Journal.ts';
import { assertKeyPrefix } from './keyPrefix.ts';
import { type RedisConnection, type RedisStoreOptions, storeConnection } from './RedisConnection.ts';
import { appendRecord, readVerificationRecords } from './scripts.ts';

export type RedisJournalOptions = RedisStoreOptions;

type Head = JournalHead;

/** A verification's last record as Node knows it: how many it has, and the last one's seq and hash. */
type VerificationTail = { count: number; seq: number; hash: string };

const NO_VERIFICATION_RECORDS: VerificationTail = { count: 0, seq: 0, hash: NO_RECORDS.hash };

type PendingAppend = {
	entry: JournalEntry;
	resolve: (record: JournalRecord) => void;
	reject: (error: unknown) => void;
};

/** Records read per XRANGE when walking the chain. */
const PAGE_SIZE = 256;
/**
 * Verifications whose last record this process remembers; one it forgot costs one more round trip on
 * its next append (the script tells where it stands). Calls live minutes, so recent ones are enough.
 */
const REMEMBERED_VERIFICATIONS = 10_000;

export class RedisJournal implements ProvableJournal {
	readonly connection: RedisConnection;
	readonly #ownsConnection: boolean;
	readonly #logger: Logger;
	readonly #where: string;
	readonly #headKey: string;
	readonly #recordsKey: string;
	readonly #verificationKeyPrefix: string;
	readonly #queue: PendingAppend[] = [];
	/** The newest head seen in Redis (never a record not yet acknowledged); undefined until the first answer. */
	#head: Head | undefined;
	/** Verifications' last records as last seen in Redis, least recently used first. */
	readonly #verificationTails = new Map<string, VerificationTail>();
	#flushing: Promise<void> | undefined;
	#failure: Error | undefined;
	#closed = false;
	#closing: Promise<void> | undefined;

	/**
	 * Opens the journal without waiting for Redis: a service whose Redis is away starts, reports
	 * not-ready, and serves once Redis is back. Requests made meanwhile fail with StoreUnavailableError.
	 */
	static async open(options: RedisJournalOptions): Promise<RedisJournal> {
		assertKeyPrefix(options.keyPrefix);
		const { connection, owns } = storeConnection(options, 'vidverify-journal');
		return new RedisJournal(connection, owns, options.keyPrefix, options.logger);
	}

	private constructor(connection: RedisConnection, ownsConnection: boolean, keyPrefix: string, logger: Logger) {
		this.connection = connection;
		this.#ownsConnection = ownsConnection;
		this.#logger = logger.child({ component: 'journal', store: 'redis' });
		this.#where = `redis journal ${keyPrefix}`;
		this.#headKey = `${keyPrefix}journal:head`;
		this.#recordsKey = `${keyPrefix}journal:records`;
		this.#verificationKeyPrefix = `${keyPrefix}journal:verification:`;
		this.connection.on('ready', this.#checkDurability);
		if (this.connection.ready) this.#checkDurability();
	}

	/** Whether Redis is reachable now: for the readiness probe. */
	get ready(): boolean {
		return this.connection.ready;
	}

	async append(entry: JournalEntry): Promise<JournalRecord> {
		if (this.#closed) throw new JournalClosedError(`${this.#where} is closed; it takes no more appends`);
		if (this.#failure !== undefined) throw this.#failure;
		const normalised = normaliseEntry(entry);
		return new Promise((resolve, reject) => {
			this.#queue.push({ entry: normalised, resolve, reject });
			// A microtask later, so that appends made in the same tick go out together.
			this.#flushing ??= Promise.resolve().then(() => this.#drain());
		});
	}

	async *readAll(): AsyncGenerator<JournalRecord> {
		this.#assertOpen();
		const head = await this.#readHead();
		const cursor = new ChainCursor();
		let line = 0;
		for await (const value of this.#readRecords(head.seq)) {
			line += 1;
			const step = cursor.accept(value);
			if (!step.ok) throw new JournalCorruptError(this.#where, step.seq, line, step.reason);
			yield step.record;
		}
		if (cursor.seq < head.seq) {
			throw new JournalCorruptError(this.#where, cursor.seq + 1, cursor.seq + 1, missingReason(cursor.seq, head.seq));
		}
	}

	async readVerification(verificationId: string): Promise<JournalRecord[]> {
		this.#assertOpen();
		const reply = (await this.connection.run((client) =>
			readVerificationRecords.run(client, [this.#verificationKeyPrefix + verificationId, this.#recordsKey], []),
		)) as (string | null)[];
		const records: JournalRecord[] = [];
		for (let at = 0; at < reply.length; at += 2) {
			const seq = Number(reply[at]);
			const json = reply[at + 1] ?? null;
			if (json === null)
				throw new JournalCorruptError(this.#where, seq, seq, 'indexed for its verification, but not among the records');
			const step = checkRecord(parseJson(json));
			if (!step.ok) throw new JournalCorruptError(this.#where, seq, seq, step.reason);
			if (step.record.seq !== seq || step.record.verificationId !== verificationId) {
				throw new JournalCorruptError(this.#where, seq, seq, "the verification's index does not match the record");
			}
			records.push(step.record);
		}
		return records;
	}

	head(): Promise<JournalHead> {
		this.#assertOpen();
		return this.#readHead();
	}

	async *readRange(fromSeq: number, toSeq: number): AsyncGenerator<JournalRecord> {
		this.#assertOpen();
		let previous: JournalRecord | undefined;
		let expected = Math.max(fromSeq, 1);
		while (expected <= toSeq) {
			const start = expected;
			const page = await this.connection.run((client) => client.xrange(this.#recordsKey, start, toSeq, 'COUNT', PAGE_SIZE));
			if (page.length === 0) break;
			for (const [, fields] of page) {
				const step = checkRecord(parseJson(fields[1] ?? ''));
				if (!step.ok) throw new JournalCorruptError(this.#where, step.seq ?? expected, expected, step.reason);
				const { record } = step;
				if (record.seq !== expected || (previous !== undefined && record.prevHash !== previous.hash)) {
					throw new JournalCorruptError(this.#where, expected, expected, `record ${expected} is missing or not linked`);
				}
				previous = record;
				expected += 1;
				yield record;
			}
		}
		if (expected <= toSeq) {
			throw new JournalCorruptError(this.#where, expected, expected, `record ${expected} is missing`);
		}
	}

	/** Walks the whole chain up to the head, and checks the head names the last record. */
	async verify(): Promise<ChainReport> {
		this.#assertOpen();
		let head: Head;
		try {
			head = await this.#readHead();
		} catch (error) {
			if (!(error instanceof JournalCorruptError)) throw error;
			return { ok: false, records: 0, firstBroken: { seq: null, line: 0, reason: error.reason } };
		}
		const cursor = new ChainCursor();
		let line = 0;
		for await (const value of this.#readRecords(head.seq)) {
			line += 1;
			const step = cursor.accept(value);
			if (!step.ok) return { ok: false, records: cursor.seq, firstBroken: { seq: step.seq, line, reason: step.reason } };
		}
		if (cursor.seq < head.seq) {
			const seq = cursor.seq + 1;
			return { ok: false, records: cursor.seq, firstBroken: { seq, line: seq, reason: missingReason(cursor.seq, head.seq) } };
		}
		if (cursor.hash !== head.hash) {
			return {
				ok: false,
				records: cursor.seq,
				firstBroken: { seq: head.seq, line: head.seq, reason: 'the head names a hash other than that of the last record' },
			};
		}
		return { ok: true, records: cursor.seq, lastHash: cursor.seq === 0 ? GENESIS_HASH : cursor.hash };
	}

	/** Lets appends already made finish (or fail), then releases the connection if the journal owns it. */
	close(): Promise<void> {
		this.#closing ??= this.#close();
		return this.#closing;
	}

	async #close(): Promise<void> {
		this.#closed = true;
		while (this.#flushing !== undefined) await this.#flushing;
		this.connection.off('ready', this.#checkDurability);
		if (this.#ownsConnection) await this.connection.close();
	}

	async #drain(): Promise<void> {
		try {
			while (this.#queue.length > 0) {
				let batch = this.#queue.splice(0);
				while (batch.length > 0 && this.#failure === undefined) {
					try {
						batch = await this.#send(batch);
					} catch (error) {
						// An answer that makes no sense (a damaged head key): fail these appends, not the journal.
						for (const pending of batch) pending.reject(error);
						batch = [];
					}
				}
				if (this.#failure !== undefined) {
					for (const pending of [...batch, ...this.#queue.splice(0)]) pending.reject(this.#failure);
				}
			}
		} finally {
			this.#flushing = undefined;
		}
	}

	/**
	 * Sends a batch chained from the newest head seen. Resolves the appends Redis took, rejects those it
	 * could not be asked about, and returns, in call order, those that lost a race and must be chained again.
	 */
	async #send(batch: PendingAppend[]): Promise<PendingAppend[]> {
		const known = this.#head;
		const at = new Date();
		let previous = known ?? { seq: 0, hash: GENESIS_HASH };
		// Each verification's tail as this batch leaves it: a record follows the batch's earlier ones.
		const chained = new Map<string, VerificationTail>();
		const records = batch.map((pending) => {
			const verificationId = pending.entry.verificationId;
			const tail = verificationId === undefined ? undefined : (chained.get(verificationId) ?? this.#tailOf(verificationId));
			const record = chainRecord(pending.entry, previous, at, tail);
			if (verificationId !== undefined) chained.set(verificationId, tailAfter(record));
			previous = record;
			return { record, tail };
		});
		const outcomes = await Promise.allSettled(
			records.map(({ record, tail }, index) => {
				const before = index === 0 ? known : records[index - 1]?.record;
				const keys = [this.#headKey, this.#recordsKey];
				const args: (string | number)[] = [headValue(before), record.seq, record.hash, JSON.stringify(record)];
				if (record.verificationId !== undefined && tail !== undefined) {
					keys.push(this.#verificationKeyPrefix + record.verificationId);
					args.push(tail.count, tail.count === 0 ? '' : tail.seq);
				}
				return this.connection.run((client) => appendRecord.run(client, keys, args));
			}),
		);

		const retry: PendingAppend[] = [];
		let newest = known;
		for (const [index, outcome] of outcomes.entries()) {
			const pending = batch[index] as PendingAppend;
			const record = (records[index] as { record: JournalRecord }).record;
			if (outcome.status === 'rejected') {
				pending.reject(outcome.reason);
				continue;
			}
			const [appended, current, verification] = outcome.value as [number, string, string];
			if (record.verificationId !== undefined) {
				const tail = appended === 1 ? tailAfter(record) : this.#parseVerificationTail(verification);
				this.#rememberTail(record.verificationId, tail);
			}
			const seen = appended === 1 ? record : this.#parseHead(current);
			if (seen.seq < (known?.seq ?? 0)) {
				this.#fail(known?.seq ?? 0, seen.seq);
				return [pending, ...batch.slice(index + 1)];
			}
			if (seen.seq > (newest?.seq ?? 0)) newest = seen;
			if (appended === 1) pending.resolve(record);
			else retry.push(pending);
		}
		this.#head = newest;
		return retry;
	}

	/**
	 * The head went back: Redis lost records it had acknowledged (restarted without AOF, flushed, or
	 * failed over to a replica that lagged). Chaining on would bury the loss, so the journal stops.
	 */
	#fail(knownSeq: number, foundSeq: number): void {
		this.#failure = new JournalCorruptError(
			this.#where,
			foundSeq + 1,
			foundSeq + 1,
			`the head went back from record ${knownSeq} to ${foundSeq}: Redis lost acknowledged records; appends stopped (check its persistence, see docs/redis.md)`,
		);
		this.#logger.error({ knownSeq, foundSeq }, 'journal: Redis lost acknowledged records; appends stopped');
	}

	#tailOf(verificationId: string): VerificationTail {
		const tail = this.#verificationTails.get(verificationId);
		if (tail === undefined) return NO_VERIFICATION_RECORDS;
		// Used again: it moves to the end, away from the ones forgotten first.
		this.#verificationTails.delete(verificationId);
		this.#verificationTails.set(verificationId, tail);
		return tail;
	}

	#rememberTail(verificationId: string, tail: VerificationTail): void {
		this.#verificationTails.delete(verificationId);
		this.#verificationTails.set(verificationId, tail);
		if (this.#verificationTails.size > REMEMBERED_VERIFICATIONS) {
			const oldest = this.#verificationTails.keys().next().value as string;
			this.#verificationTails.delete(oldest);
		}
	}

	#parseVerificationTail(value: string): VerificationTail {
		if (value === '') return NO_VERIFICATION_RECORDS;
		const match = /^(\d+) (\d+) ([0-9a-f]{64})$/.exec(value);
		if (match === null) {
			throw new JournalCorruptError(this.#where, null, 0, `a verification's last record reads ${JSON.stringify(value)}`);
		}
		return { count: Number(match[1]), seq: Number(match[2]), hash: match[3] as string };
	}

	async #readHead(): Promise<Head> {
		const value = await this.connection.run((client) => client.get(this.#headKey));
		return this.#parseHead(value ?? '');
	}

	#parseHead(value: string): Head {
		if (value === '') return { seq: 0, hash: GENESIS_HASH };
		const match = /^(\d+) ([0-9a-f]{64})$/.exec(value);
		if (match === null) throw new JournalCorruptError(this.#where, null, 0, `the head key holds ${JSON.stringify(value)}`);
		return { seq: Number(match[1]), hash: match[2] as string };
	}

	/** Records 1..lastSeq in order, parsed but not yet checked, read a page at a time. */
	async *#readRecords(lastSeq: number): AsyncGenerator<unknown> {
		let from = 1;
		while (from <= lastSeq) {
			const start = from;
			const page = await this.connection.run((client) => client.xrange(this.#recordsKey, start, lastSeq, 'COUNT', PAGE_SIZE));
			if (page.length === 0) return;
			for (const [, fields] of page) yield parseJson(fields[1] ?? '');
			from = Number.parseInt(page.at(-1)?.[0] ?? '', 10) + 1;
		}
	}

	#assertOpen(): void {
		if (this.#closed) throw new JournalClosedError(`${this.#where} is closed`);
	}

	/** Warns when Redis is not set up to keep what it acknowledges; run at every (re)connection. */
	readonly #checkDurability = (): void => {
		inspectDurability(this.connection).then(
			(problems) => {
				for (const problem of problems) this.#logger.warn({ problem }, `journal: Redis is not set up for durability: ${problem}`);
			},
			(error: unknown) => this.#logger.debug({ err: error }, 'journal: could not read the Redis persistence settings'),
		);
	};
}

/**
 * What in Redis's settings puts acknowledged records at risk: no AOF, an AOF never fsync'd, or an
 * eviction policy that may delete keys when memory runs out. CONFIG may be disabled on managed Redis;
 * then only what INFO shows is checked.
 */
export async function inspectDurability(connection: RedisConnection): Promise<string[]> {
	const info = await connection.run((client) => client.info('persistence', 'memory'));
	const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
	const problems: string[] = [];
	if (field('aof_enabled') !== '1')
		problems.push('appendonly is off: a Redis restart loses every record since the last snapshot');
	const policy = field('maxmemory_policy');
	if (policy !== undefined && policy !== 'noeviction') {
		problems.push(`maxmemory-policy is ${policy}: Redis may delete journal keys when memory runs out; use noeviction`);
	}
	const fsync = await connection
		.run((client) => client.config('GET', 'appendfsync'))
		.then((reply) => (reply as string[])[1])
		.catch(() => undefined);
	if (fsync === 'no') problems.push('appendfsync is no: the operating system decides when records reach the disk');
	return problems;
}

function tailAfter(record: JournalRecord): VerificationTail {
	return { count: record.vseq ?? 0, seq: record.seq, hash: record.hash };
}

function headValue(head: Head | undefined): string {
	return head === undefined || head.seq === 0 ? '' : `${head.seq} ${head.hash}`;
}

/** A value that is not JSON stands for itself, so the chain check names it 'not a JSON object'. */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function missingReason(found: number, head: number): string {
	return `missing: the records end after record ${found}, but the head names record ${head}`;
}
