import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import { GENESIS_HASH, type Journal, type JournalEntry, type JournalRecord } from '../store/Journal.ts';
import { SIGNATURE_HEADER, verifySignature } from './signature.ts';
import { WebhookOutbox, type WebhookOutboxOptions } from './WebhookOutbox.ts';
import { parseRetryAfter, WEBHOOK_RECORD, type WebhookEvent } from './webhookAttempt.ts';

const secret = 'whsec-outbox-test';
const fastRetry = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 10, timeoutMs: 5_000 };

/** A journal held in memory, for tests that need to read back every record quickly. */
class MemoryJournal implements Journal {
	readonly records: JournalRecord[] = [];
	closed = false;

	async append(entry: JournalEntry): Promise<JournalRecord> {
		if (this.closed) throw new Error('journal closed');
		const prevHash = this.records.at(-1)?.hash ?? GENESIS_HASH;
		const seq = this.records.length + 1;
		const at = new Date().toISOString();
		const hash = createHash('sha256')
			.update(prevHash + JSON.stringify({ seq, at, ...entry }))
			.digest('hex');
		const record = { ...structuredClone(entry), seq, at, prevHash, hash };
		this.records.push(record);
		return record;
	}
	async *readAll(): AsyncIterable<JournalRecord> {
		yield* this.records;
	}
	async readVerification(verificationId: string): Promise<JournalRecord[]> {
		return this.records.filter((record) => record.verificationId === verificationId);
	}
	async verify() {
		return { ok: true as const, records: this.records.length, lastHash: this.records.at(-1)?.hash ?? GENESIS_HASH };
	}
	async close(): Promise<void> {
		this.closed = true;
	}

	webhookRecords(): Array<{ type: string; verificationId: string | undefined; data: Record<string, unknown> }> {
		return this.records
			.filter((record) => record.type.startsWith('webhook.'))
			.map(({ type, verificationId, data }) => ({ type, verificationId, data }));
	}
}

