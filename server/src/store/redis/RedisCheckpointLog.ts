// The Redis CheckpointLog: one sorted set, `journal:checkpoints`, each member a checkpoint's JSON
// scored by its journal length, so the one covering a record is one ZRANGE BYSCORE away. Several
// processes may sign the same head at once; both checkpoints are true, and they are kept both.
import { type CheckpointLog, parseStoredCheckpoint, type StoredCheckpoint } from '../CheckpointLog.ts';
import { JournalCorruptError } from '../chain.ts';
import { assertKeyPrefix } from './keyPrefix.ts';
import { type RedisConnection, type RedisStoreOptions, storeConnection } from './RedisConnection.ts';

const PAGE_SIZE = 256;

export class RedisCheckpointLog implements CheckpointLog {
	readonly connection: RedisConnection;
	readonly #ownsConnection: boolean;
	readonly #key: string;
	#closing: Promise<void> | undefined;

	/** Opens without waiting for Redis, as the journal does. */
	static async open(options: RedisStoreOptions): Promise<RedisCheckpointLog> {
		assertKeyPrefix(options.keyPrefix);
		const { connection, owns } = storeConnection(options, 'vidverify-checkpoints');
		return new RedisCheckpointLog(connection, owns, options.keyPrefix);
	}

	private constructor(connection: RedisConnection, ownsConnection: boolean, keyPrefix: string) {
		this.connection = connection;
		this.#ownsConnection = ownsConnection;
		this.#key = `${keyPrefix}journal:checkpoints`;
	}

	async append(checkpoint: StoredCheckpoint): Promise<void> {
		await this.connection.run((client) => client.zadd(this.#key, checkpoint.length, JSON.stringify(checkpoint)));
	}

	async latest(): Promise<StoredCheckpoint | undefined> {
		const [member] = await this.connection.run((client) =>
			client.zrange(this.#key, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, 1),
		);
		return member === undefined ? undefined : this.#parse(member);
	}

	async firstCovering(length: number): Promise<StoredCheckpoint | undefined> {
		const [member] = await this.connection.run((client) => client.zrange(this.#key, length, '+inf', 'BYSCORE', 'LIMIT', 0, 1));
		return member === undefined ? undefined : this.#parse(member);
	}

	async *readAll(): AsyncGenerator<StoredCheckpoint> {
		for (let offset = 0; ; offset += PAGE_SIZE) {
			const page = await this.connection.run((client) =>
				client.zrange(this.#key, String(offset), String(offset + PAGE_SIZE - 1)),
			);
			for (const member of page) yield this.#parse(member);
			if (page.length < PAGE_SIZE) return;
		}
	}

	close(): Promise<void> {
		this.#closing ??= this.#ownsConnection ? this.connection.close() : Promise.resolve();
		return this.#closing;
	}

	#parse(member: string): StoredCheckpoint {
		let value: unknown;
		try {
			value = JSON.parse(member);
		} catch {
			value = undefined;
		}
		const checkpoint = parseStoredCheckpoint(value);
		if (checkpoint === undefined) {
			throw new JournalCorruptError(
				`redis checkpoints ${this.#key}`,
				null,
				0,
				`a member is not a checkpoint: ${member.slice(0, 80)}`,
			);
		}
		return checkpoint;
	}
}
