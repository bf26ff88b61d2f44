// What the media benchmarks share: which worker binaries they measure, how a worker's CPU time is
// read, how the kernel's drops on a socket are read, and the line format of a figure.
//
//   MEDIASOUP_WORKER_BIN        the worker to measure (default: the one mediasoup finds)
//   BENCH_COMPARE_WORKER_BIN    a second worker measured in the same run (e.g. the previous build),
//                               each point twice, in turn (see measureEach); a ratio line follows
//   BENCH_SECONDS               length of each measuring window (default 3)
//   BENCH_WORKER_SETTINGS       JSON of extra mediasoup worker settings for the measured worker(s),
//                               to try one (e.g. {"disableLiburing":true}); default: the product's
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { workerBin as defaultWorkerBin, type types } from 'mediasoup';

export type WorkerUnderTest = { bin: string; label: string };

/** The worker(s) to measure, the comparison first. */
export function workersUnderTest(): WorkerUnderTest[] {
	const bins = [process.env.BENCH_COMPARE_WORKER_BIN, process.env.MEDIASOUP_WORKER_BIN ?? defaultWorkerBin].filter(
		(bin): bin is string => bin !== undefined && bin !== '',
	);
	const workers = bins.map((bin) => ({ bin: path.resolve(bin), label: labelOf(bin) }));
	if (workers.length === 2 && workers[0]?.label === workers[1]?.label) {
		workers.forEach((worker, index) => {
			worker.label += index === 0 ? ', comparison' : ', measured';
		});
	}
	for (const worker of workers) process.stderr.write(`[bench] ${worker.label}: ${worker.bin}\n`);
	return workers;
}

/** What tells the builds apart: the crypto library under its SRTP, and its allocator. */
function labelOf(bin: string): string {
	const ldd = spawnSync('ldd', [bin], { encoding: 'utf8' }).stdout ?? '';
	return `SRTP on ${srtpBackendOf(bin, ldd)}${ldd.includes('libjemalloc') ? ', jemalloc' : ''}`;
}

/**
 * Which crypto library the worker's libsrtp uses, read from libsrtp's own cipher descriptions in
 * the binary, or in the shared libsrtp2 it loads.
 */
function srtpBackendOf(bin: string, ldd: string): string {
	const shared = /libsrtp2\.so\S* => (\S+)/.exec(ldd)?.[1];
	const text = fs.readFileSync(shared ?? bin).toString('latin1');
	if (text.includes('GCM using NSS')) return 'NSS';
	if (text.includes('GCM using openssl')) return 'OpenSSL';
	if (text.includes('GCM using mbedtls')) return 'mbedTLS';
	return 'built-in crypto';
}

/**
 * Measures each worker; two of them in the order A B B A, so that whatever drifts over a run (the
 * machine warming up, someone else's load starting) weighs on both alike: measured A B only, the
 * order alone moved a ratio by about 7% (in favour of the second). Returns each worker's mean.
 */
export async function measureEach(
	workers: WorkerUnderTest[],
	measure: (worker: WorkerUnderTest) => Promise<number>,
): Promise<number[]> {
	const order = workers.length === 2 ? [0, 1, 1, 0] : workers.map((_, index) => index);
	const sums = workers.map(() => 0);
	const counts = workers.map(() => 0);
	for (const index of order) {
		const worker = workers[index] as WorkerUnderTest;
		sums[index] = (sums[index] ?? 0) + (await measure(worker));
		counts[index] = (counts[index] ?? 0) + 1;
	}
	return sums.map((sum, index) => sum / (counts[index] ?? 1));
}

/**
 * Extra settings for the measured workers' createWorker (not the peer workers'): none by default, so
 * the figures are those of a worker started as the product starts it (server/src/media/WorkerPool.ts).
 */
export function measuredWorkerSettings(): types.WorkerSettings {
	const text = process.env.BENCH_WORKER_SETTINGS;
	if (!text) return {};
	const settings: unknown = JSON.parse(text);
	if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
		throw new TypeError('BENCH_WORKER_SETTINGS must be a JSON object of mediasoup worker settings');
	}
	process.stderr.write(`[bench] measured workers' extra settings: ${text}\n`);
	return settings as types.WorkerSettings;
}

export function benchSeconds(): number {
	const seconds = Number(process.env.BENCH_SECONDS ?? 3);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new TypeError('BENCH_SECONDS must be a positive number');
	return seconds;
}

/** User plus system CPU time of the worker process, in seconds. */
export async function cpuSeconds(worker: types.Worker): Promise<number> {
	const usage = await worker.getResourceUsage();
	return (usage.ru_utime + usage.ru_stime) / 1000;
}

/** Datagrams the kernel dropped on a loopback UDP socket because its receive buffer was full. */
export function udpDrops(port: number): number {
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const line of fs.readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields[1]?.endsWith(`:${hexPort}`)) return Number(fields.at(-1));
	}
	return 0;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One figure, in the format every benchmark of the suite prints: `<id> <description>: <value> <unit>`. */
export function printFigure(id: string, description: string, value: number, unit: string): void {
	const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
	console.log(`${id} ${description}: ${value.toFixed(digits)} ${unit}`);
}

/** Time for the consumers to start forwarding (first packets, key-frame state) before measuring. */
const WARM_UP_MS = 1000;

export type Window = { cpuSeconds: number; wallSeconds: number; forwarded: number };

/**
 * Waits out the warm-up, then counts what `forwarded()` gains and what CPU the worker spends over
 * one window. The counts are taken inside the CPU readings, so the requests that count are charged
 * to the worker and the packets sent while they run are not counted: if anything, the figure comes
 * out a little low.
 */
export async function measureWindow(worker: types.Worker, forwarded: () => Promise<number>, seconds: number): Promise<Window> {
	await sleep(WARM_UP_MS);
	const cpuBefore = await cpuSeconds(worker);
	const startedAt = performance.now();
	const countBefore = await forwarded();
	await sleep(seconds * 1000);
	const countAfter = await forwarded();
	const wallSeconds = (performance.now() - startedAt) / 1000;
	const cpuAfter = await cpuSeconds(worker);
	return { cpuSeconds: cpuAfter - cpuBefore, wallSeconds, forwarded: countAfter - countBefore };
}

/** RTP packets the measured worker's consumers have sent so far (their own count, not a receiver's). */
export async function packetsSentBy(consumers: types.Consumer[]): Promise<number> {
	const stats = await Promise.all(consumers.map((consumer) => consumer.getStats()));
	return stats.flat().reduce((sum, stat) => sum + (stat.type === 'outbound-rtp' ? stat.packetCount : 0), 0);
}