type Received = { headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/** A host platform's endpoint: records every request and answers as the test scripts it. */
class Receiver {
	readonly requests: Received[] = [];
	readonly #server: Server;
	readonly #held: ServerResponse[] = [];
	#answer: (request: Received, index: number) => Answer;
	#waiters: Array<() => void> = [];
	#inFlight = 0;
	maxInFlight = 0;

	static async start(answer: (request: Received, index: number) => Answer, port = 0): Promise<Receiver> {
		const receiver = new Receiver(answer);
		receiver.#server.listen(port, '127.0.0.1');
		await once(receiver.#server, 'listening');
		return receiver;
	}

	private constructor(answer: (request: Received, index: number) => Answer) {
		this.#answer = answer;
		this.#server = createServer((request, response) => {
			this.#inFlight += 1;
			this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
			response.on('close', () => {
				this.#inFlight -= 1;
			});
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const received = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
				this.requests.push(received);
				const answer = this.#answer(received, this.requests.length - 1);
				if (answer === 'hang') {
					this.#held.push(response);
				} else {
					response.writeHead(answer.status, answer.headers).end('{"detail":"response bodies are never kept"}');
				}
				for (const wake of this.#waiters.splice(0)) wake();
			});
		});
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/hooks/vidverify`;
	}

	/** Answers every request held so far with status. */
	releaseHeld(status: number): void {
		for (const response of this.#held.splice(0)) response.writeHead(status).end();
	}

	answerWith(answer: (request: Received, index: number) => Answer): void {
		this.#answer = answer;
	}

	/** Resolves once at least count requests have arrived (the suite's timeout bounds the wait). */
	async waitForRequests(count: number): Promise<void> {
		while (this.requests.length < count) {
			await new Promise<void>((resolve) => this.#waiters.push(resolve));
		}
	}

	async stop(): Promise<void> {
		for (const response of this.#held.splice(0)) response.destroy();
		this.#server.closeAllConnections();
		this.#server.close();
		await once(this.#server, 'close');
	}
}

/** A logger whose lines the test can read back. */
function capturingLogger(): { logger: Logger; lines: string[]; entries: () => Array<Record<string, unknown>> } {
	const lines: string[] = [];
	const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
	return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function makeEvent(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
	return {
		eventId: `evt_${randomUUID()}`,
		type: 'verification.decided',
		verificationId: `ver_${randomUUID()}`,
		occurredAt: new Date().toISOString(),
		payload: { state: 'decided', decision: 'approved', reasonCodes: [] },
		...overrides,
	};
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	vi.restoreAllMocks();
	for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function openOutbox(options: Partial<WebhookOutboxOptions> & { journal: Journal }): Promise<WebhookOutbox> {
	const outbox = await WebhookOutbox.create({
		url: undefined,
		secret,
		logger: pino({ level: 'silent' }),
		retry: fastRetry,
		...options,
	});
	opened.push(outbox);
	return outbox;
}

async function startReceiver(answer: (request: Received, index: number) => Answer, port?: number): Promise<Receiver> {
	const receiver = await Receiver.start(answer, port);
	opened.push({ close: () => receiver.stop() });
	return receiver;
}

async function settled(outbox: WebhookOutbox): Promise<void> {
	await vi.waitFor(() => expect(outbox.pendingCount).toBe(0), { timeout: 20_000, interval: 5 });
}

/** A port on which nothing listens (yet): connections to it are refused. */
async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	server.close();
	await once(server, 'close');
	return port;
}

describe('WebhookOutbox delivery', () => {
	test('enqueue() delivers the event as a signed JSON POST that verifySignature() accepts', async () => {
		const receiver = await startReceiver(() => ({ status: 204 }));
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url });
		const event = makeEvent();

		await outbox.enqueue(event);
		await receiver.waitForRequests(1);
		await settled(outbox);

		const [request] = receiver.requests;
		if (!request) throw new Error('no request received');
		expect(JSON.parse(request.body)).toEqual(event);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['user-agent']).toBe('vidverify-webhooks/1');
		expect(request.headers['vidverify-event-id']).toBe(event.eventId);
		expect(request.headers['vidverify-event-type']).toBe('verification.decided');
		const signature = request.headers[SIGNATURE_HEADER];
		if (typeof signature !== 'string') throw new Error('no signature header');
		expect(verifySignature(secret, signature, request.body)).toBe(true);
		expect(verifySignature('not-the-secret', signature, request.body)).toBe(false);
		expect(verifySignature(secret, signature, request.body.replace('approved', 'rejected'))).toBe(false);
		const signedAt = Number(/^t=(\d+),/.exec(signature)?.[1]);
		expect(verifySignature(secret, signature, request.body, { nowSeconds: signedAt + 301 })).toBe(false);
		expect(verifySignature(secret, signature.replace('v1=', 'v1:'), request.body)).toBe(false);

		expect(journal.webhookRecords()).toEqual([
			{ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: event },
			{
				type: WEBHOOK_RECORD.delivered,
				verificationId: event.verificationId,
				data: { eventId: event.eventId, attempt: 1, status: 204 },
			},
		]);
	});

	test('enqueue() is durable before it resolves, even with the receiver not yet answering', async () => {
		const receiver = await startReceiver(() => 'hang');
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url });
		const event = makeEvent();

		await outbox.enqueue(event);

		expect(journal.webhookRecords()).toEqual([
			{ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: event },
		]);
		expect(outbox.pendingCount).toBe(1);
	});

	test('a receiver failing twice then succeeding gets exactly three attempts, each journaled', async () => {
		const receiver = await startReceiver((_, index) => ({ status: [500, 503, 200][index] ?? 200 }));
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url });
		const event = makeEvent();

		await outbox.enqueue(event);
		await settled(outbox);
		await outbox.close();

		expect(receiver.requests).toHaveLength(3);
		for (const request of receiver.requests) {
			expect(request.headers['vidverify-event-id']).toBe(event.eventId);
			expect(verifySignature(secret, String(request.headers[SIGNATURE_HEADER]), request.body)).toBe(true);
		}
		const records = journal.webhookRecords();
		expect(records.map((record) => record.type)).toEqual([
			WEBHOOK_RECORD.enqueued,
			WEBHOOK_RECORD.attemptFailed,
			WEBHOOK_RECORD.attemptFailed,
			WEBHOOK_RECORD.delivered,
		]);
		expect(records.every((record) => record.verificationId === event.verificationId)).toBe(true);
		expect(records[1]?.data).toEqual({ eventId: event.eventId, attempt: 1, status: 500, nextAttemptAt: expect.any(String) });
		expect(records[2]?.data).toEqual({ eventId: event.eventId, attempt: 2, status: 503, nextAttemptAt: expect.any(String) });
		expect(records[3]?.data).toEqual({ eventId: event.eventId, attempt: 3, status: 200 });
	});

	test('a second enqueue() of the same event id, at once or after delivery, sends nothing more', async () => {
		const receiver = await startReceiver(() => ({ status: 200 }));
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url });
		const event = makeEvent();

		await Promise.all([outbox.enqueue(event), outbox.enqueue(event)]);
		await settled(outbox);
		await outbox.enqueue({ ...event, payload: { changed: true } });
		await outbox.close();

		const restarted = await openOutbox({ journal, url: receiver.url });
		await restarted.enqueue(event);
		expect(restarted.pendingCount).toBe(0);
		await restarted.close();

		expect(receiver.requests).toHaveLength(1);
		expect(journal.webhookRecords().filter((record) => record.type === WEBHOOK_RECORD.enqueued)).toHaveLength(1);
	});

	test('a 429 with Retry-After is retried after the delay the host named, not the backoff', async () => {
		// The backoff would wait an hour; only honouring Retry-After: 1 lets the retry arrive in time.
		vi.spyOn(Math, 'random').mockReturnValue(0.999);
		const receiver = await startReceiver((_, index) =>
			index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
		);
		const journal = new MemoryJournal();
		const outbox = await openOutbox({
			journal,
			url: receiver.url,
			retry: { initialDelayMs: 3_600_000, maxDelayMs: 3_600_000, maxAttempts: 5 },
		});
		const event = makeEvent();

		await outbox.enqueue(event);
		await settled(outbox);

		expect(receiver.requests).toHaveLength(2);
		const failure = journal.webhookRecords().find((record) => record.type === WEBHOOK_RECORD.attemptFailed);
		expect(failure?.data).toMatchObject({ attempt: 1, status: 429 });
	});

	test('a Retry-After longer than the maximum delay is capped at the maximum delay', async () => {
		const receiver = await startReceiver((_, index) =>
			index === 0 ? { status: 429, headers: { 'retry-after': '86400' } } : { status: 200 },
		);
		const outbox = await openOutbox({ journal: new MemoryJournal(), url: receiver.url });

		await outbox.enqueue(makeEvent());
		await settled(outbox);

		expect(receiver.requests).toHaveLength(2);
	});

	test('an event is given up after maxAttempts failed attempts, and the journal says so', async () => {
		const receiver = await startReceiver(() => ({ status: 502 }));
		const journal = new MemoryJournal();
		const { logger, entries } = capturingLogger();
		const outbox = await openOutbox({ journal, url: receiver.url, logger, retry: { ...fastRetry, maxAttempts: 3 } });
		const event = makeEvent();

		await outbox.enqueue(event);
		await settled(outbox);
		await outbox.close();

		expect(receiver.requests).toHaveLength(3);
		expect(journal.webhookRecords().map((record) => record.type)).toEqual([
			WEBHOOK_RECORD.enqueued,
			WEBHOOK_RECORD.attemptFailed,
			WEBHOOK_RECORD.attemptFailed,
			WEBHOOK_RECORD.gaveUp,
		]);
		expect(journal.webhookRecords().at(-1)?.data).toEqual({ eventId: event.eventId, attempts: 3, status: 502 });
		expect(entries().some((entry) => entry.level === 50 && entry.eventId === event.eventId && entry.attempt === 3)).toBe(true);
	});

	test('a 4xx other than 408 and 429 is retried and logged as a warning', async () => {
		const receiver = await startReceiver((_, index) => ({ status: index === 0 ? 404 : 200 }));
		const { logger, entries } = capturingLogger();
		const outbox = await openOutbox({ journal: new MemoryJournal(), url: receiver.url, logger });
		const event = makeEvent();

		await outbox.enqueue(event);
		await settled(outbox);

		expect(receiver.requests).toHaveLength(2);
		const warning = entries().find((entry) => entry.level === 40 && entry.status === 404);
		expect(warning).toMatchObject({ eventId: event.eventId, verificationId: event.verificationId, attempt: 1 });
	});

	test('an unreachable endpoint is journaled by error class and retried', async () => {
		const port = await freePort();
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: `http://127.0.0.1:${port}/`, retry: { ...fastRetry, maxAttempts: 2 } });

		await outbox.enqueue(makeEvent());
		await settled(outbox);

		const [failed, gaveUp] = journal.webhookRecords().slice(1);
		expect(failed?.data).toMatchObject({ attempt: 1, error: 'ECONNREFUSED' });
		expect(gaveUp?.data).toMatchObject({ attempts: 2, error: 'ECONNREFUSED' });
	});

	test('an attempt that outlives timeoutMs fails as a timeout', async () => {
		const receiver = await startReceiver((_, index) => (index === 0 ? 'hang' : { status: 200 }));
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url, retry: { ...fastRetry, timeoutMs: 100 } });

		await outbox.enqueue(makeEvent());
		await settled(outbox);

		expect(journal.webhookRecords()[1]?.data).toMatchObject({ attempt: 1, error: 'timeout' });
		expect(journal.webhookRecords().at(-1)?.type).toBe(WEBHOOK_RECORD.delivered);
	});

	test('deliveries of different events run in parallel, at most four at once, each event sent once', async () => {
		// The first three requests are held open until a fourth arrives, which proves four go at once.
		const receiver = await startReceiver((_, index) => {
			if (index < 3) return 'hang';
			if (index === 3) receiver.releaseHeld(200);
			return { status: 200 };
		});
		const outbox = await openOutbox({ journal: new MemoryJournal(), url: receiver.url });
		const events = Array.from({ length: 10 }, () => makeEvent());

		await Promise.all(events.map((event) => outbox.enqueue(event)));
		await settled(outbox);

		expect(receiver.maxInFlight).toBe(4);
		expect(receiver.requests.map((request) => request.headers['vidverify-event-id']).sort()).toEqual(
			events.map((event) => event.eventId).sort(),
		);
	});

	test('the secret and the signature never appear in the logs', async () => {
		const receiver = await startReceiver((_, index) => ({ status: index < 2 ? 500 : 200 }));
		const { logger, lines } = capturingLogger();
		const outbox = await openOutbox({ journal: new MemoryJournal(), url: receiver.url, logger });

		await outbox.enqueue(makeEvent());
		await settled(outbox);
		await outbox.close();

		expect(lines.length).toBeGreaterThan(3);
		const signatures = receiver.requests.map((request) => String(request.headers[SIGNATURE_HEADER]).split('v1=')[1]);
		for (const line of lines) {
			expect(line).not.toContain(secret);
			for (const signature of signatures) expect(line).not.toContain(signature);
		}
	});
});

