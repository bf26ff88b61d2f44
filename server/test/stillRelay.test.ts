// The agent's full-resolution still through a real server and real socket.io clients: who may ask and
// when, every way a sender can get its chunks wrong, a flood, a participant leaving mid-transfer, and
// the still itself: the bytes the agent receives are the bytes the applicant sent, and none of them
// reaches the data directory, the temporary directory or Redis (its keys, its append-only file, and
// every command it was sent while the still passed).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
	type Ack,
	STILL_CHUNK_BYTES,
	STILL_MAX_BYTES,
	type StillNotifications,
	type StillRequestName,
	type StillResponses,
} from '@vidverify/shared';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	availableAgent,
	callInProgress,
	connect,
	disconnected,
	notification,
	type ParticipantSocket,
	request,
	startService,
	type TestService,
} from './harness.ts';
import { startRedis, type TestRedis } from './redis.ts';

function sendStill<N extends StillRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: unknown,
): Promise<Ack<StillResponses[N]>> {
	const emit = socket.emit as unknown as (event: string, payload: unknown, ack: (answer: unknown) => void) => void;
	return new Promise((resolve) => emit.call(socket, name, payload, (answer) => resolve(answer as Ack<StillResponses[N]>)));
}

async function stillRequest<N extends StillRequestName>(socket: ParticipantSocket, name: N, payload: unknown) {
	const answer = await sendStill(socket, name, payload);
	if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code}: ${answer.error.message}`);
	return answer.data;
}

function stillNotification<N extends keyof StillNotifications>(
	socket: ParticipantSocket,
	name: N,
	predicate: (payload: StillNotifications[N]) => boolean = () => true,
): Promise<StillNotifications[N]> {
	const wait = notification as unknown as (
		socket: ParticipantSocket,
		name: string,
		predicate: (payload: unknown) => boolean,
	) => Promise<unknown>;
	return wait(socket, name, (payload) => predicate(payload as StillNotifications[N])) as Promise<StillNotifications[N]>;
}

/** Every chunk of a still the agent's socket receives, from now on. */
function collectChunks(agent: ParticipantSocket, stillId: string): Buffer[] {
	const chunks: Buffer[] = [];
	agent.on(
		'stillChunkRelayed' as never,
		((payload: StillNotifications['stillChunkRelayed']) => {
			if (payload.stillId === stillId) chunks[payload.index] = Buffer.from(payload.data, 'base64');
		}) as never,
	);
	return chunks;
}

function chunksOf(bytes: Buffer): string[] {
	const chunks: string[] = [];
	for (let offset = 0; offset < bytes.length; offset += STILL_CHUNK_BYTES) {
		chunks.push(bytes.subarray(offset, offset + STILL_CHUNK_BYTES).toString('base64'));
	}
	return chunks;
}

/** A call whose agent has prompted a document step: a still may be asked for. */
async function callAtDocumentStep(server: TestService) {
	const call = await callInProgress(server.url, server.api);
	await request(call.agent.socket, 'promptStep', { stepId: 'document_front' });
	return call;
}

/** The agent asks, the applicant is told; resolves with the still's id. */
async function askForStill(agent: ParticipantSocket, applicant: ParticipantSocket): Promise<string> {
	const asked = stillNotification(applicant, 'stillRequested');
	const { stillId } = await stillRequest(agent, 'takeStill', {});
	const told = await asked;
	expect(told).toEqual({ stillId, maxBytes: STILL_MAX_BYTES, chunkBytes: STILL_CHUNK_BYTES });
	return stillId;
}

async function offer(applicant: ParticipantSocket, stillId: string, bytes: number) {
	await stillRequest(applicant, 'offerStill', { stillId, bytes, width: 1920, height: 1080, mediaType: 'image/jpeg' });
}

/** Sends a whole still and resolves once the agent was told it arrived. */
async function sendWhole(agent: ParticipantSocket, applicant: ParticipantSocket, stillId: string, bytes: Buffer) {
	const ended = stillNotification(agent, 'stillEnded', (payload) => payload.stillId === stillId);
	await offer(applicant, stillId, bytes.length);
	let received = 0;
	for (const [index, data] of chunksOf(bytes).entries()) {
		({ received } = await stillRequest(applicant, 'sendStillChunk', { stillId, index, data }));
	}
	expect(received).toBe(bytes.length);
	return ended;
}

/** Bytes of the still that would show it was written somewhere: raw pieces and their base64 as sent. */
function tracesOf(bytes: Buffer): Buffer[] {
	const traces: Buffer[] = [];
	for (const offset of [0, 3 * 1000, STILL_CHUNK_BYTES * 2 + 3 * 500]) {
		const piece = bytes.subarray(offset, offset + 48);
		traces.push(piece, Buffer.from(piece.toString('base64')));
	}
	return traces;
}

function filesUnder(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
		const full = path.join(entry.parentPath, entry.name);
		return entry.isFile() ? [full] : [];
	});
}

/** Files under `dirs` that hold any trace of the still. */
function filesHolding(dirs: string[], traces: Buffer[], skip: (file: string) => boolean = () => false): string[] {
	return dirs.flatMap(filesUnder).filter((file) => {
		if (skip(file)) return false;
		let content: Buffer;
		try {
			content = fs.readFileSync(file);
		} catch {
			return false; // gone between listing and reading, or not ours to read
		}
		return traces.some((trace) => content.includes(trace));
	});
}

/** Every command Redis is sent from now on, as MONITOR prints them. */
async function monitorRedis(url: string): Promise<{ output: () => string; stop: () => void }> {
	const { hostname, port } = new URL(url);
	const socket = net.connect(Number(port), hostname);
	await once(socket, 'connect');
	const parts: Buffer[] = [];
	socket.on('data', (data: Buffer) => parts.push(data));
	socket.write('MONITOR\r\n');
	const output = () => Buffer.concat(parts).toString('latin1');
	while (!output().startsWith('+OK')) await new Promise((resolve) => setTimeout(resolve, 10));
	return { output, stop: () => socket.destroy() };
}

/** Bytes as MONITOR prints an argument (Redis's sdscatrepr): printable ASCII as is, the rest escaped. */
function redisRepr(bytes: Buffer): string {
	const named: Record<number, string> = { 92: '\\\\', 34: '\\"', 10: '\\n', 13: '\\r', 9: '\\t', 7: '\\a', 8: '\\b' };
	let text = '';
	for (const byte of bytes) {
		const name = named[byte];
		if (name) text += name;
		else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
		else text += `\\x${byte.toString(16).padStart(2, '0')}`;
	}
	return text;
}

let server: TestService;
/** Everything the server logs, at its most talkative level. */
const logged: string[] = [];

beforeAll(async () => {
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logged.push(chunk.toString());
			done();
		},
	});
	server = await startService({ logger: pino({ level: 'trace' }, sink) });
});
afterAll(() => server.close());

describe('who may take a still, and when', () => {
	test('takeStill is refused with FORBIDDEN for an applicant, and the applicant requests with FORBIDDEN for an agent', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			expect(await sendStill(applicant.socket, 'takeStill', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
			for (const name of ['offerStill', 'sendStillChunk', 'failStill'] as const) {
				expect(await sendStill(agent.socket, name, { stillId: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
			}
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('takeStill is refused with INVALID_STATE for an agent who is not assigned to a call', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		const bystander = await availableAgent(server.url, server.api);
		try {
			expect(await sendStill(bystander.socket, 'takeStill', {})).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE', reason: 'noVerificationAssigned' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
			bystander.socket.close();
		}
	});

	test('takeStill is refused with INVALID_STATE before any step, and at a step that shows no face or document', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			expect(await sendStill(agent.socket, 'takeStill', {})).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
			await request(agent.socket, 'promptStep', { stepId: 'consent' });
			expect(await sendStill(agent.socket, 'takeStill', {})).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
			await request(agent.socket, 'promptStep', { stepId: 'face' });
			expect(await sendStill(agent.socket, 'takeStill', {})).toMatchObject({ ok: true });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('a second takeStill while one is on its way is refused with CONFLICT; once it ended, another may be taken', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			expect(await sendStill(agent.socket, 'takeStill', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
			const ended = stillNotification(agent.socket, 'stillEnded');
			await stillRequest(applicant.socket, 'failStill', { stillId, reason: 'camera_unavailable' });
			expect(await ended).toEqual({ stillId, outcome: 'failed', reason: 'camera_unavailable' });
			await askForStill(agent.socket, applicant.socket);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});
});

describe('a still on its way', () => {
	test('the bytes the agent receives are the bytes the applicant sent, in order, and end with delivered to both', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const bytes = randomBytes(STILL_CHUNK_BYTES * 9 + 1234);
			const offered = stillNotification(agent.socket, 'stillOffered');
			const chunks = collectChunks(agent.socket, stillId);
			const applicantTold = stillNotification(applicant.socket, 'stillEnded');
			const ended = await sendWhole(agent.socket, applicant.socket, stillId, bytes);
			expect(await offered).toEqual({
				stillId,
				stepId: 'document_front',
				bytes: bytes.length,
				width: 1920,
				height: 1080,
				mediaType: 'image/jpeg',
			});
			expect(ended).toEqual({ stillId, outcome: 'delivered', reason: null });
			expect(await applicantTold).toEqual(ended);
			expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
			// Over: its chunks are no longer taken.
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 10, data: 'AAAA' })).toMatchObject({
				ok: false,
				error: { code: 'NOT_FOUND' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('malformed and oversize offers and chunks are refused with INVALID_PAYLOAD and the still goes on', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const refused = { ok: false, error: { code: 'INVALID_PAYLOAD' } };
			expect(
				await sendStill(applicant.socket, 'offerStill', {
					stillId,
					bytes: STILL_MAX_BYTES + 1,
					width: 1920,
					height: 1080,
					mediaType: 'image/jpeg',
				}),
			).toMatchObject(refused);
			expect(
				await sendStill(applicant.socket, 'offerStill', { stillId, bytes: 10, width: 1, height: 1, mediaType: 'image/gif' }),
			).toMatchObject(refused);
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: 'AAAA' })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
			await offer(applicant.socket, stillId, 100_000);
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: 'not base64!' })).toMatchObject(
				refused,
			);
			const tooLong = randomBytes(STILL_CHUNK_BYTES + 3).toString('base64');
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: tooLong })).toMatchObject(refused);
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: -1, data: 'AAAA' })).toMatchObject(refused);
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId: 'another', index: 0, data: 'AAAA' })).toMatchObject({
				ok: false,
				error: { code: 'NOT_FOUND' },
			});
			// None of that broke the still: its first chunk is still awaited.
			expect(await stillRequest(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: 'AAAA' })).toEqual({
				received: 3,
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('a chunk out of order drops the still: INVALID_PAYLOAD, and stillEnded transfer_broken to both', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const chunks = chunksOf(randomBytes(STILL_CHUNK_BYTES * 3));
			await offer(applicant.socket, stillId, STILL_CHUNK_BYTES * 3);
			const agentTold = stillNotification(agent.socket, 'stillEnded');
			const applicantTold = stillNotification(applicant.socket, 'stillEnded');
			await stillRequest(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: chunks[0] });
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 2, data: chunks[2] })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_PAYLOAD' },
			});
			const ended = { stillId, outcome: 'failed', reason: 'transfer_broken' };
			expect(await agentTold).toEqual(ended);
			expect(await applicantTold).toEqual(ended);
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 1, data: chunks[1] })).toMatchObject({
				ok: false,
				error: { code: 'NOT_FOUND' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('more bytes than offered drop the still with INVALID_PAYLOAD and transfer_broken', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			await offer(applicant.socket, stillId, 10);
			const agentTold = stillNotification(agent.socket, 'stillEnded');
			const data = randomBytes(12).toString('base64');
			expect(await sendStill(applicant.socket, 'sendStillChunk', { stillId, index: 0, data })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_PAYLOAD' },
			});
			expect(await agentTold).toEqual({ stillId, outcome: 'failed', reason: 'transfer_broken' });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('an applicant flooding chunks with no still asked of it is rate limited and then disconnected', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const gone = disconnected(applicant.socket);
			const answers = await Promise.all(
				Array.from({ length: 120 }, (_, index) =>
					sendStill(applicant.socket, 'sendStillChunk', { stillId: 'none', index, data: 'AAAA' }),
				).map((answer) => Promise.race([answer, gone.then(() => undefined)])),
			);
			const codes = new Set(answers.map((answer) => (answer && !answer.ok ? answer.error.code : answer ? 'ok' : 'gone')));
			expect(codes.has('NOT_FOUND')).toBe(true);
			expect(codes.has('RATE_LIMITED')).toBe(true);
			await gone;
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('chunks past the most a still can have count against the request budget again: a flood during a still is disconnected too', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			await askForStill(agent.socket, applicant.socket);
			const gone = disconnected(applicant.socket);
			const most = Math.ceil(STILL_MAX_BYTES / STILL_CHUNK_BYTES) + 1;
			const answers = await Promise.all(
				Array.from({ length: most + 120 }, (_, index) =>
					sendStill(applicant.socket, 'sendStillChunk', { stillId: 'none', index, data: 'AAAA' }),
				).map((answer) => Promise.race([answer, gone.then(() => undefined)])),
			);
			const codes = answers.map((answer) => (answer && !answer.ok ? answer.error.code : answer ? 'ok' : 'gone'));
			expect(codes.slice(0, most).every((code) => code === 'NOT_FOUND')).toBe(true);
			expect(codes).toContain('RATE_LIMITED');
			await gone;
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('the applicant leaving mid-transfer ends the still with applicant_left for the agent', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const chunks = chunksOf(randomBytes(STILL_CHUNK_BYTES * 4));
			await offer(applicant.socket, stillId, STILL_CHUNK_BYTES * 4);
			await stillRequest(applicant.socket, 'sendStillChunk', { stillId, index: 0, data: chunks[0] });
			const agentTold = stillNotification(agent.socket, 'stillEnded');
			applicant.socket.close();
			expect(await agentTold).toEqual({ stillId, outcome: 'failed', reason: 'applicant_left' });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test("only the applicant's current connection sends: a newer connection replacing it ends the still, and cannot continue it", async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		let newer: ParticipantSocket | undefined;
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			await offer(applicant.socket, stillId, STILL_CHUNK_BYTES);
			const agentTold = stillNotification(agent.socket, 'stillEnded');
			newer = await connect(server.url, applicant.token);
			expect(await agentTold).toEqual({ stillId, outcome: 'failed', reason: 'applicant_left' });
			expect(await sendStill(newer, 'sendStillChunk', { stillId, index: 0, data: 'AAAA' })).toMatchObject({
				ok: false,
				error: { code: 'NOT_FOUND' },
			});
		} finally {
			newer?.close();
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('the agent leaving mid-transfer ends the still with agent_left for the applicant', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const applicantTold = stillNotification(applicant.socket, 'stillEnded');
			agent.socket.close();
			expect(await applicantTold).toEqual({ stillId, outcome: 'failed', reason: 'agent_left' });
			expect(
				await sendStill(applicant.socket, 'offerStill', {
					stillId,
					bytes: 10,
					width: 1,
					height: 1,
					mediaType: 'image/jpeg',
				}),
			).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('the call ending mid-transfer ends the still for both', async () => {
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const agentTold = stillNotification(agent.socket, 'stillEnded');
			await request(applicant.socket, 'leave', {});
			expect(await agentTold).toEqual({ stillId, outcome: 'failed', reason: 'call_ended' });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});
});

describe('nothing of a still is kept', () => {
	test('embedded store: no file in the data directory or the temporary directory, and no log line, holds any of its bytes', async () => {
		const startedAt = Date.now();
		const { applicant, agent } = await callAtDocumentStep(server);
		try {
			const stillId = await askForStill(agent.socket, applicant.socket);
			const bytes = randomBytes(STILL_CHUNK_BYTES * 5 + 77);
			const traces = tracesOf(bytes);
			const chunks = collectChunks(agent.socket, stillId);
			const isOld = (file: string) => {
				try {
					return fs.statSync(file).mtimeMs < startedAt - 1000;
				} catch {
					return true;
				}
			};
			// Midway: half the chunks are through.
			await offer(applicant.socket, stillId, bytes.length);
			const pieces = chunksOf(bytes);
			for (const [index, data] of pieces.slice(0, 3).entries()) {
				await stillRequest(applicant.socket, 'sendStillChunk', { stillId, index, data });
			}
			expect(filesHolding([server.dataDir, os.tmpdir()], traces, isOld)).toEqual([]);
			const ended = stillNotification(agent.socket, 'stillEnded');
			for (const [index, data] of pieces.slice(3).entries()) {
				await stillRequest(applicant.socket, 'sendStillChunk', { stillId, index: index + 3, data });
			}
			expect((await ended).outcome).toBe('delivered');
			expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
			// The journal is fsync'd as it goes; after the call ends, everything of it is on disk.
			await request(applicant.socket, 'leave', {});
			expect(filesHolding([server.dataDir, os.tmpdir()], traces, isOld)).toEqual([]);
			expect(filesUnder(server.dataDir).length).toBeGreaterThan(0);
			const log = logged.join('');
			expect(log.length).toBeGreaterThan(0);
			expect(traces.filter((trace) => log.includes(trace.toString('latin1')))).toEqual([]);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	describe('Redis store', () => {
		let redis: TestRedis;
		let redisDir: string;
		let redisServer: TestService;

		beforeAll(async () => {
			redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-still-redis-'));
			redis = await startRedis({ dir: redisDir });
			redisServer = await startService({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'still:' } });
		});
		afterAll(async () => {
			await redisServer?.close();
			await redis?.stop();
		});

		test('no Redis key, no command sent to Redis and no byte of its append-only file holds any of its bytes', async () => {
			const monitor = await monitorRedis(redis.url);
			const { applicant, agent } = await callAtDocumentStep(redisServer);
			try {
				const stillId = await askForStill(agent.socket, applicant.socket);
				const bytes = randomBytes(STILL_CHUNK_BYTES * 4 + 5);
				const traces = tracesOf(bytes);
				const chunks = collectChunks(agent.socket, stillId);
				const ended = await sendWhole(agent.socket, applicant.socket, stillId, bytes);
				expect(ended.outcome).toBe('delivered');
				expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
				await request(applicant.socket, 'leave', {});

				const commands = monitor.output();
				expect(commands.length).toBeGreaterThan(0);
				expect(traces.filter((trace) => commands.includes(redisRepr(trace)))).toEqual([]);

				const client = new Redis(redis.url);
				try {
					const values: Buffer[] = [];
					for (const key of await client.keys('*')) {
						const type = await client.type(key);
						if (type === 'string') values.push((await client.getBuffer(key)) ?? Buffer.alloc(0));
						else if (type === 'hash') values.push(...Object.values(await client.hgetallBuffer(key)));
						else if (type === 'list') values.push(...(await client.lrangeBuffer(key, 0, -1)));
						else if (type === 'set') values.push(...(await client.smembersBuffer(key)));
						else if (type === 'zset') values.push(...(await client.zrangeBuffer(key, '0', '-1')));
						else if (type === 'stream') values.push(Buffer.from(JSON.stringify(await client.xrange(key, '-', '+'))));
					}
					expect(values.length).toBeGreaterThan(0);
					expect(values.filter((value) => traces.some((trace) => value.includes(trace)))).toEqual([]);
					await client.call('BGREWRITEAOF').catch(() => undefined);
				} finally {
					client.disconnect();
				}
				expect(filesHolding([redisDir, redisServer.dataDir], traces)).toEqual([]);
				expect(filesUnder(redisDir).length).toBeGreaterThan(0);
			} finally {
				monitor.stop();
				applicant.socket.close();
				agent.socket.close();
			}
		});
	});
});
