// Benchmark of the Redis stores (not a test): journal appends per second, live-state updates and claims
// per second, and what each operation costs in Redis commands, read from the server's own command
// statistics (INFO commandstats) before and after each run. A command run inside a Lua script counts
// there too, so an append shows as one EVALSHA (the round trip) plus the GET, XADD, RPUSH, SET it runs.
// Use a Redis nothing else is using, or the command counts include the other clients' commands.
// usage: REDIS_URL=redis://127.0.0.1:6379 node server/scripts/bench-redis-store.ts [--count N]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { LiveState } from '../src/store/LiveState.ts';
import { RedisConnection } from '../src/store/redis/RedisConnection.ts';
import { RedisJournal } from '../src/store/redis/RedisJournal.ts';
import { RedisLiveState } from '../src/store/redis/RedisLiveState.ts';

const CONCURRENCY = 16;
const WRITERS = 4;

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' } } });
const count = Number(values.count);
if (!Number.isSafeInteger(count) || count < CONCURRENCY || count > 1_000_000) {
	throw new TypeError(`--count must be an integer from ${CONCURRENCY} to 1000000`);
}
const url = process.env.REDIS_URL;
if (url === undefined) throw new TypeError('set REDIS_URL to the Redis to measure, e.g. redis://127.0.0.1:6379');

const logger = pino({ level: 'warn' });
const keyPrefix = `bench:${process.pid}:${randomBytes(4).toString('hex')}:`;
const admin = new RedisConnection({ url, logger, name: 'vidverify-bench-admin' });
const payload = { step: 'document_front', passed: true, note: 'x'.repeat(200) };

type Run = { seconds: number; latencies: number[]; commands: Map<string, number> };

async function commandCalls(): Promise<Map<string, number>> {
	const info = await admin.run((client) => client.info('commandstats'));
	const calls = new Map<string, number>();
	for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1] as string, Number(match[2]));
	return calls;
}

/** Runs `count` operations spread over `concurrency` callers that each wait for their previous one. */
async function measure(concurrency: number, operation: (index: number) => Promise<unknown>): Promise<Run> {
	const before = await commandCalls();
	const latencies: number[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async (_, caller) => {
			for (let index = caller; index < count; index += concurrency) {
				const at = performance.now();
				await operation(index);
				latencies.push(performance.now() - at);
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	const after = await commandCalls();
	// The two INFO calls of the measurement itself are not the operation's.
	after.set('info', (after.get('info') ?? 0) - 1);
	const commands = new Map<string, number>();
	for (const [name, calls] of after) {
		const delta = calls - (before.get(name) ?? 0);
		if (delta > 0) commands.set(name, delta);
	}
	return { seconds, latencies, commands };
}

function report(label: string, unit: string, run: Run): void {
	const sorted = run.latencies.toSorted((a, b) => a - b);
	const percentile = (fraction: number) =>
		sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
	const perOperation = [...run.commands]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, calls]) => `${name} ${(calls / count).toFixed(2)}`)
		.join(', ');
	console.log(
		`${label.padEnd(52)} ${Math.round(count / run.seconds)
			.toString()
			.padStart(7)} ${unit}/s   p50 ${percentile(0.5).toFixed(2)} ms   p95 ${percentile(0.95).toFixed(2)} ms`,
	);
	console.log(`${''.padEnd(52)} Redis commands per ${unit.replace(/s$/, '')}: ${perOperation}`);
}

async function deleteBenchKeys(): Promise<void> {
	let cursor = '0';
	do {
		const [next, keys] = await admin.run((client) => client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000));
		if (keys.length > 0) await admin.run((client) => client.del(...keys));
		cursor = next;
	} while (cursor !== '0');
}

const journals: RedisJournal[] = [];
const states: LiveState[] = [];
try {
	await admin.whenReady();
	console.log(`Redis ${url}, ${count} operations per run, key prefix ${keyPrefix}, node ${process.version}`);

	const journal = await RedisJournal.open({ url, keyPrefix, logger });
	journals.push(journal);
	await journal.append({ type: 'bench.started', data: {} });
	const append = (target: RedisJournal) => (index: number) =>
		target.append({ type: 'bench.appended', verificationId: `v${index % 50}`, data: { ...payload, index } });
	report('journal append, sequential', 'appends', await measure(1, append(journal)));
	report(`journal append, ${CONCURRENCY}-way on one connection`, 'appends', await measure(CONCURRENCY, append(journal)));
	for (let writer = 1; writer < WRITERS; writer += 1) journals.push(await RedisJournal.open({ url, keyPrefix, logger }));
	report(
		`journal append, ${WRITERS} connections racing, ${CONCURRENCY / WRITERS}-way each`,
		'appends',
		await measure(CONCURRENCY, (index) => append(journals[index % WRITERS] as RedisJournal)(index)),
	);

	const state = await RedisLiveState.open({ url, keyPrefix, logger });
	states.push(state);
	for (let index = 0; index < count; index += 1) await state.create(`verification:${index}`, { status: 'waiting', index });
	report(
		`live update (+1 sorted-set effect), ${CONCURRENCY}-way`,
		'updates',
		await measure(CONCURRENCY, (index) =>
			state.update(
				`verification:${index}`,
				1,
				{ status: 'in_call', index },
				{ add: [{ set: 'calls', member: `v${index}`, score: index }] },
			),
		),
	);
	report(
		`live get + update (read, then compare-and-set)`,
		'updates',
		await measure(CONCURRENCY, async (index) => {
			const current = await state.get(`verification:${index}`);
			return state.update(`verification:${index}`, current?.version ?? 0, { status: 'decided', index });
		}),
	);
	report(
		`live claimOnce, ${CONCURRENCY}-way`,
		'claims',
		await measure(CONCURRENCY, (index) => state.claimOnce(`jti:${index}`, 60_000)),
	);
	report(
		`live range (10 of a ${count}-member set)`,
		'ranges',
		await measure(CONCURRENCY, (index) => state.range('calls', { minScore: index, limit: 10 })),
	);
} finally {
	for (const journal of journals) await journal.close();
	for (const state of states) await state.close();
	await deleteBenchKeys().catch((error: unknown) =>
		console.error(`could not delete the keys under ${keyPrefix}: ${String(error)}`),
	);
	await admin.close();
}