/** The embedded journal in a fresh folder; closing and reopening it is what a restart does. */
async function journalFile(): Promise<{
	open(): Promise<EmbeddedJournal>;
	webhookRecords(verificationId: string): Promise<JournalRecord[]>;
}> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vidverify-webhooks-'));
	opened.push({ close: () => rm(dataDir, { recursive: true, force: true }) });
	return {
		async open() {
			const journal = await EmbeddedJournal.open({ dataDir, logger: pino({ level: 'silent' }) });
			opened.push(journal);
			return journal;
		},
		async webhookRecords(verificationId) {
			const journal = await EmbeddedJournal.open({ dataDir, logger: pino({ level: 'silent' }) });
			try {
				return (await journal.readVerification(verificationId)).filter((record) => record.type.startsWith('webhook.'));
			} finally {
				await journal.close();
			}
		},
	};
}

describe('WebhookOutbox without a URL', () => {
	test('journals events, warns once, sends nothing, and a restart with a URL delivers them', async () => {
		const file = await journalFile();
		const journal = await file.open();
		const { logger, entries } = capturingLogger();
		const outbox = await openOutbox({ journal, url: undefined, logger });
		const events = [makeEvent(), makeEvent({ type: 'verification.expired' })];

		for (const event of events) await outbox.enqueue(event);
		expect(outbox.pendingCount).toBe(2);
		expect(entries().filter((entry) => entry.level === 40)).toHaveLength(1);
		await outbox.close();
		await journal.close();

		const receiver = await startReceiver(() => ({ status: 200 }));
		const configured = await openOutbox({ journal: await file.open(), url: receiver.url });
		expect(configured.pendingCount).toBe(2);
		await settled(configured);

		expect(receiver.requests.map((request) => request.headers['vidverify-event-id']).sort()).toEqual(
			events.map((event) => event.eventId).sort(),
		);
	});
});

