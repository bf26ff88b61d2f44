// The webhook outbox: every final state of a verification becomes an event that is written to the
// journal first and then POSTed, signed, to the host platform's URL until it answers 2xx or we give
// up. Every attempt's outcome is journaled too, so a new process picks up where the last one stopped.
// Delivery is at least once: a host must dedupe by the event id it receives.
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { Journal, JournalEntry } from '../store/Journal.ts';
import { SIGNATURE_HEADER, signPayload } from './signature.ts';

export type WebhookEvent = {
	/** Unique per event; the host dedupes on it. A deterministic id makes a re-enqueue after a crash safe. */
	eventId: string;
	/** 'verification.decided' | 'verification.abandoned' | 'verification.interrupted' | 'verification.expired' */
	type: string;
	verificationId: string;
	/** ISO-8601 time of the state change the event reports. */
	occurredAt: string;
	payload: Record<string, unknown>;
};

export type WebhookRetryOptions = {
	/** Upper bound of the first retry's delay; each later bound doubles. */
	initialDelayMs?: number;
	/** Cap on any delay, including one asked for by Retry-After. */
	maxDelayMs?: number;
	/** Attempts in all, the first included, before the event is given up. */
	maxAttempts?: number;
	/** How long one attempt may wait for the response headers. */
	timeoutMs?: number;
};

export type WebhookOutboxOptions = {
	journal: Journal;
	/** Where deliveries go; undefined keeps events in the journal until a URL is configured. */
	url: string | undefined;
	secret: string;
	logger: Logger;
	retry?: WebhookRetryOptions;
};

/** The journal record types the outbox writes; part of the journal's contract. */
export const WEBHOOK_RECORD = {
	enqueued: 'webhook.enqueued',
	attemptFailed: 'webhook.attemptFailed',
	delivered: 'webhook.delivered',
	gaveUp: 'webhook.gaveUp',
} as const;

export const EVENT_ID_HEADER = 'vidverify-event-id';
export const EVENT_TYPE_HEADER = 'vidverify-event-type';
const USER_AGENT = 'vidverify-webhooks/1';

// Doubling from 1 s reaches the 1 h cap after 12 attempts (about an hour in all); 24 more at up to an
// hour each make the longest schedule about a day. Full jitter draws each wait between 0 and its cap,
// so on average a host that stays down is given up on after about half of that.
const DEFAULT_RETRY: Required<WebhookRetryOptions> = {
	initialDelayMs: 1_000,
	maxDelayMs: 60 * 60_000,
	maxAttempts: 36,
	timeoutMs: 10_000,
};
const MAX_PARALLEL_DELIVERIES = 4;
// setTimeout fires at once for delays above 2^31-1 ms; a longer wait is re-armed when it fires.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

const eventSchema = z.object({
	eventId: z.string().min(1).max(200),
	type: z.string().min(1).max(100),
	verificationId: z.string().min(1).max(200),
	occurredAt: z.iso.datetime({ offset: true }),
	payload: z.record(z.string(), z.unknown()),
});
const attemptFailedSchema = z.object({
	eventId: z.string(),
	attempt: z.number().int().positive(),
	nextAttemptAt: z.iso.datetime({ offset: true }),
});
const settledSchema = z.object({ eventId: z.string() });

const positiveInteger = z.number().int().positive();
const retrySchema = z.object({
	initialDelayMs: positiveInteger.optional(),
	maxDelayMs: positiveInteger.optional(),
	maxAttempts: positiveInteger.optional(),
	timeoutMs: positiveInteger.optional(),
});

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

type AttemptResult =
	| { kind: 'delivered'; status: number }
	| { kind: 'failed'; status: number; retryAfterMs: number | undefined }
	| { kind: 'unreachable'; error: string }
	| { kind: 'aborted' };

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
		if (options.url !== undefined) {
			const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
			if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
				throw new TypeError('the webhook URL must be an absolute http or https URL');
			}
			// fetch refuses URLs with credentials; failing here names the problem instead of retrying for an hour.
			if (url.username || url.password) throw new TypeError('the webhook URL must not carry credentials');
			if (options.secret.length === 0) throw new TypeError('a webhook secret is required when a webhook URL is set');
			this.#url = url;
		}
		const retry = retrySchema.safeParse(options.retry ?? {});
		if (!retry.success) throw new TypeError(`invalid webhook retry options: ${retry.error.message}`);
		this.#retry = {
			initialDelayMs: retry.data.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs,
			maxDelayMs: retry.data.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
			maxAttempts: retry.data.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
			timeoutMs: retry.data.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
		};
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

		const delayMs = this.#delayAfter(attempt, result.kind === 'failed' ? result.retryAfterMs : undefined);
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

	async #send(delivery: Delivery, url: URL): Promise<AttemptResult> {
		const timestamp = Math.floor(Date.now() / 1000);
		const signal = AbortSignal.any([this.#closeController.signal, AbortSignal.timeout(this.#retry.timeoutMs)]);
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': USER_AGENT,
					[SIGNATURE_HEADER]: signPayload(this.#secret, timestamp, delivery.body),
					[EVENT_ID_HEADER]: delivery.event.eventId,
					[EVENT_TYPE_HEADER]: delivery.event.type,
				},
				body: delivery.body,
				// A redirect would resend a signed body somewhere not configured; it counts as a failure.
				redirect: 'manual',
				signal,
			});
			// The response body is never read: it is not ours to keep and may be large.
			await response.body?.cancel().catch(() => {});
			if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
			const retryAfterMs =
				response.status === 429 || response.status === 503
					? parseRetryAfter(response.headers.get('retry-after'), Date.now())
					: undefined;
			return { kind: 'failed', status: response.status, retryAfterMs };
		} catch (error) {
			if (this.#closeController.signal.aborted) return { kind: 'aborted' };
			return { kind: 'unreachable', error: describeNetworkError(error) };
		}
	}

	/** Full jitter: a uniform pick below an exponentially growing bound, unless the host named a delay. */
	#delayAfter(attempt: number, retryAfterMs: number | undefined): number {
		const { initialDelayMs, maxDelayMs } = this.#retry;
		if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxDelayMs);
		const bound = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
		return Math.floor(Math.random() * bound);
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

function serialise(event: WebhookEvent): string {
	const { eventId, type, verificationId, occurredAt, payload } = event;
	return JSON.stringify({ eventId, type, verificationId, occurredAt, payload });
}

/** Redirects and 4xx answers other than 408 and 429 mean the endpoint itself is wrong, not busy. */
function isEndpointRefusal(status: number): boolean {
	return status >= 300 && status < 500 && status !== 408 && status !== 429;
}

/** Retry-After as delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
	if (value === null) return undefined;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A short class for the journal and logs: never the message, which may quote the URL. */
function describeNetworkError(error: unknown): string {
	if (error instanceof Error) {
		if (error.name === 'TimeoutError') return 'timeout';
		const cause: unknown = error.cause;
		if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
		return error.name;
	}
	return 'unknown';
}
