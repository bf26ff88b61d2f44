// M1: RTP packets one mediasoup worker forwards per CPU-second of its own, with SRTP on the way in
// and out, as one 720p camera stream fans out to 1, 10, 100 and 200 consumers (each on its own
// transport, as every participant's receive transport is). Per CPU-second, not per wall second:
// the machines that run it are shared. See docs/performance.md, "M1/M2 (media)".
//
//   node bench/media/forwarding.ts        (settings: support/measure.ts, support/transports.ts)
//   BENCH_CONSUMERS=200                   only these consumer counts (comma-separated)
import { createWorker, type types } from 'mediasoup';
import { ROUTER_MEDIA_CODECS } from '../../server/src/media/codecs.ts';
import {
	benchSeconds,
	measuredWorkerSettings,
	measureEach,
	measureWindow,
	packetsSentBy,
	printFigure,
	udpDrops,
	type WorkerUnderTest,
	workersUnderTest,
} from './support/measure.ts';
import { PeerWorker } from './support/PeerWorker.ts';
import { VIDEO_720P } from './support/rtp.ts';
import { createReceivingTransport, createSendingTransport, describeSuite, type Suite, srtpSuite } from './support/transports.ts';

const CONSUMER_COUNTS = (process.env.BENCH_CONSUMERS ?? '1,10,100,200').split(',').map(Number);
if (!CONSUMER_COUNTS.every((count) => Number.isInteger(count) && count > 0)) {
	throw new TypeError('BENCH_CONSUMERS must be positive integers separated by commas');
}
/**
 * Packets per second the worker is asked to send at every point: well under one core even for the
 * slower worker, so the figure is the cost of forwarding, not of a worker that has fallen behind.
 */
const OUTPUT_PER_SECOND = 16_000;
/** With few consumers the input is capped instead: the peer worker and Node's sender are not free either. */
const MAX_INPUT_PER_SECOND = 4_000;

async function packetsPerCpuSecond(workerUnderTest: WorkerUnderTest, suite: Suite, consumerCount: number, seconds: number) {
	const worker = await createWorker({ ...measuredWorkerSettings(), logLevel: 'error', workerBin: workerUnderTest.bin });
	// One peer worker sends, another receives: together they would not fit on one core.
	const senders = await PeerWorker.create();
	const receivers = await PeerWorker.create();
	try {
		const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
		const receiving = await createReceivingTransport(router, suite);
		const rate = Math.min(MAX_INPUT_PER_SECOND, Math.round(OUTPUT_PER_SECOND / consumerCount));
		const [producer] = await senders.sendInto(receiving, [{ shape: VIDEO_720P, packetsPerSecond: rate }]);
		if (!producer) throw new TypeError('the peer worker made no producer');
		const consumers: types.Consumer[] = [];
		for (let index = 0; index < consumerCount; index += 1) {
			const sending = await createSendingTransport(router, suite);
			const consumer = await sending.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
			await receivers.receiveFrom(sending, [consumer]);
			consumers.push(consumer);
		}
		await senders.start();
		process.stderr.write(`[bench] M1 ${consumerCount} consumers, ${workerUnderTest.label}: worker pid ${worker.pid}\n`);
		const dropsBefore = udpDrops(receiving.tuple.localPort);
		const window = await measureWindow(worker, () => packetsSentBy(consumers), seconds);
		const expected = rate * consumerCount * window.wallSeconds;
		process.stderr.write(
			`[bench] M1 ${consumerCount} consumers, ${workerUnderTest.label}: ${window.forwarded} of ~${Math.round(expected)} packets ` +
				`in ${window.wallSeconds.toFixed(1)} s, worker CPU ${window.cpuSeconds.toFixed(2)} s, ` +
				`input dropped by the kernel ${udpDrops(receiving.tuple.localPort) - dropsBefore}\n`,
		);
		return window.forwarded / window.cpuSeconds;
	} finally {
		senders.close();
		receivers.close();
		worker.close();
	}
}

const workers = workersUnderTest();
const suite = srtpSuite();
const seconds = benchSeconds();
for (const consumers of CONSUMER_COUNTS) {
	const figures = await measureEach(workers, (worker) => packetsPerCpuSecond(worker, suite, consumers, seconds));
	workers.forEach((worker, index) => {
		printFigure(
			'M1',
			`packets forwarded per worker CPU-second, 1 720p stream to ${consumers} consumer${consumers === 1 ? '' : 's'} (${describeSuite(suite)}, ${worker.label})`,
			figures[index] ?? 0,
			'packets/cpu-s',
		);
	});
	const [before, after] = figures;
	if (before !== undefined && after !== undefined) {
		printFigure('M1', `${workers[1]?.label} over ${workers[0]?.label}, ${consumers} consumers`, after / before, 'x');
	}
}
