// Where verification records live and how they change: the store keys, the per-verification lock, the
// compare-and-set write with its sorted-set side effects, and the journal behind it. The domain above
// hands it decisions and never spells a key.
//
// Write-ahead: a change's compare-and-set also keeps its events in the record (`unjournaled`) and lists
// the verification in the `unjournaled` set; a second compare-and-set clears both once the events are
// journaled. When an append fails in between, the caller gets UNAVAILABLE and the events stay in the
// record: the next change with events journals them before its own (so the journal keeps their order),
// and any process's sweep journals them otherwise (repairUnjournaled). Each journaled event carries its
// change's `rev`, so no event is journaled twice.
//
// What a call's end owes (FinalTail) is written with it: the change that puts a record in review or
// makes it final also adds the record's entry of the final-tail due-queue, in the same compare-and-set.
// So does the reviewers' queue: entering review adds the record to it, leaving review removes it.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Journal, JournalRecord } from '../store/Journal.ts';
import type { LiveState, RangeOptions, SortedSetEffects, SortedSetMember, Versioned } from '../store/LiveState.ts';
import type { Decision } from './commands/Decision.ts';
import { KeyedLocks } from './KeyedLocks.ts';
import { owesTail } from './lifecycle.ts';
import {
	applyEvent,
	applyEvents,
	type UnjournaledEvents,
	type VerificationEvent,
	type VerificationRecord,
} from './VerificationRecord.ts';

const KEY = {
	verification: (id: string) => `verification:${id}`,
	document: (hash: string) => `document:${hash}`,
	invitationUse: (invitationId: string) => `invitation-used:${invitationId}`,
	/** Waiting verifications, scored by when they started waiting. */
	queue: 'queue:waiting',
	/** Verifications in review, scored by when they entered it: the reviewers' queue. */
	review: 'queue:review',
	/** Every verification, scored by creation time: the host's listing. */
	index: 'verifications',
	/** The journal head the live state was last rebuilt up to. */
	rebuilt: 'rebuilt',
	/** Verifications whose record holds events not known to be journaled, scored by when they were written. */
	unjournaled: 'unjournaled',
	/** One process journals a record's unjournaled events; released when it fails, so another may retry. */
	repair: (verificationId: string, rev: string) => `repair:${verificationId}:${rev}`,
} as const;

/**
 * Until its unjournaled events are this old, the process that wrote them may still be journaling them,
 * so no other process repairs them (a change of another process waits for them, up to UNJOURNALED_WAIT_MS).
 */
const UNJOURNALED_STALE_MS = 5_000;
const UNJOURNALED_WAIT_MS = 1_000;
const UNJOURNALED_POLL_MS = 20;
/** Long enough for a repair to append a change's events; released at once when it fails. */
const REPAIR_CLAIM_MS = 30_000;
const REPAIR_BATCH = 100;

export type TimerEntry = { set: string; member: string; score: number };

export type RepositoryOptions = {
	journal: Journal;
	live: LiveState;
	logger: Logger;
	clock: () => Date;
	/** The process writing now; it changes when another process took this one for dead. */
	processId: () => string;
	/** The due-queue entries a record has pending, kept in step with it in every write. */
	timersOf: (record: VerificationRecord) => TimerEntry[];
	/**
	 * The due-queue entry of what a record owes once its call is over (in review, or final), written by
	 * the change that takes it there.
	 */
	owedOnFinal: (record: VerificationRecord, writtenAt: number) => TimerEntry;
};

/** What the agents' queue shows of a waiting verification, and routing reads of it. */
export type QueueCandidate = Pick<
	VerificationRecord,
	'id' | 'purpose' | 'locale' | 'accessibility' | 'interpreter' | 'consentedAt' | 'createdAt'
>;

export type Changed<T> = { before: VerificationRecord; after: VerificationRecord; result: T; events: number };

export class VerificationRepository {
	readonly #journal: Journal;
	readonly #live: LiveState;
	readonly #logger: Logger;
	readonly #clock: () => Date;
	readonly #processId: () => string;
	readonly #timersOf: (record: VerificationRecord) => TimerEntry[];
	readonly #owedOnFinal: (record: VerificationRecord, writtenAt: number) => TimerEntry;
	readonly #locks = new KeyedLocks();
	/** The queue's candidates as last read, with the record version they were read at (see waitingCandidates). */
	readonly #candidates = new Map<string, { version: number; candidate: QueueCandidate }>();

