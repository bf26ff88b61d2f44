import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	ChainCursor,
	canonicalJson,
	chainRecord,
	hashRecord,
	NO_RECORDS,
	normaliseEntry,
	VerificationHeads,
	verifyChain,
} from './chain.ts';
import { GENESIS_HASH, type JournalRecord } from './Journal.ts';
import { format1Records } from './journalContract.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `count` records chained as the journals chain them; `verificationOf` picks each one's verification. */
function buildChain(
	count: number,
	verificationOf: (index: number) => string | undefined = () => 'v1',
	start: JournalRecord[] = [],
): JournalRecord[] {
	const records: JournalRecord[] = [...start];
	const heads = new VerificationHeads();
	for (const record of start) heads.advance(record);
	let previous = start.at(-1) ?? { seq: 0, hash: GENESIS_HASH };
	for (let index = 0; index < count; index += 1) {
		const verificationId = verificationOf(index);
		const head = verificationId === undefined ? undefined : heads.of(verificationId);
		const record = chainRecord({ type: 'test.appended', verificationId, data: { index } }, previous, new Date(0), head);
		records.push(record);
		heads.advance(record);
		previous = record;
	}
	return records;
}

/** A copy of `record` with some fields changed and its hash recomputed, so only its links can be wrong. */
function rehashed(record: JournalRecord, change: Partial<JournalRecord>): JournalRecord {
	const { hash: _hash, ...contents } = { ...record, ...change };
	return { ...contents, hash: hashRecord(contents) };
}

describe('canonicalJson', () => {
	it('sorts object keys at every depth and leaves out whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe(
			'{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}',
		);
	});

	it('gives the same text for the same value whatever order its keys were written in', () => {
		expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
	});

	it('leaves out object members that are undefined, as JSON does', () => {
		expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
	});

	it('escapes strings as JSON does, keeping non-ASCII text as it is', () => {
		expect(canonicalJson({ note: 'line\nbreak "quoted" 中文' })).toBe('{"note":"line\\nbreak \\"quoted\\" 中文"}');
	});

	it.for([
		['NaN', Number.NaN],
		['Infinity', Number.POSITIVE_INFINITY],
		['a BigInt', 1n],
		['a Date', new Date(0)],
		['a Map', new Map()],
		['undefined inside an array', [undefined]],
		['a function', () => 1],
	] as const)('throws a TypeError for %s rather than hash a value JSON would change', ([, value]) => {
		expect(() => canonicalJson({ value })).toThrow(TypeError);
	});
});

describe('hashRecord', () => {
	const [record] = buildChain(1) as [JournalRecord];
	const { hash: _hash, ...contents } = record;

	it('of a format-1 record is SHA-256 over prevHash, a newline and the canonical JSON of seq, at, type, verificationId and data', () => {
		const [legacy] = format1Records(1, () => 'v1') as [JournalRecord];
		const expected = sha256(
			`${GENESIS_HASH}\n{"at":"2025-01-01T00:00:00.000Z","data":{"index":0},"seq":1,"type":"test.appended","verificationId":"v1"}`,
		);
		expect(legacy.hash).toBe(expected);
		expect('format' in legacy).toBe(false);
	});

	it("of a format-2 record is SHA-256 over prevHash, its verification's subject and the digest of its other fields", () => {
		expect(record).toMatchObject({ format: 2, vseq: 1, vprev: GENESIS_HASH });
		const body = sha256(
			`{"at":"1970-01-01T00:00:00.000Z","data":{"index":0},"format":2,"seq":1,"type":"test.appended","verificationId":"v1","vprev":"${GENESIS_HASH}","vseq":1}`,
		);
		expect(hashRecord(contents)).toBe(sha256(`${GENESIS_HASH}\n${sha256('verification\nv1')}\n${body}`));
	});

	it.for([
		['seq', { seq: 2 }],
		['at', { at: '1970-01-01T00:00:00.001Z' }],
		['type', { type: 'test.changed' }],
		['verificationId', { verificationId: 'v2' }],
		['data', { data: { index: 1 } }],
		['prevHash', { prevHash: 'a'.repeat(64) }],
		['vseq', { vseq: 2 }],
		['vprev', { vprev: 'a'.repeat(64) }],
	] as const)('changes when %s changes', ([, change]) => {
		expect(hashRecord({ ...contents, ...change })).not.toBe(record.hash);
	});

	it('tells a record without a verificationId from one with it, and a format-2 record from a format-1 one', () => {
		const { verificationId: _verificationId, vseq: _vseq, vprev: _vprev, ...withoutVerification } = contents;
		expect(hashRecord(withoutVerification)).not.toBe(record.hash);
		const { format: _format, ...format1 } = contents;
		expect(hashRecord(format1)).not.toBe(record.hash);
	});
});

