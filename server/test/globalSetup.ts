// One real redis-server for the whole Vitest run, unless REDIS_URL points at one already.
// Tests read its URL with inject('redisUrl').
import type { TestProject } from 'vitest/node';
import { startRedis } from './redis.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		redisUrl: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const given = process.env.REDIS_URL;
	if (given) {
		project.provide('redisUrl', given);
		return async () => {};
	}
	const redis = await startRedis();
	project.provide('redisUrl', redis.url);
	return redis.stop;
}
