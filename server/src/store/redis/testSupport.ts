// Helpers for the tests of the Redis stores: a key prefix no other test uses, removing a prefix's keys,
// and finding or killing a test redis-server the hard way (SIGKILL: no shutdown, no final AOF flush).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';

export const silentLogger = pino({ level: 'silent' });

export function uniqueKeyPrefix(label: string): string {
	return `test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** A plain client for looking at (and tampering with) what the stores wrote. */
export function rawClient(url: string): Redis {
	return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
}

export async function deleteKeys(url: string, keyPrefix: string): Promise<void> {
	const client = rawClient(url);
	try {
		let cursor = '0';
		do {
			const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
			if (keys.length > 0) await client.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		client.disconnect();
	}
}

/** The process id of the redis-server behind `url`, from its INFO. */
export async function redisProcessId(url: string): Promise<number> {
	const client = rawClient(url);
	try {
		const pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
		if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`no process_id in INFO of ${url}`);
		return pid;
	} finally {
		client.disconnect();
	}
}

/** Kills the redis-server behind `url` with SIGKILL, as a crash would, and waits until it is gone. */
export async function killRedis(url: string): Promise<void> {
	const pid = await redisProcessId(url);
	process.kill(pid, 'SIGKILL');
	while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