describe('chainRecord', () => {
	it("links a verification's record to its verification's record before it, across other records", () => {
		const records = buildChain(5, (index) => (index % 2 === 0 ? 'v1' : index === 3 ? undefined : 'v2'));
		const [first, , third, fourth, fifth] = records as [
			JournalRecord,
			JournalRecord,
			JournalRecord,
			JournalRecord,
			JournalRecord,
		];

		expect(first).toMatchObject({ verificationId: 'v1', vseq: 1, vprev: GENESIS_HASH });
		expect(third).toMatchObject({ verificationId: 'v1', vseq: 2, vprev: first.hash, prevHash: records[1]?.hash });
		expect(fourth).not.toHaveProperty('vseq');
		expect(fifth).toMatchObject({ verificationId: 'v1', vseq: 3, vprev: third.hash, prevHash: fourth.hash });
	});

	it("refuses a verification's record without its verification's head", () => {
		expect(() => chainRecord({ type: 't', verificationId: 'v1', data: {} }, { seq: 0, hash: GENESIS_HASH }, new Date(0))).toThrow(
			TypeError,
		);
		expect(chainRecord({ type: 't', data: {} }, { seq: 0, hash: GENESIS_HASH }, new Date(0), NO_RECORDS)).not.toHaveProperty(
			'vseq',
		);
	});
});

describe('normaliseEntry', () => {
	it('returns data exactly as a JSON round trip would give it back', () => {
		expect(normaliseEntry({ type: 't', data: { at: new Date(0), gone: undefined, list: [1, 'a'] } })).toEqual({
			type: 't',
			data: { at: '1970-01-01T00:00:00.000Z', list: [1, 'a'] },
		});
	});

	it('rejects an empty type, an empty verificationId and data that is not a plain object', () => {
		expect(() => normaliseEntry({ type: '', data: {} })).toThrow(TypeError);
		expect(() => normaliseEntry({ type: 't', verificationId: '', data: {} })).toThrow(TypeError);
		expect(() => normaliseEntry({ type: 't', data: null as unknown as Record<string, unknown> })).toThrow(TypeError);
		expect(() => normaliseEntry({ type: 't', data: new Date(0) as unknown as Record<string, unknown> })).toThrow(TypeError);
	});

	it('rejects numbers JSON would silently turn into null', () => {
		expect(() => normaliseEntry({ type: 't', data: { nested: { value: Number.NaN } } })).toThrow(/data\.value is NaN/);
	});
});

