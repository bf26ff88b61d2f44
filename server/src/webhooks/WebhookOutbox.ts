// The webhook outbox: every final state of a verification becomes an event that is written to the
// journal first and then POSTed, signed, to the host platform's URL until it answers 2xx or we give
// up. Every attempt's outcome is journaled too, so a new process picks up where the last one stopped.
// Delivery is at least once: a host must dedupe by the event id it receives.
import type { Logger } from '../logger.ts';
import type { Journal, JournalEntry } from '../store/Journal.ts';
import {
	type AttemptResult,
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
	/** Where deliveries go; undefined keeps events in the journal until a URL is configured. */
	url: string | undefined;
	secret: string;
	logger: Logger;
	retry?: WebhookRetryOptions;
};

const MAX_PARALLEL_DELIVERIES = 4;
// setTimeout fires at once for delays above 2^31-1 ms; a longer wait is re-armed when it fires.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

type Delivery = {
	event: WebhookEvent;
	/** The exact bytes sent and signed; the same for every attempt. */
	body: string;
	/** Attempts made so far, across restarts. */
	attempts: number;
	/** Epoch milliseconds; 0 means at once. */
	nextAttemptAt: number;
	inFlight: boolean;
};

export class WebhookOutbox {
	readonly #journal: Journal;
	readonly #url: URL | undefined;
	readonly #secret: string;
	readonly #logger: Logger;
	readonly #retry: Required<WebhookRetryOptions>;
	/** Enqueued and neither delivered nor given up, in enqueue order. */
	readonly #pending = new Map<string, Delivery>();
	/** Delivered or given up: a second enqueue of these ids must not send again. */
	readonly #settled = new Set<string>();
	readonly #enqueuing = new Map<string, Promise<void>>();
	readonly #inFlight = new Set<Promise<void>>();
	readonly #closeController = new AbortController();
	#timer: NodeJS.Timeout | undefined;
	#timerDueAt = Number.POSITIVE_INFINITY;
	#closing: Promise<void> | undefined;

	/** Rebuilds the undelivered events from the journal and starts delivering them. */
	static async create(options: WebhookOutboxOptions): Promise<WebhookOutbox> {
		const outbox = new WebhookOutbox(options);
		await outbox.#replay();
		if (outbox.#url) {
			outbox.#logger.info({ origin: outbox.#url.origin, pending: outbox.#pending.size }, 'webhook outbox started');
			outbox.#pump();
		} else {
			outbox.#logger.warn(
				{ pending: outbox.#pending.size },
				'no webhook URL configured: events are journaled and will be delivered after a restart with a URL',
			);
		}
		return outbox;
	}

	private constructor(options: WebhookOutboxOptions) {
		this.#url = webhookUrl(options.url, options.secret);
		this.#retry = retrySettings(options.retry);
		this.#journal = options.journal;
		this.#secret = options.secret;
		this.#logger = options.logger.child({ component: 'webhooks' });
	}

	/** Events not yet delivered nor given up, including those waiting for a URL. */
	get pendingCount(): number {
		return this.#pending.size;
	}

	/**
	 * Resolves once the event is durable in the journal. A second enqueue of an event id already known
	 * (pending, delivered or given up) does nothing, so a caller may safely retry after a crash.
	 */
	enqueue(event: WebhookEvent): Promise<void> {
		if (this.#closing) return Promise.reject(new Error('the webhook outbox is closed'));
		const parsed = eventSchema.safeParse(event);
		if (!parsed.success) return Promise.reject(new TypeError(`invalid webhook event: ${parsed.error.message}`));
		const { eventId } = parsed.data;
		if (this.#pending.has(eventId) || this.#settled.has(eventId)) return Promise.resolve();
		const inProgress = this.#enqueuing.get(eventId);
		if (inProgress) return inProgress;

		const accepted = this.#accept(parsed.data).finally(() => this.#enqueuing.delete(eventId));
		this.#enqueuing.set(eventId, accepted);
		return accepted;
	}

	/**
	 * Stops the timers and aborts attempts in flight; those are journaled as failed with error 'aborted',
	 * and their events stay pending for the next start.
	 */
	close(): Promise<void> {
		this.#closing ??= this.#shutDown();
		return this.#closing;
	}

	async #shutDown(): Promise<void> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#closeController.abort();
		// Waiting lets attempts that already got an answer journal it before the caller closes the journal.
		await Promise.allSettled([...this.#inFlight, ...this.#enqueuing.values()]);
		this.#logger.info({ pending: this.#pending.size }, 'webhook outbox closed');
	}

	async #accept(event: WebhookEvent): Promise<void> {
		const body = serialise(event);
		await this.#journal.append({
			type: WEBHOOK_RECORD.enqueued,
			verificationId: event.verificationId,
			data: { ...event },
		});
		this.#pending.set(event.eventId, { event, body, attempts: 0, nextAttemptAt: 0, inFlight: false });
		this.#logger.info({ eventId: event.eventId, type: event.type, verificationId: event.verificationId }, 'webhook enqueued');
		this.#pump();
	}

