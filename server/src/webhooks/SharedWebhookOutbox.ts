// The webhook outbox of several processes sharing one live state (Redis mode). The journal stays the
// source of truth (every enqueue and every attempt's outcome is journaled, as in WebhookOutbox), and
// the live state holds what every process needs to see: one delivery record per event (attempts, next
// attempt time, settled) and a sorted set of the events due, by time. Every process polls that set.
//
// Exactly one process makes each attempt: before sending attempt N of an event it must win the claim
// `webhook-lease:<eventId>:<N>`, which lives for the attempt timeout plus a margin. The winner moves the
// record on (compare-and-set), so attempt N is never made twice while its lease lives; a winner that
// dies mid-attempt leaves the record where it was, and after the lease expires another process makes
// attempt N again. That crash window is the only way an event is sent twice; the host dedupes by id.
import type { Logger } from '../logger.ts';
import type { Journal, JournalEntry } from '../store/Journal.ts';
import type { LiveState, Versioned } from '../store/LiveState.ts';
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

export type SharedWebhookOutboxOptions = {
	journal: Journal;
	live: LiveState;
	/** Where deliveries go; undefined keeps events journaled and due until a process with a URL runs. */
	url: string | undefined;
	secret: string;
	logger: Logger;
	retry?: WebhookRetryOptions;
	/** Resolves when the store is reachable (again); the start-up replay waits for it. */
	storeReady: () => Promise<void>;
	/** How often this process looks for due events that any process enqueued or retried. Default 1000 ms. */
	pollIntervalMs?: number;
};

type DeliveryRecord = {
	event: WebhookEvent;
	/** Attempts made so far, by any process. */
	attempts: number;
	/** Epoch milliseconds of the next attempt. */
	nextAttemptAt: number;
	settled: boolean;
};

const KEY = {
	delivery: (eventId: string) => `webhook:${eventId}`,
	lease: (eventId: string, attempt: number) => `webhook-lease:${eventId}:${attempt}`,
	due: 'webhooks:due',
} as const;

const MAX_PARALLEL_DELIVERIES = 4;
/** Due events read per poll; more wait for the next one. */
const DUE_PAGE = 32;
/** Beyond the attempt's own timeout: time to journal its outcome before another process may retry it. */
const LEASE_MARGIN_MS = 5_000;

export class SharedWebhookOutbox {
	readonly #journal: Journal;
	readonly #live: LiveState;
	readonly #url: URL | undefined;
	readonly #secret: string;
	readonly #logger: Logger;
	readonly #retry: Required<WebhookRetryOptions>;
	readonly #storeReady: () => Promise<void>;
	readonly #inFlight = new Map<string, Promise<void>>();
	readonly #enqueuing = new Set<Promise<void>>();
	readonly #closeController = new AbortController();
	readonly #poller: NodeJS.Timeout;
	readonly #starting: Promise<void>;
	#started = false;
	#pumping: Promise<void> | undefined;
	#closing: Promise<void> | undefined;

	/** Returns at once; restores missing delivery records from the journal once the store is reachable. */
	static open(options: SharedWebhookOutboxOptions): SharedWebhookOutbox {
		return new SharedWebhookOutbox(options);
	}

	private constructor(options: SharedWebhookOutboxOptions) {
		this.#url = webhookUrl(options.url, options.secret);
		this.#retry = retrySettings(options.retry);
		this.#journal = options.journal;
		this.#live = options.live;
		this.#secret = options.secret;
		this.#logger = options.logger.child({ component: 'webhooks' });
		this.#storeReady = options.storeReady;
		this.#starting = this.#start();
		this.#poller = setInterval(() => this.#pump(), options.pollIntervalMs ?? 1000);
		this.#poller.unref();
	}

	/** True once the start-up replay is done. */
	get started(): boolean {
		return this.#started;
	}

	whenStarted(): Promise<void> {
		return this.#starting;
	}

