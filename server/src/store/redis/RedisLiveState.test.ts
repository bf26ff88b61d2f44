import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../../../test/redis.ts';
import type { LiveState, SortedSetEffects, SortedSetMember } from '../LiveState.ts';
import { describeLiveStateContract } from '../liveStateContract.ts';
import { MemoryLiveState } from '../memory/MemoryLiveState.ts';
import { RedisLiveState } from './RedisLiveState.ts';
import { StoreUnavailableError } from './StoreUnavailableError.ts';
import { deleteKeys, killRedis, rawClient, silentLogger, uniqueKeyPrefix } from './testSupport.ts';

const redisUrl = inject('redisUrl');

describeLiveStateContract('RedisLiveState', async () => {
	const keyPrefix = uniqueKeyPrefix('live-contract');
	return {
		open: () => RedisLiveState.open({ url: redisUrl, keyPrefix, logger: silentLogger }),
		cleanup: () => deleteKeys(redisUrl, keyPrefix),
	};
});

describe('RedisLiveState in Redis', () => {
	let keyPrefix: string;
	let raw: Redis;
	const opened: RedisLiveState[] = [];

	beforeEach(() => {
		keyPrefix = uniqueKeyPrefix('live');
		raw = rawClient(redisUrl);
	});

	afterEach(async () => {
		for (const state of opened.splice(0)) await state.close();
		await deleteKeys(redisUrl, keyPrefix);
		raw.disconnect();
	});

	async function open(): Promise<RedisLiveState> {
		const state = await RedisLiveState.open({ url: redisUrl, keyPrefix, logger: silentLogger });
		opened.push(state);
		return state;
	}

	it('keeps records as hashes {version, value}, expiring values as strings with a TTL, and sets as sorted sets', async () => {
		const state = await open();
		await state.create('verification:v1', { status: 'waiting' }, { add: [{ set: 'queue', member: 'v1', score: 7 }] });
		await state.setExpiring('presence:agent1', 'p1', 60_000);

		expect(await raw.hgetall(`${keyPrefix}live:record:verification:v1`)).toEqual({ version: '1', value: '{"status":"waiting"}' });
		expect(await raw.get(`${keyPrefix}live:expiring:presence:agent1`)).toBe('p1');
		const ttl = await raw.pttl(`${keyPrefix}live:expiring:presence:agent1`);
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(60_000);
		expect(await raw.zrange(`${keyPrefix}live:set:queue`, '0', '-1', 'WITHSCORES')).toEqual(['v1', '7']);
	});

	it('states on separate connections, as separate processes, racing to update one version: exactly one wins, every round', async () => {
		const states = await Promise.all(Array.from({ length: 6 }, () => open()));
		for (let round = 0; round < 20; round += 1) {
			const key = `verification:${round}`;
			await states[0]?.create(key, { acceptedBy: null });

			const attempts = states.flatMap((state, process) =>
				Array.from({ length: 4 }, (_, attempt) => {
					const agent = `agent-${process}-${attempt}`;
					return state
						.update(key, 1, { acceptedBy: agent }, { add: [{ set: `accepted:${round}`, member: agent, score: round }] })
						.then((won) => ({ agent, won }));
				}),
			);
			const winners = (await Promise.all(attempts)).filter((attempt) => attempt.won).map((attempt) => attempt.agent);

			expect(winners, `round ${round}`).toHaveLength(1);
			expect(await states[5]?.get(key)).toEqual({ value: { acceptedBy: winners[0] }, version: 2 });
			expect(await states[3]?.range(`accepted:${round}`)).toEqual([{ member: winners[0], score: round }]);
		}
	});

	it('states on separate connections racing to create one key or claim one token: exactly one succeeds', async () => {
		const states = await Promise.all(Array.from({ length: 6 }, () => open()));
		for (let round = 0; round < 20; round += 1) {
			const created = await Promise.all(states.map((state, process) => state.create(`invitation:${round}`, { by: process })));
			const claimed = await Promise.all(
				states.flatMap((state) => [state.claimOnce(`jti:${round}`, 60_000), state.claimOnce(`jti:${round}`, 60_000)]),
			);

			expect(created.filter(Boolean), `round ${round}`).toHaveLength(1);
			expect(claimed.filter(Boolean), `round ${round}`).toHaveLength(1);
		}
	});

	it('range() pages through many members tied on one score, in the byte order Redis keeps, without skipping or repeating', async () => {
		const state = await open();
		const members = Array.from({ length: 300 }, (_, index) => `m${String(index).padStart(3, '0')}`);
		await state.create('r', {}, { add: members.map((member) => ({ set: 'tied', member, score: 1 })) });
		await state.update(
			'r',
			1,
			{},
			{
				add: [
					{ set: 'tied', member: 'before', score: 0 },
					{ set: 'tied', member: 'after', score: 2 },
				],
			},
		);

		const seen: SortedSetMember[] = [];
		for (let page = await state.range('tied', { limit: 7 }); page.length > 0; ) {
			seen.push(...page);
			// A cursor that fails to move on would page forever; more members than there are is already wrong.
			if (seen.length > members.length + 2) break;
			page = await state.range('tied', { limit: 7, after: page.at(-1) });
		}

		expect(seen.map((entry) => entry.member)).toEqual(['before', ...members, 'after']);
		expect(await state.range('tied', { minScore: 1, after: { member: 'm298', score: 1 } })).toEqual([
			{ member: 'm299', score: 1 },
			{ member: 'after', score: 2 },
		]);
		expect(await state.range('tied', { after: { member: 'gone', score: 1.5 }, limit: 1 })).toEqual([
			{ member: 'after', score: 2 },
		]);
	});

	it('answers as MemoryLiveState does across a long random sequence of operations', async () => {
		const redis = await open();
		const memory = new MemoryLiveState();
		const random = seededRandom(20_260_101);
		const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
		const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
		const sets = ['queue', 'index'];
		const members = ['v1', 'v2', 'v10', 'V1', 'é', '中', 'v1 ', ''];
		const scores = [0, 1, 1, 2.5, -3, 1e21, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1 + 0.2];
		const effects = (): SortedSetEffects => ({
			add: Array.from({ length: Math.floor(random() * 3) }, () => ({
				set: pick(sets),
				member: pick(members),
				score: pick(scores),
			})),
			remove: Array.from({ length: Math.floor(random() * 2) }, () => ({ set: pick(sets), member: pick(members) })),
		});
		const operations: ((state: LiveState) => Promise<unknown>)[] = [];
		for (let step = 0; step < 600; step += 1) {
			const key = pick(keys);
			const set = pick(sets);
			const value = { step, nested: { list: [step, 'x'] } };
			const chosen = pick([
				() => (state: LiveState) => state.get(key),
				() => {
					const fx = effects();
					return (state: LiveState) => state.create(key, value, fx);
				},
				() => {
					// Mostly at the current version, so that updates win often enough to exercise their effects.
					const stale = random() < 0.3;
					const fx = effects();
					return async (state: LiveState) => {
						const version = (await state.get(key))?.version ?? 1;
						return state.update(key, stale ? version - 1 : version, value, fx);
					};
				},
				() => {
					const options = {
						...(random() < 0.5 ? { minScore: pick(scores) } : {}),
						...(random() < 0.5 ? { after: { member: pick(members), score: pick(scores) } } : {}),
						...(random() < 0.5 ? { limit: pick([0, 1, 2, 5]) } : {}),
					};
					return (state: LiveState) => state.range(set, options);
				},
				() => {
					const member = pick(members);
					return (state: LiveState) => state.rank(set, member);
				},
				() => (state: LiveState) => state.size(set),
			]);
			operations.push(chosen());
		}

		for (const [step, operation] of operations.entries()) {
			expect(await operation(redis), `step ${step}: ${operation.toString()}`).toEqual(await operation(memory));
		}
		await memory.close();
	});

	it('refuses values and durations Redis could not keep faithfully, with a TypeError', async () => {
		const state = await open();
		await expect(state.create('r', undefined)).rejects.toThrow(TypeError);
		await expect(state.claimOnce('c', 0)).rejects.toThrow(TypeError);
		await expect(state.setExpiring('e', 'x', Number.NaN)).rejects.toThrow(TypeError);
		await expect(state.create('r', {}, { add: [{ set: 's', member: 'm', score: Number.NaN }] })).rejects.toThrow(TypeError);
		await expect(state.range('s', { limit: -1 })).rejects.toThrow(TypeError);
	});
});

