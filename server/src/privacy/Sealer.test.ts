import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalRecord } from '../store/Journal.ts';
import type { KeyDestruction, KeyKind, KeyStore } from '../store/KeyStore.ts';
import { associatedData, ERASED, isEnvelope, open, seal } from './envelope.ts';
import { Sealer, sealingJournal } from './Sealer.ts';

/** Keys in a map, as the store modes keep them on disk or in Redis. */
function memoryKeys(): KeyStore & { slots: Map<string, Buffer | null> } {
	const slots = new Map<string, Buffer | null>();
	const name = (id: string, kind: KeyKind) => `${kind}:${id}`;
	return {
		slots,
		obtain: async (id, kind) => {
			if (!slots.has(name(id, kind))) slots.set(name(id, kind), randomBytes(32));
			return slots.get(name(id, kind)) ?? undefined;
		},
		find: async (id, kind) => slots.get(name(id, kind)) ?? undefined,
		destroyed: async (id, kind) => slots.get(name(id, kind)) === null,
		destroy: async (destructions: readonly KeyDestruction[]) => {
			for (const { verificationId, kinds } of destructions) for (const kind of kinds) slots.set(name(verificationId, kind), null);
		},
		close: async () => {},
	};
}

/** A journal that keeps what it is given, in order, with no chain: enough to see what is stored. */
function storingJournal() {
	const stored: JournalRecord[] = [];
	return {
		stored,
		append: async (entry: JournalEntry) => {
			const record = {
				...entry,
				seq: stored.length + 1,
				at: '2026-12-02T06:00:00.000Z',
				prevHash: '',
				hash: '',
			} as JournalRecord;
			stored.push(structuredClone(record));
			return record;
		},
		readAll: async function* () {
			yield* stored;
		},
		readVerification: async (id: string) => stored.filter((record) => record.verificationId === id),
		verify: async () => ({ ok: true as const, records: stored.length, lastHash: '' }),
		close: async () => {},
	};
}

const logger = pino({ level: 'silent' });
const created = {
	at: '2026-12-02T06:00:00.000Z',
	externalUserRef: 'user-4711',
	purpose: 'c2c_video',
	declared: { fullName: 'Mei Chen', dateOfBirth: '1990-02-01' },
	earlier: { verificationId: 'v0', documentHash: 'a'.repeat(64), state: 'approved' },
};

function setUp() {
	const keys = memoryKeys();
	const inner = storingJournal();
	const sealer = new Sealer({ keys, stored: inner, logger });
	return { keys, inner, sealer, journal: sealingJournal(inner, sealer) };
}

describe('envelope', () => {
	it('seals the same field the same way twice, and opens only with its key and place', () => {
		const key = randomBytes(32);
		const aad = associatedData('v1', 'step.marked', 'note');
		const sealed = seal(key, 'personal', aad, 'looked away twice');
		expect(isEnvelope(sealed)).toBe(true);
		expect(sealed).toBe(seal(key, 'personal', aad, 'looked away twice'));
		expect(sealed).not.toContain('looked');
		expect(open(key, aad, sealed)).toBe('looked away twice');
		expect(() => open(randomBytes(32), aad, sealed)).toThrow(/does not open/);
		expect(() => open(key, associatedData('v2', 'step.marked', 'note'), sealed)).toThrow(/does not open/);
		expect(() => open(key, associatedData('v1', 'verification.decided', 'note'), sealed)).toThrow(/does not open/);
	});
});

