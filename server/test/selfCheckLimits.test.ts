// The token-less connection check on a real socket.io server over loopback with a real worker: a flood
// is refused and dropped, an address holds only so many connections and checks (another address is
// unaffected), a check doing nothing is closed with its router, and racing produce or consume
// requests cannot pass its caps.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SELF_CHECK_NAMESPACE } from '@vidverify/shared';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientAddressOf, type TrustProxy } from '../src/limits/clientAddress.ts';
import type { SelfCheckLimits } from '../src/media/SelfCheckAdmission.ts';
import { WorkerPool } from '../src/media/WorkerPool.ts';
import { serveSelfCheck } from '../src/signalling/selfCheckNamespace.ts';
import { eventually } from './harness.ts';
import { CAMERA_PARAMETERS, type MediaSocket, sendCall } from './support/callMedia.ts';
import { MediaCensus } from './support/mediaCensus.ts';

const logger = pino({ level: 'silent' });
const listen = { listenIp: '127.0.0.1', announcedAddress: undefined };
let pool: WorkerPool;
let census: MediaCensus;
const servers: { io: Server; http: http.Server }[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
	pool = await WorkerPool.create({ workerCount: 1, rtcMinPort: 40000, rtcMaxPort: 49999, logger });
	census = new MediaCensus(pool.workers[0] as never);
});
afterAll(async () => {
	for (const socket of sockets) socket.close();
	for (const server of servers) {
		server.io.close();
		server.http.closeAllConnections();
	}
	pool.close();
});

/** A check server of its own, with these limits; resolves with its URL. */
async function checkServer(limits: Partial<SelfCheckLimits> = {}, trustProxy: TrustProxy = false): Promise<string> {
	const httpServer = http.createServer();
	const ioServer = new Server(httpServer, { serveClient: false });
	serveSelfCheck(ioServer, pool, listen, logger, limits, clientAddressOf(trustProxy));
	servers.push({ io: ioServer, http: httpServer });
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

/** A connection from this loopback address: another client, as the server sees it; optionally as a proxy forwarding for `forwardedFor`. */
function open(url: string, localAddress = '127.0.0.1', forwardedFor?: string): Promise<Socket> {
	const socket = io(`${url}${SELF_CHECK_NAMESPACE}`, {
		transports: ['websocket'],
		forceNew: true,
		reconnection: false,
		localAddress,
		extraHeaders: forwardedFor ? { 'x-forwarded-for': forwardedFor } : undefined,
	} as Parameters<typeof io>[1]);
	sockets.push(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error: Error & { data?: unknown }) => reject(error.data ?? error));
	});
}

const check = (socket: Socket, name: string, payload: unknown = {}) =>
	sendCall(socket as MediaSocket, name as never, payload) as Promise<
		{ ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; reason: string } }
	>;

function gone(socket: Socket): Promise<string> {
	return new Promise((resolve) => socket.once('disconnect', resolve));
}

