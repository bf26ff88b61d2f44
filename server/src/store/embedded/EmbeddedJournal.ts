// The embedded Journal: one append-only file (DATA_DIR/journal.jsonl), one hash-chained JSON record per
// line, each append acknowledged only after fdatasync. Opening checks the whole chain: a torn last record
// (a crash mid-write) is moved aside to a quarantine file and reported; a broken record before it stops
// the service, because building on a broken chain would make every later record unverifiable.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import {
	type BreakKind,
	ChainCursor,
	type ChainStep,
	chainRecord,
	checkRecord,
	JournalClosedError,
	JournalCorruptError,
	normaliseEntry,
	type VerificationHeads,
} from '../chain.ts';
import {
	type ChainReport,
	GENESIS_HASH,
	type JournalEntry,
	type JournalHead,
	type JournalRecord,
	type ProvableJournal,
} from '../Journal.ts';
import { ensurePrivateDirectory, makePrivate, PRIVATE_FILE_MODE } from './privateFiles.ts';

export const JOURNAL_FILE_NAME = 'journal.jsonl';

export type EmbeddedJournalOptions = {
	/** The folder of the journal (DATA_DIR); created when missing. */
	dataDir: string;
	logger: Logger;
	/** Defaults to journal.jsonl. */
	fileName?: string;
};

/** The bytes of a torn last record, moved out of the journal when it was opened. */
export type TornTail = {
	quarantineFile: string;
	/** Line of the journal the torn record started on. */
	line: number;
	bytes: number;
	reason: string;
};

/** What opening found: the intact chain, and the torn tail it set aside if there was one. */
export type JournalRecovery = {
	records: number;
	lastHash: string;
	tornTail: TornTail | undefined;
};

type PendingAppend = {
	record: JournalRecord;
	line: Buffer;
	resolve: (record: JournalRecord) => void;
	reject: (error: Error) => void;
};

/** A line of the file as read: its text without the newline, and where its bytes are. */
type Line = { number: number; offset: number; length: number; text: string; terminated: boolean };

type Break = { seq: number | null; line: number; kind: BreakKind; reason: string; final: boolean };

type Scan = {
	records: number;
	lastHash: string;
	goodLength: number;
	broken: Break | undefined;
	verifications: VerificationHeads;
};

const READ_CHUNK_BYTES = 1 << 20;
/** Every this many records the file offset of one is kept, so a range of seqs is read without a scan. */
const SEQ_INDEX_STRIDE = 1024;
const NEWLINE = 0x0a;

/** Journal files open in this process; a second opener would interleave its writes with the first's. */
const openInThisProcess = new Set<string>();

export class EmbeddedJournal implements ProvableJournal {
	readonly file: string;
	readonly recovery: JournalRecovery;
	readonly #logger: Logger;
	readonly #handle: FileHandle;
	readonly #lockFile: string;
	/** verificationId → [seq, offset, length, seq, offset, length, ...] of its records in the file. */
	readonly #index: Map<string, number[]>;
	/** Offsets of records 1, 1 + SEQ_INDEX_STRIDE, 1 + 2 * SEQ_INDEX_STRIDE, ... in the file. */
	readonly #seqIndex: number[];
	/** Each verification's last record chained, durable or not: its next record links to it. */
	readonly #verifications: VerificationHeads;
	readonly #queue: PendingAppend[] = [];
	/** The last record chained, durable or not: the next append links to it. */
	#tail: { seq: number; hash: string };
	/** Bytes and records of the file that are fsync'd and acknowledged, and the last one's hash. */
	#durableLength: number;
	#durableSeq: number;
	#durableHash: string;
	#flushing: Promise<void> | undefined;
	#failure: JournalClosedError | undefined;
	#closed = false;
	#closing: Promise<void> | undefined;