describe('verifyChain', () => {
	it('reports an intact chain with its length and last hash', async () => {
		const records = buildChain(4);
		expect(await verifyChain(records)).toEqual({ ok: true, records: 4, lastHash: records[3]?.hash });
		expect(await verifyChain([])).toEqual({ ok: true, records: 0, lastHash: GENESIS_HASH });
	});

	it.for([
		[
			'a record whose contents changed',
			(records: JournalRecord[]) => records.with(1, { ...(records[1] as JournalRecord), data: { index: 9 } }),
			{ seq: 2, line: 2, reason: "hash does not match the record's contents" },
		],
		[
			'a record linked to the wrong previous hash',
			(records: JournalRecord[]) => records.with(1, rehashed(records[1] as JournalRecord, { prevHash: GENESIS_HASH })),
			{ seq: 2, line: 2, reason: 'prevHash is not the hash of record 1' },
		],
		[
			'a first record not linked to the genesis hash',
			(records: JournalRecord[]) => records.with(0, rehashed(records[0] as JournalRecord, { prevHash: 'a'.repeat(64) })),
			{ seq: 1, line: 1, reason: 'prevHash is not the genesis hash' },
		],
		[
			'a missing record',
			(records: JournalRecord[]) => records.toSpliced(1, 1),
			{ seq: 3, line: 2, reason: 'seq 3 where 2 was expected' },
		],
		[
			'a record with a field the hash does not cover',
			(records: JournalRecord[]) => records.with(1, { ...(records[1] as JournalRecord), extra: 1 } as JournalRecord),
			{ seq: 2, line: 2, reason: 'unexpected field "extra"' },
		],
		[
			'something that is not a record',
			(records: JournalRecord[]) => records.with(1, 'text' as unknown as JournalRecord),
			{ seq: null, line: 2, reason: 'not a JSON object' },
		],
	] as const)('names the first broken record: %s', async ([, breakChain, firstBroken]) => {
		const broken = breakChain(buildChain(4));
		expect(await verifyChain(broken)).toEqual({ ok: false, records: firstBroken.line - 1, firstBroken });
	});

	it.for([
		[
			"a verification's record numbered out of its order",
			(records: JournalRecord[]) => records.with(2, rehashed(records[2] as JournalRecord, { vseq: 3 })),
			{ seq: 3, line: 3, reason: 'vseq 3 where 2 was expected for verification v1' },
		],
		[
			"a verification's record linked to another record of the journal",
			(records: JournalRecord[]) => records.with(2, rehashed(records[2] as JournalRecord, { vprev: records[1]?.hash })),
			{ seq: 3, line: 3, reason: "vprev is not the hash of verification v1's record 1" },
		],
		[
			"a verification's first record linked to something",
			(records: JournalRecord[]) => records.with(1, rehashed(records[1] as JournalRecord, { vprev: records[0]?.hash })),
			{ seq: 2, line: 2, reason: "vprev is not the genesis hash, and this is verification v2's first record" },
		],
	] as const)('names the first broken record of a verification chain: %s', async ([, breakChain, firstBroken]) => {
		// v1, v2, v1, none
		const records = buildChain(4, (index) => (index === 3 ? undefined : index === 1 ? 'v2' : 'v1'));
		expect(await verifyChain(breakChain(records))).toEqual({ ok: false, records: firstBroken.line - 1, firstBroken });
	});

	it('verifies a journal of format-1 records as before, and format-2 records continue the count of their verifications', async () => {
		const old = format1Records(3, (index) => (index === 2 ? undefined : 'v1'));
		expect(await verifyChain(old)).toEqual({ ok: true, records: 3, lastHash: old[2]?.hash });

		const continued = buildChain(2, () => 'v1', old);
		expect(continued[3]).toMatchObject({ format: 2, vseq: 3, vprev: old[1]?.hash });
		expect(await verifyChain(continued)).toEqual({ ok: true, records: 5, lastHash: continued[4]?.hash });
	});

	it('refuses a format-1 record after a format-2 one: a downgrade would drop the verification chains', async () => {
		const records = buildChain(2);
		const {
			hash: _hash,
			format: _format,
			vseq: _vseq,
			vprev: _vprev,
			...legacy
		} = {
			...(records[1] as JournalRecord),
			seq: 3,
			prevHash: records[1]?.hash as string,
		};
		const downgraded = [...records, { ...legacy, hash: hashRecord(legacy) }];
		expect(await verifyChain(downgraded)).toEqual({
			ok: false,
			records: 2,
			firstBroken: { seq: 3, line: 3, reason: "a record without its verification's chain (format 1) after record 1 had one" },
		});
	});

	it('checks records from an async source as they arrive', async () => {
		async function* source(): AsyncGenerator<JournalRecord> {
			yield* buildChain(3);
		}
		expect(await verifyChain(source())).toMatchObject({ ok: true, records: 3 });
	});
});

describe('ChainCursor', () => {
	it('advances only past records that follow the chain', () => {
		const [first, second] = buildChain(2) as [JournalRecord, JournalRecord];
		const cursor = new ChainCursor();

		expect(cursor.accept(second)).toMatchObject({ ok: false, kind: 'unlinked' });
		expect(cursor.seq).toBe(0);
		expect(cursor.accept(first)).toEqual({ ok: true, record: first });
		expect(cursor.accept({ ...second, type: 'changed' })).toMatchObject({ ok: false, kind: 'tampered' });
		expect(cursor.accept(second)).toEqual({ ok: true, record: second });
		expect({ seq: cursor.seq, hash: cursor.hash }).toEqual({ seq: 2, hash: second.hash });
	});
});
