// M2: three-party 720p calls one mediasoup worker core carries, laid out as CallRoom lays them out
// (support/callLayout.ts). PlainTransports with a browser's SRTP suite stand in for WebRtcTransports
// (see support/transports.ts). The figure is the packets the worker forwards per CPU-second of its
// own divided by the packets one call needs forwarded per second. See docs/performance.md,
// "M1/M2 (media)".
//
//   node bench/media/calls.ts     (settings: support/measure.ts, support/transports.ts)
//   BENCH_CALLS=12                calls running at once while measuring (default 12)
import { createWorker, type types } from 'mediasoup';
import { FORWARDED_PER_CALL_PER_SECOND, setUpCall } from './support/callLayout.ts';
import {
	benchSeconds,
	measuredWorkerSettings,
	measureEach,
	measureWindow,
	packetsSentBy,
	printFigure,
	type WorkerUnderTest,
	workersUnderTest,
} from './support/measure.ts';
import { PeerWorker } from './support/PeerWorker.ts';
import { describeSuite, type Suite, srtpSuite } from './support/transports.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 12);
if (!Number.isInteger(CALLS) || CALLS <= 0) throw new TypeError('BENCH_CALLS must be a positive integer');

async function callsPerCore(workerUnderTest: WorkerUnderTest, suite: Suite, seconds: number): Promise<number> {
	const worker = await createWorker({ ...measuredWorkerSettings(), logLevel: 'error', workerBin: workerUnderTest.bin });
	const senders = await PeerWorker.create();
	const receivers = await PeerWorker.create();
	try {
		const consumers: types.Consumer[] = [];
		for (let call = 0; call < CALLS; call += 1) consumers.push(...(await setUpCall(worker, suite, senders, receivers)));
		await senders.start();
		const window = await measureWindow(worker, () => packetsSentBy(consumers), seconds);
		const expected = CALLS * FORWARDED_PER_CALL_PER_SECOND * window.wallSeconds;
		process.stderr.write(
			`[bench] M2 ${CALLS} calls, ${workerUnderTest.label}: ${window.forwarded} of ~${Math.round(expected)} packets ` +
				`in ${window.wallSeconds.toFixed(1)} s, worker CPU ${window.cpuSeconds.toFixed(2)} s ` +
				`(${Math.round(window.forwarded / window.cpuSeconds)} packets/cpu-s)\n`,
		);
		return window.forwarded / window.cpuSeconds / FORWARDED_PER_CALL_PER_SECOND;
	} finally {
		senders.close();
		receivers.close();
		worker.close();
	}
}

const workers = workersUnderTest();
const suite = srtpSuite();
const seconds = benchSeconds();
const figures = await measureEach(workers, (worker) => callsPerCore(worker, suite, seconds));
workers.forEach((worker, index) => {
	printFigure(
		'M2',
		`three-party 720p calls per worker core (${describeSuite(suite)}, ${worker.label})`,
		figures[index] ?? 0,
		'calls/core',
	);
});
const [before, after] = figures;
if (before !== undefined && after !== undefined) {
	printFigure('M2', `${workers[1]?.label} over ${workers[0]?.label}, three-party calls per core`, after / before, 'x');
}
