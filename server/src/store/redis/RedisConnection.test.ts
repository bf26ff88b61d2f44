import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test/redis.ts';
import { RedisConnection } from './RedisConnection.ts';
import { StoreUnavailableError } from './StoreUnavailableError.ts';
import { rawClient, redisProcessId, silentLogger } from './testSupport.ts';

describe('RedisConnection', () => {
	const opened: RedisConnection[] = [];

	afterEach(async () => {
		for (const connection of opened.splice(0)) await connection.close();
	});

	function connect(url: string, options: { stallTimeoutMs?: number } = {}): RedisConnection {
		const connection = new RedisConnection({ url, logger: silentLogger, name: 'connection-test', ...options });
		opened.push(connection);
		return connection;
	}

	it('run() made right after construction waits for the connection under way instead of failing', async () => {
		const connection = connect(inject('redisUrl'));

		expect(connection.ready).toBe(false);
		expect(await connection.run((client) => client.ping())).toBe('PONG');
		expect(connection.ready).toBe(true);
	});

	it('errors Redis answers for other reasons than unavailability come out unchanged', async () => {
		const connection = connect(inject('redisUrl'));

		const error = await connection.run((client) => client.call('NO-SUCH-COMMAND')).catch((reason: unknown) => reason);
		expect(error).not.toBeInstanceOf(StoreUnavailableError);
		expect(error).toMatchObject({ name: 'ReplyError', message: expect.stringMatching(/unknown command/) });
	});

	it('close() is idempotent; run() and whenReady() after it reject with StoreUnavailableError', async () => {
		const connection = connect(inject('redisUrl'));
		await connection.whenReady();

		await Promise.all([connection.close(), connection.close()]);
		await connection.close();
		expect(connection.ready).toBe(false);
		await expect(connection.run((client) => client.ping())).rejects.toThrow(StoreUnavailableError);
		await expect(connection.whenReady()).rejects.toThrow(StoreUnavailableError);
	});

	describe('against a Redis of its own', () => {
		let dir: string;
		let redis: TestRedis;
		let pid: number;

		beforeEach(async () => {
			dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-redis-connection-'));
			redis = await startRedis({ dir });
			pid = await redisProcessId(redis.url);
		});

		afterEach(async () => {
			// A test that failed while Redis was frozen must not leave it frozen: stop() could never finish.
			process.kill(pid, 'SIGCONT');
			await redis.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		});

		it('a Redis that stops answering (frozen, or cut off without a reset) fails the requests sent to it as outcome unknown, turns not ready, and serves again when it answers', async () => {
			const connection = connect(redis.url, { stallTimeoutMs: 300 });
			await connection.whenReady();
			const wentAway = new Promise((resolve) => connection.once('unavailable', resolve));

			process.kill(pid, 'SIGSTOP');
			const error = await connection.run((client) => client.set('k', 'v')).catch((reason: unknown) => reason);
			await wentAway;

			expect(error).toBeInstanceOf(StoreUnavailableError);
			expect(error).toMatchObject({ code: 'UNAVAILABLE', outcomeUnknown: true });
			expect(connection.ready).toBe(false);

			process.kill(pid, 'SIGCONT');
			await connection.whenReady();
			expect(await connection.run((client) => client.ping())).toBe('PONG');
		});

		it('a Redis that refuses writes (out of memory) answers StoreUnavailableError, outcome known, and stays ready', async () => {
			const connection = connect(redis.url);
			const admin = rawClient(redis.url);
			try {
				await admin.config('SET', 'maxmemory', '1');

				const error = await connection.run((client) => client.set('k', 'v')).catch((reason: unknown) => reason);

				expect(error).toBeInstanceOf(StoreUnavailableError);
				expect(error).toMatchObject({
					outcomeUnknown: false,
					cause: expect.objectContaining({ message: expect.stringMatching(/^OOM/) }),
				});
				expect(connection.ready).toBe(true);
			} finally {
				await admin.config('SET', 'maxmemory', '0');
				admin.disconnect();
			}
		});
	});
});
