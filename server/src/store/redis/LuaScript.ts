// A Lua script run by its SHA-1 (EVALSHA), falling back to sending its body (EVAL) when Redis does not
// know it yet: after a Redis restart or SCRIPT FLUSH the script cache is empty, and the fallback costs
// one extra round trip once per script, not per call.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class LuaScript {
	readonly name: string;
	readonly source: string;
	readonly sha: string;

	constructor(name: string, source: string) {
		this.name = name;
		this.source = source;
		this.sha = createHash('sha1').update(source).digest('hex');
	}

	async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
		try {
			return await client.evalsha(this.sha, keys.length, ...keys, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return client.eval(this.source, keys.length, ...keys, ...args);
		}
	}
}
