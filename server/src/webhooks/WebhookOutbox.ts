// The webhook outbox: every final state of a verification becomes an event that is written to the
// journal first and then POSTed, signed, to the host platform's URL until it answers 2xx or we give
// up. Every attempt's outcome is journaled too, so a new process picks up where the last one stopped.
// Delivery is at least once: a host must dedupe by the event id it receives.
//
// One outbox serves both store modes. The journal stays the source of truth; the live state holds one
// delivery record per event (attempts, next attempt time, settled), and the event's next attempt is a
// member of the due queue `webhooks:due`. In embedded mode that live state is this process's memory,
// rebuilt from the journal at start; in Redis mode every process shares it and sweeps the due set.
//
// Exactly one process makes each attempt: the due queue's claim lets one process handle an event at a
// time, and that process moves the record on (compare-and-set) before it lets go. The claim lives for
// the attempt timeout plus a margin; a process that dies mid-attempt leaves the record where it was,
// and once the claim lapses another process makes that attempt again. That crash window is the only
// way an event is sent twice; the host dedupes by id. A delivery the process could not record because
// the store went away is remembered and recorded by its next sweep, under the claim it still holds
// (the queue releases that claim only after), so a store outage does not send it again.
import type { Logger } from '../logger.ts';
import { type DueOutcome, DueQueue } from '../store/DueQueue.ts';
import type { Journal, JournalEntry } from '../store/Journal.ts';
import type { LiveState, SortedSetEffects, Versioned } from '../store/LiveState.ts';
import { MemoryLiveState } from '../store/memory/MemoryLiveState.ts';
import {
	attemptFailedSchema,
	eventSchema,
	isEndpointRefusal,
	retryDelay,
	retrySettings,
	sendAttempt,
	serialise,
	settledSchema,
	WEBHOOK_RECORD,
	type WebhookEvent,
	type WebhookRetryOptions,
	webhookUrl,
} from './webhookAttempt.ts';

export type WebhookOutboxOptions = {
	journal: Journal;
	/** Where delivery records and due times live; without one, the outbox keeps its own in memory (one process). */
	live?: LiveState;
	/** Where deliveries go; undefined keeps events journaled and due until a process with a URL runs. */
	url: string | undefined;
	secret: string;
	logger: Logger;
	retry?: WebhookRetryOptions;
	/** How often this process looks for due events that any process enqueued or retried. Default 1000 ms. */
	pollIntervalMs?: number;
};

/** Redis mode: a live state every process shares, which may be away when the process starts. */
export type SharedWebhookOutboxOptions = WebhookOutboxOptions & {
	live: LiveState;
	/** Resolves when the store is reachable (again); the start-up replay waits for it. */
	storeReady: () => Promise<void>;
};

type DeliveryRecord = {
	event: WebhookEvent;
	/** Attempts made so far, by any process, across restarts. */
	attempts: number;
	/** Epoch milliseconds of the next attempt. */
	nextAttemptAt: number;
	settled: boolean;
};

const deliveryKey = (eventId: string) => `webhook:${eventId}`;
const DUE_SET = 'webhooks:due';

const MAX_PARALLEL_DELIVERIES = 4;
/** Due events read per sweep; more wait for the next one. */
const DUE_PAGE = 32;
/** Beyond the attempt's own timeout: time to record its outcome before another process may retry it. */
const CLAIM_MARGIN_MS = 5_000;
/** Pending events whose delivery records backlog() reads. */
const BACKLOG_SAMPLE = 500;
/** How long a start-up that found the store away waits before it tries again. */
const START_RETRY_MS = 500;

export class WebhookOutbox {
	readonly #journal: Journal;
	readonly #live: LiveState;
	readonly #url: URL | undefined;
	readonly #secret: string;
	readonly #logger: Logger;
	readonly #retry: Required<WebhookRetryOptions>;
	readonly #storeReady: (() => Promise<void>) | undefined;
	readonly #due: DueQueue;
	/** Delivered or given up by the journal's account at start: a second enqueue of these ids sends nothing. */
	readonly #settled = new Set<string>();
	/** Settled by this process's attempts (delivered or given up) but not yet recorded: the store was away. */
	readonly #unrecorded = new Map<string, { attempt: number; entry: JournalEntry; moved: boolean }>();
	readonly #enqueuing = new Map<string, Promise<void>>();
	readonly #closeController = new AbortController();
	readonly #starting: Promise<void>;
	#started = false;
	#closing: Promise<void> | undefined;

