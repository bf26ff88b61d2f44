import { afterEach, describe, expect, test, vi } from 'vitest';
import { SIGNATURE_HEADER, verifySignature } from './signature.ts';
import {
	capturingLogger,
	closeOpened,
	fastRetry,
	freePort,
	MemoryJournal,
	makeEvent,
	openOutbox,
	secret,
	settled,
	startReceiver,
} from './testSupport.ts';
import { WEBHOOK_RECORD } from './webhookAttempt.ts';

afterEach(closeOpened);

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
		expect(await outbox.countPending()).toBe(1);
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
		expect(await restarted.countPending()).toBe(0);
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
