// What the webhook outbox (WebhookOutbox) is made of besides its queue: the event and its journal
// records, the retry schedule, and one signed delivery attempt over HTTP.
import { z } from 'zod';
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

/** The journal record types the outboxes write; part of the journal's contract. */
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

export const eventSchema = z.object({
	eventId: z.string().min(1).max(200),
	type: z.string().min(1).max(100),
	verificationId: z.string().min(1).max(200),
	occurredAt: z.iso.datetime({ offset: true }),
	payload: z.record(z.string(), z.unknown()),
});
export const attemptFailedSchema = z.object({
	eventId: z.string(),
	attempt: z.number().int().positive(),
	nextAttemptAt: z.iso.datetime({ offset: true }),
});
export const settledSchema = z.object({ eventId: z.string() });

const positiveInteger = z.number().int().positive();
const retrySchema = z.object({
	initialDelayMs: positiveInteger.optional(),
	maxDelayMs: positiveInteger.optional(),
	maxAttempts: positiveInteger.optional(),
	timeoutMs: positiveInteger.optional(),
});

/** The webhook URL checked once, at construction, so a wrong one is named instead of retried for a day. */
export function webhookUrl(url: string | undefined, secret: string): URL | undefined {
	if (url === undefined) return undefined;
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new TypeError('the webhook URL must be an absolute http or https URL');
	}
	// fetch refuses URLs with credentials; failing here names the problem instead of retrying for an hour.
	if (parsed.username || parsed.password) throw new TypeError('the webhook URL must not carry credentials');
	if (secret.length === 0) throw new TypeError('a webhook secret is required when a webhook URL is set');
	return parsed;
}

export function retrySettings(options: WebhookRetryOptions | undefined): Required<WebhookRetryOptions> {
	const retry = retrySchema.safeParse(options ?? {});
	if (!retry.success) throw new TypeError(`invalid webhook retry options: ${retry.error.message}`);
	return {
		initialDelayMs: retry.data.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs,
		maxDelayMs: retry.data.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
		maxAttempts: retry.data.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
		timeoutMs: retry.data.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
	};
}

export type AttemptResult =
	| { kind: 'delivered'; status: number }
	| { kind: 'failed'; status: number; retryAfterMs: number | undefined }
	| { kind: 'unreachable'; error: string }
	| { kind: 'aborted' };

/** One signed POST of the event's exact bytes; `closing` aborts it when the outbox closes. */
export async function sendAttempt(options: {
	url: URL;
	secret: string;
	event: WebhookEvent;
	body: string;
	timeoutMs: number;
	closing: AbortSignal;
}): Promise<AttemptResult> {
	const { url, secret, event, body, timeoutMs, closing } = options;
	const timestamp = Math.floor(Date.now() / 1000);
	const signal = AbortSignal.any([closing, AbortSignal.timeout(timeoutMs)]);
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'user-agent': USER_AGENT,
				[SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
				[EVENT_ID_HEADER]: event.eventId,
				[EVENT_TYPE_HEADER]: event.type,
			},
			body,
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
		if (closing.aborted) return { kind: 'aborted' };
		return { kind: 'unreachable', error: describeNetworkError(error) };
	}
}

/** Full jitter: a uniform pick below an exponentially growing bound, unless the host named a delay. */
export function retryDelay(retry: Required<WebhookRetryOptions>, attempt: number, retryAfterMs: number | undefined): number {
	const { initialDelayMs, maxDelayMs } = retry;
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxDelayMs);
	const bound = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
	return Math.floor(Math.random() * bound);
}

export function serialise(event: WebhookEvent): string {
	const { eventId, type, verificationId, occurredAt, payload } = event;
	return JSON.stringify({ eventId, type, verificationId, occurredAt, payload });
}

/** Redirects and 4xx answers other than 408 and 429 mean the endpoint itself is wrong, not busy. */
export function isEndpointRefusal(status: number): boolean {
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