	/** Embedded mode: rebuilds the undelivered events from the journal, then starts delivering them. */
	static async create(options: WebhookOutboxOptions): Promise<WebhookOutbox> {
		const outbox = new WebhookOutbox(options, undefined);
		try {
			await outbox.whenStarted();
		} catch (error) {
			await outbox.close();
			throw error;
		}
		return outbox;
	}

	/** Redis mode: returns at once; restores missing delivery records from the journal once the store is reachable. */
	static open(options: SharedWebhookOutboxOptions): WebhookOutbox {
		return new WebhookOutbox(options, options.storeReady);
	}

	private constructor(options: WebhookOutboxOptions, storeReady: (() => Promise<void>) | undefined) {
		this.#url = webhookUrl(options.url, options.secret);
		this.#retry = retrySettings(options.retry);
		this.#journal = options.journal;
		// A live state of its own holds nothing to release, so close() leaves it be.
		this.#live = options.live ?? new MemoryLiveState();
		this.#secret = options.secret;
		this.#logger = options.logger.child({ component: 'webhooks' });
		this.#storeReady = storeReady;
		this.#due = new DueQueue({
			live: this.#live,
			set: DUE_SET,
			logger: this.#logger,
			sweepIntervalMs: options.pollIntervalMs,
			claimMs: this.#retry.timeoutMs + CLAIM_MARGIN_MS,
			batch: DUE_PAGE,
			concurrency: MAX_PARALLEL_DELIVERIES,
			handle: (eventId) => this.#attempt(eventId),
			beforeSweep: () => this.#recordUnrecorded(),
		});
		this.#starting = this.#start();
	}

	/** True once the start-up replay is done. */
	get started(): boolean {
		return this.#started;
	}

	/** Resolves once the start-up replay is done; in embedded mode, rejects when the journal cannot be read. */
	whenStarted(): Promise<void> {
		return this.#starting;
	}

	/** Events neither delivered nor given up, of every process sharing the live state, including those waiting for a URL. */
	countPending(): Promise<number> {
		return this.#live.size(DUE_SET);
	}

	/**
	 * What the pending events amount to, for metrics and the operator: how many, the attempts made on
	 * them so far, and when the oldest of them happened. Attempts and age are read from the delivery
	 * records of the first `sample` events due (all of them in a healthy deployment, where few wait).
	 */
	async backlog(sample = BACKLOG_SAMPLE): Promise<{ pending: number; attempts: number; oldestOccurredAt: string | null }> {
		const [pending, due] = await Promise.all([this.countPending(), this.#live.range(DUE_SET, { limit: sample })]);
		const records = await Promise.all(due.map((entry) => this.#live.get<DeliveryRecord>(deliveryKey(entry.member))));
		let attempts = 0;
		let oldest: string | null = null;
		for (const stored of records) {
			if (!stored || stored.value.settled) continue;
			attempts += stored.value.attempts;
			const { occurredAt } = stored.value.event;
			if (oldest === null || Date.parse(occurredAt) < Date.parse(oldest)) oldest = occurredAt;
		}
		return { pending, attempts, oldestOccurredAt: oldest };
	}

	/**
	 * Resolves once the event is durable in the journal and due in the live state. A second enqueue of an
	 * event id already known (pending, delivered or given up) does nothing, so a caller may safely retry
	 * after a crash or a store outage: the journal holds each event id's `webhook.enqueued` once, and the
	 * host receives it once (but for a crash mid-attempt).
	 */
	enqueue(event: WebhookEvent): Promise<void> {
		if (this.#closing) return Promise.reject(new Error('the webhook outbox is closed'));
		const parsed = eventSchema.safeParse(event);
		if (!parsed.success) return Promise.reject(new TypeError(`invalid webhook event: ${parsed.error.message}`));
		const { eventId } = parsed.data;
		if (this.#settled.has(eventId)) return Promise.resolve();
		const inProgress = this.#enqueuing.get(eventId);
		if (inProgress) return inProgress;

		const accepted = this.#accept(parsed.data).finally(() => this.#enqueuing.delete(eventId));
		this.#enqueuing.set(eventId, accepted);
		return accepted;
	}

	/**
	 * Stops sweeping and aborts this process's attempts in flight; those are journaled as failed with
	 * error 'aborted', and their events are due again at once, for any process or the next start.
	 */
	close(): Promise<void> {
		this.#closing ??= this.#shutDown();
		return this.#closing;
	}

	async #shutDown(): Promise<void> {
		// The queue stops taking due events before the abort, so that no attempt starts already aborted.
		const dueClosed = this.#due.close();
		this.#closeController.abort();
		// Waiting lets attempts that already got an answer journal it before the caller closes the journal.
		await Promise.allSettled([dueClosed, this.#starting, ...this.#enqueuing.values()]);
		this.#logger.info('webhook outbox closed');
	}

	async #accept(event: WebhookEvent): Promise<void> {
		const key = deliveryKey(event.eventId);
		if (await this.#live.get(key)) return;
		// The journal is asked too: an enqueue cut short after its append (the store went away before the
		// delivery record) must not append the event again, and one already settled must not be sent again.
		const journaled = await this.#journaled(event);
		if (journaled === 'settled') {
			this.#settled.add(event.eventId);
			return;
		}
		if (journaled === 'absent') {
			await this.#journal.append({ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: { ...event } });
		}
		const record: DeliveryRecord = { event, attempts: 0, nextAttemptAt: Date.now(), settled: false };
		await this.#live.create(key, record, { add: [this.#due.entry(event.eventId, record.nextAttemptAt)] });
		this.#logger.info({ eventId: event.eventId, type: event.type, verificationId: event.verificationId }, 'webhook enqueued');
		if (this.#url) this.#due.arm(event.eventId, record.nextAttemptAt);
	}

	/** What the journal says of an event: never enqueued, enqueued and not settled, or delivered or given up. */
	async #journaled(event: WebhookEvent): Promise<'absent' | 'pending' | 'settled'> {
		let found: 'absent' | 'pending' | 'settled' = 'absent';
		for (const record of await this.#journal.readVerification(event.verificationId)) {
			if (record.data.eventId !== event.eventId) continue;
			if (record.type === WEBHOOK_RECORD.delivered || record.type === WEBHOOK_RECORD.gaveUp) return 'settled';
			if (record.type === WEBHOOK_RECORD.enqueued) found = 'pending';
		}
		return found;
	}

	async #start(): Promise<void> {
		const restored = await this.#replayOnceReachable();
		if (restored === undefined) return;
		this.#started = true;
		if (!this.#url) {
			this.#logger.warn(
				{ pending: await this.countPending() },
				'no webhook URL configured: events are journaled and stay due until a process with a URL runs',
			);
			return;
		}
		this.#logger.info({ origin: this.#url.origin, restored }, 'webhook outbox started');
		this.#due.start();
		void this.#due.sweep();
	}

	/** The replay, once the store is reachable; undefined when the outbox closed first. */
	async #replayOnceReachable(): Promise<number | undefined> {
		for (;;) {
			try {
				await this.#storeReady?.();
				return await this.#replay();
			} catch (error) {
				// Only a store that can come back is waited for; an unreadable journal stops the start.
				if (!this.#storeReady) throw error;
				if (this.#closing) return undefined;
				this.#logger.warn({ err: error }, 'webhook outbox start-up failed; retrying when the store is reachable');
				await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS));
				if (this.#closing) return undefined;
			}
		}
	}

	/**
	 * Creates the delivery record of every event the journal says is pending and the live state lacks (all
	 * of them in a fresh memory live state; in a shared one, an enqueue cut short between the two).
	 * Records that exist are left alone: they are at least as new. Returns how many were created.
	 */
	async #replay(): Promise<number> {
		const pending = new Map<string, DeliveryRecord>();
		for await (const record of this.#journal.readAll()) {
			if (record.type === WEBHOOK_RECORD.enqueued) {
				const event = eventSchema.safeParse(record.data);
				if (!event.success) {
					this.#logger.error({ seq: record.seq }, 'unreadable webhook.enqueued record skipped');
					continue;
				}
				const { eventId } = event.data;
				if (pending.has(eventId) || this.#settled.has(eventId)) continue;
				pending.set(eventId, { event: event.data, attempts: 0, nextAttemptAt: Date.now(), settled: false });
			} else if (record.type === WEBHOOK_RECORD.attemptFailed) {
				const failure = attemptFailedSchema.safeParse(record.data);
				const delivery = failure.success ? pending.get(failure.data.eventId) : undefined;
				if (failure.success && delivery) {
					delivery.attempts = Math.max(delivery.attempts, failure.data.attempt);
					delivery.nextAttemptAt = Date.parse(failure.data.nextAttemptAt);
				}
			} else if (record.type === WEBHOOK_RECORD.delivered || record.type === WEBHOOK_RECORD.gaveUp) {
				const settled = settledSchema.safeParse(record.data);
				if (settled.success) {
					pending.delete(settled.data.eventId);
					this.#settled.add(settled.data.eventId);
				}
			}
		}
		let restored = 0;
		for (const [eventId, delivery] of pending) {
			const due = this.#due.entry(eventId, delivery.nextAttemptAt);
			if (!(await this.#live.create(deliveryKey(eventId), delivery, { add: [due] }))) continue;
			restored += 1;
			if (this.#url) this.#due.arm(eventId, delivery.nextAttemptAt);
		}
		return restored;
	}

	/** One attempt at a due event, under the due queue's claim. */
	async #attempt(eventId: string): Promise<DueOutcome> {
		const url = this.#url;
		if (!url) throw new TypeError('webhook attempts need a URL; the due queue is not swept without one');
		const stored = await this.#live.get<DeliveryRecord>(deliveryKey(eventId));
		// A due entry with nothing left to send leaves the set.
		if (!stored || stored.value.settled) return 'done';
		// Due by another process's clock, not yet by this one's.
		if (stored.value.nextAttemptAt > Date.now()) return 'retry';

		const { event } = stored.value;
		const attempt = stored.value.attempts + 1;
		const log = this.#logger.child({ eventId, type: event.type, verificationId: event.verificationId, attempt });
		const result = await sendAttempt({
			url,
			secret: this.#secret,
			event,
			body: serialise(event),
			timeoutMs: this.#retry.timeoutMs,
			closing: this.#closeController.signal,
		});

		if (result.kind === 'delivered') {
			log.info({ status: result.status }, 'webhook delivered');
			return this.#settle(stored, attempt, log, {
				type: WEBHOOK_RECORD.delivered,
				verificationId: event.verificationId,
				data: { eventId, attempt, status: result.status },
			});
		}
		if (result.kind === 'aborted') {
			// The host may have received it, so it counts as an attempt; any process (or the next start) retries it at once.
			log.info('webhook attempt aborted by close; another process (or the next start) sends it again');
			return this.#reschedule(stored, attempt, Date.now(), log, { error: 'aborted' });
		}
		const failure = result.kind === 'failed' ? { status: result.status } : { error: result.error };
		if (attempt >= this.#retry.maxAttempts) {
			log.error(failure, 'webhook given up after the last attempt');
			return this.#settle(stored, attempt, log, {
				type: WEBHOOK_RECORD.gaveUp,
				verificationId: event.verificationId,
				data: { eventId, attempts: attempt, ...failure },
			});
		}
		const nextAttemptAt =
			Date.now() + retryDelay(this.#retry, attempt, result.kind === 'failed' ? result.retryAfterMs : undefined);
		const next = new Date(nextAttemptAt).toISOString();
		if (result.kind === 'failed' && isEndpointRefusal(result.status)) {
			log.warn({ ...failure, nextAttemptAt: next }, 'webhook endpoint refused the delivery; will retry in case it is fixed');
		} else {
			log.info({ ...failure, nextAttemptAt: next }, 'webhook attempt failed; will retry');
		}
		return this.#reschedule(stored, attempt, nextAttemptAt, log, failure);
	}

	/**
	 * Delivered or given up: the record says so and the due queue takes the event out of its set. The
	 * record keeps the event without its payload (the outcome, personal data): it is only there to say
	 * the event is settled, and the journal holds the payload, sealed.
	 */
	async #settle(stored: Versioned<DeliveryRecord>, attempt: number, log: Logger, entry: JournalEntry): Promise<DueOutcome> {
		const { eventId } = stored.value.event;
		const settled = { ...stored.value, event: { ...stored.value.event, payload: {} }, attempts: attempt, settled: true };
		const moved = await this.#move(stored, settled, undefined, log);
		if (moved === 'away') {
			log.warn('the store went away before this attempt was recorded; it is recorded, not made again, once it is back');
			this.#unrecorded.set(eventId, { attempt, entry, moved: false });
			return 'retry';
		}
		if (!(await this.#record(log, entry)) && moved === 'moved') this.#unrecorded.set(eventId, { attempt, entry, moved: true });
		// A record that did not move must stay due, or the event would be neither sent nor settled.
		return moved === 'moved' ? 'done' : 'retry';
	}

	/**
	 * Records the settlements the store was away for, before the sweep reads due events: the event's
	 * claim, which the queue could not release either, keeps other processes from sending it meanwhile.
	 */
	async #recordUnrecorded(): Promise<void> {
		for (const [eventId, pending] of this.#unrecorded) {
			try {
				if (!pending.moved) {
					const stored = await this.#live.get<DeliveryRecord>(deliveryKey(eventId));
					if (stored && !stored.value.settled) {
						const next = {
							...stored.value,
							event: { ...stored.value.event, payload: {} },
							attempts: Math.max(stored.value.attempts, pending.attempt),
							settled: true,
						};
						// Changed meanwhile (another process took over once the claim lapsed): read again next sweep.
						if (!(await this.#live.update(deliveryKey(eventId), stored.version, next))) continue;
					}
					pending.moved = true;
				}
				await this.#journal.append(pending.entry);
				this.#unrecorded.delete(eventId);
			} catch (error) {
				// Still away: the queue cannot release the claim either, so nobody sends the event meanwhile.
				this.#logger.warn({ err: error, eventId }, 'could not record a settled webhook yet; the next sweep tries again');
			}
		}
	}

	async #reschedule(
		stored: Versioned<DeliveryRecord>,
		attempt: number,
		nextAttemptAt: number,
		log: Logger,
		failure: Record<string, unknown>,
	): Promise<DueOutcome> {
		const { event } = stored.value;
		const moved = await this.#move(
			stored,
			{ ...stored.value, attempts: attempt, nextAttemptAt },
			{ add: [this.#due.entry(event.eventId, nextAttemptAt)] },
			log,
		);
		await this.#record(log, {
			type: WEBHOOK_RECORD.attemptFailed,
			verificationId: event.verificationId,
			data: { eventId: event.eventId, attempt, ...failure, nextAttemptAt: new Date(nextAttemptAt).toISOString() },
		});
		// This process retries on time; the sweep of any process is there should it die first.
		if (moved === 'moved') this.#due.arm(event.eventId, nextAttemptAt);
		return 'retry';
	}

	/**
	 * The claim makes a lost compare-and-set ('lost') a bug rather than a race; a store that is away
	 * ('away') leaves the record as it was, or may have moved it without saying so.
	 */
	async #move(
		stored: Versioned<DeliveryRecord>,
		next: DeliveryRecord,
		effects: SortedSetEffects | undefined,
		log: Logger,
	): Promise<'moved' | 'lost' | 'away'> {
		try {
			if (await this.#live.update(deliveryKey(next.event.eventId), stored.version, next, effects)) return 'moved';
			log.error('the webhook delivery record changed under its claim');
			return 'lost';
		} catch (error) {
			log.error({ err: error }, 'could not record a webhook attempt in the live state');
			return 'away';
		}
	}

	/**
	 * A journal record that cannot be written is logged, not thrown: the attempt already happened. False
	 * then; a settlement is journaled by a later sweep, a failed attempt's record is not needed.
	 */
	async #record(log: Logger, entry: JournalEntry): Promise<boolean> {
		try {
			await this.#journal.append(entry);
			return true;
		} catch (error) {
			log.error({ err: error, record: entry.type }, 'could not journal a webhook attempt');
			return false;
		}
	}
}