describe('Sealer', () => {
	it('stores personal fields sealed and reads them back in the clear; other fields stay as they are', async () => {
		const { inner, journal } = setUp();
		await journal.append({ type: 'verification.created', verificationId: 'v1', data: created });
		const [stored] = inner.stored as [JournalRecord];
		expect(JSON.stringify(stored)).not.toMatch(/user-4711|Mei Chen|1990-02-01|aaaa/);
		expect(stored.data.purpose).toBe('c2c_video');
		expect((stored.data.earlier as { state: string }).state).toBe('approved');
		expect(isEnvelope(stored.data.externalUserRef)).toBe(true);
		expect(String((stored.data.earlier as { documentHash: string }).documentHash)).toMatch(/^vvseal1\.document\./);
		const [read] = await journal.readVerification('v1');
		expect(read?.data).toEqual(created);
	});

	it('reads every personal field as erased once the keys are destroyed, and seals later ones as erased', async () => {
		const { inner, sealer, journal } = setUp();
		await journal.append({ type: 'verification.created', verificationId: 'v1', data: created });
		await journal.append({ type: 'step.marked', verificationId: 'v1', data: { stepId: 'face', note: 'glasses' } });
		await journal.append({ type: 'step.marked', verificationId: 'v2', data: { stepId: 'face', note: 'kept' } });
		const before = structuredClone(inner.stored);
		await sealer.erase(['v1']);
		expect(inner.stored).toEqual(before);
		const read = await journal.readVerification('v1');
		expect(read[0]?.data).toMatchObject({
			externalUserRef: ERASED,
			declared: { fullName: ERASED, dateOfBirth: ERASED },
			earlier: { documentHash: ERASED, state: 'approved' },
			purpose: 'c2c_video',
		});
		expect(read[1]?.data).toEqual({ stepId: 'face', note: ERASED });
		expect((await journal.readVerification('v2'))[0]?.data.note).toBe('kept');
		await journal.append({ type: 'step.marked', verificationId: 'v1', data: { stepId: 'face', note: 'again' } });
		expect(inner.stored.at(-1)?.data.note).toBe(ERASED);
	});

	it('forgets document hashes alone when only the document key is destroyed', async () => {
		const { sealer, journal } = setUp();
		await journal.append({ type: 'verification.created', verificationId: 'v1', data: created });
		await journal.append({
			type: 'document.checked',
			verificationId: 'v1',
			data: { documentHash: 'b'.repeat(64), duplicate: false },
		});
		await sealer.forgetDocuments(['v1']);
		const read = await journal.readVerification('v1');
		expect(read[0]?.data).toMatchObject({ externalUserRef: 'user-4711', earlier: { documentHash: ERASED } });
		expect(read[1]?.data).toEqual({ documentHash: ERASED, duplicate: false });
	});

	it("seals an outcome as outcome.recorded stores it, so the signed outcome holds the journal's sealed values", async () => {
		const { inner, sealer, journal } = setUp();
		const outcome = {
			verificationId: 'v1',
			externalUserRef: 'user-4711',
			note: null,
			steps: [
				{ id: 'face', note: 'glasses' },
				{ id: 'consent', note: null },
			],
			interpreter: { fullName: 'Li Chen', relation: 'sibling' },
			reasonCodes: ['procedure_not_followed'],
		};
		const signed = await sealer.outcome('v1', outcome);
		await journal.append({ type: 'outcome.recorded', verificationId: 'v1', data: { outcome, signedOutcome: 'jws' } });
		expect(inner.stored[0]?.data.outcome).toEqual(signed);
		expect(signed).toMatchObject({
			note: null,
			steps: [{ id: 'face' }, { id: 'consent', note: null }],
			reasonCodes: ['procedure_not_followed'],
		});
		expect(JSON.stringify(signed)).not.toMatch(/user-4711|glasses|Li Chen/);
		expect(await sealer.events('v1', [{ type: 'step.marked', data: { note: 'x' } }])).toEqual([
			{ type: 'step.marked', data: (await sealer.seal({ type: 'step.marked', verificationId: 'v1', data: { note: 'x' } })).data },
		]);
	});

	it('reads a value journaled in the clear before sealing as it is, and as erased once the keys are destroyed', async () => {
		const { inner, sealer, journal } = setUp();
		await inner.append({ type: 'step.marked', verificationId: 'v1', data: { note: 'old clear note' } });
		expect((await journal.readVerification('v1'))[0]?.data.note).toBe('old clear note');
		await sealer.erase(['v1']);
		expect((await journal.readVerification('v1'))[0]?.data.note).toBe(ERASED);
	});

	it('reads a sealed value that does not open (moved from another record) as erased', async () => {
		const { inner, journal } = setUp();
		await journal.append({ type: 'step.marked', verificationId: 'v1', data: { note: 'one' } });
		await journal.append({ type: 'verification.decided', verificationId: 'v1', data: { note: 'two' } });
		(inner.stored[1] as JournalRecord).data.note = inner.stored[0]?.data.note;
		expect((await journal.readVerification('v1'))[1]?.data.note).toBe(ERASED);
	});
});