describe('RedisLiveState when Redis goes away', () => {
	let dir: string;
	let redis: TestRedis | undefined;
	let state: RedisLiveState | undefined;

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-redis-live-'));
	});

	afterEach(async () => {
		await state?.close();
		await redis?.stop();
		state = undefined;
		redis = undefined;
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('fails requests with StoreUnavailableError and reports not ready while Redis is down, then serves the same data once it is back', async () => {
		const port = await freePort();
		redis = await startRedis({ dir, port });
		state = await RedisLiveState.open({ url: redis.url, keyPrefix: 'vv:', logger: silentLogger });
		await state.create('verification:v1', { status: 'in_call' }, { add: [{ set: 'queue', member: 'v1', score: 1 }] });
		await state.update('verification:v1', 1, { status: 'decided' }, { remove: [{ set: 'queue', member: 'v1' }] });
		expect(await state.claimOnce('challenge:c1', 600_000)).toBe(true);
		expect(state.ready).toBe(true);

		const wentAway = new Promise((resolve) => state?.connection.once('unavailable', resolve));
		await killRedis(redis.url);
		await wentAway;

		expect(state.ready).toBe(false);
		await expect(state.get('verification:v1')).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(state.update('verification:v1', 2, { status: 'x' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });

		redis = await startRedis({ dir, port });
		await state.connection.whenReady();
		expect(state.ready).toBe(true);
		expect(await state.get('verification:v1')).toEqual({ value: { status: 'decided' }, version: 2 });
		expect(await state.size('queue')).toBe(0);
		expect(await state.claimOnce('challenge:c1', 600_000)).toBe(false);
	});
});

/** A small deterministic generator (mulberry32), so a failing sequence can be replayed. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