	/**
	 * Resolves once the event is durable in the journal and due in the live state. An event id already
	 * known (pending, delivered or given up, by any process) is not enqueued again.
	 */
	async enqueue(event: WebhookEvent): Promise<void> {
		if (this.#closing) throw new Error('the webhook outbox is closed');
		const parsed = eventSchema.safeParse(event);
		if (!parsed.success) throw new TypeError(`invalid webhook event: ${parsed.error.message}`);
		const accepted = this.#accept(parsed.data);
		this.#enqueuing.add(accepted);
		try {
			await accepted;
		} finally {
			this.#enqueuing.delete(accepted);
		}
		this.#pump();
	}

	/** Stops polling and aborts this process's attempts; their events are due again at once, for any process. */
	close(): Promise<void> {
		this.#closing ??= this.#shutDown();
		return this.#closing;
	}

	async #shutDown(): Promise<void> {
		clearInterval(this.#poller);
		this.#closeController.abort();
		await Promise.allSettled([this.#starting, ...this.#enqueuing, ...this.#inFlight.values(), this.#pumping]);
		this.#logger.info('webhook outbox closed');
	}

	async #accept(event: WebhookEvent): Promise<void> {
		if (await this.#live.get(KEY.delivery(event.eventId))) return;
		await this.#journal.append({ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: { ...event } });
		const record: DeliveryRecord = { event, attempts: 0, nextAttemptAt: Date.now(), settled: false };
		await this.#live.create(KEY.delivery(event.eventId), record, {
			add: [{ set: KEY.due, member: event.eventId, score: record.nextAttemptAt }],
		});
		this.#logger.info({ eventId: event.eventId, type: event.type, verificationId: event.verificationId }, 'webhook enqueued');
	}

	async #start(): Promise<void> {
		while (!this.#closeController.signal.aborted) {
			try {
				await this.#storeReady();
				const restored = await this.#replay();
				this.#started = true;
				if (this.#url) {
					this.#logger.info({ origin: this.#url.origin, restored }, 'shared webhook outbox started');
				} else {
					this.#logger.warn('no webhook URL configured: events are journaled and stay due until a process with a URL runs');
				}
				this.#pump();
				return;
			} catch (error) {
				if (this.#closeController.signal.aborted) return;
				this.#logger.warn({ err: error }, 'webhook outbox start-up failed; retrying when the store is reachable');
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
	}

	/**
	 * Creates the delivery record of every event the journal says is pending and the live state lacks (an
	 * enqueue cut short between the two). Records that exist are left alone: they are at least as new.
	 */
	async #replay(): Promise<number> {
		const pending = new Map<string, DeliveryRecord>();
		const settled = new Set<string>();
		for await (const record of this.#journal.readAll()) {
			if (record.type === WEBHOOK_RECORD.enqueued) {
				const event = eventSchema.safeParse(record.data);
				if (!event.success || pending.has(event.data.eventId) || settled.has(event.data.eventId)) continue;
				pending.set(event.data.eventId, { event: event.data, attempts: 0, nextAttemptAt: Date.now(), settled: false });
			} else if (record.type === WEBHOOK_RECORD.attemptFailed) {
				const failure = attemptFailedSchema.safeParse(record.data);
				const delivery = failure.success ? pending.get(failure.data.eventId) : undefined;
				if (failure.success && delivery) {
					delivery.attempts = Math.max(delivery.attempts, failure.data.attempt);
					delivery.nextAttemptAt = Date.parse(failure.data.nextAttemptAt);
				}
			} else if (record.type === WEBHOOK_RECORD.delivered || record.type === WEBHOOK_RECORD.gaveUp) {
				const done = settledSchema.safeParse(record.data);
				if (done.success) {
					pending.delete(done.data.eventId);
					settled.add(done.data.eventId);
				}
			}
		}
		let restored = 0;
		for (const [eventId, delivery] of pending) {
			const created = await this.#live.create(KEY.delivery(eventId), delivery, {
				add: [{ set: KEY.due, member: eventId, score: delivery.nextAttemptAt }],
			});
			if (created) restored += 1;
		}
		return restored;
	}