	async #replay(): Promise<void> {
		for await (const record of this.#journal.readAll()) {
			switch (record.type) {
				case WEBHOOK_RECORD.enqueued: {
					const event = eventSchema.safeParse(record.data);
					if (!event.success) {
						this.#logger.error({ seq: record.seq }, 'unreadable webhook.enqueued record skipped');
						break;
					}
					const { eventId } = event.data;
					if (this.#pending.has(eventId) || this.#settled.has(eventId)) break;
					this.#pending.set(eventId, {
						event: event.data,
						body: serialise(event.data),
						attempts: 0,
						nextAttemptAt: 0,
						inFlight: false,
					});
					break;
				}
				case WEBHOOK_RECORD.attemptFailed: {
					const failure = attemptFailedSchema.safeParse(record.data);
					const delivery = failure.success ? this.#pending.get(failure.data.eventId) : undefined;
					if (failure.success && delivery) {
						delivery.attempts = Math.max(delivery.attempts, failure.data.attempt);
						delivery.nextAttemptAt = Date.parse(failure.data.nextAttemptAt);
					}
					break;
				}
				case WEBHOOK_RECORD.delivered:
				case WEBHOOK_RECORD.gaveUp: {
					const settled = settledSchema.safeParse(record.data);
					if (settled.success) {
						this.#pending.delete(settled.data.eventId);
						this.#settled.add(settled.data.eventId);
					}
					break;
				}
			}
		}
	}

	/** Starts every due delivery that fits in the parallel limit and arms the timer for the next one. */
	#pump(): void {
		const url = this.#url;
		if (this.#closing || !url) return;
		const now = Date.now();
		let nextDueAt = Number.POSITIVE_INFINITY;
		for (const delivery of this.#pending.values()) {
			if (delivery.inFlight) continue;
			if (delivery.nextAttemptAt > now) {
				nextDueAt = Math.min(nextDueAt, delivery.nextAttemptAt);
			} else if (this.#inFlight.size < MAX_PARALLEL_DELIVERIES) {
				this.#start(delivery, url);
			}
			// A due delivery beyond the limit waits for a slot; each finished attempt pumps again.
		}
		this.#arm(nextDueAt);
	}

	#arm(dueAt: number): void {
		if (dueAt === this.#timerDueAt && this.#timer) return;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#timerDueAt = dueAt;
		if (dueAt === Number.POSITIVE_INFINITY) return;
		const delay = Math.min(Math.max(0, dueAt - Date.now()), LONGEST_TIMER_MS);
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#timerDueAt = Number.POSITIVE_INFINITY;
			this.#pump();
		}, delay);
		// Pending retries alone must not keep the process alive; close() is the orderly way out.
		this.#timer.unref();
	}

	#start(delivery: Delivery, url: URL): void {
		delivery.inFlight = true;
		const task: Promise<void> = this.#attempt(delivery, url)
			.catch((error: unknown) => {
				this.#logger.error({ eventId: delivery.event.eventId, err: error }, 'webhook attempt failed unexpectedly');
			})
			.finally(() => {
				delivery.inFlight = false;
				this.#inFlight.delete(task);
				this.#pump();
			});
		this.#inFlight.add(task);
	}

	async #attempt(delivery: Delivery, url: URL): Promise<void> {
		const { event } = delivery;
		const attempt = delivery.attempts + 1;
		const log = this.#logger.child({ eventId: event.eventId, type: event.type, verificationId: event.verificationId, attempt });
		const result = await this.#send(delivery, url);
		delivery.attempts = attempt;

		if (result.kind === 'aborted') {
			// The host may have received it, so it counts towards maxAttempts; the next start retries at once.
			delivery.nextAttemptAt = Date.now();
			log.info('webhook attempt aborted by close; the next start sends it again');
			await this.#record(log, {
				type: WEBHOOK_RECORD.attemptFailed,
				verificationId: event.verificationId,
				data: {
					eventId: event.eventId,
					attempt,
					error: 'aborted',
					nextAttemptAt: new Date(delivery.nextAttemptAt).toISOString(),
				},
			});
			return;
		}

		if (result.kind === 'delivered') {
			this.#settle(event.eventId);
			log.info({ status: result.status }, 'webhook delivered');
			await this.#record(log, {
				type: WEBHOOK_RECORD.delivered,
				verificationId: event.verificationId,
				data: { eventId: event.eventId, attempt, status: result.status },
			});
			return;
		}

		const failure = result.kind === 'failed' ? { status: result.status } : { error: result.error };
		if (attempt >= this.#retry.maxAttempts) {
			this.#settle(event.eventId);
			log.error(failure, 'webhook given up after the last attempt');
			await this.#record(log, {
				type: WEBHOOK_RECORD.gaveUp,
				verificationId: event.verificationId,
				data: { eventId: event.eventId, attempts: attempt, ...failure },
			});
			return;
		}

		const delayMs = retryDelay(this.#retry, attempt, result.kind === 'failed' ? result.retryAfterMs : undefined);
		delivery.nextAttemptAt = Date.now() + delayMs;
		const nextAttemptAt = new Date(delivery.nextAttemptAt).toISOString();
		if (result.kind === 'failed' && isEndpointRefusal(result.status)) {
			log.warn({ ...failure, nextAttemptAt }, 'webhook endpoint refused the delivery; will retry in case it is fixed');
		} else {
			log.info({ ...failure, nextAttemptAt }, 'webhook attempt failed; will retry');
		}
		await this.#record(log, {
			type: WEBHOOK_RECORD.attemptFailed,
			verificationId: event.verificationId,
			data: { eventId: event.eventId, attempt, ...failure, nextAttemptAt },
		});
	}

	#send(delivery: Delivery, url: URL): Promise<AttemptResult> {
		return sendAttempt({
			url,
			secret: this.#secret,
			event: delivery.event,
			body: delivery.body,
			timeoutMs: this.#retry.timeoutMs,
			closing: this.#closeController.signal,
		});
	}

	#settle(eventId: string): void {
		this.#pending.delete(eventId);
		this.#settled.add(eventId);
	}

	/**
	 * A record that cannot be written is logged, not thrown: the attempt already happened, and at worst
	 * the next start repeats a delivery the host then dedupes by event id.
	 */
	async #record(log: Logger, entry: JournalEntry): Promise<void> {
		try {
			await this.#journal.append(entry);
		} catch (error) {
			log.error({ err: error, record: entry.type }, 'could not journal a webhook attempt');
		}
	}
}
