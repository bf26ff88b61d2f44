import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../../../test/redis.ts';
import { hashRecord, JournalCorruptError, verifyChain } from '../chain.ts';
import type { JournalRecord } from '../Journal.ts';
import { describeJournalContract, format1Records } from '../journalContract.ts';
import { RedisConnection } from './RedisConnection.ts';
import { inspectDurability, RedisJournal } from './RedisJournal.ts';
import { StoreUnavailableError } from './StoreUnavailableError.ts';
import { deleteKeys, killRedis, rawClient, silentLogger, uniqueKeyPrefix } from './testSupport.ts';

const redisUrl = inject('redisUrl');

async function collect(journal: RedisJournal): Promise<JournalRecord[]> {
	const records: JournalRecord[] = [];
	for await (const record of journal.readAll()) records.push(record);
	return records;
}

describeJournalContract('RedisJournal', async () => {
	const keyPrefix = uniqueKeyPrefix('journal-contract');
	return {
		open: () => RedisJournal.open({ url: redisUrl, keyPrefix, logger: silentLogger }),
		cleanup: () => deleteKeys(redisUrl, keyPrefix),
	};
});

describe('RedisJournal in Redis', () => {
	let keyPrefix: string;
	let raw: Redis;
	const opened: RedisJournal[] = [];

	beforeEach(() => {
		keyPrefix = uniqueKeyPrefix('journal');
		raw = rawClient(redisUrl);
	});

	afterEach(async () => {
		for (const journal of opened.splice(0)) await journal.close();
		await deleteKeys(redisUrl, keyPrefix);
		raw.disconnect();
	});

	async function open(url = redisUrl): Promise<RedisJournal> {
		const journal = await RedisJournal.open({ url, keyPrefix, logger: silentLogger });
		opened.push(journal);
		return journal;
	}

	/** Rewrites the records stream with `change` applied to the record list, as someone with Redis access could. */
	async function rewriteRecords(change: (records: JournalRecord[]) => JournalRecord[]): Promise<void> {
		const entries = await raw.xrange(`${keyPrefix}journal:records`, '-', '+');
		const records = change(entries.map(([, fields]) => JSON.parse(fields[1] as string) as JournalRecord));
		await raw.del(`${keyPrefix}journal:records`);
		for (const record of records)
			await raw.xadd(`${keyPrefix}journal:records`, `${record.seq}-0`, 'record', JSON.stringify(record));
	}

	it('keeps the records in one stream by seq, a list of seqs per verification, and the head as "seq hash"', async () => {
		const journal = await open();
		const first = await journal.append({ type: 'verification.created', verificationId: 'v1', data: {} });
		await journal.append({ type: 'webhook.enqueued', data: { eventId: 'e1' } });
		const third = await journal.append({ type: 'verification.consented', verificationId: 'v1', data: {} });

		expect(await raw.get(`${keyPrefix}journal:head`)).toBe(`3 ${third.hash}`);
		expect(await raw.lrange(`${keyPrefix}journal:verification:v1`, 0, -1)).toEqual(['1', '3']);
		const entries = await raw.xrange(`${keyPrefix}journal:records`, '-', '+');
		expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
		expect(JSON.parse(entries[0]?.[1][1] as string)).toEqual(first);
	});

	it('journals on separate connections, as separate processes, append to one chain with no gap or fork', async () => {
		const journals = await Promise.all(Array.from({ length: 4 }, () => open()));
		const perJournal = 40;

		const appended = await Promise.all(
			journals.map((journal, writer) =>
				Promise.all(
					Array.from({ length: perJournal }, (_, index) =>
						journal.append({ type: 'test.appended', verificationId: `v${index % 3}`, data: { writer, index } }),
					),
				),
			),
		);

		const records = await collect(journals[0] as RedisJournal);
		expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
		expect(await verifyChain(records)).toMatchObject({ ok: true, records: 4 * perJournal });
		expect(records).toEqual(expect.arrayContaining(appended.flat()));
		for (const [writer, ofWriter] of appended.entries()) {
			const seqs = ofWriter.map((record) => record.seq);
			expect(seqs, `writer ${writer} keeps its call order`).toEqual(seqs.toSorted((a, b) => a - b));
		}
		const ofV1 = await journals[3]?.readVerification('v1');
		expect(ofV1).toEqual(records.filter((record) => record.verificationId === 'v1'));
	});

	it('reads a journal written before per-verification chains as before; new records continue its verifications', async () => {
		const old = format1Records(4, (index) => (index === 2 ? undefined : 'v1'));
		for (const record of old) {
			await raw.xadd(`${keyPrefix}journal:records`, `${record.seq}-0`, 'record', JSON.stringify(record));
			if (record.verificationId) await raw.rpush(`${keyPrefix}journal:verification:${record.verificationId}`, record.seq);
		}
		await raw.set(`${keyPrefix}journal:head`, `4 ${old[3]?.hash}`);
		const journal = await open();
		expect(await journal.verify()).toEqual({ ok: true, records: 4, lastHash: old[3]?.hash });

		// This process knows nothing of v1: the script tells it where v1 stands, and it chains again.
		const next = await journal.append({ type: 'test.appended', verificationId: 'v1', data: { index: 4 } });
		expect(next).toMatchObject({ format: 2, seq: 5, vseq: 4, vprev: old[3]?.hash });
		expect(await (await open()).verify()).toEqual({ ok: true, records: 5, lastHash: next.hash });
	});

	it("a journal that knows a verification's last record from another process's append chains to it", async () => {
		const [one, other] = [await open(), await open()];
		const first = await one.append({ type: 'verification.created', verificationId: 'v1', data: {} });
		const second = await other.append({ type: 'verification.consented', verificationId: 'v1', data: {} });
		const third = await one.append({ type: 'verification.accepted', verificationId: 'v1', data: {} });

		expect([first.vseq, second.vseq, third.vseq]).toEqual([1, 2, 3]);
		expect(third).toMatchObject({ vprev: second.hash, prevHash: second.hash });
		expect(await one.verify()).toMatchObject({ ok: true, records: 3 });
	});

	it('verify() and readAll() name a record whose contents were changed in Redis', async () => {
		const journal = await open();
		for (let index = 0; index < 4; index += 1)
			await journal.append({ type: 'test.appended', verificationId: 'v1', data: { index } });
		await rewriteRecords((records) => records.with(1, { ...(records[1] as JournalRecord), data: { index: 99 } }));

		expect(await journal.verify()).toEqual({
			ok: false,
			records: 1,
			firstBroken: { seq: 2, line: 2, reason: "hash does not match the record's contents" },
		});
		await expect(collect(journal)).rejects.toThrow(JournalCorruptError);
		await expect(journal.readVerification('v1')).rejects.toMatchObject({ seq: 2 });
	});

	it('verify() names a record relinked to another chain, and records missing behind the head', async () => {
		const journal = await open();
		for (let index = 0; index < 4; index += 1) await journal.append({ type: 'test.appended', data: { index } });
		await rewriteRecords((records) => {
			const { hash: _hash, ...third } = { ...(records[2] as JournalRecord), prevHash: 'f'.repeat(64) };
			return records.with(2, { ...third, hash: hashRecord(third) });
		});
		expect(await journal.verify()).toMatchObject({ ok: false, records: 2, firstBroken: { seq: 3, reason: /prevHash/ } });

		await rewriteRecords((records) => records.slice(0, 2));
		expect(await journal.verify()).toMatchObject({ ok: false, records: 2, firstBroken: { seq: 3, line: 3, reason: /missing/ } });
		await expect(collect(journal)).rejects.toThrow(/missing/);
	});

	it('stops appending with JournalCorruptError when the head goes back, as when Redis lost acknowledged records', async () => {
		const journal = await open();
		for (let index = 0; index < 3; index += 1) await journal.append({ type: 'test.appended', data: { index } });
		await deleteKeys(redisUrl, keyPrefix);

		await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toThrow(/head went back from record 3 to 0/);
		await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toThrow(JournalCorruptError);
		expect(await raw.exists(`${keyPrefix}journal:head`)).toBe(0);
	});

	it('a damaged head key fails appends with JournalCorruptError instead of leaving them waiting, and verify() reports it', async () => {
		const journal = await open();
		await journal.append({ type: 'test.appended', data: {} });
		await raw.set(`${keyPrefix}journal:head`, 'not a head');

		await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toThrow(JournalCorruptError);
		expect(await journal.verify()).toEqual({
			ok: false,
			records: 0,
			firstBroken: { seq: null, line: 0, reason: 'the head key holds "not a head"' },
		});
	});

	it('a journal opened again continues the chain another process wrote', async () => {
		const writer = await open();
		const written = await writer.append({ type: 'test.appended', data: {} });
		const other = await open();
		await other.append({ type: 'test.appended', data: {} });

		const next = await writer.append({ type: 'test.appended', data: {} });
		expect(next).toMatchObject({ seq: 3 });
		expect((await collect(writer)).map((record) => record.prevHash)).toEqual([
			expect.any(String),
			written.hash,
			expect.any(String),
		]);
		expect(await writer.verify()).toMatchObject({ ok: true, records: 3 });
	});

	it('the test Redis is set up as docs/redis.md asks, so inspectDurability() finds nothing to warn about', async () => {
		const connection = new RedisConnection({ url: redisUrl, logger: silentLogger });
		try {
			expect(await inspectDurability(connection)).toEqual([]);
		} finally {
			await connection.close();
		}
	});
});

