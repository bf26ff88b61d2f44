// The embedded KeyStore: DATA_DIR/keys.jsonl, private to the service user like the journal, one JSON
// line per key made ({v, k, key}) or destroyed ({v, k, destroyed: true}), all held in memory. A key is
// appended and fdatasync'd before it is handed out, so nothing is sealed under a key a crash could lose.
// Destroying keys appends their tombstones and then rewrites the file without the destroyed keys' lines
// (a new file, fsync'd, renamed over the old one, the folder fsync'd), so the key bytes are gone from
// the file when destroy() resolves. What the disk keeps of freed blocks is the disk's: see the README's
// privacy section (an encrypted volume for DATA_DIR).

import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import { JournalClosedError } from '../chain.ts';
import { KEY_BYTES, type KeyDestruction, type KeyKind, type KeyStore } from '../KeyStore.ts';
import { makePrivate, PRIVATE_FILE_MODE } from './privateFiles.ts';

export const KEY_FILE_NAME = 'keys.jsonl';

type Line = { v: string; k: KeyKind; key?: string; destroyed?: true };
/** A live key, or null once destroyed. */
type Slot = Buffer | null;

const slotName = (verificationId: string, kind: KeyKind) => `${kind}\n${verificationId}`;

export class EmbeddedKeyStore implements KeyStore {
	readonly file: string;
	#handle: FileHandle;
	readonly #slots: Map<string, Slot>;
	#writing: Promise<void> = Promise.resolve();
	#closed = false;

	static async open(options: { dataDir: string; logger: Logger; fileName?: string }): Promise<EmbeddedKeyStore> {
		const file = path.resolve(options.dataDir, options.fileName ?? KEY_FILE_NAME);
		const handle = await fs.open(file, 'a+', PRIVATE_FILE_MODE);
		try {
			await makePrivate(handle);
			const content = (await handle.readFile()).toString('utf8');
			const slots = new Map<string, Slot>();
			const lines = content.split('\n');
			const last = lines.pop() ?? '';
			lines.forEach((text, index) => {
				const line = parseLine(text);
				if (!line) throw new Error(`${file}: line ${index + 1} is not a key record; the store cannot tell which keys live`);
				const name = slotName(line.v, line.k);
				if (line.destroyed) slots.set(name, null);
				else if (slots.get(name) !== null && line.key) slots.set(name, Buffer.from(line.key, 'base64'));
			});
			if (last !== '') {
				// A key appended when the process died: never handed out, so nothing was sealed under it.
				options.logger.warn({ file, bytes: Buffer.byteLength(last) }, 'keys: the file ended in a torn line; cut it off');
				await handle.truncate(Buffer.byteLength(content) - Buffer.byteLength(last));
				await handle.sync();
			}
			return new EmbeddedKeyStore(file, handle, slots);
		} catch (error) {
			await handle.close();
			throw error;
		}
	}

	private constructor(file: string, handle: FileHandle, slots: Map<string, Slot>) {
		this.file = file;
		this.#handle = handle;
		this.#slots = slots;
	}

	async obtain(verificationId: string, kind: KeyKind): Promise<Buffer | undefined> {
		const known = this.#slots.get(slotName(verificationId, kind));
		if (known !== undefined) return known ?? undefined;
		return this.#write(async () => {
			const name = slotName(verificationId, kind);
			const now = this.#slots.get(name);
			if (now !== undefined) return now ?? undefined;
			const key = randomBytes(KEY_BYTES);
			await this.#appendLines([{ v: verificationId, k: kind, key: key.toString('base64') }]);
			this.#slots.set(name, key);
			return key;
		});
	}

	async find(verificationId: string, kind: KeyKind): Promise<Buffer | undefined> {
		this.#assertOpen();
		return this.#slots.get(slotName(verificationId, kind)) ?? undefined;
	}

	async destroyed(verificationId: string, kind: KeyKind): Promise<boolean> {
		this.#assertOpen();
		return this.#slots.get(slotName(verificationId, kind)) === null;
	}

	destroy(destructions: readonly KeyDestruction[]): Promise<void> {
		return this.#write(async () => {
			const tombstones: Line[] = [];
			for (const { verificationId, kinds } of destructions) {
				for (const kind of kinds) {
					const name = slotName(verificationId, kind);
					if (this.#slots.get(name) === null) continue;
					this.#slots.set(name, null);
					tombstones.push({ v: verificationId, k: kind, destroyed: true });
				}
			}
			if (tombstones.length === 0) return;
			// The tombstones first: a crash during the rewrite below must not bring a key back.
			await this.#appendLines(tombstones);
			await this.#rewrite();
		});
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#writing;
		await this.#handle.close();
	}

	#assertOpen(): void {
		if (this.#closed) throw new JournalClosedError(`${this.file} is closed`);
	}

	#write<T>(task: () => Promise<T>): Promise<T> {
		if (this.#closed) return Promise.reject(new JournalClosedError(`${this.file} is closed`));
		const done = this.#writing.then(task);
		this.#writing = done.then(
			() => {},
			() => {},
		);
		return done;
	}

	async #appendLines(lines: Line[]): Promise<void> {
		const bytes = Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
		let done = 0;
		while (done < bytes.length) done += (await this.#handle.write(bytes, done, bytes.length - done, null)).bytesWritten;
		await this.#handle.datasync();
	}

	/** The file again with one line per slot: the living keys and the tombstones, nothing destroyed. */
	async #rewrite(): Promise<void> {
		const next = `${this.file}.rewrite`;
		const lines: string[] = [];
		for (const [name, slot] of this.#slots) {
			const [kind, verificationId] = splitSlotName(name);
			const line: Line =
				slot === null
					? { v: verificationId, k: kind, destroyed: true }
					: { v: verificationId, k: kind, key: slot.toString('base64') };
			lines.push(`${JSON.stringify(line)}\n`);
		}
		const handle = await fs.open(next, 'w', PRIVATE_FILE_MODE);
		try {
			await handle.writeFile(lines.join(''));
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(next, this.file);
		const folder = await fs.open(path.dirname(this.file), 'r');
		try {
			await folder.sync();
		} finally {
			await folder.close();
		}
		await this.#handle.close();
		this.#handle = await fs.open(this.file, 'a+', PRIVATE_FILE_MODE);
	}
}

function splitSlotName(name: string): [KeyKind, string] {
	const split = name.indexOf('\n');
	return [name.slice(0, split) as KeyKind, name.slice(split + 1)];
}

function parseLine(text: string): Line | undefined {
	try {
		const value = JSON.parse(text) as Partial<Line>;
		if (typeof value.v !== 'string' || (value.k !== 'personal' && value.k !== 'document')) return undefined;
		if (value.destroyed === true) return { v: value.v, k: value.k, destroyed: true };
		if (typeof value.key !== 'string' || Buffer.from(value.key, 'base64').length !== KEY_BYTES) return undefined;
		return { v: value.v, k: value.k, key: value.key };
	} catch {
		return undefined;
	}
}
