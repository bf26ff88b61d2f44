// Benchmark of the embedded journal (not a test): appends per second and append latency, one append at a
// time and 16 at once (where group commit shares one fsync among the waiting appends).
// usage: node server/scripts/bench-journal.ts [--count N] [--dir DIR]   (DIR: a folder on the disk to measure)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { EmbeddedJournal } from '../src/store/embedded/EmbeddedJournal.ts';

const CONCURRENCY = 16;

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, dir: { type: 'string' } } });
const count = Number(values.count);
if (!Number.isSafeInteger(count) || count < CONCURRENCY)
	throw new TypeError(`--count must be an integer of at least ${CONCURRENCY}`);

const dataDir = await fs.mkdtemp(path.join(values.dir ?? os.tmpdir(), 'vidverify-bench-'));
const payload = { step: 'document_front', passed: true, note: 'x'.repeat(200) };

/** Runs `count` appends spread over `concurrency` callers that each wait for their previous append. */
async function measure(journal: EmbeddedJournal, concurrency: number): Promise<{ seconds: number; latencies: number[] }> {
	const latencies: number[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async (_, caller) => {
			for (let index = caller; index < count; index += concurrency) {
				const before = performance.now();
				await journal.append({ type: 'bench.appended', verificationId: `v${index % 50}`, data: { ...payload, index } });
				latencies.push(performance.now() - before);
			}
		}),
	);
	return { seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(sorted: number[], fraction: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

try {
	const journal = await EmbeddedJournal.open({ dataDir, logger: pino({ level: 'silent' }) });
	console.log(`journal ${journal.file}, ${count} appends per run, node ${process.version}`);
	for (const [label, concurrency] of [
		['sequential', 1],
		[`${CONCURRENCY}-way concurrent`, CONCURRENCY],
	] as const) {
		const { seconds, latencies } = await measure(journal, concurrency);
		const sorted = latencies.toSorted((a, b) => a - b);
		console.log(
			`${label.padEnd(20)} ${Math.round(count / seconds)
				.toString()
				.padStart(7)} appends/s   p50 ${percentile(sorted, 0.5).toFixed(2)} ms   p95 ${percentile(sorted, 0.95).toFixed(2)} ms`,
		);
	}
	await journal.close();
} finally {
	await fs.rm(dataDir, { recursive: true, force: true });
}
