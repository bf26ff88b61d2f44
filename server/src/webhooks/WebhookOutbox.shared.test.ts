// The outbox of Redis mode: processes sharing one Redis journal and live state, each with its own
// outbox (opened with open()), as the server processes of one deployment.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, inject, test, vi } from 'vitest';
import { RedisConnection } from '../store/redis/RedisConnection.ts';
import { RedisJournal } from '../store/redis/RedisJournal.ts';
import { RedisLiveState } from '../store/redis/RedisLiveState.ts';
import { deleteKeys, silentLogger, uniqueKeyPrefix } from '../store/redis/testSupport.ts';
import { closeAfterTest, closeOpened, fastRetry, makeEvent, secret, startReceiver } from './testSupport.ts';
import { WebhookOutbox } from './WebhookOutbox.ts';
import { WEBHOOK_RECORD } from './webhookAttempt.ts';

const redisUrl = inject('redisUrl');
let keyPrefix: string;

beforeEach(() => {
	keyPrefix = uniqueKeyPrefix('webhooks');
});

afterEach(async () => {
	await closeOpened();
	await deleteKeys(redisUrl, keyPrefix);
});

/** A store this process cannot reach while `away` says so, as when Redis goes away under it alone. */
type Reach = { away: boolean };

function unreachableWhileAway<T extends object>(store: T, reach: Reach): T {
	return new Proxy(store, {
		get(target, property) {
			const value = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) =>
				reach.away ? Promise.reject(new Error('Connection is closed.')) : value.apply(target, args);
		},
	});
}

/** One process's stores and outbox, on its own connection to the test Redis. */
async function openProcess(
	url: string | undefined,
	reach: Reach = { away: false },
): Promise<{ journal: RedisJournal; outbox: WebhookOutbox }> {
	const connection = closeAfterTest(new RedisConnection({ url: redisUrl, logger: silentLogger, name: 'webhooks-test' }));
	const journal = await RedisJournal.open({ connection, keyPrefix, logger: silentLogger });
	const live = await RedisLiveState.open({ connection, keyPrefix, logger: silentLogger });
	const outbox = closeAfterTest(
		WebhookOutbox.open({
			journal: unreachableWhileAway(journal, reach),
			live: unreachableWhileAway(live, reach),
			url,
			secret,
			logger: silentLogger,
			retry: fastRetry,
			pollIntervalMs: 50,
			storeReady: () => connection.whenReady(),
		}),
	);
	await outbox.whenStarted();
	return { journal, outbox };
}

async function webhookRecords(journal: RedisJournal, verificationId: string) {
	return (await journal.readVerification(verificationId)).filter((record) => record.type.startsWith('webhook.'));
}

