// The Redis store mode, for several processes: journal, the keys its personal fields are sealed
// under, live state, webhook outbox and socket.io's rooms are shared through one Redis. Nothing here waits for Redis: the process starts while it is
// away, and the stores answer (and the outbox replays) once it is reachable.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { redisLimiter } from '../../limits/SharedLimiter.ts';
import type { Logger } from '../../logger.ts';
import { Sealer, sealingJournal } from '../../privacy/Sealer.ts';
import { WebhookOutbox } from '../../webhooks/WebhookOutbox.ts';
import { observeAppends } from '../Journal.ts';
import type { Stores, WebhookSettings } from '../Stores.ts';
import { RedisCheckpointLog } from './RedisCheckpointLog.ts';
import { RedisConnection } from './RedisConnection.ts';
import { RedisJournal } from './RedisJournal.ts';
import { RedisKeyStore } from './RedisKeyStore.ts';
import { RedisLiveState } from './RedisLiveState.ts';

export async function openRedisStores(options: {
	url: string;
	keyPrefix: string;
	webhook: WebhookSettings;
	logger: Logger;
	/** Told the duration of every append (metrics). */
	observeAppend?: (seconds: number, ok: boolean) => void;
}): Promise<Stores> {
	const { url, keyPrefix, webhook, logger } = options;
	const connection = new RedisConnection({ url, logger, name: `vidverify-${process.pid}` });
	try {
		const opened = await RedisJournal.open({ connection, keyPrefix, logger });
		const observed = options.observeAppend ? observeAppends(opened, options.observeAppend) : opened;
		const keys = await RedisKeyStore.open({ connection, keyPrefix, logger });
		const sealer = new Sealer({ keys, stored: opened, logger: logger.child({ component: 'sealer' }) });
		const journal = sealingJournal(observed, sealer);
		const liveState = await RedisLiveState.open({ connection, keyPrefix, logger });
		const checkpoints = await RedisCheckpointLog.open({ connection, keyPrefix, logger });
		const whenReady = () => connection.whenReady();
		const outbox = WebhookOutbox.open({ ...webhook, journal, live: liveState, logger, storeReady: whenReady });
		// Its own client: the adapter waits in blocking reads, and it keeps its commands while Redis is
		// away (maxRetriesPerRequest null) so that the stream is read on from where it stopped.
		const adapterClient = new Redis(url, { connectionName: `vidverify-adapter-${process.pid}`, maxRetriesPerRequest: null });
		adapterClient.on('error', (error: Error) => logger.debug({ err: error }, 'socket.io adapter: redis connection error'));
		const adapter = createAdapter(adapterClient, {
			streamName: `${keyPrefix}socket.io`,
			channelPrefix: `${keyPrefix}socket.io`,
			sessionKeyPrefix: `${keyPrefix}socket.io:session:`,
			blockTimeInMs: 2000,
		});
		let closing: Promise<void> | undefined;
		return {
			journal,
			provable: opened,
			sealer,
			checkpoints,
			liveState,
			outbox,
			shared: {
				get ready() {
					return connection.ready;
				},
				whenReady,
				adapter,
			},
			limiter: (name, budget) => redisLimiter(connection.client, keyPrefix, name, budget),
			close: () => {
				closing ??= (async () => {
					await outbox.close();
					await checkpoints.close();
					await journal.close();
					await keys.close();
					await liveState.close();
					await connection.close();
					adapterClient.disconnect();
				})();
				return closing;
			},
		};
	} catch (error) {
		// The stores opened so far use the connection and own nothing else.
		await connection.close();
		throw error;
	}
}
