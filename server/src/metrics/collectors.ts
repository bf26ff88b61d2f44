// The gauges read at scrape time from the components that hold the state: one operator snapshot and
// one outbox backlog per scrape, shared by every gauge of the scrape (prom-client asks all of them at
// once), so a scrape costs one reading of each whatever the number of series. A reading that fails
// (Redis away) leaves its gauges empty for that scrape instead of failing the whole scrape; the Redis
// gauge still says why.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import { type AgentState, type OperatorSnapshot, type OperatorSources, operatorSnapshot } from './operatorSnapshot.ts';

export type CollectorSources = OperatorSources & {
	outbox: Pick<WebhookOutbox, 'backlog'>;
	/** Redis mode only: whether the shared store is reachable now. */
	redisReady?: () => boolean;
	logger: Logger;
};

const AGENT_STATES: AgentState[] = ['available', 'busy', 'away'];
const KINDS = ['audio', 'video'] as const;

/** Runs `read` once for all the gauges collected together, and again at the next scrape. */
function oncePerScrape<T>(read: () => Promise<T>, logger: Logger, what: string): () => Promise<T | undefined> {
	let current: Promise<T | undefined> | undefined;
	return () => {
		current ??= read()
			.catch((error: unknown) => {
				logger.debug({ err: error }, `metrics: could not read ${what}`);
				return undefined;
			})
			.finally(() => {
				current = undefined;
			});
		return current;
	};
}

export function registerCollectors(registry: Registry, sources: CollectorSources): void {
	const snapshot = oncePerScrape(() => operatorSnapshot(sources), sources.logger, 'the operator snapshot');
	const backlog = oncePerScrape(() => sources.outbox.backlog(), sources.logger, 'the webhook backlog');
	const registers = [registry];

	/** A gauge whose series are all set anew from the snapshot at each scrape. */
	const fromSnapshot = <L extends string>(
		name: string,
		help: string,
		labelNames: L[],
		fill: (set: (labels: Partial<Record<L, string>>, value: number) => void, taken: OperatorSnapshot) => void,
	) =>
		new Gauge({
			name,
			help,
			labelNames,
			registers,
			async collect() {
				this.reset();
				const taken = await snapshot();
				if (taken) fill((labels, value) => this.set(labels, value), taken);
			},
		});

	fromSnapshot('vidverify_queue_length', 'Verifications waiting for an agent (the whole deployment).', [], (set, s) =>
		set({}, s.queue.length),
	);
	fromSnapshot(
		'vidverify_queue_oldest_wait_seconds',
		'How long the longest-waiting applicant has waited since consenting; 0 when nobody waits.',
		[],
		(set, s) => set({}, s.queue.items[0]?.waitingSeconds ?? 0),
	);
	fromSnapshot(
		'vidverify_agents',
		'Agents online (the whole deployment), by state: available (free), busy (in a call), away.',
		['state'],
		(set, s) => {
			for (const state of AGENT_STATES) set({ state }, s.agents.filter((agent) => agent.state === state).length);
		},
	);
	fromSnapshot('vidverify_calls_live', 'Calls whose media this process serves now.', [], (set, s) => set({}, s.calls.length));
	// A counter, as CPU time only grows; set from the workers' own totals, so a replaced worker's series goes.
	new Counter({
		name: 'vidverify_media_worker_cpu_seconds_total',
		help: 'CPU time a mediasoup worker of this process has used since it started, by mode (user, system).',
		labelNames: ['pid', 'mode'],
		registers,
		async collect() {
			this.reset();
			for (const worker of (await snapshot())?.workers ?? []) {
				this.inc({ pid: String(worker.pid), mode: 'user' }, worker.cpu.userSeconds);
				this.inc({ pid: String(worker.pid), mode: 'system' }, worker.cpu.systemSeconds);
			}
		},
	});
	fromSnapshot(
		'vidverify_media_worker_resident_memory_bytes',
		'Resident memory of a mediasoup worker now (Linux only).',
		['pid'],
		(set, s) => {
			for (const worker of s.workers) {
				if (worker.memory.residentBytes !== null) set({ pid: String(worker.pid) }, worker.memory.residentBytes);
			}
		},
	);
	fromSnapshot(
		'vidverify_media_worker_max_resident_memory_bytes',
		'The largest resident memory a mediasoup worker has had (getrusage).',
		['pid'],
		(set, s) => {
			for (const worker of s.workers) set({ pid: String(worker.pid) }, worker.memory.maxResidentBytes);
		},
	);
	fromSnapshot(
		'vidverify_media_routers',
		'mediasoup routers (one per call or connection check) on a worker.',
		['pid'],
		(set, s) => {
			for (const worker of s.workers) set({ pid: String(worker.pid) }, worker.media.routers);
		},
	);
	fromSnapshot('vidverify_media_transports', 'WebRTC transports open on a worker.', ['pid'], (set, s) => {
		for (const worker of s.workers) set({ pid: String(worker.pid) }, worker.media.transports);
	});
	fromSnapshot(
		'vidverify_media_producers',
		'Media producers (incoming tracks) on a worker, by kind.',
		['pid', 'kind'],
		(set, s) => {
			for (const worker of s.workers) {
				for (const kind of KINDS) set({ pid: String(worker.pid), kind }, worker.media.producers[kind]);
			}
		},
	);
	fromSnapshot(
		'vidverify_media_consumers',
		'Media consumers (forwarded tracks) on a worker, by kind.',
		['pid', 'kind'],
		(set, s) => {
			for (const worker of s.workers) {
				for (const kind of KINDS) set({ pid: String(worker.pid), kind }, worker.media.consumers[kind]);
			}
		},
	);

	const fromBacklog = (
		name: string,
		help: string,
		value: (taken: Awaited<ReturnType<typeof sources.outbox.backlog>>) => number,
	) =>
		new Gauge({
			name,
			help,
			registers,
			async collect() {
				this.reset();
				const taken = await backlog();
				if (taken) this.set(value(taken));
			},
		});
	fromBacklog(
		'vidverify_webhook_outbox_pending',
		'Webhook events neither delivered nor given up (the whole deployment).',
		(b) => b.pending,
	);
	fromBacklog(
		'vidverify_webhook_outbox_pending_attempts',
		'Delivery attempts made so far on the events still pending.',
		(b) => b.attempts,
	);
	fromBacklog(
		'vidverify_webhook_outbox_oldest_age_seconds',
		'Age of the oldest pending webhook event (since the state change it reports); 0 when none is pending.',
		(b) => (b.oldestOccurredAt === null ? 0 : Math.max(0, (Date.now() - Date.parse(b.oldestOccurredAt)) / 1000)),
	);

	const { redisReady } = sources;
	if (redisReady) {
		new Gauge({
			name: 'vidverify_redis_up',
			help: 'Whether this process reaches its Redis now (1) or not (0).',
			registers,
			collect() {
				this.set(redisReady() ? 1 : 0);
			},
		});
	}
}