	/** Starts the due attempts that fit in this process's parallel limit; one pump at a time. */
	#pump(): void {
		if (this.#closing || !this.#url || !this.#started || this.#pumping) return;
		const url = this.#url;
		this.#pumping = this.#startDue(url)
			.catch((error: unknown) => this.#logger.warn({ err: error }, 'could not read the due webhooks'))
			.finally(() => {
				this.#pumping = undefined;
			});
	}

	async #startDue(url: URL): Promise<void> {
		const now = Date.now();
		const due = await this.#live.range(KEY.due, { limit: DUE_PAGE });
		for (const { member: eventId, score } of due) {
			if (score > now || this.#inFlight.size >= MAX_PARALLEL_DELIVERIES || this.#closing) break;
			if (this.#inFlight.has(eventId)) continue;
			const task = this.#attempt(eventId, url)
				.catch((error: unknown) => this.#logger.error({ eventId, err: error }, 'webhook attempt failed unexpectedly'))
				.finally(() => {
					this.#inFlight.delete(eventId);
					this.#pump();
				});
			this.#inFlight.set(eventId, task);
		}
	}

	async #attempt(eventId: string, url: URL): Promise<void> {
		const stored = await this.#live.get<DeliveryRecord>(KEY.delivery(eventId));
		if (!stored || stored.value.settled || stored.value.nextAttemptAt > Date.now()) return;
		const attempt = stored.value.attempts + 1;
		if (!(await this.#live.claimOnce(KEY.lease(eventId, attempt), this.#retry.timeoutMs + LEASE_MARGIN_MS))) return;
		// The record read before the claim may be stale: another process may have made this attempt and let its lease lapse.
		const current = await this.#live.get<DeliveryRecord>(KEY.delivery(eventId));
		if (!current || current.version !== stored.version) return;

		const { event } = current.value;
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
			await this.#settle(current, attempt, log, {
				type: WEBHOOK_RECORD.delivered,
				verificationId: event.verificationId,
				data: { eventId, attempt, status: result.status },
			});
			return;
		}
		if (result.kind === 'aborted') {
			// The host may have received it, so it counts as an attempt; any process retries it at once.
			log.info('webhook attempt aborted by close; another process (or the next start) sends it again');
			await this.#reschedule(current, attempt, Date.now(), log, { error: 'aborted' });
			return;
		}
		const failure = result.kind === 'failed' ? { status: result.status } : { error: result.error };
		if (attempt >= this.#retry.maxAttempts) {
			log.error(failure, 'webhook given up after the last attempt');
			await this.#settle(current, attempt, log, {
				type: WEBHOOK_RECORD.gaveUp,
				verificationId: event.verificationId,
				data: { eventId, attempts: attempt, ...failure },
			});
			return;
		}
		const nextAttemptAt =
			Date.now() + retryDelay(this.#retry, attempt, result.kind === 'failed' ? result.retryAfterMs : undefined);
		if (result.kind === 'failed' && isEndpointRefusal(result.status)) {
			log.warn({ ...failure, nextAttemptAt }, 'webhook endpoint refused the delivery; will retry in case it is fixed');
		} else {
			log.info({ ...failure, nextAttemptAt }, 'webhook attempt failed; will retry');
		}
		await this.#reschedule(current, attempt, nextAttemptAt, log, failure);
	}

	async #settle(stored: Versioned<DeliveryRecord>, attempt: number, log: Logger, entry: JournalEntry): Promise<void> {
		const { eventId } = stored.value.event;
		await this.#move(
			stored,
			{ ...stored.value, attempts: attempt, settled: true },
			{ remove: [{ set: KEY.due, member: eventId }] },
			log,
		);
		await this.#record(log, entry);
	}

	async #reschedule(
		stored: Versioned<DeliveryRecord>,
		attempt: number,
		nextAttemptAt: number,
		log: Logger,
		failure: Record<string, unknown>,
	): Promise<void> {
		const { event } = stored.value;
		await this.#move(
			stored,
			{ ...stored.value, attempts: attempt, nextAttemptAt },
			{ add: [{ set: KEY.due, member: event.eventId, score: nextAttemptAt }] },
			log,
		);
		await this.#record(log, {
			type: WEBHOOK_RECORD.attemptFailed,
			verificationId: event.verificationId,
			data: { eventId: event.eventId, attempt, ...failure, nextAttemptAt: new Date(nextAttemptAt).toISOString() },
		});
	}

	/**
	 * The lease makes a lost compare-and-set a bug rather than a race; a store that is away leaves the
	 * record as it was, so the attempt is made again once the lease lapses (the host dedupes).
	 */
	async #move(
		stored: Versioned<DeliveryRecord>,
		next: DeliveryRecord,
		effects: Parameters<LiveState['update']>[3],
		log: Logger,
	): Promise<void> {
		try {
			if (!(await this.#live.update(KEY.delivery(next.event.eventId), stored.version, next, effects))) {
				log.error('the webhook delivery record changed under its lease');
			}
		} catch (error) {
			log.error({ err: error }, 'could not record a webhook attempt in the live state; it will be made again');
		}
	}

	/** A journal record that cannot be written is logged, not thrown: the attempt already happened. */
	async #record(log: Logger, entry: JournalEntry): Promise<void> {
		try {
			await this.#journal.append(entry);
		} catch (error) {
			log.error({ err: error, record: entry.type }, 'could not journal a webhook attempt');
		}
	}
}
