import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashRecord, JournalCorruptError } from '../chain.ts';
import type { JournalRecord } from '../Journal.ts';
import { describeJournalContract, format1Records } from '../journalContract.ts';
import { EmbeddedJournal, JOURNAL_FILE_NAME } from './EmbeddedJournal.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const auditScript = path.resolve(here, '../../../scripts/audit-verify.ts');
const crashFixture = path.join(here, 'appendUntilKilled.fixture.ts');
const silent = pino({ level: 'silent' });

async function temporaryDirectory(): Promise<string> {
	return fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-journal-'));
}

describeJournalContract('EmbeddedJournal', async () => {
	const dataDir = await temporaryDirectory();
	return {
		open: () => EmbeddedJournal.open({ dataDir, logger: silent }),
		cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
	};
});

describe('EmbeddedJournal on disk', () => {
	let dataDir: string;
	let file: string;
	const opened: EmbeddedJournal[] = [];

	beforeEach(async () => {
		dataDir = await temporaryDirectory();
		file = path.join(dataDir, JOURNAL_FILE_NAME);
	});

	afterEach(async () => {
		for (const journal of opened.splice(0)) await journal.close();
		await fs.rm(dataDir, { recursive: true, force: true });
	});

	async function open(logger = silent): Promise<EmbeddedJournal> {
		const journal = await EmbeddedJournal.open({ dataDir, logger });
		opened.push(journal);
		return journal;
	}

	/** A journal of `count` records on disk, closed; returns them. */
	async function writeRecords(count: number): Promise<JournalRecord[]> {
		const journal = await open();
		const records: JournalRecord[] = [];
		for (let index = 0; index < count; index += 1) {
			records.push(await journal.append({ type: 'test.appended', verificationId: `v${index % 2}`, data: { index } }));
		}
		await journal.close();
		return records;
	}

	async function readLines(): Promise<string[]> {
		return (await fs.readFile(file, 'utf8')).split('\n').slice(0, -1);
	}

	async function writeLines(lines: string[], tail = ''): Promise<void> {
		await fs.writeFile(file, `${lines.map((line) => `${line}\n`).join('')}${tail}`);
	}

	/** The record of `line` with its data changed, the hash left as it was. */
	function tampered(line: string): string {
		const record = JSON.parse(line) as JournalRecord;
		return JSON.stringify({ ...record, data: { ...record.data, index: 99 } });
	}

	/** A record that hashes correctly on its own but links to the wrong previous hash. */
	function relinked(line: string): string {
		const { hash: _hash, ...record } = JSON.parse(line) as JournalRecord;
		const wrong = { ...record, prevHash: 'f'.repeat(64) };
		return JSON.stringify({ ...wrong, hash: hashRecord(wrong) });
	}

	async function quarantineFiles(): Promise<string[]> {
		return (await fs.readdir(dataDir)).filter((name) => name.startsWith('journal.torn-'));
	}

	async function openError(): Promise<JournalCorruptError> {
		const error = await EmbeddedJournal.open({ dataDir, logger: silent }).then(
			(journal) => {
				opened.push(journal);
				throw new Error('open() should have refused the journal');
			},
			(reason: unknown) => reason,
		);
		expect(error).toBeInstanceOf(JournalCorruptError);
		return error as JournalCorruptError;
	}

	it('creates the data folder 0700 and the journal 0600, since the journal holds personal data', async () => {
		const nested = path.join(dataDir, 'fresh', 'data');
		const journal = await EmbeddedJournal.open({ dataDir: nested, logger: silent });
		opened.push(journal);
		await journal.append({ type: 'test.appended', data: {} });
		expect((await fs.stat(nested)).mode & 0o777).toBe(0o700);
		expect((await fs.stat(path.join(nested, JOURNAL_FILE_NAME))).mode & 0o777).toBe(0o600);
		expect((await fs.stat(`${path.join(nested, JOURNAL_FILE_NAME)}.lock`)).mode & 0o777).toBe(0o600);
	});

	it("takes group and others' access away from an existing journal and its folder when it opens them", async () => {
		await writeRecords(1);
		await fs.chmod(file, 0o644);
		await fs.chmod(dataDir, 0o755);
		await open();
		expect((await fs.stat(dataDir)).mode & 0o777).toBe(0o700);
		expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
	});

	it('leaves a shared sticky folder such as /tmp as it is, and warns', async () => {
		await fs.chmod(dataDir, 0o1777);
		const warnings: string[] = [];
		const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
		await open(logger);
		expect((await fs.stat(dataDir)).mode & 0o7777).toBe(0o1777);
		expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
		expect(warnings.join('\n')).toMatch(/shared \(sticky\) folder/);
	});

	it('stores one JSON record per line, each ending in a newline, as append() returned it', async () => {
		const records = await writeRecords(3);

		const text = await fs.readFile(file, 'utf8');
		expect(text.endsWith('\n')).toBe(true);
		expect(
			text
				.split('\n')
				.slice(0, -1)
				.map((line) => JSON.parse(line)),
		).toEqual(records);
	});

	it('open() reports what it found: the record count and last hash, and no torn tail', async () => {
		const records = await writeRecords(4);

		const journal = await open();
		expect(journal.recovery).toEqual({ records: 4, lastHash: records[3]?.hash, tornTail: undefined });
	});

	describe.for([
		['an incomplete last line with no newline', (last: string) => last.slice(0, 40)],
		['a last line that is not JSON', () => '{"seq":6,"at":"2026-\n'],
		['a last line that fails its hash', (last: string) => `${tampered(last)}\n`],
		['zero bytes where the last record should be', () => '\0'.repeat(120)],
	] as const)('a torn last record (%s)', ([, tornBytesOf]) => {
		it('is moved to a quarantine file, reported and logged; the journal is truncated to the good records and appendable', async () => {
			const records = await writeRecords(6);
			const lines = await readLines();
			const goodLines = lines.slice(0, 5);
			const torn = tornBytesOf(lines[5] as string);
			await writeLines(goodLines, torn);
			const logged: string[] = [];
			const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });

			const journal = await open(logger);

			const tornTail = journal.recovery.tornTail;
			expect(tornTail).toMatchObject({ line: 6, bytes: Buffer.byteLength(torn) });
			expect(path.dirname(tornTail?.quarantineFile ?? '')).toBe(dataDir);
			expect(path.basename(tornTail?.quarantineFile ?? '')).toMatch(/^journal\.torn-.+\.jsonl$/);
			expect(await fs.readFile(tornTail?.quarantineFile ?? '', 'utf8')).toBe(torn);
			expect(await readLines()).toEqual(goodLines);
			expect(journal.recovery.records).toBe(5);
			expect(logged).toHaveLength(1);
			expect(JSON.parse(logged[0] as string)).toMatchObject({ level: 50, quarantineFile: tornTail?.quarantineFile });

			const next = await journal.append({ type: 'test.appended', data: { after: 'recovery' } });
			expect(next).toMatchObject({ seq: 6, prevHash: records[4]?.hash });
			expect(await journal.verify()).toEqual({ ok: true, records: 6, lastHash: next.hash });
			expect(await journal.readVerification('v0')).toEqual(
				records.slice(0, 5).filter((record) => record.verificationId === 'v0'),
			);
		});
	});

	describe.for([
		[
			'a record whose contents no longer match its hash',
			(lines: string[]) => lines.with(2, tampered(lines[2] as string)),
			3,
			/hash does not match/,
		],
		[
			'a record linked to the wrong previous hash',
			(lines: string[]) => lines.with(2, relinked(lines[2] as string)),
			3,
			/prevHash is not the hash of record 2/,
		],
		['a missing record (a seq gap)', (lines: string[]) => lines.toSpliced(2, 1), 4, /seq 4 where 3 was expected/],
		['a line that is not JSON', (lines: string[]) => lines.with(2, '{"seq":3,'), null, /not valid JSON/],
	] as const)('corruption before the last record (%s)', ([, corrupt, seq, reason]) => {
		it('makes open() throw JournalCorruptError naming the record and line, leaving the file as it was', async () => {
			await writeRecords(5);
			await writeLines(corrupt(await readLines()));
			const before = await fs.readFile(file);

			const error = await openError();

			expect(error).toMatchObject({ seq, line: 3 });
			expect(error.reason).toMatch(reason);
			expect(error.message).toContain(`line 3`);
			expect(await fs.readFile(file)).toEqual(before);
			expect(await quarantineFiles()).toEqual([]);
		});
	});

	it('refuses a well-formed last record that does not follow the chain, since no torn write looks like that', async () => {
		await writeRecords(5);
		const lines = await readLines();
		await writeLines([...lines, lines[4] as string]);

		const error = await openError();

		expect(error).toMatchObject({ seq: 5, line: 6 });
		expect(error.reason).toMatch(/seq 5 where 6 was expected/);
		expect(await quarantineFiles()).toEqual([]);
	});

	it('releases the journal after refusing it, so a repaired file opens', async () => {
		await writeRecords(3);
		const lines = await readLines();
		await writeLines(lines.with(0, tampered(lines[0] as string)));
		await openError();

		await writeLines(lines);
		expect((await open()).recovery.records).toBe(3);
	});

	it('verify() names the first broken record when the file is changed under an open journal', async () => {
		await writeRecords(5);
		const journal = await open();
		const lines = await readLines();
		await writeLines(lines.with(1, tampered(lines[1] as string)).with(3, tampered(lines[3] as string)));

		expect(await journal.verify()).toEqual({
			ok: false,
			records: 1,
			firstBroken: { seq: 2, line: 2, reason: "hash does not match the record's contents" },
		});
	});

	it('verify() reports acknowledged records missing from a truncated file', async () => {
		await writeRecords(5);
		const journal = await open();
		await writeLines((await readLines()).slice(0, 3));

		expect(await journal.verify()).toMatchObject({ ok: false, records: 3, firstBroken: { seq: 4, line: 4 } });
	});

	it('readVerification() reads the records of one verification from the file through its index', async () => {
		const records = await writeRecords(6);
		const journal = await open();

		expect(await journal.readVerification('v1')).toEqual(records.filter((record) => record.verificationId === 'v1'));
		const lines = await readLines();
		await writeLines(lines.with(3, tampered(lines[3] as string)));
		await expect(journal.readVerification('v1')).rejects.toThrow(JournalCorruptError);
	});

	it('readRange() reads records far into the file from its seq index, checked and in order', async () => {
		const journal = await open();
		const records = await Promise.all(
			Array.from({ length: 2100 }, (_, index) =>
				journal.append({ type: 'test.appended', verificationId: `v${index % 7}`, data: { index } }),
			),
		);
		const range = async (from: number, to: number) => {
			const read: JournalRecord[] = [];
			for await (const record of journal.readRange(from, to)) read.push(record);
			return read;
		};

		expect(await range(1023, 1026)).toEqual(records.slice(1022, 1026));
		expect(await range(2049, 2100)).toEqual(records.slice(2048));
		expect(await range(2100, 3000)).toEqual(records.slice(2099));
		const lines = await readLines();
		await writeLines(lines.with(2060, tampered(lines[2060] as string)));
		await expect(range(2050, 2070)).rejects.toMatchObject({ seq: 2061 });
	});

	it('opens a journal written before per-verification chains as before; new records continue its verifications', async () => {
		const old = format1Records(4, (index) => (index === 2 ? undefined : 'v1'));
		await writeLines(old.map((record) => JSON.stringify(record)));
		let journal = await open();
		expect(await journal.verify()).toEqual({ ok: true, records: 4, lastHash: old[3]?.hash });
		expect(await journal.readVerification('v1')).toEqual(old.filter((record) => record.verificationId === 'v1'));

		const next = await journal.append({ type: 'test.appended', verificationId: 'v1', data: { index: 4 } });
		expect(next).toMatchObject({ format: 2, seq: 5, vseq: 4, vprev: old[3]?.hash, prevHash: old[3]?.hash });
		await journal.close();
		journal = await open();
		expect(await journal.verify()).toEqual({ ok: true, records: 5, lastHash: next.hash });
	});

	it('a second open of the same journal in one process is refused until the first is closed', async () => {
		const first = await open();

		await expect(EmbeddedJournal.open({ dataDir, logger: silent })).rejects.toThrow(/already open in this process/);
		await first.close();
		await open();
	});

	describe('audit-verify script', () => {
		function audit(
			args: string[],
			env: NodeJS.ProcessEnv = {},
		): Promise<{ code: number | null; stdout: string; stderr: string }> {
			return new Promise((resolve) => {
				const { DATA_DIR: _ignored, ...inherited } = process.env;
				execFile(process.execPath, [auditScript, ...args], { env: { ...inherited, ...env } }, (error, stdout, stderr) => {
					resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
				});
			});
		}

		it('exits 0 and prints the record count and last hash of an intact journal', async () => {
			const records = await writeRecords(5);

			const result = await audit(['--file', file]);

			expect(result).toMatchObject({ code: 0, stderr: '' });
			expect(result.stdout).toContain(`ok: 5 records, last hash ${records[4]?.hash}`);
		});

		it('finds journal.jsonl in --data-dir, or in DATA_DIR', async () => {
			await writeRecords(2);

			expect(await audit(['--data-dir', dataDir])).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: 2 records') });
			expect(await audit([], { DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: 2 records') });
		});

		it('exits 1 and names the first broken record', async () => {
			await writeRecords(5);
			const lines = await readLines();
			await writeLines(lines.with(2, tampered(lines[2] as string)).with(3, tampered(lines[3] as string)));

			const result = await audit(['--file', file]);

			expect(result.code).toBe(1);
			expect(result.stdout).toContain("BROKEN at record seq 3 (line 3): hash does not match the record's contents");
		});

		it('exits 1 on a torn last record without moving it: auditing never changes the journal', async () => {
			await writeRecords(3);
			await fs.appendFile(file, '{"seq":4,"at"');
			const before = await fs.readFile(file);

			const result = await audit(['--file', file]);

			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/BROKEN at record seq unknown \(line 4\): incomplete line .*torn/);
			expect(await fs.readFile(file)).toEqual(before);
			expect(await quarantineFiles()).toEqual([]);
		});

		it('exits 2 on a usage error or a journal that cannot be read', async () => {
			expect(await audit(['--frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
			expect(await audit(['--file', file, '--data-dir', dataDir])).toMatchObject({ code: 2 });
			expect(await audit(['--file', path.join(dataDir, 'absent.jsonl')])).toMatchObject({
				code: 2,
				stderr: expect.stringContaining('cannot read journal'),
			});
		});
	});

	describe('a process killed with SIGKILL while appending', () => {
		/** Starts the fixture; resolves once it has acknowledged `until` records, with every seq it acknowledged so far. */
		function appendUntil(until: number): { child: ChildProcess; acknowledged: number[]; reached: Promise<void> } {
			const child = spawn(process.execPath, [crashFixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
			const acknowledged: number[] = [];
			const reached = new Promise<void>((resolve, reject) => {
				child.once('exit', (code, signal) => reject(new Error(`fixture exited early (${code ?? signal})`)));
				createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => {
					const match = /^acknowledged (\d+)$/.exec(line);
					if (match === null) return;
					acknowledged.push(Number(match[1]));
					if (acknowledged.length === until) resolve();
				});
			});
			return { child, acknowledged, reached };
		}

		async function kill(child: ChildProcess): Promise<void> {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		}

		it('loses no acknowledged record, and the chain verifies after each restart', async () => {
			const acknowledged: number[] = [];
			for (let round = 0; round < 2; round += 1) {
				const run = appendUntil(300);
				try {
					await run.reached;
					await expect(EmbeddedJournal.open({ dataDir, logger: silent })).rejects.toThrow(`in use by process ${run.child.pid}`);
				} finally {
					await kill(run.child);
				}
				acknowledged.push(...run.acknowledged);
			}

			const journal = await open();
			const seqs: number[] = [];
			for await (const record of journal.readAll()) seqs.push(record.seq);
			expect(seqs).toEqual(seqs.map((_, index) => index + 1));
			const present = new Set(seqs);
			expect(acknowledged.filter((seq) => !present.has(seq))).toEqual([]);
			expect(await journal.verify()).toMatchObject({ ok: true, records: seqs.length });
		});
	});
});
