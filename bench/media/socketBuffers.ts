// Does a busy worker's WebRTC server socket drop input in the kernel? Every participant's media
// arrives on that one UDP socket. Here a worker carries the M2 calls (support/callLayout.ts) while
// Node sends the same calls' worth of RTP at its WebRTC server's port, once with the OS default
// socket buffers and once with the product's (WEBRTC_SERVER_SOCKET_BUFFER_BYTES), and the kernel's
// drop counter of that socket (/proc/net/udp) is read. The worker discards this RTP after reading
// it (no ICE session owns the sender's address), which costs it less than media it forwards, so
// these drops understate a real worker's. See docs/performance.md, "M1/M2 (media)".
//
//   node bench/media/socketBuffers.ts     (settings: support/measure.ts, support/transports.ts)
//   BENCH_CALLS=12                        calls on the worker meanwhile (default 12)
import { createWorker } from 'mediasoup';
import { WEBRTC_SERVER_SOCKET_BUFFER_BYTES } from '../../server/src/media/socketBuffers.ts';
import { PARTICIPANT_STREAMS, PARTICIPANTS, setUpCall } from './support/callLayout.ts';
import { benchSeconds, printFigure, sleep, udpDrops, workersUnderTest } from './support/measure.ts';
import { PeerWorker } from './support/PeerWorker.ts';
import { LOOPBACK, PacedSender, type Stream } from './support/rtp.ts';
import { srtpSuite } from './support/transports.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 12);
if (!Number.isInteger(CALLS) || CALLS <= 0) throw new TypeError('BENCH_CALLS must be a positive integer');

async function droppedShare(workerBin: string, bufferBytes: number | undefined, seconds: number): Promise<number> {
	const worker = await createWorker({ logLevel: 'error', workerBin });
	const senders = await PeerWorker.create();
	const receivers = await PeerWorker.create();
	let flood: PacedSender | undefined;
	try {
		const buffers = bufferBytes === undefined ? {} : { recvBufferSize: bufferBytes, sendBufferSize: bufferBytes };
		const server = await worker.createWebRtcServer({ listenInfos: [{ protocol: 'udp', ip: LOOPBACK, ...buffers }] });
		const port = (await server.dump()).udpSockets[0]?.port;
		if (port === undefined) throw new TypeError('the WebRTC server has no UDP socket');
		const suite = srtpSuite();
		for (let call = 0; call < CALLS; call += 1) await setUpCall(worker, suite, senders, receivers);
		await senders.start();
		let ssrc = 0x2000_0000;
		const streams: Stream[] = [];
		for (let participant = 0; participant < CALLS * PARTICIPANTS; participant += 1) {
			for (const spec of PARTICIPANT_STREAMS) streams.push({ ...spec, ssrc: ssrc++ });
		}
		flood = await PacedSender.create(streams, { ip: LOOPBACK, port });
		const dropsBefore = udpDrops(port);
		flood.start();
		await sleep(seconds * 1000);
		const dropped = udpDrops(port) - dropsBefore;
		process.stderr.write(`[bench] socket buffers ${bufferBytes ?? 'OS default'}: ${dropped} of ${flood.datagrams} dropped\n`);
		return dropped / flood.datagrams;
	} finally {
		flood?.close();
		senders.close();
		receivers.close();
		worker.close();
	}
}

const worker = workersUnderTest().at(-1);
if (!worker) throw new TypeError('no worker to measure');
const seconds = benchSeconds();
for (const [name, bytes] of [
	['OS default buffers', undefined],
	[`${WEBRTC_SERVER_SOCKET_BUFFER_BYTES / 1024 / 1024} MiB buffers (the product's)`, WEBRTC_SERVER_SOCKET_BUFFER_BYTES],
] as const) {
	const share = await droppedShare(worker.bin, bytes, seconds);
	printFigure(
		'M2-socket',
		`input datagrams the kernel dropped on a WebRTC server socket while the worker carries ${CALLS} calls, ${name}`,
		share * 100_000,
		'per 100k',
	);
}
