import type { LiveState, RangeOptions, SortedSetEffects, SortedSetMember, Versioned } from '../LiveState.ts';
import { assertKeyPrefix } from './keyPrefix.ts';
import { type RedisConnection, type RedisStoreOptions, storeConnection } from './RedisConnection.ts';
import { applySetEffects, createRecord, rangeMembers, updateRecord } from './scripts.ts';

export type RedisLiveStateOptions = RedisStoreOptions;

export class RedisLiveState implements LiveState {
	readonly connection: RedisConnection;
	readonly #ownsConnection: boolean;
	readonly #recordPrefix: string;
	readonly #expiringPrefix: string;
	readonly #setPrefix: string;
	#closing: Promise<void> | undefined;

	/** Opens the live state without waiting for Redis; requests fail with StoreUnavailableError until it is ready. */
	static async open(options: RedisLiveStateOptions): Promise<RedisLiveState> {
		assertKeyPrefix(options.keyPrefix);
		const { connection, owns } = storeConnection(options, 'vidverify-live');
		return new RedisLiveState(connection, owns, options.keyPrefix);
	}

	private constructor(connection: RedisConnection, ownsConnection: boolean, keyPrefix: string) {
		this.connection = connection;
		this.#ownsConnection = ownsConnection;
		this.#recordPrefix = `${keyPrefix}live:record:`;
		this.#expiringPrefix = `${keyPrefix}live:expiring:`;
		this.#setPrefix = `${keyPrefix}live:set:`;
	}

	/** Whether Redis is reachable now: for the readiness probe. */
	get ready(): boolean {
		return this.connection.ready;
	}

	async get<T>(key: string): Promise<Versioned<T> | undefined> {
		const [version, value] = await this.connection.run((client) => client.hmget(this.#recordPrefix + key, 'version', 'value'));
		if (version === null || version === undefined || value === null || value === undefined) return undefined;
		return { value: JSON.parse(value) as T, version: Number(version) };
	}

	async versionOf(key: string): Promise<number | undefined> {
		const version = await this.connection.run((client) => client.hget(this.#recordPrefix + key, 'version'));
		return version === null || version === undefined ? undefined : Number(version);
	}

	async create<T>(key: string, value: T, effects?: SortedSetEffects): Promise<boolean> {
		const json = toJson(value);
		const { keys, args } = this.#effects(effects);
		const created = await this.connection.run((client) =>
			createRecord.run(client, [this.#recordPrefix + key, ...keys], [json, ...args]),
		);
		return created === 1;
	}

	async update<T>(key: string, expectedVersion: number, next: T, effects?: SortedSetEffects): Promise<boolean> {
		const json = toJson(next);
		const { keys, args } = this.#effects(effects);
		const updated = await this.connection.run((client) =>
			updateRecord.run(client, [this.#recordPrefix + key, ...keys], [json, String(expectedVersion), ...args]),
		);
		return updated === 1;
	}

	async applyEffects(effects: SortedSetEffects): Promise<void> {
		const { keys, args } = this.#effects(effects);
		if (keys.length === 0) return;
		await this.connection.run((client) => applySetEffects.run(client, keys, args));
	}

	async claimOnce(key: string, ttlMs: number): Promise<boolean> {
		const ttl = toTtl(ttlMs);
		const reply = await this.connection.run((client) => client.set(this.#expiringPrefix + key, '1', 'PX', ttl, 'NX'));
		return reply === 'OK';
	}

	async setExpiring(key: string, value: string, ttlMs: number): Promise<void> {
		const ttl = toTtl(ttlMs);
		await this.connection.run((client) => client.set(this.#expiringPrefix + key, value, 'PX', ttl));
	}

	async getExpiring(key: string): Promise<string | undefined> {
		return (await this.connection.run((client) => client.get(this.#expiringPrefix + key))) ?? undefined;
	}

	async deleteExpiring(key: string): Promise<boolean> {
		return (await this.connection.run((client) => client.del(this.#expiringPrefix + key))) === 1;
	}

	async range(set: string, options: RangeOptions = {}): Promise<SortedSetMember[]> {
		const { minScore = Number.NEGATIVE_INFINITY, after, limit } = options;
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
			throw new TypeError(`range: limit ${limit} is not a count`);
		const args = [toScore(minScore), String(limit ?? -1)];
		if (after !== undefined) args.push(toScore(after.score), after.member);
		const reply = (await this.connection.run((client) => rangeMembers.run(client, [this.#setPrefix + set], args))) as string[];
		const members: SortedSetMember[] = [];
		for (let at = 0; at < reply.length; at += 2) {
			members.push({ member: reply[at] as string, score: fromScore(reply[at + 1] as string) });
		}
		return members;
	}

	async rank(set: string, member: string): Promise<number | undefined> {
		return (await this.connection.run((client) => client.zrank(this.#setPrefix + set, member))) ?? undefined;
	}

	async size(set: string): Promise<number> {
		return this.connection.run((client) => client.zcard(this.#setPrefix + set));
	}

	/** Releases the connection if the live state owns it; what it wrote stays in Redis for the other processes. */
	close(): Promise<void> {
		this.#closing ??= this.#ownsConnection ? this.connection.close() : Promise.resolve();
		return this.#closing;
	}

	/** The effects as the scripts take them (see APPLY_EFFECTS in scripts.ts). */
	#effects(effects: SortedSetEffects | undefined): { keys: string[]; args: string[] } {
		const adds = effects?.add ?? [];
		const removes = effects?.remove ?? [];
		return {
			keys: [...adds.map(({ set }) => this.#setPrefix + set), ...removes.map(({ set }) => this.#setPrefix + set)],
			args: [
				String(adds.length),
				...adds.flatMap(({ member, score }) => [toScore(score), member]),
				...removes.map(({ member }) => member),
			],
		};
	}
}

function toJson(value: unknown): string {
	const json: string | undefined = JSON.stringify(value);
	if (json === undefined) throw new TypeError('live state: a record value must be JSON-serialisable');
	return json;
}

/** Redis takes TTLs in whole milliseconds, at least 1. */
function toTtl(ttlMs: number): number {
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new TypeError(`live state: ttlMs ${ttlMs} is not a positive duration`);
	return Math.ceil(ttlMs);
}

/** A score as Redis parses it; String() of a double is its shortest exact form, so nothing is rounded. */
function toScore(score: number): string {
	if (Number.isNaN(score)) throw new TypeError('live state: a score must be a number, not NaN');
	if (score === Number.POSITIVE_INFINITY) return '+inf';
	if (score === Number.NEGATIVE_INFINITY) return '-inf';
	return String(score);
}

function fromScore(text: string): number {
	if (text === 'inf' || text === '+inf') return Number.POSITIVE_INFINITY;
	if (text === '-inf') return Number.NEGATIVE_INFINITY;
	return Number(text);
}
