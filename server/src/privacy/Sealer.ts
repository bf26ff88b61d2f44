// Where personal data is sealed and opened: at the journal's edge. Every record appended through the
// sealing journal has its personal fields (personalFields.ts) sealed under its verification's key
// (envelope.ts), so the hash chain, the checkpoints, the signed outcome and the bundle all cover the
// sealed form; every record read through it has them opened, or reads ERASED once the key is gone.
// Destroying a verification's keys (erase) is what erases its personal data: the journal is never
// rewritten, and it verifies the same after as before.

import type { Logger } from '../logger.ts';
import type { Journal, JournalEntry, JournalRecord } from '../store/Journal.ts';
import type { KeyStore } from '../store/KeyStore.ts';
import { associatedData, EnvelopeError, ERASED, envelopeKind, KEY_KINDS, type KeyKind, open, seal } from './envelope.ts';
import { hasPersonalFields, mapPersonalFields, SIGNED_OUTCOME_EVENT, SIGNED_OUTCOME_PREFIX } from './personalFields.ts';

type Event = { type: string; data: Record<string, unknown> };

/** What the signed outcome needs of sealing: it commits to the sealed form of the records (Outcomes.ts). */
export type RecordSealing = {
	/** The verification's records as the journal stores them: personal fields sealed. */
	stored(verificationId: string): Promise<JournalRecord[]>;
	/** Events as the journal will store them once appended. */
	events<E extends Event>(verificationId: string, events: readonly E[]): Promise<E[]>;
	/** The outcome as the signed outcome carries it: its personal fields sealed as outcome.recorded holds them. */
	outcome<O extends object>(verificationId: string, outcome: O): Promise<O>;
};

type KeyCache = Map<string, Promise<Buffer | 'destroyed' | undefined>>;

export class Sealer implements RecordSealing {
	readonly keys: KeyStore;
	readonly #stored: Pick<Journal, 'readVerification'>;
	readonly #logger: Logger;

	/** `stored` is the journal as stored (not a sealing one), for what the signed outcome commits to. */
	constructor(options: { keys: KeyStore; stored: Pick<Journal, 'readVerification'>; logger: Logger }) {
		this.keys = options.keys;
		this.#stored = options.stored;
		this.#logger = options.logger;
	}

	stored(verificationId: string): Promise<JournalRecord[]> {
		return this.#stored.readVerification(verificationId);
	}

	/** The entry with its personal fields sealed (ERASED for a verification whose key is gone). */
	async seal(entry: JournalEntry): Promise<JournalEntry> {
		const { verificationId } = entry;
		if (!verificationId || !hasPersonalFields(entry.type)) return entry;
		const data = await mapPersonalFields(entry.type, entry.data, async (value, path, kind) => {
			if (value === ERASED) return value;
			const key = await this.keys.obtain(verificationId, kind);
			return key ? seal(key, kind, associatedData(verificationId, entry.type, path), value) : ERASED;
		});
		return { ...entry, data };
	}

	async events<E extends Event>(verificationId: string, events: readonly E[]): Promise<E[]> {
		return Promise.all(
			events.map(async (event) => {
				// As the journal will hold it: through a JSON round trip (a Date becomes its ISO string).
				const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
				return { ...event, data: (await this.seal({ type: event.type, verificationId, data })).data };
			}),
		);
	}

	async outcome<O extends object>(verificationId: string, outcome: O): Promise<O> {
		const nested = SIGNED_OUTCOME_PREFIX.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), {
			...outcome,
		} as Record<string, unknown>);
		const sealed = await this.seal({ type: SIGNED_OUTCOME_EVENT, verificationId, data: nested });
		return SIGNED_OUTCOME_PREFIX.reduce<unknown>((inner, key) => (inner as Record<string, unknown>)[key], sealed.data) as O;
	}

	/**
	 * The record with its personal fields opened: the value, or ERASED once the key is destroyed (then
	 * also a value journaled in the clear before sealing existed). `cache` spares a reader of many
	 * records a key look-up per record.
	 */
	async open(record: JournalRecord, cache: KeyCache = new Map()): Promise<JournalRecord> {
		const { verificationId } = record;
		if (!verificationId || !hasPersonalFields(record.type)) return record;
		const data = await mapPersonalFields(record.type, record.data, async (value, path, kind) => {
			const key = await this.#keyFor(verificationId, envelopeKind(value) ?? kind, cache);
			if (key === 'destroyed') return ERASED;
			if (envelopeKind(value) === undefined) return value;
			if (!key) return ERASED;
			try {
				return open(key, associatedData(verificationId, record.type, path), value as string);
			} catch (error) {
				if (!(error instanceof EnvelopeError)) throw error;
				// The chain says whether the record was altered; the reader gets no value either way.
				this.#logger.error({ seq: record.seq, verificationId, path }, 'a sealed field does not open; read as erased');
				return ERASED;
			}
		});
		return { ...record, data };
	}

	/** Destroys every key of the verification: its personal data and document hashes read ERASED for good. */
	erase(verificationIds: readonly string[]): Promise<void> {
		return this.keys.destroy(verificationIds.map((verificationId) => ({ verificationId, kinds: KEY_KINDS })));
	}

	/** Destroys the verification's document key alone: its keyed document hashes read ERASED for good. */
	forgetDocuments(verificationIds: readonly string[]): Promise<void> {
		return this.keys.destroy(verificationIds.map((verificationId) => ({ verificationId, kinds: ['document'] })));
	}

	#keyFor(verificationId: string, kind: KeyKind, cache: KeyCache): Promise<Buffer | 'destroyed' | undefined> {
		const name = `${kind}\n${verificationId}`;
		let found = cache.get(name);
		if (!found) {
			found = (async () => {
				const key = await this.keys.find(verificationId, kind);
				if (key) return key;
				return (await this.keys.destroyed(verificationId, kind)) ? 'destroyed' : undefined;
			})();
			cache.set(name, found);
		}
		return found;
	}
}

/**
 * The journal with personal fields sealed on the way in and opened on the way out; everything else
 * (the chain, verify, close) passes through. What proofs read (head, ranges, bundles) is the journal
 * underneath, which holds the sealed form.
 */
export function sealingJournal(journal: Journal, sealer: Sealer): Journal {
	return {
		append: async (entry) => sealer.open(await journal.append(await sealer.seal(entry))),
		readAll: async function* () {
			const cache: KeyCache = new Map();
			for await (const record of journal.readAll()) yield await sealer.open(record, cache);
		},
		readVerification: async (verificationId) => {
			const cache: KeyCache = new Map();
			return Promise.all((await journal.readVerification(verificationId)).map((record) => sealer.open(record, cache)));
		},
		verify: () => journal.verify(),
		close: () => journal.close(),
	};
}
