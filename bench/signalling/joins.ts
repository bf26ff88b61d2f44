// M4: complete media joins per CPU-second, with a real WebRTC client: libwebrtc from the registry
// package @roamhq/wrtc (a prebuilt binary), driven by mediasoup-client as the browser page drives it.
// A join is one participant's whole way into a call's media: the router's capabilities, joinMedia
// (its send and receive WebRTC transports), ICE and DTLS on both, a camera and a microphone produced,
// and every track the others send consumed and resumed. Calls have an agent and an applicant, who
// join at the same time. The CPU is the server process's own (process.cpuUsage) and its media
// worker's (getResourceUsage); the client's is not counted. MEM.worker: the worker's resident memory
// per three-party call (applicant, agent, interpreter, each sending both tracks).
// See docs/performance.md, "Joins".
//
//   node bench/signalling/joins.ts
//   BENCH_JOIN_CALLS=12          calls joined (two joins each)
//   BENCH_JOIN_CONCURRENCY=3     calls joining at the same time
//   BENCH_MEMORY_CALLS=6         three-party calls held open for the worker's memory
import { createRequire } from 'node:module';
import { CONSENT_VERSION } from '@vidverify/shared';
import { Device, type types } from 'mediasoup-client';
import {
	BenchServer,
	connectParticipant,
	inBatches,
	note,
	type Participant,
	printFigure,
	request,
	serverCpuSeconds,
	tokenOf,
	workerCpuSeconds,
} from './support.ts';

const CALLS = Number(process.env.BENCH_JOIN_CALLS ?? 12);
const CONCURRENCY = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 3);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 6);

type Wrtc = {
	RTCPeerConnection: unknown;
	RTCSessionDescription: unknown;
	RTCIceCandidate: unknown;
	MediaStream: unknown;
	MediaStreamTrack: unknown;
	nonstandard: {
		RTCVideoSource: new () => { createTrack(): MediaStreamTrack };
		RTCAudioSource: new () => { createTrack(): MediaStreamTrack };
	};
};

/** libwebrtc for Node, put where mediasoup-client looks for the browser's WebRTC classes. */
function loadWebRtc(): Wrtc {
	const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
	Object.assign(globalThis, {
		RTCPeerConnection: wrtc.RTCPeerConnection,
		RTCSessionDescription: wrtc.RTCSessionDescription,
		RTCIceCandidate: wrtc.RTCIceCandidate,
		MediaStream: wrtc.MediaStream,
		MediaStreamTrack: wrtc.MediaStreamTrack,
	});
	return wrtc;
}

const wrtc = loadWebRtc();

type ConsumerInfo = { id: string; producerId: string; kind: types.MediaKind; rtpParameters: types.RtpParameters };
type TransportOptions = {
	id: string;
	iceParameters: types.IceParameters;
	iceCandidates: types.IceCandidate[];
	dtlsParameters: types.DtlsParameters;
};

/** One participant's media, as the page's CallConnection sets it up. */
class MediaJoin {
	readonly #socket: Participant;
	readonly #tracks: MediaStreamTrack[] = [];
	#send: types.Transport | undefined;
	#recv: types.Transport | undefined;
	readonly #consumed: Promise<void>[] = [];

	constructor(socket: Participant) {
		this.#socket = socket;
		// What others start sending after this join: consumed as it comes, as the page does.
		socket.on('consumerCreated' as never, (info: ConsumerInfo) => {
			this.#consumed.push(this.#consume(info));
		});
	}

	async join(): Promise<void> {
		const { routerRtpCapabilities } = await request<{ routerRtpCapabilities: types.RtpCapabilities }>(
			this.#socket,
			'getMediaCapabilities',
		);
		const device = new Device({ handlerName: 'Chrome111' });
		await device.load({ routerRtpCapabilities });
		const joined = await request<{ sendTransport: TransportOptions; recvTransport: TransportOptions; consumers: ConsumerInfo[] }>(
			this.#socket,
			'joinMedia',
			{ rtpCapabilities: device.rtpCapabilities },
		);
		this.#send = this.#transport(device.createSendTransport(joined.sendTransport));
		this.#recv = this.#transport(device.createRecvTransport(joined.recvTransport));
		const camera = new wrtc.nonstandard.RTCVideoSource().createTrack();
		const microphone = new wrtc.nonstandard.RTCAudioSource().createTrack();
		this.#tracks.push(camera, microphone);
		await this.#send.produce({ track: camera, appData: { source: 'camera' } });
		await this.#send.produce({ track: microphone, appData: { source: 'microphone' } });
		for (const info of joined.consumers) this.#consumed.push(this.#consume(info));
		await this.connected();
	}