	/**
	 * Opens (or creates) the journal, checks its whole chain and rebuilds the per-verification index.
	 * Rejects with JournalCorruptError when a record before the last is broken.
	 */
	static async open(options: EmbeddedJournalOptions): Promise<EmbeddedJournal> {
		const file = path.resolve(options.dataDir, options.fileName ?? JOURNAL_FILE_NAME);
		// The journal holds personal data: its folder and file are the service user's alone.
		await ensurePrivateDirectory(path.dirname(file), options.logger);
		const lockFile = `${file}.lock`;
		await acquireLock(file, lockFile);
		let handle: FileHandle | undefined;
		try {
			const existed = await fs.access(file).then(
				() => true,
				() => false,
			);
			// O_APPEND: every write lands at the end, whatever else reads the file meanwhile.
			handle = await fs.open(file, 'a+', PRIVATE_FILE_MODE);
			await makePrivate(handle);
			if (!existed) await syncDirectory(path.dirname(file));
			const index = new Map<string, number[]>();
			const seqIndex: number[] = [];
			const scan = await scanJournal(handle, undefined, (record, line) => {
				if (record.verificationId !== undefined) indexRecord(index, record.verificationId, record.seq, line);
				if (record.seq % SEQ_INDEX_STRIDE === 1) seqIndex.push(line.offset);
			});
			let tornTail: TornTail | undefined;
			if (scan.broken !== undefined) {
				const broken = scan.broken;
				if (!isTornTail(broken)) {
					throw new JournalCorruptError(
						file,
						broken.seq,
						broken.line,
						`${broken.reason}; refusing to open a broken chain (run npm run audit:verify, then restore the file from a backup)`,
					);
				}
				tornTail = await quarantineTail(handle, file, scan.goodLength, broken);
				options.logger.error(
					{ file, quarantineFile: tornTail.quarantineFile, line: broken.line, bytes: tornTail.bytes, reason: broken.reason },
					`journal: the last record was torn (${broken.reason}) and never acknowledged; moved it to ${tornTail.quarantineFile}`,
				);
			}
			const recovery: JournalRecovery = { records: scan.records, lastHash: scan.lastHash, tornTail };
			options.logger.info({ file, records: scan.records }, 'journal: opened, chain intact');
			return new EmbeddedJournal({ file, lockFile, handle, index, seqIndex, scan, recovery, logger: options.logger });
		} catch (error) {
			await handle?.close();
			await releaseLock(file, lockFile);
			throw error;
		}
	}

	private constructor(opened: {
		file: string;
		lockFile: string;
		handle: FileHandle;
		index: Map<string, number[]>;
		seqIndex: number[];
		scan: Scan;
		recovery: JournalRecovery;
		logger: Logger;
	}) {
		this.file = opened.file;
		this.recovery = opened.recovery;
		this.#logger = opened.logger;
		this.#handle = opened.handle;
		this.#lockFile = opened.lockFile;
		this.#index = opened.index;
		this.#seqIndex = opened.seqIndex;
		this.#verifications = opened.scan.verifications;
		this.#tail = { seq: opened.scan.records, hash: opened.scan.lastHash };
		this.#durableLength = opened.scan.goodLength;
		this.#durableSeq = opened.scan.records;
		this.#durableHash = opened.scan.lastHash;
	}