describe('RedisJournal when Redis goes away', () => {
	let dir: string;
	let port: number;
	let redis: TestRedis | undefined;
	const opened: RedisJournal[] = [];

	beforeEach(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-redis-journal-'));
		port = await freePort();
	});

	afterEach(async () => {
		for (const journal of opened.splice(0)) await journal.close();
		await redis?.stop();
		redis = undefined;
		fs.rmSync(dir, { recursive: true, force: true });
	});

	async function open(): Promise<RedisJournal> {
		const journal = await RedisJournal.open({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'vv:', logger: silentLogger });
		opened.push(journal);
		return journal;
	}

	function nextEvent(journal: RedisJournal, event: 'ready' | 'unavailable'): Promise<void> {
		return new Promise((resolve) => journal.connection.once(event, () => resolve()));
	}

	it('opens while Redis is away, reports not ready and refuses appends with StoreUnavailableError, then serves once Redis starts', async () => {
		const journal = await open();

		await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toThrow(StoreUnavailableError);
		expect(journal.ready).toBe(false);
		await expect(journal.verify()).rejects.toMatchObject({ code: 'UNAVAILABLE', outcomeUnknown: false });

		redis = await startRedis({ dir, port });
		await journal.connection.whenReady();
		expect(journal.ready).toBe(true);
		expect(await journal.append({ type: 'test.appended', data: {} })).toMatchObject({ seq: 1 });
	});

	it('after Redis is killed mid-append and restarted on its AOF, no acknowledged record is lost and the same journal appends again', async () => {
		redis = await startRedis({ dir, port });
		const journal = await open();
		const before: JournalRecord[] = [];
		for (let index = 0; index < 50; index += 1) before.push(await journal.append({ type: 'test.appended', data: { index } }));

		const wentAway = nextEvent(journal, 'unavailable');
		// Two writers append one record after another until Redis dies under them.
		const acknowledged = [...before];
		const failures: unknown[] = [];
		const writers = [0, 1].map(async (writer) => {
			for (let index = 0; ; index += 1) {
				try {
					acknowledged.push(await journal.append({ type: 'test.inflight', data: { writer, index } }));
				} catch (error) {
					failures.push(error);
					return;
				}
			}
		});
		await killRedis(redis.url);
		await Promise.all(writers);
		await wentAway;

		expect(journal.ready).toBe(false);
		expect(failures).toHaveLength(2);
		for (const failure of failures) expect(failure).toBeInstanceOf(StoreUnavailableError);
		await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toMatchObject({
			code: 'UNAVAILABLE',
			outcomeUnknown: false,
		});

		const back = nextEvent(journal, 'ready');
		redis = await startRedis({ dir, port });
		await back;
		const after = await journal.append({ type: 'test.appended', data: { after: 'restart' } });
		const records = await collect(journal);

		expect(records).toEqual(expect.arrayContaining(acknowledged));
		expect(records.at(-1)).toEqual(after);
		expect(await journal.verify()).toMatchObject({ ok: true, records: records.length });
	});
});