describe('the connection check', () => {
	test('a flood of requests gets RATE_LIMITED and then the connection is dropped', async () => {
		const url = await checkServer({ requestRatePerSecond: 5, requestBurst: 10, disconnectAfter: 10 });
		const socket = await open(url);
		const dropped = gone(socket);
		const answers = await Promise.all(
			Array.from({ length: 60 }, () =>
				Promise.race([
					check(socket, 'resumeConsumer', { consumerId: 'x' }),
					dropped.then(() => ({ ok: false, error: { code: 'DROPPED' } })),
				]),
			),
		);
		const codes = answers.map((answer) => (answer.ok ? 'OK' : answer.error.code));
		expect(codes).toContain('RATE_LIMITED');
		expect(await dropped).toBe('io server disconnect');
	});

	test('one address holds at most its connections and its checks; another address is unaffected', async () => {
		const url = await checkServer({ maxConnectionsPerAddress: 3, maxChecksPerAddress: 2 });
		const [first, second, third] = await Promise.all([open(url), open(url), open(url)]);
		await expect(open(url)).rejects.toMatchObject({ code: 'RATE_LIMITED', reason: 'tooManyChecks' });

		expect(await check(first as Socket, 'start')).toMatchObject({ ok: true });
		expect(await check(second as Socket, 'start')).toMatchObject({ ok: true });
		expect(await check(third as Socket, 'start')).toMatchObject({
			ok: false,
			error: { code: 'RATE_LIMITED', reason: 'tooManyChecks' },
		});
		expect(await check(await open(url, '127.0.0.2'), 'start')).toMatchObject({ ok: true });

		// A check that ends gives its place back.
		(first as Socket).close();
		await eventually(async () => ((await check(third as Socket, 'start')).ok ? true : undefined), 50);
	});

	test('counts the address a trusted proxy forwarded, and ignores the header from anyone else', async () => {
		const behindProxy = await checkServer({ maxConnectionsPerAddress: 1 }, ['loopback']);
		await open(behindProxy, '127.0.0.1', '198.51.100.1');
		// Another client behind the same proxy has a cap of its own; the same client again does not.
		await open(behindProxy, '127.0.0.1', '198.51.100.2');
		await expect(open(behindProxy, '127.0.0.1', '198.51.100.1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });

		const noProxy = await checkServer({ maxConnectionsPerAddress: 1 });
		await open(noProxy, '127.0.0.1', '198.51.100.1');
		// A made-up header buys no fresh cap when no proxy is trusted.
		await expect(open(noProxy, '127.0.0.1', '198.51.100.9')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
	});

	test('a new connection from an address that keeps reconnecting is refused', async () => {
		const url = await checkServer({ connectRatePerSecond: 0.01, connectBurst: 3 });
		for (let attempt = 0; attempt < 3; attempt += 1) (await open(url)).close();
		await expect(open(url)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
		expect((await open(url, '127.0.0.3')).connected).toBe(true);
	});

	test('a check with no request and no media for its idle time is closed with its router', async () => {
		const url = await checkServer({ idleMs: 200 });
		const before = census.routers('self-check');
		const socket = await open(url);
		const dropped = gone(socket);
		expect(await check(socket, 'start')).toMatchObject({ ok: true });
		expect(census.routers('self-check')).toBe(before + 1);
		expect(await dropped).toBe('io server disconnect');
		await eventually(() => (census.routers('self-check') === before ? true : undefined));
	});

	test('twenty concurrent produce and twenty concurrent consume requests make one producer and one consumer', async () => {
		const url = await checkServer({ requestBurst: 100, disconnectAfter: 100 });
		const socket = await open(url);
		const before = { producers: census.producers('self-check'), consumers: census.consumers('self-check') };
		const started = await check(socket, 'start');
		if (!started.ok) throw new Error(started.error.code);
		const transportId = (started.data.sendTransport as { id: string }).id;
		const router = started.data.routerRtpCapabilities as { codecs: unknown[]; headerExtensions: unknown[] };
		const rtpCapabilities = { codecs: router.codecs, headerExtensions: router.headerExtensions };

		const produced = await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				check(socket, 'produce', {
					transportId,
					kind: 'video',
					rtpParameters: { ...CAMERA_PARAMETERS, mid: String(index), encodings: [{ ssrc: 9000 + index }] },
				}),
			),
		);
		const made = produced.filter((answer) => answer.ok);
		expect(made).toHaveLength(1);
		for (const answer of produced) if (!answer.ok) expect(['INVALID_STATE', 'RATE_LIMITED']).toContain(answer.error.code);
		const producerId = String(made[0]?.ok && made[0].data.producerId);

		const consumed = await Promise.all(
			Array.from({ length: 20 }, () => check(socket, 'consume', { producerId, rtpCapabilities })),
		);
		expect(consumed.filter((answer) => answer.ok)).toHaveLength(1);
		for (const answer of consumed) if (!answer.ok) expect(['INVALID_STATE', 'RATE_LIMITED']).toContain(answer.error.code);
		expect(census.producers('self-check') - before.producers).toBe(1);
		expect(census.consumers('self-check') - before.consumers).toBe(1);
	});
});
