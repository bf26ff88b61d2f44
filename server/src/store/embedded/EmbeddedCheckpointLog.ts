// The embedded CheckpointLog: one JSON line per checkpoint in DATA_DIR/checkpoints.jsonl, each append
// fdatasync'd before it resolves, with the length and place of every line held in memory so that the
// checkpoint covering a record is found by binary search. A torn last line (a crash mid-write, no
// newline yet) is cut off at open: it was never acknowledged, and the next checkpoint says the same
// again; a damaged line before it stops the open.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import { type CheckpointLog, parseStoredCheckpoint, type StoredCheckpoint } from '../CheckpointLog.ts';
import { JournalClosedError } from '../chain.ts';
import { makePrivate, PRIVATE_FILE_MODE } from './privateFiles.ts';

export const CHECKPOINT_FILE_NAME = 'checkpoints.jsonl';

type Line = { length: number; offset: number; bytes: number };

const NEWLINE = 0x0a;

export class EmbeddedCheckpointLog implements CheckpointLog {
	readonly file: string;
	readonly #handle: FileHandle;
	/** One per checkpoint, in file order, which is order of length. */
	readonly #lines: Line[];
	#size: number;
	#writing: Promise<void> = Promise.resolve();
	#closed = false;

	/** Opens (or creates) the file in `dataDir`, which the journal has made private already. */
	static async open(options: { dataDir: string; logger: Logger; fileName?: string }): Promise<EmbeddedCheckpointLog> {
		const file = path.resolve(options.dataDir, options.fileName ?? CHECKPOINT_FILE_NAME);
		const handle = await fs.open(file, 'a+', PRIVATE_FILE_MODE);
		try {
			await makePrivate(handle);
			const content = await handle.readFile();
			const lines: Line[] = [];
			let offset = 0;
			let number = 0;
			for (let end = content.indexOf(NEWLINE); end !== -1; end = content.indexOf(NEWLINE, offset)) {
				number += 1;
				const checkpoint = parseLine(content.toString('utf8', offset, end));
				const previous = lines.at(-1)?.length ?? 0;
				// Only the last line can be torn by a crash; damage before it is somebody's doing.
				if (checkpoint === undefined || checkpoint.length <= previous) {
					throw new Error(
						`${file}: line ${number} is ${checkpoint === undefined ? 'not a checkpoint' : `not longer than the one before (${previous})`}; move the file aside to start a new one`,
					);
				}
				lines.push({ length: checkpoint.length, offset, bytes: end + 1 - offset });
				offset = end + 1;
			}
			if (offset < content.length) {
				options.logger.warn(
					{ file, bytes: content.length - offset },
					'checkpoints: the file ended in a torn line; cut it off (the next checkpoint says it again)',
				);
				await handle.truncate(offset);
				await handle.sync();
			}
			return new EmbeddedCheckpointLog(file, handle, lines, offset);
		} catch (error) {
			await handle.close();
			throw error;
		}
	}

	private constructor(file: string, handle: FileHandle, lines: Line[], size: number) {
		this.file = file;
		this.#handle = handle;
		this.#lines = lines;
		this.#size = size;
	}

	append(checkpoint: StoredCheckpoint): Promise<void> {
		if (this.#closed) return Promise.reject(new JournalClosedError(`${this.file} is closed`));
		const written = this.#writing.then(async () => {
			// A checkpoint of a journal no longer than the latest adds nothing.
			if (checkpoint.length <= (this.#lines.at(-1)?.length ?? 0)) return;
			const line = Buffer.from(`${JSON.stringify(checkpoint)}\n`);
			let done = 0;
			while (done < line.length) done += (await this.#handle.write(line, done, line.length - done, null)).bytesWritten;
			await this.#handle.datasync();
			this.#lines.push({ length: checkpoint.length, offset: this.#size, bytes: line.length });
			this.#size += line.length;
		});
		this.#writing = written.catch(() => {});
		return written;
	}

	async latest(): Promise<StoredCheckpoint | undefined> {
		const last = this.#lines.at(-1);
		return last === undefined ? undefined : this.#read(last);
	}

	async firstCovering(length: number): Promise<StoredCheckpoint | undefined> {
		let low = 0;
		let high = this.#lines.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if ((this.#lines[middle] as Line).length < length) low = middle + 1;
			else high = middle;
		}
		const line = this.#lines[low];
		return line === undefined ? undefined : this.#read(line);
	}

	async *readAll(): AsyncGenerator<StoredCheckpoint> {
		for (const line of this.#lines.slice()) yield await this.#read(line);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#writing;
		await this.#handle.close();
	}

	async #read(line: Line): Promise<StoredCheckpoint> {
		if (this.#closed) throw new JournalClosedError(`${this.file} is closed`);
		const buffer = Buffer.allocUnsafe(line.bytes);
		await this.#handle.read(buffer, 0, line.bytes, line.offset);
		const checkpoint = parseLine(buffer.toString('utf8', 0, line.bytes - 1));
		if (checkpoint === undefined)
			throw new Error(`${this.file}: the checkpoint at byte ${line.offset} changed under the open file`);
		return checkpoint;
	}
}

function parseLine(line: string): StoredCheckpoint | undefined {
	try {
		return parseStoredCheckpoint(JSON.parse(line));
	} catch {
		return undefined;
	}
}
