// One connection to Redis as the Redis stores use it: it reconnects by itself with capped backoff, says
// whether it is ready (for the readiness probe), and turns every way Redis can fail a request into a
// prompt StoreUnavailableError. Requests are never queued while Redis is away: a request either goes
// out on a ready connection or fails at once, so a Redis outage shows up as failed requests, never as
// requests piling up in memory and running minutes later when nobody waits for them any more.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import { StoreUnavailableError } from './StoreUnavailableError.ts';

export type RedisConnectionOptions = {
	/** redis:// or rediss:// URL, with credentials and database number when needed. */
	url: string;
	logger: Logger;
	/** Shown by CLIENT LIST, to tell the processes' connections apart. */
	name?: string;
	/**
	 * A request left unanswered this long breaks the connection, failing it and those sent with it: what
	 * a stalled Redis or a network partition (no reset, just silence) would otherwise make wait for
	 * minutes. Default 5000 ms.
	 */
	stallTimeoutMs?: number;
	/** How long one connection attempt may take, for a host that drops packets. Default 5000 ms. */
	connectTimeoutMs?: number;
	/** The cap of the reconnection backoff. Default 2000 ms. */
	maxReconnectDelayMs?: number;
};

export type RedisConnectionEvents = {
	/** Connected (again) and ready for requests. */
	ready: [];
	/** Was ready, or was starting, and is not now; requests fail until `ready`. */
	unavailable: [cause: Error | undefined];
};

/** Replies by which Redis refuses a request it did not carry out: out of memory, a failing disk, a replica... */
const REFUSAL_PREFIXES = ['OOM', 'MISCONF', 'READONLY', 'LOADING', 'BUSY', 'MASTERDOWN', 'NOREPLICAS'];

export class RedisConnection extends EventEmitter<RedisConnectionEvents> {
	/** The ioredis client; send requests through run() so failures come out as StoreUnavailableError. */
	readonly client: Redis;
	readonly #logger: Logger;
	#everUp = false;
	#reportedDown = false;
	#lastError: Error | undefined;
	#attempt: Promise<void> | undefined;
	#closing: Promise<void> | undefined;

