// CallRoom on a real mediasoup worker: who receives whom, what a rejoin replaces, what is refused,
// and that a call's router only ever carries WebRTC transports. Media flowing through it from real
// browsers is proven by the e2e journeys.
import type { ConsumerInfo } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../errors.ts';
import { CallRoom } from './CallRoom.ts';
import { StandbyReceiver } from './StandbyReceiver.ts';
import { WorkerPool } from './WorkerPool.ts';

const logger = pino({ level: 'silent' });
let pool: WorkerPool;
const rooms: CallRoom[] = [];

beforeAll(async () => {
	pool = await WorkerPool.create({
		workerCount: 1,
		rtcMinPort: 40000,
		rtcMaxPort: 49999,
		webRtcServer: { listenIp: '127.0.0.1', announcedAddress: undefined, basePort: undefined },
		logger,
	});
});
afterEach(() => {
	for (const room of rooms.splice(0)) room.close();
});
afterAll(() => pool.close());

/** A call's room; one that has begun unless `waiting` (the applicant is still waiting for an agent). */
async function newRoom({ waiting = false } = {}): Promise<CallRoom> {
	const room = await CallRoom.create({
		pool,
		listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
		logger,
		verificationId: 'v-test',
	});
	rooms.push(room);
	if (!waiting) room.start();
	return room;
}

/** The worker's own objects under the next room created: the router, and through it every transport. */
function watchNextRouter(): Promise<types.Router> {
	const worker = pool.workers[0] as types.Worker;
	return new Promise((resolve) => worker.observer.once('newrouter', resolve));
}

/** What the worker holds under a router: its transports' producers (paused or not) and every consumer. */
async function routerContents(router: types.Router) {
	const dump = await router.dump();
	const transports = await Promise.all(
		dump.transportIds.map(async (transportId) => {
			const transport = transportsOf.get(router)?.get(transportId) as types.WebRtcTransport;
			return { transport, stats: (await transport.getStats())[0] };
		}),
	);
	return {
		transports: dump.transportIds.length,
		producers: dump.mapProducerIdConsumerIds.length,
		consumers: dump.mapProducerIdConsumerIds.reduce((sum, { values }) => sum + values.length, 0),
		bytesSent: transports.reduce((sum, { stats }) => sum + (stats?.bytesSent ?? 0), 0),
	};
}

const transportsOf = new WeakMap<types.Router, Map<string, types.WebRtcTransport>>();
function trackTransports(router: types.Router): Map<string, types.WebRtcTransport> {
	const transports = new Map<string, types.WebRtcTransport>();
	transportsOf.set(router, transports);
	router.observer.on('newtransport', (transport) => transports.set(transport.id, transport as types.WebRtcTransport));
	return transports;
}

/** Every producer the worker made on a router, as mediasoup's own objects. */
function trackProducers(router: types.Router): types.Producer[] {
	const producers: types.Producer[] = [];
	router.observer.on('newtransport', (transport) => transport.observer.on('newproducer', (producer) => producers.push(producer)));
	return producers;
}

// What a browser offers: enough of its capabilities for the router to decide it can receive.
function browserCapabilities(room: CallRoom): types.RtpCapabilities {
	return { codecs: room.routerRtpCapabilities.codecs, headerExtensions: room.routerRtpCapabilities.headerExtensions };
}

