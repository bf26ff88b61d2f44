// The Redis KeyStore: one hash per verification, `keys:<verificationId>`, a field per kind holding the
// key (base64) or, once destroyed, the tombstone "destroyed". Making a key is one script (HSETNX, then
// read back), so two processes sealing for the same verification at once share one key and neither
// brings a destroyed one back. Redis keeps an overwritten value in its append-only file until the file
// is rewritten (BGREWRITEAOF, or Redis' own auto-rewrite): see the README's privacy section.
import { randomBytes } from 'node:crypto';
import { KEY_BYTES, type KeyDestruction, type KeyKind, type KeyStore } from '../KeyStore.ts';
import { assertKeyPrefix } from './keyPrefix.ts';
import { LuaScript } from './LuaScript.ts';
import { type RedisConnection, type RedisStoreOptions, storeConnection } from './RedisConnection.ts';

const DESTROYED = 'destroyed';

const OBTAIN = new LuaScript(
	'obtainKey',
	`redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGET', KEYS[1], ARGV[1])`,
);

export class RedisKeyStore implements KeyStore {
	readonly connection: RedisConnection;
	readonly #ownsConnection: boolean;
	readonly #prefix: string;
	#closing: Promise<void> | undefined;

	static async open(options: RedisStoreOptions): Promise<RedisKeyStore> {
		assertKeyPrefix(options.keyPrefix);
		const { connection, owns } = storeConnection(options, 'vidverify-keys');
		return new RedisKeyStore(connection, owns, options.keyPrefix);
	}

	private constructor(connection: RedisConnection, ownsConnection: boolean, keyPrefix: string) {
		this.connection = connection;
		this.#ownsConnection = ownsConnection;
		this.#prefix = keyPrefix;
	}

	async obtain(verificationId: string, kind: KeyKind): Promise<Buffer | undefined> {
		const fresh = randomBytes(KEY_BYTES).toString('base64');
		const stored = await this.connection.run((client) => OBTAIN.run(client, [this.#key(verificationId)], [kind, fresh]));
		return toKey(stored);
	}

	async find(verificationId: string, kind: KeyKind): Promise<Buffer | undefined> {
		return toKey(await this.connection.run((client) => client.hget(this.#key(verificationId), kind)));
	}

	async destroyed(verificationId: string, kind: KeyKind): Promise<boolean> {
		return (await this.connection.run((client) => client.hget(this.#key(verificationId), kind))) === DESTROYED;
	}

	async destroy(destructions: readonly KeyDestruction[]): Promise<void> {
		if (destructions.every(({ kinds }) => kinds.length === 0)) return;
		await this.connection.run(async (client) => {
			const batch = client.multi();
			for (const { verificationId, kinds } of destructions) {
				if (kinds.length === 0) continue;
				batch.hset(this.#key(verificationId), Object.fromEntries(kinds.map((kind) => [kind, DESTROYED])));
			}
			const answers = await batch.exec();
			const failed = answers?.find(([error]) => error);
			if (!answers || failed) throw failed?.[0] ?? new Error('redis: the key destruction was not run');
		});
	}

	close(): Promise<void> {
		this.#closing ??= this.#ownsConnection ? this.connection.close() : Promise.resolve();
		return this.#closing;
	}

	#key(verificationId: string): string {
		return `${this.#prefix}keys:${verificationId}`;
	}
}

function toKey(stored: unknown): Buffer | undefined {
	if (typeof stored !== 'string' || stored === DESTROYED) return undefined;
	const key = Buffer.from(stored, 'base64');
	return key.length === KEY_BYTES ? key : undefined;
}