	/** Both transports through ICE and DTLS, and everything offered so far consumed. */
	async connected(): Promise<void> {
		await Promise.all(this.#consumed);
		await Promise.all([this.#send, this.#recv].map((transport) => transport && connectedState(transport)));
	}

	close(): void {
		this.#send?.close();
		this.#recv?.close();
		for (const track of this.#tracks) track.stop();
	}

	#transport(transport: types.Transport): types.Transport {
		transport.on('connect', ({ dtlsParameters }, callback, errback) => {
			request(this.#socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
		});
		transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
			request<{ producerId: string }>(this.#socket, 'produce', {
				transportId: transport.id,
				kind,
				rtpParameters,
				source: appData.source,
			}).then(({ producerId }) => callback({ id: producerId }), errback);
		});
		return transport;
	}

	async #consume(info: ConsumerInfo): Promise<void> {
		const recv = this.#recv;
		if (!recv) throw new Error('a consumer was offered before the receive transport existed');
		const consumer = await recv.consume(info);
		this.#tracks.push(consumer.track);
		await request(this.#socket, 'resumeConsumer', { consumerId: consumer.id });
	}
}

function connectedState(transport: types.Transport): Promise<void> {
	if (transport.connectionState === 'connected') return Promise.resolve();
	return new Promise((resolve, reject) => {
		transport.on('connectionstatechange', (state) => {
			if (state === 'connected') resolve();
			else if (state === 'failed' || state === 'closed') reject(new Error(`transport ${state}`));
		});
	});
}

let agents = 0;

async function agentSocket(server: BenchServer, skills: string[] = []): Promise<Participant> {
	agents += 1;
	const minted = await server.api.post<{ token: string }>('/agent-tokens', {
		agentId: `bench-agent-${agents}`,
		displayName: `Bench agent ${agents}`,
		languages: ['en'],
		skills,
	});
	if (minted.status !== 201) throw new Error(`agent token: ${minted.status}`);
	const socket = await connectParticipant(server.url, minted.body.token);
	await request(socket, 'setAvailability', { availability: 'available' });
	return socket;
}

/** A call in progress with its participants' sockets (an interpreter too when asked), no media yet. */
async function call(server: BenchServer, withInterpreter: boolean): Promise<Participant[]> {
	const created = await server.api.post<{ id: string; applicantUrl: string }>('/verifications', {
		externalUserRef: `bench-${Math.random().toString(36).slice(2)}`,
		purpose: 'c2c_video',
		...(withInterpreter ? { accessibility: { interpreter: true } } : {}),
	});
	if (created.status !== 201) throw new Error(`create: ${created.status}`);
	const applicant = await connectParticipant(server.url, tokenOf(created.body.applicantUrl));
	await request(applicant, 'consent', { consentVersion: CONSENT_VERSION });
	const participants = [applicant];
	if (withInterpreter) {
		const invitation = await request<{ url: string }>(applicant, 'inviteInterpreter');
		const interpreter = await connectParticipant(server.url, tokenOf(invitation.url));
		await request(interpreter, 'consent', { consentVersion: CONSENT_VERSION });
		participants.push(interpreter);
	}
	const agent = await agentSocket(server, withInterpreter ? ['sign_language'] : []);
	await request(agent, 'accept', { verificationId: created.body.id });
	participants.push(agent);
	return participants;
}

const server = await BenchServer.start();
const joins: MediaJoin[] = [];
const sockets: Participant[] = [];
try {
	// One call joined before measuring: the worker's first router and the client library warmed up.
	const warm = await call(server, false);
	sockets.push(...warm);
	const warmJoins = warm.map((socket) => new MediaJoin(socket));
	joins.push(...warmJoins);
	await Promise.all(warmJoins.map((join) => join.join()));
	await Promise.all(warmJoins.map((join) => join.connected()));

	note(`joins: ${CALLS} calls, ${CONCURRENCY} at a time`);
	const calls = await inBatches(Array.from({ length: CALLS }), 4, () => call(server, false));
	sockets.push(...calls.flat());
	const start = await server.usage();
	await inBatches(calls, CONCURRENCY, async (participants) => {
		const callJoins = participants.map((socket) => new MediaJoin(socket));
		joins.push(...callJoins);
		await Promise.all(callJoins.map((join) => join.join()));
		// The first to join consumes the other's tracks once the other has produced them.
		await Promise.all(callJoins.map((join) => join.connected()));
	});
	const end = await server.usage();
	const serverCpu = serverCpuSeconds(start, end);
	const workerCpu = workerCpuSeconds(start, end);
	const count = CALLS * 2;
	printFigure(
		'M4',
		'complete joins per CPU-second (server and media worker together)',
		count / (serverCpu + workerCpu),
		'joins/CPU-s',
		1,
	);
	printFigure('M4.server', 'server CPU per join (signalling, mediasoup control)', (serverCpu * 1000) / count, 'ms', 2);
	printFigure(
		'M4.worker',
		'media worker CPU per join (ICE, DTLS, transports, producers, consumers)',
		(workerCpu * 1000) / count,
		'ms',
		2,
	);

	for (const join of joins.splice(0)) join.close();
	for (const socket of sockets.splice(0)) socket.close();

	note(`memory: ${MEMORY_CALLS} three-party calls`);
	// Settled: the closed calls' transports are gone from the worker before the first reading.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	const before = await server.usage({ collect: true });
	const threeParty = await inBatches(Array.from({ length: MEMORY_CALLS }), 2, () => call(server, true));
	sockets.push(...threeParty.flat());
	await inBatches(threeParty, CONCURRENCY, async (participants) => {
		const callJoins = participants.map((socket) => new MediaJoin(socket));
		joins.push(...callJoins);
		await Promise.all(callJoins.map((join) => join.join()));
		await Promise.all(callJoins.map((join) => join.connected()));
	});
	const after = await server.usage({ collect: true });
	const workerRss = (usage: typeof before) => usage.workers.reduce((total, worker) => total + (worker.rssBytes ?? 0), 0);
	printFigure(
		'MEM.worker',
		'media worker resident memory per three-party call (three senders of camera and microphone, no media flowing)',
		(workerRss(after) - workerRss(before)) / MEMORY_CALLS / 1024,
		'KiB',
	);
	printFigure(
		'MEM.server.media',
		'server resident memory per three-party call with its media joined',
		(after.memory.rss - before.memory.rss) / MEMORY_CALLS / 1024,
		'KiB',
	);
} finally {
	for (const join of joins) join.close();
	for (const socket of sockets) socket.close();
	await server.stop();
}
// libwebrtc's threads outlive the closed peer connections for a moment, and tearing the module down
// under them at exit aborts the process: let them finish, then leave.
await new Promise((resolve) => setTimeout(resolve, 1000));
process.exit(0);
