// What Redis keeps of verifications that are over (issue 13 items 3 and 4), on a real redis-server: every
// key of the deployment after N verifications decided and delivered, grouped by kind with its count
// and memory (MEMORY USAGE), printed for docs/performance.md; then, once each verification's personal
// data is erased, that no value in Redis holds any of it in the clear but for socket.io's own stream of
// recent messages. Figures are printed, not asserted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JournalRecord } from '../src/store/Journal.ts';
import { rawClient } from '../src/store/redis/testSupport.ts';
import { callInProgress, eventually, request, startService, type TestService, WebhookReceiver } from './harness.ts';

const VERIFICATIONS = 40;
const NOTE = 'the applicant read from a script';

type Footprint = Map<string, { keys: number; bytes: number }>;

/** The kinds of key whose values contain `text`. */
function holding(values: Map<string, string>, text: string): string[] {
	return [...values].filter(([, value]) => value.includes(text)).map(([kind]) => kind);
}

async function footprint(url: string, keyPrefix: string): Promise<{ kinds: Footprint; values: Map<string, string> }> {
	const client = rawClient(url);
	const kinds: Footprint = new Map();
	const values = new Map<string, string>();
	try {
		let cursor = '0';
		do {
			const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
			for (const key of keys) {
				const kind = key
					.slice(keyPrefix.length)
					.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
					.replace(/[0-9a-f]{64}/g, '<hash>');
				const entry = kinds.get(kind) ?? { keys: 0, bytes: 0 };
				entry.keys += 1;
				entry.bytes += Number(await client.memory('USAGE', key)) || 0;
				kinds.set(kind, entry);
				values.set(kind, `${values.get(kind) ?? ''}${JSON.stringify(await dump(client, key))}\n`);
			}
			cursor = next;
		} while (cursor !== '0');
	} finally {
		client.disconnect();
	}
	return { kinds, values };
}

async function dump(client: ReturnType<typeof rawClient>, key: string): Promise<unknown> {
	switch (await client.type(key)) {
		case 'string':
			return client.get(key);
		case 'hash':
			return client.hgetall(key);
		case 'zset':
			return client.zrange(key, '0', '-1');
		case 'set':
			return client.smembers(key);
		case 'stream':
			return client.xrange(key, '-', '+');
		case 'list':
			return client.lrange(key, 0, -1);
		default:
			return null;
	}
}

function print(title: string, kinds: Footprint): void {
	const rows = [...kinds].sort((a, b) => b[1].bytes - a[1].bytes);
	const lines = rows.map(
		([kind, { keys, bytes }]) => `  ${kind.padEnd(48)} ${String(keys).padStart(6)} keys ${String(bytes).padStart(10)} bytes`,
	);
	const total = rows.reduce((sum, [, { keys, bytes }]) => ({ keys: sum.keys + keys, bytes: sum.bytes + bytes }), {
		keys: 0,
		bytes: 0,
	});
	process.stderr.write(`${title}\n${lines.join('\n')}\n  total ${total.keys} keys, ${total.bytes} bytes\n`);
}

describe('what Redis keeps of verifications that are over', () => {
	const redisUrl = inject('redisUrl');
	const keyPrefix = `footprint-${randomUUID().slice(0, 8)}:`;
	let server: TestService;
	let receiver: WebhookReceiver;

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		server = await startService({ env: { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, WEBHOOK_URL: receiver.url } });
		await server.service.verifications.whenStarted();
	});

	afterAll(async () => {
		await server?.close();
		await receiver?.close();
	});

	it(`after ${VERIFICATIONS} verifications decided and delivered, and once they are erased no value holds their personal data`, async () => {
		const users: string[] = [];
		const ids: string[] = [];
		for (let index = 0; index < VERIFICATIONS; index += 1) {
			const externalUserRef = `footprint-user-${randomUUID()}`;
			const { applicant, agent } = await callInProgress(server.url, server.api, { externalUserRef });
			await request(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['procedure_not_followed'], note: NOTE });
			applicant.socket.close();
			agent.socket.close();
			users.push(externalUserRef);
			ids.push(applicant.verificationId);
		}
		for (const id of ids) {
			await eventually(async () => {
				const events = (await server.api.get<{ events: JournalRecord[] }>(`/verifications/${id}/events`)).body.events;
				return events.some((record) => record.type === 'webhook.delivered') ? true : undefined;
			});
		}
		const decided = await footprint(redisUrl, keyPrefix);
		print(`Redis after ${VERIFICATIONS} verifications decided and delivered:`, decided.kinds);
		// A delivered webhook's record keeps no payload: the outcome is in the journal, sealed.
		const deliveries = (decided.values.get('live:record:webhook:<id>.rejected') ?? '').split('\n').filter(Boolean);
		expect(deliveries.filter((line) => line.includes('\\"settled\\":true'))).toHaveLength(VERIFICATIONS);
		expect(holding(decided.values, users[0] as string)).toEqual(['live:record:verification:<id>']);

		for (const id of ids) expect((await server.api.request('DELETE', `/verifications/${id}/personal-data`)).status).toBe(200);
		const erased = await footprint(redisUrl, keyPrefix);
		print(`Redis once they are erased:`, erased.kinds);
		expect(users.flatMap((user) => holding(erased.values, user))).toEqual([]);
		// Left: socket.io's stream (the Redis adapter) keeps the last messages it carried between processes,
		// the agent's note in its own notifications among them, until it is trimmed (maxLen, 10,000
		// messages by default) as new traffic flows; erasure does not reach it (README, privacy section).
		expect(holding(erased.values, NOTE)).toEqual(['socket.io']);
	});
});