	constructor(options: RedisConnectionOptions) {
		super();
		const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2000;
		this.#logger = options.logger.child({ component: 'redis', connection: options.name });
		this.client = new Redis(options.url, {
			connectionName: options.name,
			connectTimeout: options.connectTimeoutMs ?? 5000,
			socketTimeout: options.stallTimeoutMs ?? 5000,
			// Never give up: the service stays up and not-ready until Redis is back.
			retryStrategy: (attempt) =>
				Math.min(maxReconnectDelayMs, 50 * 2 ** Math.min(attempt, 10)) + Math.floor(Math.random() * 100),
			// Fail requests at once while disconnected, and fail (never replay) the ones in flight when the
			// connection breaks: a replayed script could apply a change twice.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			autoResendUnfulfilledCommands: false,
		});
		this.client.on('ready', () => {
			const again = this.#everUp;
			this.#everUp = true;
			this.#reportedDown = false;
			this.#lastError = undefined;
			this.#logger.info(again ? 'redis: reconnected' : 'redis: connected');
			this.emit('ready');
		});
		this.client.on('error', (error: Error) => {
			this.#lastError = error;
			this.#logger.debug({ err: error }, 'redis: connection error');
		});
		this.client.on('close', () => this.#down());
		this.client.on('end', () => this.#down());
	}

	/** True while requests can be sent: for the readiness probe. */
	get ready(): boolean {
		return this.#closing === undefined && this.client.status === 'ready';
	}

	/** Resolves when the connection is (or next becomes) ready; rejects once it is closed. */
	whenReady(): Promise<void> {
		if (this.ready) return Promise.resolve();
		if (this.#closing !== undefined) return Promise.reject(closedError());
		return new Promise((resolve, reject) => {
			const onReady = () => {
				this.client.off('end', onEnd);
				resolve();
			};
			const onEnd = () => {
				this.client.off('ready', onReady);
				reject(closedError());
			};
			this.client.once('ready', onReady);
			this.client.once('end', onEnd);
		});
	}

	/**
	 * Runs one request (one command, or several sent together) on the client. Rejects with
	 * StoreUnavailableError when Redis is unreachable or the connection breaks; errors Redis answers for
	 * other reasons (a bug, a wrong key type) come out as they are.
	 */
	async run<T>(request: (client: Redis) => Promise<T>): Promise<T> {
		await this.#usable();
		try {
			return await request(this.client);
		} catch (error) {
			throw classify(error);
		}
	}

	/** Quits the connection and stops reconnecting; idempotent. */
	close(): Promise<void> {
		this.#closing ??= this.#close();
		return this.#closing;
	}

	async #close(): Promise<void> {
		if (this.client.status === 'ready') {
			await this.client.quit().catch(() => undefined);
		}
		this.client.disconnect();
	}

	/**
	 * A request may wait for a connection attempt under way (at start-up the first request usually
	 * comes before the handshake has finished), never for a reconnection delay.
	 */
	async #usable(): Promise<void> {
		if (this.#closing !== undefined) throw closedError();
		const status = this.client.status;
		if (status === 'ready') return;
		if (status === 'wait' || status === 'connecting' || status === 'connect') {
			this.#attempt ??= new Promise<void>((resolve) => {
				const settled = () => {
					this.client.off('ready', settled);
					this.client.off('close', settled);
					this.client.off('end', settled);
					this.#attempt = undefined;
					resolve();
				};
				this.client.on('ready', settled);
				this.client.on('close', settled);
				this.client.on('end', settled);
			});
			await this.#attempt;
			if (this.client.status === 'ready') return;
		}
		throw StoreUnavailableError.unreachable(this.#lastError);
	}

	#down(): void {
		if (this.#closing !== undefined || this.#reportedDown) return;
		// Reported once per outage (and once for a Redis that is away at start-up), not per attempt.
		this.#reportedDown = true;
		this.#logger.warn({ err: this.#lastError }, 'redis: unavailable; requests fail until it is back');
		this.emit('unavailable', this.#lastError);
	}
}

function closedError(): StoreUnavailableError {
	return StoreUnavailableError.unreachable(new Error('the Redis connection was closed by this process'));
}

function classify(error: unknown): unknown {
	if (!(error instanceof Error) || error instanceof StoreUnavailableError) return error;
	if (error.name === 'ReplyError') {
		return REFUSAL_PREFIXES.some((prefix) => error.message.startsWith(prefix)) ? StoreUnavailableError.refused(error) : error;
	}
	if (error.message.startsWith("Stream isn't writeable") || error.message === 'Connection is closed.') {
		return StoreUnavailableError.unreachable(error);
	}
	// Aborted by a broken connection or a stall: it was sent, and may have been carried out.
	return StoreUnavailableError.lost(error);
}

/** How a Redis store gets its connection: one shared with other stores, or one of its own. */
export type RedisStoreOptions = (
	| {
			/** A connection shared with other stores of this process; the store does not close it. */
			connection: RedisConnection;
	  }
	| {
			/** Opens a connection of the store's own, closed with it. */
			url: string;
	  }
) & {
	/** Prefix of every key, one per deployment sharing a Redis: 'vv:'. */
	keyPrefix: string;
	logger: Logger;
};

/** The store's connection, and whether the store owns it (and so closes it). */
export function storeConnection(options: RedisStoreOptions, name: string): { connection: RedisConnection; owns: boolean } {
	if ('connection' in options) return { connection: options.connection, owns: false };
	return {
		connection: new RedisConnection({ url: options.url, logger: options.logger, name: `${name}-${process.pid}` }),
		owns: true,
	};
}