	constructor(options: RepositoryOptions) {
		this.#journal = options.journal;
		this.#live = options.live;
		this.#logger = options.logger;
		this.#clock = options.clock;
		this.#processId = options.processId;
		this.#timersOf = options.timersOf;
		this.#owedOnFinal = options.owedOnFinal;
	}

	get journal(): Journal {
		return this.#journal;
	}

	/** Journals a new verification's first event, then creates its live record. */
	async create(event: Extract<VerificationEvent, { type: 'verification.created' }>, id: string): Promise<VerificationRecord> {
		const record = applyEvent(undefined, event, id);
		await this.#journal.append({ type: event.type, verificationId: id, data: event.data });
		await this.#live.create(KEY.verification(id), record, {
			add: [{ set: KEY.index, member: id, score: Date.parse(record.createdAt) }, ...this.#timersOf(record)],
		});
		return record;
	}

	/**
	 * Creates a live record rebuilt from the journal, with the sorted sets it belongs to; false when a
	 * live record exists (it is at least as new: the live state is written before the journal).
	 */
	restore(record: VerificationRecord): Promise<boolean> {
		const add: NonNullable<SortedSetEffects['add']> = [
			{ set: KEY.index, member: record.id, score: Date.parse(record.createdAt) },
		];
		if (record.state === 'waiting' && record.consentedAt) {
			add.push({ set: KEY.queue, member: record.id, score: Date.parse(record.consentedAt) });
		}
		if (record.state === 'in_review') add.push(this.#inReview(record));
		if (record.state === 'approved') add.push(...this.#approvedDocuments(record.externalUserRef, record.applicantDocumentHashes));
		add.push(...this.#timersOf(record));
		return this.#live.create(KEY.verification(record.id), record, { add });
	}

	async find(id: string): Promise<VerificationRecord | undefined> {
		return (await this.#live.get<VerificationRecord>(KEY.verification(id)))?.value;
	}

	async load(id: string): Promise<VerificationRecord> {
		const record = await this.find(id);
		if (!record) throw AppError.notFound(`no verification ${id}`, 'unknownVerification');
		return record;
	}

	withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
		return this.#locks.run(key, task);
	}

	/**
	 * Runs one change: under the verification's lock, load, let `decide` check and compute the change,
	 * fold its events, write the record with compare-and-set (bumping its revision), then journal the
	 * events. `also` are side effects of another owner's keys written in the same step (connections).
	 */
	change<T>(
		id: string,
		decide: (record: VerificationRecord) => Decision<T> | Promise<Decision<T>>,
		also?: SortedSetEffects,
	): Promise<Changed<T>> {
		return this.withLock(`verification:${id}`, async () => {
			const stored = await this.#loadForChange(id);
			const decision = await decide(stored.value);
			const ownEffects = this.#effectsOf(stored.value, decision);
			const effects = mergeEffects(ownEffects, also);
			if (decision.events.length === 0 && !decision.live && !effects) {
				return { before: stored.value, after: stored.value, result: decision.result, events: 0 };
			}
			// A change without events keeps earlier unjournaled events as they are: it adds nothing the
			// journal must order after them, and it need not wait for a journal that is away.
			const pending = stored.value.unjournaled;
			if (pending && decision.events.length > 0) await this.#journalUnjournaled(id, pending).catch(journalUnavailable);
			const folded = applyEvents(stored.value, decision.events);
			const after = folded === stored.value ? structuredClone(folded) : folded;
			decision.live?.(after);
			after.revision = stored.value.revision + 1;
			let written = withTimerChanges(effects, this.#timersOf(stored.value), this.#timersOf(after));
			const now = this.#clock().getTime();
			if (owesTail(stored.value.state, after.state)) {
				written = mergeEffects(written, { add: [this.#owedOnFinal(after, now)] });
			}
			if (stored.value.state !== after.state && after.state === 'in_review') {
				written = mergeEffects(written, { add: [this.#inReview(after)] });
			}
			if (stored.value.state === 'in_review' && after.state !== 'in_review') {
				written = mergeEffects(written, { remove: [{ set: KEY.review, member: id }] });
			}
			const unjournaled: UnjournaledEvents | undefined =
				decision.events.length === 0
					? undefined
					: {
							rev: `${stored.version + 1}.${randomBytes(6).toString('hex')}`,
							events: decision.events,
							at: now,
							by: this.#processId(),
						};
			if (unjournaled) {
				after.unjournaled = unjournaled;
				written = mergeEffects(written, { add: [{ set: KEY.unjournaled, member: id, score: now }] });
			}
			if (!(await this.#live.update(KEY.verification(id), stored.version, after, written))) {
				throw AppError.conflict('the verification changed at the same time; try again', 'changedConcurrently');
			}
			if (unjournaled) {
				try {
					await this.#appendUnjournaled(id, unjournaled, 0);
				} catch (error) {
					this.#logger.error(
						{ err: error, verificationId: id, rev: unjournaled.rev },
						'a change is applied but its events could not be journaled; they are journaled when the journal is back',
					);
					journalUnavailable(error);
				}
				await this.#clearUnjournaled(id, unjournaled.rev);
				// The caller sees its own change, not whatever the record became meanwhile.
				delete after.unjournaled;
			}
			return { before: stored.value, after, result: decision.result, events: decision.events.length };
		});
	}

	/** A page of the host's listing, in creation order. */
	index(options: RangeOptions): Promise<SortedSetMember[]> {
		return this.#live.range(KEY.index, options);
	}

	/** The waiting verifications, longest waiting first. */
	async waiting(): Promise<VerificationRecord[]> {
		const entries = await this.#live.range(KEY.queue);
		const records = await Promise.all(entries.map((entry) => this.find(entry.member)));
		return records.flatMap((record) => (record?.state === 'waiting' ? [record] : []));
	}

	/**
	 * The waiting verifications as the queue shows them, longest waiting first. A record is read again
	 * only when its version moved since this process last read it: each queue update needs every
	 * waiting verification, and reading (parsing) a thousand whole records per update was most of its cost.
	 */
	async waitingCandidates(): Promise<QueueCandidate[]> {
		const order = await this.queueOrder();
		const versions = await Promise.all(order.map((id) => this.#live.versionOf(KEY.verification(id))));
		const candidates = await Promise.all(
			order.map(async (id, index) => {
				const version = versions[index];
				if (version === undefined) return undefined;
				const known = this.#candidates.get(id);
				if (known?.version === version) return known.candidate;
				const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
				if (stored?.value.state !== 'waiting') return undefined;
				const { purpose, locale, accessibility, interpreter, consentedAt, createdAt } = stored.value;
				const candidate: QueueCandidate = { id, purpose, locale, accessibility, interpreter, consentedAt, createdAt };
				this.#candidates.set(id, { version: stored.version, candidate });
				return candidate;
			}),
		);
		// Only what still waits is kept.
		const waiting = new Set(order);
		for (const id of this.#candidates.keys()) if (!waiting.has(id)) this.#candidates.delete(id);
		return candidates.flatMap((candidate) => (candidate ? [candidate] : []));
	}

	/** The ids of the waiting verifications, longest waiting first, without reading their records. */
	async queueOrder(): Promise<string[]> {
		return (await this.#live.range(KEY.queue)).map((entry) => entry.member);
	}

	/** Where a waiting verification stands: its 1-based position and the queue's length. */
	async queuePosition(id: string): Promise<{ position: number; length: number } | undefined> {
		const [rank, length] = await Promise.all([this.#live.rank(KEY.queue, id), this.#live.size(KEY.queue)]);
		return rank === undefined ? undefined : { position: rank + 1, length };
	}

	/**
	 * The verifications in review, longest in review first (at most `limit`), and how many there are.
	 * A record is read only for the ones listed.
	 */
	async inReview(limit: number): Promise<{ records: VerificationRecord[]; total: number }> {
		const [entries, total] = await Promise.all([this.#live.range(KEY.review, { limit }), this.#live.size(KEY.review)]);
		const records = await Promise.all(entries.map((entry) => this.find(entry.member)));
		return { records: records.flatMap((record) => (record?.state === 'in_review' ? [record] : [])), total };
	}

	/** The users whose approved verifications hold this document. */
	async documentHolders(documentHash: string): Promise<string[]> {
		return (await this.#live.range(KEY.document(documentHash))).map((entry) => entry.member);
	}

	/** Unties documents from a user in the duplicate check, once their hashes are forgotten (erasure, retention). */
	async releaseDocuments(externalUserRef: string, documentHashes: readonly string[]): Promise<void> {
		if (documentHashes.length === 0) return;
		await this.#live.applyEffects({
			remove: documentHashes.map((hash) => ({ set: KEY.document(hash), member: externalUserRef })),
		});
	}

	/** True for the one join that uses an invitation. */
	claimInvitation(invitationId: string, ttlMs: number): Promise<boolean> {
		return this.#live.claimOnce(KEY.invitationUse(invitationId), ttlMs);
	}

	/** The journal head the live state was last rebuilt up to. */
	async rebuiltUpTo(): Promise<Versioned<{ seq: number }> | undefined> {
		return this.#live.get<{ seq: number }>(KEY.rebuilt);
	}

	/** Moves the marker forward; a process that lost the race to another one moving it leaves it be. */
	async markRebuilt(marker: Versioned<{ seq: number }> | undefined, head: number): Promise<void> {
		if (!marker) await this.#live.create(KEY.rebuilt, { seq: head });
		else if (head > marker.value.seq) await this.#live.update(KEY.rebuilt, marker.version, { seq: head });
	}

	readVerification(id: string): Promise<JournalRecord[]> {
		return this.#journal.readVerification(id);
	}

	/**
	 * Journals the unjournaled events the sweep finds: this process's own at once, another process's once
	 * they are stale (it died or lost its store). Returns the records repaired, for their outcomes.
	 */
	async repairUnjournaled(stopped: () => boolean): Promise<VerificationRecord[]> {
		const repaired: VerificationRecord[] = [];
		for (const { member: id } of await this.#live.range(KEY.unjournaled, { limit: REPAIR_BATCH })) {
			if (stopped()) break;
			try {
				const record = await this.withLock(`verification:${id}`, async () => {
					const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
					const pending = stored?.value.unjournaled;
					if (!stored || !pending || !this.#mayRepair(pending)) return undefined;
					await this.#journalUnjournaled(id, pending);
					await this.#clearUnjournaled(id, pending.rev);
					return stored.value;
				});
				if (record) repaired.push(record);
			} catch (error) {
				this.#logger.warn({ err: error, verificationId: id }, "could not journal a change's events yet; the next sweep retries");
			}
		}
		return repaired;
	}

	#effectsOf(record: VerificationRecord, decision: Decision<unknown>): SortedSetEffects | undefined {
		const add: NonNullable<SortedSetEffects['add']> = [];
		const remove: NonNullable<SortedSetEffects['remove']> = [];
		if (decision.queue === 'join') add.push({ set: KEY.queue, member: record.id, score: this.#clock().getTime() });
		if (decision.queue === 'leave') remove.push({ set: KEY.queue, member: record.id });
		if (decision.approvesDocuments) add.push(...this.#approvedDocuments(record.externalUserRef, decision.approvesDocuments));
		if (add.length === 0 && remove.length === 0) return undefined;
		return { add, remove };
	}

	#inReview(record: VerificationRecord): TimerEntry {
		return { set: KEY.review, member: record.id, score: Date.parse(record.review?.since ?? record.createdAt) };
	}

	/** An approved document becomes the one its user is known by, for later duplicate checks. */
	#approvedDocuments(externalUserRef: string, hashes: readonly string[]): TimerEntry[] {
		return hashes.map((hash) => ({ set: KEY.document(hash), member: externalUserRef, score: 0 }));
	}

	/**
	 * The record, once no other process is still journaling the events of its last change (it clears
	 * them within milliseconds), so that this change need not fail because of them.
	 */
	async #loadForChange(id: string): Promise<Versioned<VerificationRecord>> {
		for (let waited = 0; ; waited += UNJOURNALED_POLL_MS) {
			const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
			if (!stored) throw AppError.notFound(`no verification ${id}`, 'unknownVerification');
			const pending = stored.value.unjournaled;
			if (!pending || this.#mayRepair(pending) || waited >= UNJOURNALED_WAIT_MS) return stored;
			await new Promise((resolve) => setTimeout(resolve, UNJOURNALED_POLL_MS));
		}
	}

	/**
	 * Whether nobody may still be journaling `pending`: this process's own are not (the verification's
	 * lock, held by the caller, is released only after the writer's appends); another's, until stale.
	 */
	#mayRepair(pending: UnjournaledEvents): boolean {
		return pending.by === this.#processId() || this.#clock().getTime() - pending.at >= UNJOURNALED_STALE_MS;
	}

	/**
	 * Journals those of `pending`'s events the journal does not hold yet; called under the
	 * verification's lock. The claim keeps processes repairing at once from appending twice; it is kept
	 * after a success, so a repairer that read the journal before that success cannot claim it after.
	 */
	async #journalUnjournaled(id: string, pending: UnjournaledEvents): Promise<void> {
		if ((await this.#journaledCount(id, pending.rev)) === pending.events.length) return;
		const busy = () =>
			AppError.conflict('another process is still recording a change to this verification; try again', 'stillRecording');
		if (!this.#mayRepair(pending)) throw busy();
		const claim = KEY.repair(id, pending.rev);
		if (!(await this.#live.claimOnce(claim, REPAIR_CLAIM_MS))) throw busy();
		try {
			const journaled = await this.#journaledCount(id, pending.rev);
			if (journaled < pending.events.length) {
				this.#logger.warn({ verificationId: id, rev: pending.rev, journaled }, 'journaling the events of an earlier change');
				await this.#appendUnjournaled(id, pending, journaled);
			}
		} catch (error) {
			await this.#live.deleteExpiring(claim).catch(() => {});
			throw error;
		}
	}

	/** How many events the journal holds of the change `rev` (they are appended in order, one at a time). */
	async #journaledCount(id: string, rev: string): Promise<number> {
		const records = await this.#journal.readVerification(id);
		return records.filter((record) => record.data.rev === rev).length;
	}

	async #appendUnjournaled(id: string, pending: UnjournaledEvents, from: number): Promise<void> {
		for (const event of pending.events.slice(from)) {
			await this.#journal.append({ type: event.type, verificationId: id, data: { ...event.data, rev: pending.rev } });
		}
	}

	/**
	 * Drops journaled events from the record and the set. A change made meanwhile without events keeps
	 * them, so this retries; a change with events replaced them, having found them journaled.
	 */
	async #clearUnjournaled(id: string, rev: string): Promise<void> {
		for (let attempt = 0; attempt < 5; attempt += 1) {
			const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
			if (!stored || stored.value.unjournaled?.rev !== rev) return;
			const next = { ...stored.value };
			delete next.unjournaled;
			if (
				await this.#live.update(KEY.verification(id), stored.version, next, { remove: [{ set: KEY.unjournaled, member: id }] })
			) {
				return;
			}
		}
		// Left for the sweep, which finds them journaled and clears them.
	}
}

/** A journal that failed is told as UNAVAILABLE (a store away is that already): the change is kept and retried. */
function journalUnavailable(error: unknown): never {
	if (error instanceof AppError) throw error;
	throw AppError.unavailable(
		'the journal could not record this change; it is recorded as soon as the journal works again',
		'journalUnavailable',
	);
}

export function mergeEffects(
	first: SortedSetEffects | undefined,
	second: SortedSetEffects | undefined,
): SortedSetEffects | undefined {
	if (!first) return second;
	if (!second) return first;
	return { add: [...(first.add ?? []), ...(second.add ?? [])], remove: [...(first.remove ?? []), ...(second.remove ?? [])] };
}

/** A change's own effects plus the timers that appear (added) and disappear (removed) with it. */
function withTimerChanges(
	effects: SortedSetEffects | undefined,
	before: TimerEntry[],
	after: TimerEntry[],
): SortedSetEffects | undefined {
	const key = (timer: TimerEntry) => `${timer.member}@${timer.score}`;
	const had = new Set(before.map(key));
	const added = after.filter((timer) => !had.has(key(timer)));
	const kept = new Set(after.map((timer) => timer.member));
	const removed = before.filter((timer) => !kept.has(timer.member)).map(({ set, member }) => ({ set, member }));
	if (added.length === 0 && removed.length === 0) return effects;
	return { add: [...(effects?.add ?? []), ...added], remove: [...(effects?.remove ?? []), ...removed] };
}
