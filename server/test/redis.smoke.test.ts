import { Redis } from 'ioredis';
import { afterAll, expect, inject, test } from 'vitest';

const redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(() => redis.quit());

test('ioredis talks to the real redis-server started for the suite', async () => {
	await redis.connect();
	const key = `smoke:${process.pid}:${Date.now()}`;
	await redis.set(key, 'hello', 'PX', 10_000);
	expect(await redis.get(key)).toBe('hello');
	expect(await redis.pttl(key)).toBeGreaterThan(0);
	const info = await redis.config('GET', 'appendonly');
	expect(info).toEqual(['appendonly', 'yes']);
	await redis.del(key);
});