describe('WebhookOutbox shared by processes through Redis', () => {
	test('an event enqueued by two processes is journaled once and delivered once, however many processes sweep', async () => {
		const receiver = await startReceiver(() => ({ status: 204 }));
		const first = await openProcess(receiver.url);
		const second = await openProcess(receiver.url);
		const third = await openProcess(receiver.url);
		const event = makeEvent();

		await first.outbox.enqueue(event);
		await second.outbox.enqueue(event);
		await vi.waitFor(async () => expect(await third.outbox.countPending()).toBe(0), { timeout: 10_000, interval: 10 });
		// Every process sweeps each 50 ms: a few sweeps later there is still one delivery.
		await sleep(300);

		expect(receiver.requests).toHaveLength(1);
		expect((await webhookRecords(third.journal, event.verificationId)).map((record) => record.type)).toEqual([
			WEBHOOK_RECORD.enqueued,
			WEBHOOK_RECORD.delivered,
		]);
	});

	test('an attempt cut short by a process closing is made by another process, counting on from its attempts', async () => {
		const receiver = await startReceiver((_, index) => (index === 0 ? 'hang' : { status: 200 }));
		const leaving = await openProcess(receiver.url);
		const staying = await openProcess(undefined);
		const event = makeEvent();

		await leaving.outbox.enqueue(event);
		await receiver.waitForRequests(1);
		await leaving.outbox.close();
		expect(await staying.outbox.countPending()).toBe(1);
		const taking = await openProcess(receiver.url);
		await vi.waitFor(async () => expect(await taking.outbox.countPending()).toBe(0), { timeout: 10_000, interval: 10 });

		expect(receiver.requests).toHaveLength(2);
		expect((await webhookRecords(taking.journal, event.verificationId)).at(-1)?.data).toEqual({
			eventId: event.eventId,
			attempt: 2,
			status: 200,
		});
	});

	test('an enqueue cut short after its journal record is not journaled again when repeated, and is delivered once, with no restart', async () => {
		const receiver = await startReceiver(() => ({ status: 204 }));
		const running = await openProcess(receiver.url);
		const event = makeEvent();
		// What an enqueue leaves when Redis goes away between the journal record and the delivery record.
		await running.journal.append({ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: { ...event } });

		await running.outbox.enqueue(event);
		await vi.waitFor(async () => expect(await running.outbox.countPending()).toBe(0), { timeout: 10_000, interval: 10 });
		await running.outbox.enqueue(event);

		expect(receiver.requests).toHaveLength(1);
		expect((await webhookRecords(running.journal, event.verificationId)).map((record) => record.type)).toEqual([
			WEBHOOK_RECORD.enqueued,
			WEBHOOK_RECORD.delivered,
		]);
	});

	test('a delivery whose store went away before it was recorded is recorded once the store is back, not sent again', async () => {
		const reach = { away: false };
		// Redis goes away for the sender the moment the host has the event, before the sender records it.
		const receiver = await startReceiver(() => {
			reach.away = true;
			return { status: 204 };
		});
		const sender = await openProcess(receiver.url, reach);
		const other = await openProcess(receiver.url);
		const event = makeEvent();

		await sender.outbox.enqueue(event);
		await receiver.waitForRequests(1);
		// The other process sweeps meanwhile; the sender's claim, which it could not release, keeps it off.
		await sleep(300);
		reach.away = false;
		await vi.waitFor(async () => expect(await other.outbox.countPending()).toBe(0), { timeout: 10_000, interval: 10 });
		await sleep(300);

		expect(receiver.requests).toHaveLength(1);
		expect((await webhookRecords(other.journal, event.verificationId)).map((record) => record.type)).toEqual([
			WEBHOOK_RECORD.enqueued,
			WEBHOOK_RECORD.delivered,
		]);
	});

	test('an event the journal says was delivered is not sent again when enqueued where no delivery record is left', async () => {
		const receiver = await startReceiver(() => ({ status: 204 }));
		const running = await openProcess(receiver.url);
		const event = makeEvent();
		await running.journal.append({ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: { ...event } });
		await running.journal.append({
			type: WEBHOOK_RECORD.delivered,
			verificationId: event.verificationId,
			data: { eventId: event.eventId, attempt: 1, status: 204 },
		});

		await running.outbox.enqueue(event);

		expect(await running.outbox.countPending()).toBe(0);
		expect(receiver.requests).toHaveLength(0);
		expect(await webhookRecords(running.journal, event.verificationId)).toHaveLength(2);
	});

	test('an event journaled by a process that died before it reached the live state is restored by the next start', async () => {
		const receiver = await startReceiver(() => ({ status: 200 }));
		const crashed = await openProcess(undefined);
		const event = makeEvent();
		await crashed.journal.append({ type: WEBHOOK_RECORD.enqueued, verificationId: event.verificationId, data: { ...event } });

		const next = await openProcess(receiver.url);
		await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 10_000, interval: 10 });

		expect(receiver.requests[0]?.headers['vidverify-event-id']).toBe(event.eventId);
		await vi.waitFor(async () => expect(await next.outbox.countPending()).toBe(0));
	});
});
