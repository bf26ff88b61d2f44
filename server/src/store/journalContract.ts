// The behaviour every Journal implementation must show, as a Vitest suite each implementation's tests
// run against a harness of their own. It relies only on the Journal interface: a journal opened again
// after close() stands for the service restarting, and must see the same records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashRecord, JournalClosedError, verifyChain } from './chain.ts';
import { GENESIS_HASH, type Journal, type JournalRecord } from './Journal.ts';

export type JournalHarness = {
	/** Opens the journal under test; called again after close() to simulate a restart. */
	open(): Promise<Journal>;
	/** Removes whatever the harness created; every journal it opened is closed by then. */
	cleanup(): Promise<void>;
};

async function collect(journal: Journal): Promise<JournalRecord[]> {
	const records: JournalRecord[] = [];
	for await (const record of journal.readAll()) records.push(record);
	return records;
}

export function describeJournalContract(name: string, harness: () => Promise<JournalHarness>): void {
	describe(`${name} keeps the Journal contract`, () => {
		let store: JournalHarness;
		const opened: Journal[] = [];

		beforeEach(async () => {
			store = await harness();
		});

		afterEach(async () => {
			for (const journal of opened.splice(0)) await journal.close();
			await store.cleanup();
		});

		async function open(): Promise<Journal> {
			const journal = await store.open();
			opened.push(journal);
			return journal;
		}

		async function reopen(journal: Journal): Promise<Journal> {
			await journal.close();
			return open();
		}

		it('append() resolves with records numbered from 1, each chained to the one before from the genesis hash', async () => {
			const journal = await open();
			const first = await journal.append({ type: 'verification.created', verificationId: 'v1', data: { purpose: 'c2c_video' } });
			const second = await journal.append({ type: 'verification.consented', verificationId: 'v1', data: {} });

			expect(first).toMatchObject({ seq: 1, type: 'verification.created', verificationId: 'v1', prevHash: GENESIS_HASH });
			expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
			expect(new Date(first.at).toISOString()).toBe(first.at);
			expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
			expect(first.hash).not.toBe(second.hash);
		});

		it("each record's hash is SHA-256 over prevHash and its canonical contents", async () => {
			const journal = await open();
			const record = await journal.append({
				type: 'outcome.recorded',
				verificationId: 'v1',
				data: { z: 1, a: { y: [1, 'two'], b: null } },
			});
			const { hash, ...contents } = record;

			expect(hashRecord(contents)).toBe(hash);
			expect(hashRecord({ ...contents, data: { a: { b: null, y: [1, 'two'] }, z: 1 } })).toBe(hash);
			expect(hashRecord({ ...contents, data: { z: 2, a: { y: [1, 'two'], b: null } } })).not.toBe(hash);
		});

		it('readAll() yields every record in append order, equal to what append() resolved with', async () => {
			const journal = await open();
			const appended: JournalRecord[] = [];
			for (let index = 0; index < 5; index += 1) {
				appended.push(await journal.append({ type: 'test.appended', data: { index } }));
			}

			expect(await collect(journal)).toEqual(appended);
		});

		it('concurrent appends are chained in the order append() was called', async () => {
			const journal = await open();
			const results = await Promise.all(
				Array.from({ length: 64 }, (_, index) =>
					journal.append({ type: 'test.appended', verificationId: `v${index % 4}`, data: { index } }),
				),
			);

			expect(results.map((record) => record.seq)).toEqual(results.map((_, index) => index + 1));
			expect(results.map((record) => record.data.index)).toEqual(results.map((_, index) => index));
			const records = await collect(journal);
			expect(records).toEqual(results);
			expect(await verifyChain(records)).toEqual({ ok: true, records: 64, lastHash: results[63]?.hash });
		});

		it('a journal opened again after close() holds the same records and continues their chain', async () => {
			let journal = await open();
			const before: JournalRecord[] = [];
			for (let index = 0; index < 3; index += 1) {
				before.push(await journal.append({ type: 'test.appended', verificationId: 'v1', data: { index } }));
			}

			journal = await reopen(journal);
			expect(await collect(journal)).toEqual(before);
			const next = await journal.append({ type: 'test.appended', verificationId: 'v1', data: { index: 3 } });
			expect(next).toMatchObject({ seq: 4, prevHash: before[2]?.hash });
			expect(await journal.readVerification('v1')).toEqual([...before, next]);
		});

		it("readVerification() returns only that verification's records, in order, before and after a restart", async () => {
			let journal = await open();
			const appended: JournalRecord[] = [];
			for (let index = 0; index < 9; index += 1) {
				const verificationId = index % 3 === 2 ? undefined : `v${index % 3}`;
				appended.push(await journal.append({ type: 'test.appended', verificationId, data: { index } }));
			}
			const ofV1 = appended.filter((record) => record.verificationId === 'v1');

			expect(await journal.readVerification('v1')).toEqual(ofV1);
			expect(await journal.readVerification('unknown')).toEqual([]);
			journal = await reopen(journal);
			expect(await journal.readVerification('v1')).toEqual(ofV1);
			expect((await journal.readVerification('v0')).map((record) => record.data.index)).toEqual([0, 3, 6]);
		});

		it('a record appended without a verificationId has no verificationId field', async () => {
			const journal = await open();
			const record = await journal.append({ type: 'webhook.enqueued', data: { eventId: 'e1' } });

			expect('verificationId' in record).toBe(false);
			const [read] = await collect(journal);
			expect(read !== undefined && 'verificationId' in read).toBe(false);
		});

		it('data comes back exactly as JSON carries it, across a restart', async () => {
			let journal = await open();
			const decidedAt = new Date('2026-01-02T03:04:05.678Z');
			const record = await journal.append({
				type: 'outcome.recorded',
				verificationId: 'v1',
				data: {
					decidedAt,
					note: '证件已过期 — expired',
					skipped: undefined,
					steps: [{ id: 'consent', passed: true }],
					score: -0.5,
				},
			});
			const expected = {
				decidedAt: '2026-01-02T03:04:05.678Z',
				note: '证件已过期 — expired',
				steps: [{ id: 'consent', passed: true }],
				score: -0.5,
			};

			expect(record.data).toEqual(expected);
			journal = await reopen(journal);
			expect((await journal.readVerification('v1'))[0]?.data).toEqual(expected);
		});

		it('append() rejects entries JSON cannot hold with a TypeError, without using up a seq', async () => {
			const journal = await open();

			await expect(journal.append({ type: 'test.bad', data: { value: Number.NaN } })).rejects.toThrow(TypeError);
			await expect(journal.append({ type: 'test.bad', data: { value: 1n } })).rejects.toThrow(TypeError);
			await expect(journal.append({ type: 'test.bad', data: [] as unknown as Record<string, unknown> })).rejects.toThrow(
				TypeError,
			);
			await expect(journal.append({ type: '', data: {} })).rejects.toThrow(TypeError);
			expect(await journal.append({ type: 'test.good', data: {} })).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
		});

		it('verify() reports an intact chain with its record count and last hash, and an empty one as such', async () => {
			const journal = await open();
			expect(await journal.verify()).toEqual({ ok: true, records: 0, lastHash: GENESIS_HASH });

			await journal.append({ type: 'test.appended', data: { index: 0 } });
			const last = await journal.append({ type: 'test.appended', data: { index: 1 } });
			expect(await journal.verify()).toEqual({ ok: true, records: 2, lastHash: last.hash });
		});

		it('close() lets appends already made finish, and they are there after a restart', async () => {
			let journal = await open();
			const pending = Array.from({ length: 20 }, (_, index) => journal.append({ type: 'test.appended', data: { index } }));
			await journal.close();

			const results = await Promise.all(pending);
			journal = await open();
			expect(await collect(journal)).toEqual(results);
		});

		it('append() rejects with JournalClosedError after close(), and close() may be called again', async () => {
			const journal = await open();
			await journal.append({ type: 'test.appended', data: {} });
			await journal.close();
			await journal.close();

			await expect(journal.append({ type: 'test.appended', data: {} })).rejects.toThrow(JournalClosedError);
		});
	});
}