describe('WebhookOutbox across a restart', () => {
	test('an event enqueued while the receiver is down is delivered exactly once by the next outbox', async () => {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}/hooks/vidverify`;
		const file = await journalFile();
		const journal = await file.open();
		const first = await openOutbox({ journal, url });
		const event = makeEvent({ type: 'verification.interrupted' });
		const failedAttempts = async (source: Journal) =>
			(await source.readVerification(event.verificationId)).filter((record) => record.type === WEBHOOK_RECORD.attemptFailed);

		await first.enqueue(event);
		await vi.waitFor(async () => expect((await failedAttempts(journal)).length).toBeGreaterThan(0), {
			timeout: 20_000,
			interval: 5,
		});
		await first.close();
		const attemptsBefore = (await failedAttempts(journal)).length;
		await journal.close();

		const receiver = await startReceiver(() => ({ status: 200 }), port);
		const reopened = await file.open();
		const second = await openOutbox({ journal: reopened, url });
		expect(second.pendingCount).toBe(1);
		await settled(second);
		await second.close();
		await reopened.close();

		expect(receiver.requests).toHaveLength(1);
		expect(receiver.requests[0]?.headers['vidverify-event-id']).toBe(event.eventId);
		const records = await file.webhookRecords(event.verificationId);
		expect(records.at(-1)).toMatchObject({
			type: WEBHOOK_RECORD.delivered,
			verificationId: event.verificationId,
			data: { eventId: event.eventId, attempt: attemptsBefore + 1, status: 200 },
		});

		const third = await openOutbox({ journal: await file.open(), url });
		expect(third.pendingCount).toBe(0);
	});

	test('the attempt count continues across a restart, so maxAttempts spans both processes', async () => {
		const receiver = await startReceiver(() => ({ status: 500 }));
		const file = await journalFile();
		const journal = await file.open();
		const event = makeEvent();
		const retry = { ...fastRetry, maxAttempts: 3 };
		const first = await openOutbox({ journal, url: receiver.url, retry });
		await first.enqueue(event);
		await vi.waitFor(
			async () =>
				expect(
					(await journal.readVerification(event.verificationId)).some((record) => record.type !== WEBHOOK_RECORD.enqueued),
				).toBe(true),
			{ timeout: 20_000, interval: 5 },
		);
		await first.close();
		await journal.close();

		const reopened = await file.open();
		const second = await openOutbox({ journal: reopened, url: receiver.url, retry });
		await settled(second);
		await second.close();
		await reopened.close();

		const records = (await file.webhookRecords(event.verificationId)).slice(1);
		expect(records.map((record) => record.data.attempt ?? record.data.attempts)).toEqual([1, 2, 3]);
		expect(records.at(-1)?.type).toBe(WEBHOOK_RECORD.gaveUp);
		expect(receiver.requests.length).toBeLessThanOrEqual(3);
	});
});

describe('WebhookOutbox.close()', () => {
	test('stops retries: no request reaches the receiver after close() resolves', async () => {
		const receiver = await startReceiver(() => ({ status: 500 }));
		const outbox = await openOutbox({
			journal: new MemoryJournal(),
			url: receiver.url,
			retry: { ...fastRetry, maxAttempts: 1000 },
		});

		await outbox.enqueue(makeEvent());
		await receiver.waitForRequests(2);
		await outbox.close();
		const countAtClose = receiver.requests.length;
		// Many times the largest retry delay: retries still scheduled would have arrived by now.
		await sleep(20 * fastRetry.maxDelayMs);

		expect(receiver.requests).toHaveLength(countAtClose);
		expect(outbox.pendingCount).toBe(1);
	});

	test('aborts an attempt in flight and journals it as aborted, so the next outbox sends the event again', async () => {
		const receiver = await startReceiver(() => 'hang');
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal, url: receiver.url, retry: { ...fastRetry, timeoutMs: 3_600_000 } });
		const event = makeEvent();

		await outbox.enqueue(event);
		await receiver.waitForRequests(1);
		await outbox.close();

		expect(journal.webhookRecords().at(-1)?.data).toEqual({
			eventId: event.eventId,
			attempt: 1,
			error: 'aborted',
			nextAttemptAt: expect.any(String),
		});
		receiver.answerWith(() => ({ status: 200 }));
		const next = await openOutbox({ journal, url: receiver.url });
		await settled(next);
		expect(receiver.requests).toHaveLength(2);
		expect(journal.webhookRecords().at(-1)?.data).toEqual({ eventId: event.eventId, attempt: 2, status: 200 });
	});

	test('is idempotent, and enqueue() after close() rejects', async () => {
		const outbox = await openOutbox({ journal: new MemoryJournal(), url: 'http://127.0.0.1:9/' });
		await Promise.all([outbox.close(), outbox.close()]);
		await outbox.close();
		await expect(outbox.enqueue(makeEvent())).rejects.toThrow('closed');
	});
});

describe('WebhookOutbox contract misuse', () => {
	test('create() rejects a URL that is not absolute http or https, or that carries credentials', async () => {
		await expect(openOutbox({ journal: new MemoryJournal(), url: 'ftp://example.test/' })).rejects.toThrow(TypeError);
		await expect(openOutbox({ journal: new MemoryJournal(), url: '/relative' })).rejects.toThrow(TypeError);
		await expect(openOutbox({ journal: new MemoryJournal(), url: 'https://user:pass@example.test/' })).rejects.toThrow(TypeError);
	});

	test('create() rejects a URL without a secret', async () => {
		await expect(openOutbox({ journal: new MemoryJournal(), url: 'http://127.0.0.1:9/', secret: '' })).rejects.toThrow(TypeError);
	});

	test('enqueue() rejects a malformed event with TypeError and journals nothing', async () => {
		const journal = new MemoryJournal();
		const outbox = await openOutbox({ journal });
		await expect(outbox.enqueue(makeEvent({ eventId: '' }))).rejects.toThrow(TypeError);
		await expect(outbox.enqueue(makeEvent({ occurredAt: 'yesterday' }))).rejects.toThrow(TypeError);
		expect(journal.records).toHaveLength(0);
	});
});

describe('parseRetryAfter()', () => {
	test('reads delta seconds and HTTP dates, and ignores what it cannot read', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('120', now)).toBe(120_000);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(null, now)).toBeUndefined();
	});
});
