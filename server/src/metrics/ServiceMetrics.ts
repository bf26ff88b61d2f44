// The service's Prometheus metrics, in a registry of its own (several services may share a process in
// tests). Two kinds: what happens is counted as it happens, at the few points everything passes
// through (the signalling dispatcher, the host API's error mapper, journal appends, the domain's state
// changes, the calls' quality samples); what is there now (queue, agents, calls, workers, webhook
// backlog, Redis) is read from its components at scrape time (collectors.ts). Node's own metrics come
// from prom-client's defaults, event-loop lag among them. Every name starts with vidverify_.
import { type ErrorCode, PURPOSES, type Role, VERIFICATION_STATES } from '@vidverify/shared';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { CallRooms } from '../media/CallRooms.ts';
import type { VerificationService } from '../sessions/VerificationService.ts';
import type { RequestObservation } from '../signalling/dispatch.ts';
import { type CollectorSources, registerCollectors } from './collectors.ts';

export type MetricsSources = CollectorSources & {
	verifications: Pick<VerificationService, 'on'>;
	calls: Pick<CallRooms, 'on' | 'live'>;
};

/** Where an error was answered. */
export type ErrorSurface = 'http' | 'signalling';

const PREFIX = 'vidverify_';

export class ServiceMetrics {
	readonly registry = new Registry();
	readonly #requests: Counter<'namespace' | 'request' | 'outcome'>;
	readonly #requestSeconds: Histogram<'namespace' | 'request'>;
	readonly #errors: Counter<'code' | 'surface'>;
	readonly #journalAppendSeconds: Histogram<'outcome'>;
	readonly #verifications: Counter<'state' | 'purpose'>;
	readonly #queueWaitSeconds: Histogram;
	readonly #videoKbps: Histogram<'role'>;
	readonly #packetLoss: Histogram<'role' | 'kind'>;

	constructor() {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
		this.#requests = new Counter({
			name: `${PREFIX}signalling_requests_total`,
			help: 'Socket requests answered, by namespace, request and outcome (ok, or the error code).',
			labelNames: ['namespace', 'request', 'outcome'],
			registers,
		});
		this.#requestSeconds = new Histogram({
			name: `${PREFIX}signalling_request_duration_seconds`,
			help: 'Time from a socket request to its answer, by namespace and request.',
			labelNames: ['namespace', 'request'],
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers,
		});
		this.#errors = new Counter({
			name: `${PREFIX}errors_total`,
			help: 'Errors answered, by error code and where (http: the host API; signalling: socket requests).',
			labelNames: ['code', 'surface'],
			registers,
		});
		this.#journalAppendSeconds = new Histogram({
			name: `${PREFIX}journal_append_duration_seconds`,
			help: 'Time until a journal append is durable (fsync, or Redis acknowledged), by outcome (ok, error).',
			labelNames: ['outcome'],
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers,
		});
		this.#verifications = new Counter({
			name: `${PREFIX}verifications_total`,
			help: 'Verifications that entered each state by a change of this process (created counted at creation), by purpose.',
			labelNames: ['state', 'purpose'],
			registers,
		});
		// Every combination from zero, so that rates of states nobody reached yet read 0, not nothing.
		for (const state of VERIFICATION_STATES) for (const purpose of PURPOSES) this.#verifications.inc({ state, purpose }, 0);
		this.#queueWaitSeconds = new Histogram({
			name: `${PREFIX}queue_wait_seconds`,
			help: 'How long applicants waited from consent until an agent accepted (accepts made by this process).',
			buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
			registers,
		});
		this.#videoKbps = new Histogram({
			name: `${PREFIX}call_video_bitrate_kbps`,
			help: "Video bitrate reaching the server from a participant's camera, per quality sample, by role.",
			labelNames: ['role'],
			buckets: [50, 100, 250, 500, 750, 1000, 1500, 2500, 4000],
			registers,
		});
		this.#packetLoss = new Histogram({
			name: `${PREFIX}call_packet_loss_percent`,
			help: 'Packet loss of what reaches the server from a participant, per quality sample, by role and kind.',
			labelNames: ['role', 'kind'],
			buckets: [0, 0.5, 1, 2, 5, 10, 20, 50],
			registers,
		});
	}

	/** For the signalling dispatcher (observeRequests): counts the request, its error and its time. */
	readonly observeRequest = (observation: RequestObservation): void => {
		const { namespace, request, outcome, seconds } = observation;
		this.#requests.inc({ namespace, request, outcome });
		this.#requestSeconds.observe({ namespace, request }, seconds);
		if (outcome !== 'ok') this.countError(outcome, 'signalling');
	};

	countError(code: ErrorCode, surface: ErrorSurface): void {
		this.#errors.inc({ code, surface });
	}

	/** For the journal (observeAppends). */
	readonly observeJournalAppend = (seconds: number, ok: boolean): void => {
		this.#journalAppendSeconds.observe({ outcome: ok ? 'ok' : 'error' }, seconds);
	};

	/** Follows the domain's state changes and the calls' quality samples, and reads the rest at scrape time. */
	watch(sources: MetricsSources): void {
		sources.verifications.on('stateEntered', ({ before, after }) => {
			this.#verifications.inc({ state: after.state, purpose: after.purpose });
			if (before?.state === 'waiting' && after.state === 'in_call' && after.consentedAt && after.acceptedAt) {
				this.#queueWaitSeconds.observe(Math.max(0, (Date.parse(after.acceptedAt) - Date.parse(after.consentedAt)) / 1000));
			}
		});
		sources.calls.on('notification', (notification) => {
			if (notification.name !== 'callQualitySampled') return;
			for (const participant of notification.payload.participants) this.#observeQuality(participant.role, participant);
		});
		registerCollectors(this.registry, sources);
	}

	/** The exposition, in Prometheus's text format. */
	async exposition(): Promise<{ contentType: string; body: string }> {
		return { contentType: this.registry.contentType, body: await this.registry.metrics() };
	}

	#observeQuality(
		role: Role,
		sample: { video: { bitrateKbps: number; packetLossPercent: number } | null; audio: { packetLossPercent: number } | null },
	): void {
		if (sample.video) {
			this.#videoKbps.observe({ role }, sample.video.bitrateKbps);
			this.#packetLoss.observe({ role, kind: 'video' }, sample.video.packetLossPercent);
		}
		if (sample.audio) this.#packetLoss.observe({ role, kind: 'audio' }, sample.audio.packetLossPercent);
	}
}
