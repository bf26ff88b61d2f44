// The behaviour every Journal implementation must show, as a Vitest suite each implementation's tests
// run against a harness of their own. It relies only on the Journal interface: a journal opened again
// after close() stands for the service restarting, and must see the same records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashRecord, JournalClosedError, verifyChain } from './chain.ts';
import { GENESIS_HASH, type JournalRecord, type ProvableJournal } from './Journal.ts';

export type JournalHarness = {
	/** Opens the journal under test; called again after close() to simulate a restart. */
	open(): Promise<ProvableJournal>;
	/** Removes whatever the harness created; every journal it opened is closed by then. */
	cleanup(): Promise<void>;
};

/**
 * Records as the journal wrote them before per-verification chains (format 1, no vseq or vprev): what
 * a journal kept from then holds, for the tests that read such journals.
 */
export function format1Records(count: number, verificationOf: (index: number) => string | undefined): JournalRecord[] {
	const records: JournalRecord[] = [];
	let previous = { seq: 0, hash: GENESIS_HASH };
	for (let index = 0; index < count; index += 1) {
		const verificationId = verificationOf(index);
		const unhashed: Omit<JournalRecord, 'hash'> = {
			seq: previous.seq + 1,
			at: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(),
			type: 'test.appended',
			...(verificationId === undefined ? {} : { verificationId }),
			data: { index },
			prevHash: previous.hash,
		};
		const record = { ...unhashed, hash: hashRecord(unhashed) };
		records.push(record);
		previous = record;
	}
	return records;
}

async function collect(journal: ProvableJournal): Promise<JournalRecord[]> {
	const records: JournalRecord[] = [];
	for await (const record of journal.readAll()) records.push(record);
	return records;
}

export function describeJournalContract(name: string, harness: () => Promise<JournalHarness>): void {
	describe(`${name} keeps the Journal contract`, () => {
		let store: JournalHarness;
		const opened: ProvableJournal[] = [];

		beforeEach(async () => {
			store = await harness();
		});

		afterEach(async () => {
			for (const journal of opened.splice(0)) await journal.close();
			await store.cleanup();
		});

		async function open(): Promise<ProvableJournal> {
			const journal = await store.open();
			opened.push(journal);
			return journal;
		}

		async function reopen(journal: ProvableJournal): Promise<ProvableJournal> {
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

		it("each record of a verification is chained to that verification's record before it, across other records and a restart", async () => {
			let journal = await open();
			const first = await journal.append({ type: 'verification.created', verificationId: 'v1', data: {} });
			const other = await journal.append({ type: 'verification.created', verificationId: 'v2', data: {} });
			const none = await journal.append({ type: 'webhook.sent', data: {} });
			const second = await journal.append({ type: 'verification.consented', verificationId: 'v1', data: {} });
			journal = await reopen(journal);
			const third = await journal.append({ type: 'verification.accepted', verificationId: 'v1', data: {} });

			expect(first).toMatchObject({ format: 2, vseq: 1, vprev: GENESIS_HASH });
			expect(other).toMatchObject({ vseq: 1, vprev: GENESIS_HASH });
			expect(none).not.toHaveProperty('vseq');
			expect(second).toMatchObject({ vseq: 2, vprev: first.hash, prevHash: none.hash });
			expect(third).toMatchObject({ vseq: 3, vprev: second.hash });
			expect(await journal.verify()).toMatchObject({ ok: true, records: 5 });
		});

		it('concurrent appends to one verification are chained in call order in its chain too', async () => {
			const journal = await open();
			const results = await Promise.all(
				Array.from({ length: 30 }, (_, index) =>
					journal.append({ type: 'test.appended', verificationId: 'v1', data: { index } }),
				),
			);

			expect(results.map((record) => record.vseq)).toEqual(results.map((_, index) => index + 1));
			expect(results.slice(1).map((record) => record.vprev)).toEqual(results.slice(0, -1).map((record) => record.hash));
		});

		it('head() names the last acknowledged record, and readRange() yields records fromSeq..toSeq in order', async () => {
			let journal = await open();
			expect(await journal.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
			const appended: JournalRecord[] = [];
			for (let index = 0; index < 6; index += 1) {
				appended.push(await journal.append({ type: 'test.appended', verificationId: `v${index % 2}`, data: { index } }));
			}
			journal = await reopen(journal);
			const range = async (from: number, to: number) => {
				const records: JournalRecord[] = [];
				for await (const record of journal.readRange(from, to)) records.push(record);
				return records;
			};

			expect(await journal.head()).toEqual({ seq: 6, hash: appended[5]?.hash });
			expect(await range(2, 4)).toEqual(appended.slice(1, 4));
			expect(await range(6, 6)).toEqual(appended.slice(5));
			expect(await range(1, 6)).toEqual(appended);
			expect(await range(5, 4)).toEqual([]);
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
