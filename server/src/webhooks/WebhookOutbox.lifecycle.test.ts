// The outbox across its life: started without a URL, restarted on the same journal, closed mid-attempt.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import type { Journal, JournalRecord } from '../store/Journal.ts';
import {
	capturingLogger,
	closeAfterTest,
	closeOpened,
	fastRetry,
	freePort,
	MemoryJournal,
	makeEvent,
	openOutbox,
	settled,
	startReceiver,
} from './testSupport.ts';
import { WEBHOOK_RECORD } from './webhookAttempt.ts';

afterEach(closeOpened);

/** The embedded journal in a fresh folder; closing and reopening it is what a restart does. */
async function journalFile(): Promise<{
	open(): Promise<EmbeddedJournal>;
	webhookRecords(verificationId: string): Promise<JournalRecord[]>;
}> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vidverify-webhooks-'));
	closeAfterTest({ close: () => rm(dataDir, { recursive: true, force: true }) });
	return {
		async open() {
			const journal = await EmbeddedJournal.open({ dataDir, logger: pino({ level: 'silent' }) });
			return closeAfterTest(journal);
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
		expect(await outbox.countPending()).toBe(2);
		expect(entries().filter((entry) => entry.level === 40)).toHaveLength(1);
		await outbox.close();
		await journal.close();

		const receiver = await startReceiver(() => ({ status: 200 }));
		const configured = await openOutbox({ journal: await file.open(), url: receiver.url });
		expect(await configured.countPending()).toBe(2);
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
		expect(await second.countPending()).toBe(1);
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
		expect(await third.countPending()).toBe(0);
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
		expect(await outbox.countPending()).toBe(1);
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