const cameraParameters = (ssrc: number): types.RtpParameters => ({
	mid: '0',
	codecs: [
		{
			mimeType: 'video/VP8',
			payloadType: 96,
			clockRate: 90000,
			rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
		},
		{ mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
	],
	encodings: [{ ssrc, rtx: { ssrc: ssrc + 1 } }],
	headerExtensions: [],
	rtcp: { cname: `cname-${ssrc}` },
});

const microphoneParameters = (ssrc: number): types.RtpParameters => ({
	mid: '1',
	codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
	encodings: [{ ssrc }],
	headerExtensions: [],
	rtcp: { cname: `cname-${ssrc}` },
});

/** What a browser's connect carries; the worker checks it only once DTLS runs. */
const DTLS: types.DtlsParameters = {
	role: 'client',
	fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

/** The worker reports closures asynchronously; wait for them (bounded, not a speed assertion). */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

function collectConsumers(room: CallRoom) {
	const created: { to: string; consumer: ConsumerInfo }[] = [];
	const closed: { to: string; consumerId: string }[] = [];
	room.on('consumerCreated', (to, consumer) => created.push({ to, consumer }));
	room.on('consumerClosed', (to, consumerId) => closed.push({ to, consumerId }));
	return { created, closed };
}

describe('CallRoom', () => {
	test('every participant receives the camera and microphone of every other one', async () => {
		const room = await newRoom();
		const events = collectConsumers(room);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.join('p-agent', 'agent', browserCapabilities(room));

		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		await room.produce('p-applicant', applicant.sendTransport.id, 'audio', microphoneParameters(2000), 'microphone');
		expect(events.created.map(({ to, consumer }) => [to, consumer.participantId, consumer.source])).toEqual([
			['p-agent', 'p-applicant', 'camera'],
			['p-agent', 'p-applicant', 'microphone'],
		]);

		// A participant joining later gets what is already being sent in its joinMedia answer.
		const interpreter = await room.join('p-interpreter', 'interpreter', browserCapabilities(room));
		expect(interpreter.consumers.map((consumer) => [consumer.participantId, consumer.role, consumer.kind])).toEqual([
			['p-applicant', 'applicant', 'video'],
			['p-applicant', 'applicant', 'audio'],
		]);
	});

	test('a participant leaving closes the consumers of its media at everyone else', async () => {
		const room = await newRoom();
		const events = collectConsumers(room);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.join('p-agent', 'agent', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		const consumerId = events.created[0]?.consumer.id;

		room.leave('p-applicant');
		await until(() => events.closed.length > 0);
		expect(events.closed).toEqual([{ to: 'p-agent', consumerId }]);
		expect(room.participantIds).toEqual(['p-agent']);
	});

	test('join() again replaces the participant’s transports and what it was sending', async () => {
		const room = await newRoom();
		const events = collectConsumers(room);
		const first = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.join('p-agent', 'agent', browserCapabilities(room));
		await room.produce('p-applicant', first.sendTransport.id, 'video', cameraParameters(1000), 'camera');

		const second = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await until(() => events.closed.length > 0);
		expect(second.sendTransport.id).not.toBe(first.sendTransport.id);
		expect(events.closed).toHaveLength(1);
		await expect(room.connectTransport('p-applicant', first.sendTransport.id, { fingerprints: [] })).rejects.toMatchObject({
			code: 'NOT_FOUND',
		});
		await room.produce('p-applicant', second.sendTransport.id, 'video', cameraParameters(3000), 'camera');
		expect(events.created).toHaveLength(2);
	});

	test('produce() refuses a track of the wrong kind, a second camera and the receive transport', async () => {
		const room = await newRoom();
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await expect(
			room.produce('p-applicant', applicant.sendTransport.id, 'audio', microphoneParameters(1), 'camera'),
		).rejects.toMatchObject({
			code: 'INVALID_PAYLOAD',
		});
		await expect(
			room.produce('p-applicant', applicant.recvTransport.id, 'video', cameraParameters(1), 'camera'),
		).rejects.toMatchObject({
			code: 'INVALID_PAYLOAD',
		});
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1), 'camera');
		await expect(
			room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(5), 'camera'),
		).rejects.toMatchObject({
			code: 'INVALID_STATE',
		});
	});

	test('produce() turns parameters mediasoup cannot use into INVALID_PAYLOAD', async () => {
		const room = await newRoom();
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		const unsupported = { ...cameraParameters(1), codecs: [{ mimeType: 'video/H265', payloadType: 100, clockRate: 90000 }] };
		const error = await room
			.produce('p-applicant', applicant.sendTransport.id, 'video', unsupported, 'camera')
			.catch((caught) => caught);
		expect(error).toBeInstanceOf(AppError);
		expect(error.code).toBe('INVALID_PAYLOAD');
	});

	test('requests from someone who has not joined the media, or for unknown consumers, are refused', async () => {
		const room = await newRoom();
		await expect(room.resumeConsumer('p-nobody', 'c-1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
		await room.join('p-agent', 'agent', browserCapabilities(room));
		await expect(room.resumeConsumer('p-agent', 'c-unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	test('only WebRTC transports are ever created on a call’s router', async () => {
		const room = await newRoom();
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.join('p-agent', 'agent', browserCapabilities(room));
		await room.join('p-interpreter', 'interpreter', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		await room.restartIce('p-applicant', applicant.sendTransport.id);
		expect([...room.transportKinds]).toEqual(['webrtc']);
	});

	test('sampleQuality() reports every participant and feeds the summary', async () => {
		const room = await newRoom();
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.join('p-agent', 'agent', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		room.reportSendStats('p-applicant', { width: 1280, height: 720, framesPerSecond: 30 });

		const samples = await room.sampleQuality();
		expect(samples.map((sample) => sample.participantId).sort()).toEqual(['p-agent', 'p-applicant']);
		const applicantSample = samples.find((sample) => sample.participantId === 'p-applicant');
		expect(applicantSample?.video).toMatchObject({ width: 1280, height: 720, framesPerSecond: 30 });
		expect(room.qualitySummary()).toMatchObject({ samples: 2 });
	});

	test('while the applicant waits its producers are paused in the worker and no consumer of anything exists', async () => {
		const nextRouter = watchNextRouter();
		const room = await newRoom({ waiting: true });
		const router = await nextRouter;
		trackTransports(router);
		const producers = trackProducers(router);
		const events = collectConsumers(room);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		await room.produce('p-applicant', applicant.sendTransport.id, 'audio', microphoneParameters(2000), 'microphone');

		expect(room.started).toBe(false);
		expect(producers.map((producer) => [producer.kind, producer.paused])).toEqual([
			['video', true],
			['audio', true],
		]);
		expect(events.created).toEqual([]);
		expect(await routerContents(router)).toEqual({ transports: 2, producers: 2, consumers: 0, bytesSent: 0 });
		// No quality is sampled for a call that has not begun.
		expect(await room.sampleQuality()).toEqual([]);
	});

	test('start() resumes the waiting applicant’s producers and the agent joining receives them at once', async () => {
		const nextRouter = watchNextRouter();
		const room = await newRoom({ waiting: true });
		const producers = trackProducers(await nextRouter);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		await room.produce('p-applicant', applicant.sendTransport.id, 'audio', microphoneParameters(2000), 'microphone');

		room.start();
		room.start();
		const agent = await room.join('p-agent', 'agent', browserCapabilities(room));
		expect(producers.map((producer) => producer.paused)).toEqual([false, false]);
		expect(agent.consumers.map((consumer) => [consumer.participantId, consumer.source])).toEqual([
			['p-applicant', 'camera'],
			['p-applicant', 'microphone'],
		]);
	});

	test('the applicant leaving while it waits closes its transports and producers in the worker', async () => {
		const nextRouter = watchNextRouter();
		const room = await newRoom({ waiting: true });
		const router = await nextRouter;
		trackTransports(router);
		const producers = trackProducers(router);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		// A reload: a second join replaces the first pair, which the worker closes.
		const again = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.produce('p-applicant', again.sendTransport.id, 'video', cameraParameters(3000), 'camera');
		expect(await routerContents(router)).toMatchObject({ transports: 2, producers: 1 });

		room.leave('p-applicant');
		expect(producers.every((producer) => producer.closed)).toBe(true);
		expect(await routerContents(router)).toEqual({ transports: 0, producers: 0, consumers: 0, bytesSent: 0 });
		expect(room.participantIds).toEqual([]);
	});

	test('an agent’s standby holds no media until a call adopts it; adopted, it receives the waiting applicant through a pipe and joinMedia takes it over', async () => {
		const room = await newRoom({ waiting: true });
		const events = collectConsumers(room);
		const applicant = await room.join('p-applicant', 'applicant', browserCapabilities(room));
		await room.produce('p-applicant', applicant.sendTransport.id, 'video', cameraParameters(1000), 'camera');
		await room.produce('p-applicant', applicant.sendTransport.id, 'audio', microphoneParameters(2000), 'microphone');
		const standby = await StandbyReceiver.create({
			pool,
			listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
			participantId: 'p-agent',
		});
		try {
			await standby.connect(standby.recv.id, DTLS, browserCapabilities(room));
			// Before the accept: the standby's router has no producer, hence nothing to forward.
			expect((await standby.router.dump()).mapProducerIdConsumerIds).toEqual([]);
			expect(events.created).toEqual([]);

			await room.adoptStandby(standby);
			expect(room.started).toBe(true);
			expect(events.created.map(({ to, consumer }) => [to, consumer.participantId, consumer.source])).toEqual([
				['p-agent', 'p-applicant', 'camera'],
				['p-agent', 'p-applicant', 'microphone'],
			]);
			const piped = (await standby.router.dump()).mapProducerIdConsumerIds;
			expect(piped.map(({ values }) => values.length)).toEqual([1, 1]);

			const joined = await room.join('p-agent', 'agent', browserCapabilities(room));
			expect(joined.recvTransport.id).toBe(standby.recv.id);
			expect(joined.consumers.map((consumer) => consumer.id)).toEqual(events.created.map(({ consumer }) => consumer.id));
			await room.resumeConsumer('p-agent', joined.consumers[0]?.id as string);

			room.leave('p-agent');
			expect(standby.closed).toBe(true);
		} finally {
			standby.close();
		}
	});

	test('a standby that is not connected yet is closed at the accept, and the agent joins the usual way', async () => {
		const room = await newRoom();
		const standby = await StandbyReceiver.create({
			pool,
			listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
			participantId: 'p-agent',
		});
		await room.adoptStandby(standby);
		expect(standby.closed).toBe(true);
		expect(room.has('p-agent')).toBe(false);
		const joined = await room.join('p-agent', 'agent', browserCapabilities(room));
		expect(joined.recvTransport.id).not.toBe(standby.recv.id);
	});

	test('closing the call closes an adopted standby’s router too', async () => {
		const room = await newRoom();
		const standby = await StandbyReceiver.create({
			pool,
			listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
			participantId: 'p-agent',
		});
		await standby.connect(standby.recv.id, DTLS, browserCapabilities(room));
		await room.adoptStandby(standby);
		expect(room.has('p-agent')).toBe(true);
		room.close();
		expect(standby.closed).toBe(true);
	});

	test('a worker dying closes the room with worker_died, and later requests say to join again', async () => {
		const ownPool = await WorkerPool.create({ workerCount: 1, rtcMinPort: 40000, rtcMaxPort: 49999, logger });
		try {
			const room = await CallRoom.create({
				pool: ownPool,
				listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
				logger,
				verificationId: 'v-dies',
			});
			await room.join('p-agent', 'agent', browserCapabilities(room));
			const closed = new Promise((resolve) => room.once('closed', resolve));
			process.kill(ownPool.workers[0]?.pid as number, 'SIGKILL');
			expect(await closed).toBe('worker_died');
			await expect(room.join('p-agent', 'agent', browserCapabilities(room))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
		} finally {
			ownPool.close();
		}
	});

	test('close() is idempotent and ends the call for every later request', async () => {
		const room = await newRoom();
		await room.join('p-agent', 'agent', browserCapabilities(room));
		room.close();
		room.close();
		expect(room.closed).toBe(true);
		await expect(room.join('p-agent', 'agent', browserCapabilities(room))).rejects.toMatchObject({ code: 'INVALID_STATE' });
	});
});