	async append(entry: JournalEntry): Promise<JournalRecord> {
		if (this.#closed) throw new JournalClosedError(`journal ${this.file} is closed; it takes no more appends`);
		if (this.#failure !== undefined) throw this.#failure;
		// Chained now, synchronously, so records follow the order append was called in.
		const normalised = normaliseEntry(entry);
		const verification = normalised.verificationId === undefined ? undefined : this.#verifications.of(normalised.verificationId);
		const record = chainRecord(normalised, this.#tail, new Date(), verification);
		this.#tail = record;
		this.#verifications.advance(record);
		const line = Buffer.from(`${JSON.stringify(record)}\n`);
		return new Promise((resolve, reject) => {
			this.#queue.push({ record, line, resolve, reject });
			// Started a microtask later, so that appends made in the same tick share one write and one fsync.
			this.#flushing ??= Promise.resolve().then(() => this.#drain());
		});
	}

	async *readAll(): AsyncGenerator<JournalRecord> {
		this.#assertOpen();
		const end = this.#durableLength;
		const expectedRecords = this.#durableSeq;
		const handle = await fs.open(this.file, 'r');
		try {
			const cursor = new ChainCursor();
			for await (const line of readLines(handle, end)) {
				const step = stepOf(cursor, line);
				if (!step.ok) throw new JournalCorruptError(this.file, step.seq, line.number, step.reason);
				yield step.record;
			}
			if (cursor.seq < expectedRecords) {
				throw new JournalCorruptError(
					this.file,
					cursor.seq + 1,
					cursor.seq + 1,
					missingRecordsReason(cursor.seq, expectedRecords),
				);
			}
		} finally {
			await handle.close();
		}
	}

	async readVerification(verificationId: string): Promise<JournalRecord[]> {
		this.#assertOpen();
		const spans = this.#index.get(verificationId);
		if (spans === undefined) return [];
		const records: JournalRecord[] = [];
		// Spans appended while this reads are left for the next call: a consistent prefix is enough.
		const count = spans.length;
		for (let at = 0; at < count; at += 3) {
			const seq = spans[at] as number;
			const offset = spans[at + 1] as number;
			const length = spans[at + 2] as number;
			const bytes = Buffer.allocUnsafe(length);
			await readFully(this.#handle, bytes, offset);
			const step = parseLine({ number: seq, offset, length, text: bytes.toString('utf8', 0, length - 1), terminated: true });
			if (!step.ok) throw new JournalCorruptError(this.file, seq, seq, step.reason);
			if (step.record.seq !== seq || step.record.verificationId !== verificationId) {
				throw new JournalCorruptError(this.file, seq, seq, 'the file changed under the open journal');
			}
			records.push(step.record);
		}
		return records;
	}

	async head(): Promise<JournalHead> {
		this.#assertOpen();
		return { seq: this.#durableSeq, hash: this.#durableHash };
	}

	async *readRange(fromSeq: number, toSeq: number): AsyncGenerator<JournalRecord> {
		this.#assertOpen();
		const last = Math.min(toSeq, this.#durableSeq);
		if (fromSeq < 1 || fromSeq > last) return;
		const stride = Math.floor((fromSeq - 1) / SEQ_INDEX_STRIDE);
		const start = this.#seqIndex[stride] as number;
		const handle = await fs.open(this.file, 'r');
		try {
			let previous: JournalRecord | undefined;
			for await (const line of readLines(handle, this.#durableLength, start)) {
				const step = parseLine(line);
				const seq = stride * SEQ_INDEX_STRIDE + line.number;
				if (!step.ok) throw new JournalCorruptError(this.file, step.seq ?? seq, seq, step.reason);
				const { record } = step;
				if (record.seq !== seq || (previous !== undefined && record.prevHash !== previous.hash)) {
					throw new JournalCorruptError(this.file, seq, seq, 'the file changed under the open journal');
				}
				previous = record;
				if (seq >= fromSeq) yield record;
				if (seq >= last) return;
			}
		} finally {
			await handle.close();
		}
	}

	/** Re-reads the acknowledged part of the file and checks the whole chain. */
	async verify(): Promise<ChainReport> {
		this.#assertOpen();
		return inspectJournalFile(this.file, { length: this.#durableLength, records: this.#durableSeq });
	}

	close(): Promise<void> {
		this.#closing ??= this.#close();
		return this.#closing;
	}

	async #close(): Promise<void> {
		this.#closed = true;
		// Appends accepted before close still complete: close flushes, it does not abandon them.
		while (this.#flushing !== undefined) await this.#flushing;
		await this.#handle.close();
		await releaseLock(this.file, this.#lockFile);
	}

	async #drain(): Promise<void> {
		try {
			while (this.#queue.length > 0) {
				const batch = this.#queue.splice(0);
				const bytes = Buffer.concat(batch.map((pending) => pending.line));
				try {
					await writeFully(this.#handle, bytes);
					await this.#handle.datasync();
				} catch (error) {
					this.#fail(error, batch);
					return;
				}
				let offset = this.#durableLength;
				for (const { record, line } of batch) {
					if (record.verificationId !== undefined) {
						indexRecord(this.#index, record.verificationId, record.seq, { offset, length: line.length });
					}
					if (record.seq % SEQ_INDEX_STRIDE === 1) this.#seqIndex.push(offset);
					offset += line.length;
				}
				const lastRecord = (batch.at(-1) as PendingAppend).record;
				this.#durableLength = offset;
				this.#durableSeq = lastRecord.seq;
				this.#durableHash = lastRecord.hash;
				for (const { record, resolve } of batch) resolve(record);
			}
		} finally {
			this.#flushing = undefined;
		}
	}

	/**
	 * After a failed write or fsync nothing says which bytes reached the disk, and later records are
	 * already chained to the lost ones; so the journal stops. Reopening recovers from what the file holds.
	 */
	#fail(error: unknown, batch: PendingAppend[]): void {
		const fromSeq = batch[0]?.record.seq;
		this.#failure = new JournalClosedError(
			`journal ${this.file}: writing records from seq ${fromSeq} failed; they may not be durable, and the journal takes no more appends until it is reopened`,
			{ cause: error },
		);
		this.#logger.error({ err: error, file: this.file, fromSeq }, 'journal: write failed; appends stopped');
		for (const pending of [...batch, ...this.#queue.splice(0)]) pending.reject(this.#failure);
	}

	#assertOpen(): void {
		if (this.#closed) throw new JournalClosedError(`journal ${this.file} is closed`);
	}
}

/**
 * Checks a journal file without changing it (the audit script's check; it never quarantines). A torn
 * last record counts as broken here, with a reason saying the service would quarantine it. `onRecord`
 * sees each record that passed, in order, for checks of more than the chain.
 */
export async function verifyJournalFile(file: string, onRecord?: (record: JournalRecord) => void): Promise<ChainReport> {
	return inspectJournalFile(file, undefined, onRecord);
}

async function inspectJournalFile(
	file: string,
	acknowledged: { length: number; records: number } | undefined,
	onRecord?: (record: JournalRecord) => void,
): Promise<ChainReport> {
	const handle = await fs.open(file, 'r');
	try {
		const scan = await scanJournal(handle, acknowledged?.length, onRecord && ((record) => onRecord(record)));
		if (scan.broken !== undefined) {
			const { seq, line, reason } = scan.broken;
			const explained = isTornTail(scan.broken)
				? `${reason} (a torn last write; the service moves it to a quarantine file when it next opens the journal)`
				: reason;
			return { ok: false, records: scan.records, firstBroken: { seq, line, reason: explained } };
		}
		if (acknowledged !== undefined && scan.records < acknowledged.records) {
			const seq = scan.records + 1;
			return {
				ok: false,
				records: scan.records,
				firstBroken: { seq, line: seq, reason: missingRecordsReason(scan.records, acknowledged.records) },
			};
		}
		return { ok: true, records: scan.records, lastHash: scan.lastHash };
	} finally {
		await handle.close();
	}
}

function missingRecordsReason(found: number, acknowledged: number): string {
	return `missing: the file ends after record ${found}, but ${acknowledged} records were acknowledged`;
}

/** What a crash mid-write can leave: damage confined to the very last line, never a well-formed misfit. */
function isTornTail(broken: Break): boolean {
	return broken.final && broken.kind !== 'unlinked';
}

/** Walks the chain up to `end` (or the end of the file); stops at the first broken record. */
async function scanJournal(
	handle: FileHandle,
	end: number | undefined,
	onRecord?: (record: JournalRecord, line: { offset: number; length: number }) => void,
): Promise<Scan> {
	const cursor = new ChainCursor();
	let goodLength = 0;
	let broken: Break | undefined;
	for await (const line of readLines(handle, end)) {
		if (broken !== undefined) {
			broken.final = false;
			break;
		}
		const step = stepOf(cursor, line);
		if (step.ok) {
			goodLength = line.offset + line.length;
			onRecord?.(step.record, line);
		} else {
			broken = { seq: step.seq, line: line.number, kind: step.kind, reason: step.reason, final: true };
		}
	}
	return {
		records: cursor.seq,
		lastHash: cursor.seq === 0 ? GENESIS_HASH : cursor.hash,
		goodLength,
		broken,
		verifications: cursor.verifications,
	};
}

function stepOf(cursor: ChainCursor, line: Line): ChainStep {
	const parsed = parseLine(line);
	return parsed.ok ? cursor.accept(parsed.record) : parsed;
}

function parseLine(line: Line): ChainStep {
	if (!line.terminated) return { ok: false, seq: null, kind: 'malformed', reason: 'incomplete line (no newline at its end)' };
	let value: unknown;
	try {
		value = JSON.parse(line.text);
	} catch {
		return { ok: false, seq: null, kind: 'malformed', reason: 'not valid JSON' };
	}
	return checkRecord(value);
}

/**
 * The file's lines in order from byte `from` (a line's first; numbered from 1 there), read in chunks so
 * a large journal is never held in memory at once.
 */
async function* readLines(handle: FileHandle, end: number | undefined, from = 0): AsyncGenerator<Line> {
	const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
	let carry = Buffer.alloc(0);
	let carryOffset = from;
	let position = from;
	let number = 0;
	while (end === undefined || position < end) {
		const wanted = end === undefined ? chunk.length : Math.min(chunk.length, end - position);
		const { bytesRead } = await handle.read(chunk, 0, wanted, position);
		if (bytesRead === 0) break;
		position += bytesRead;
		const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
		let start = 0;
		for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
			number += 1;
			const text = data.toString('utf8', start, newline);
			yield { number, offset: carryOffset + start, length: newline + 1 - start, text, terminated: true };
			start = newline + 1;
		}
		// Copied: the chunk buffer is reused by the next read.
		carry = Buffer.from(data.subarray(start));
		carryOffset += start;
	}
	if (carry.length > 0) {
		yield { number: number + 1, offset: carryOffset, length: carry.length, text: carry.toString('utf8'), terminated: false };
	}
}

function indexRecord(
	index: Map<string, number[]>,
	verificationId: string,
	seq: number,
	line: { offset: number; length: number },
): void {
	let spans = index.get(verificationId);
	if (spans === undefined) {
		spans = [];
		index.set(verificationId, spans);
	}
	spans.push(seq, line.offset, line.length);
}

/**
 * Moves the bytes after the last good record into a quarantine file beside the journal, then truncates
 * the journal to the good records. The copy is made durable first: a crash in between leaves the torn
 * bytes in both places, never in neither.
 */
async function quarantineTail(handle: FileHandle, file: string, goodLength: number, broken: Break): Promise<TornTail> {
	const { size } = await handle.stat();
	const bytes = Buffer.allocUnsafe(size - goodLength);
	await readFully(handle, bytes, goodLength);
	const { dir, name, ext } = path.parse(file);
	// Colons are not allowed in file names everywhere the data folder might be copied to.
	const stamp = new Date().toISOString().replaceAll(':', '-');
	const quarantineFile = path.join(dir, `${name}.torn-${stamp}${ext}`);
	await fs.writeFile(quarantineFile, bytes, { flag: 'wx', flush: true, mode: PRIVATE_FILE_MODE });
	await handle.truncate(goodLength);
	await handle.sync();
	await syncDirectory(dir);
	return { quarantineFile, line: broken.line, bytes: bytes.length, reason: broken.reason };
}

async function writeFully(handle: FileHandle, bytes: Buffer): Promise<void> {
	let written = 0;
	while (written < bytes.length) {
		const result = await handle.write(bytes, written, bytes.length - written, null);
		written += result.bytesWritten;
	}
}

async function readFully(handle: FileHandle, into: Buffer, position: number): Promise<void> {
	let filled = 0;
	while (filled < into.length) {
		const { bytesRead } = await handle.read(into, filled, into.length - filled, position + filled);
		if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + filled}`);
		filled += bytesRead;
	}
}

/** A new or truncated file is only durable once its directory entry is too. */
async function syncDirectory(directory: string): Promise<void> {
	const handle = await fs.open(directory, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * One writer per journal file: a lock file holding the owner's pid, taken over only when that process is
 * gone (or is this very process restarted, as a container's pid 1 is) and no journal here holds it.
 */
async function acquireLock(file: string, lockFile: string): Promise<void> {
	if (openInThisProcess.has(file)) throw new Error(`journal ${file} is already open in this process`);
	openInThisProcess.add(file);
	try {
		for (;;) {
			try {
				await fs.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx', flush: true, mode: PRIVATE_FILE_MODE });
				return;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			const owner = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
			if (Number.isSafeInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
				throw new Error(`journal ${file} is in use by process ${owner} (lock file ${lockFile})`);
			}
			await fs.rm(lockFile, { force: true });
		}
	} catch (error) {
		openInThisProcess.delete(file);
		throw error;
	}
}

async function releaseLock(file: string, lockFile: string): Promise<void> {
	await fs.rm(lockFile, { force: true });
	openInThisProcess.delete(file);
}

function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
