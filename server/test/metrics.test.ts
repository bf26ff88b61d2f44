// /metrics over real HTTP after a short real flow: a verification created over the host API, its
// applicant connected over socket.io and consenting, an agent taking the call, both joining the media
// on the real mediasoup worker and the applicant sending video, a second applicant waiting and then
// leaving (abandoned, so a webhook is due to a host that does not answer). Each series the operator
// relies on is there with a value that fits what happened. Without the token, /metrics is refused;
// on a port of its own it serves only /metrics; with metrics off there is none; in Redis mode it
// reports Redis. Every series the Grafana dashboard draws is one the service exports.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSENT_VERSION } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
	availableAgent,
	callInProgress,
	createApplicant,
	disconnected,
	eventually,
	request,
	send,
	startService,
	type TestService,
} from './harness.ts';
import { freePort } from './redis.ts';
import { cameraReachesAgent, joinMedia, nextCallNotification, sendCall } from './support/callMedia.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'metrics-token-0123456789abcdef0123456789';

type Series = { name: string; labels: Record<string, string>; value: number };

function parseExposition(text: string): Series[] {
	const series: Series[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match) throw new Error(`not an exposition line: ${line}`);
		const labels: Record<string, string> = {};
		for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ''] = pair[2] ?? '';
		series.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
	}
	return series;
}

/** The sum of the series of that name whose labels include `labels`; undefined when there is none. */
function seriesValue(all: Series[], name: string, labels: Record<string, string> = {}): number | undefined {
	const matching = all.filter(
		(entry) => entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
	);
	return matching.length === 0 ? undefined : matching.reduce((sum, entry) => sum + entry.value, 0);
}

/** Every series name any scrape of this file saw, for the dashboard's check at the end. */
const exported = new Set<string>();

async function scrape(url: string, token: string | undefined = TOKEN): Promise<Series[]> {
	const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	const text = await response.text();
	if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${text}`);
	expect(response.headers.get('content-type')).toContain('text/plain');
	const series = parseExposition(text);
	for (const entry of series) exported.add(entry.name);
	return series;
}

const running: TestService[] = [];
afterAll(async () => {
	for (const service of running.splice(0)) await service.close();
});

describe('GET /metrics on the service port with METRICS_TOKEN', () => {
	let server: TestService;

	beforeAll(async () => {
		// Nothing listens there: every webhook attempt fails and the event stays pending.
		const deadHost = `http://127.0.0.1:${await freePort()}/hooks`;
		server = await startService({
			env: { METRICS_TOKEN: TOKEN, QUALITY_SAMPLE_MS: '250', WEBHOOK_URL: deadHost, GRACE_PERIOD_MS: '1000' },
		});
		running.push(server);
	});

	test('refuses a scrape without the token, or with another, in the error shape of the API', async () => {
		for (const headers of [{}, { authorization: 'Bearer not-the-metrics-token-0123456789' }, { authorization: TOKEN }]) {
			const response = await fetch(`${server.url}/metrics`, { headers });
			expect(response.status).toBe(401);
			expect(response.headers.get('www-authenticate')).toBe('Bearer');
			expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
		}
	});

	test('after a real flow, every series is there with a value that fits it', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		const waiting = await createApplicant(server.url, server.api, { purpose: 'identity_reset' });
		await request(waiting.socket, 'consent', { consentVersion: CONSENT_VERSION });
		try {
			await cameraReachesAgent(applicant.socket, agent.socket);
			// A refused socket request and a refused host API request, for the error counts.
			expect(await send(agent.socket, 'markStep', { stepId: 'no-such-step', result: 'maybe' })).toMatchObject({ ok: false });
			expect(
				(await fetch(`${server.url}/api/v1/verifications`, { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status,
			).toBe(401);

			const metrics = await scrape(server.url);
			const at = (name: string, labels?: Record<string, string>) => seriesValue(metrics, name, labels);

			// Verifications by state and purpose: both created, both consented, one accepted; zero series exist for the rest.
			expect(at('vidverify_verifications_total', { state: 'created', purpose: 'c2c_video' })).toBe(1);
			expect(at('vidverify_verifications_total', { state: 'created', purpose: 'identity_reset' })).toBe(1);
			expect(at('vidverify_verifications_total', { state: 'waiting' })).toBe(2);
			expect(at('vidverify_verifications_total', { state: 'in_call', purpose: 'c2c_video' })).toBe(1);
			expect(at('vidverify_verifications_total', { state: 'approved', purpose: 'manual_review' })).toBe(0);

			// The queue: one waiting; one wait measured from consent to accept.
			expect(at('vidverify_queue_length')).toBe(1);
			expect(at('vidverify_queue_oldest_wait_seconds')).toBeGreaterThanOrEqual(0);
			expect(at('vidverify_queue_wait_seconds_count')).toBe(1);
			expect(at('vidverify_queue_wait_seconds_bucket', { le: '+Inf' })).toBe(1);

			// The agent is in the call; the call's media is on this process.
			expect(at('vidverify_agents', { state: 'busy' })).toBe(1);
			expect(at('vidverify_agents', { state: 'available' })).toBe(0);
			expect(at('vidverify_agents', { state: 'away' })).toBe(0);
			expect(at('vidverify_calls_live')).toBe(1);

			// Signalling requests by name and outcome, with their latency.
			expect(at('vidverify_signalling_requests_total', { namespace: '/verification', request: 'consent', outcome: 'ok' })).toBe(
				2,
			);
			expect(at('vidverify_signalling_requests_total', { request: 'markStep', outcome: 'INVALID_PAYLOAD' })).toBe(1);
			expect(at('vidverify_signalling_request_duration_seconds_count', { request: 'joinMedia' })).toBe(2);
			expect(at('vidverify_signalling_request_duration_seconds_sum', { request: 'joinMedia' })).toBeGreaterThan(0);

			// Errors by code, wherever they were answered.
			expect(at('vidverify_errors_total', { code: 'INVALID_PAYLOAD', surface: 'signalling' })).toBe(1);
			expect(at('vidverify_errors_total', { code: 'UNAUTHENTICATED', surface: 'http' })).toBeGreaterThanOrEqual(1);

			// The journal: the creations, consents, joins and the accept were appended.
			expect(at('vidverify_journal_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(5);
			expect(at('vidverify_journal_append_duration_seconds_count', { outcome: 'error' })).toBeUndefined();

			// The media worker: what it costs and carries (two participants with two transports each, one video track each way).
			expect(at('vidverify_media_worker_cpu_seconds_total', { mode: 'user' })).toBeGreaterThan(0);
			expect(at('vidverify_media_worker_cpu_seconds_total', { mode: 'system' })).toBeGreaterThanOrEqual(0);
			expect(at('vidverify_media_worker_max_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
			if (process.platform === 'linux') expect(at('vidverify_media_worker_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
			expect(at('vidverify_media_routers')).toBe(1);
			expect(at('vidverify_media_transports')).toBe(4);
			expect(at('vidverify_media_producers', { kind: 'video' })).toBe(1);
			expect(at('vidverify_media_producers', { kind: 'audio' })).toBe(0);
			expect(at('vidverify_media_consumers', { kind: 'video' })).toBe(1);
			const pids = new Set(
				metrics.filter((entry) => entry.name === 'vidverify_media_transports').map((entry) => entry.labels.pid),
			);
			expect([...pids]).toEqual([String(server.service.pool.workers[0]?.pid)]);

			// Call quality from the samples: the applicant's video as it reaches the server.
			expect(at('vidverify_call_video_bitrate_kbps_count', { role: 'applicant' })).toBeGreaterThanOrEqual(1);
			expect(at('vidverify_call_packet_loss_percent_count', { role: 'applicant', kind: 'video' })).toBeGreaterThanOrEqual(1);

			// No webhook is due yet; embedded mode has no Redis series.
			expect(at('vidverify_webhook_outbox_pending')).toBe(0);
			expect(at('vidverify_webhook_outbox_oldest_age_seconds')).toBe(0);
			expect(at('vidverify_redis_up')).toBeUndefined();

			// Node's own, event-loop lag among them.
			expect(at('vidverify_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
			expect(at('vidverify_process_resident_memory_bytes')).toBeGreaterThan(0);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}

		// The waiting applicant leaves for good (abandoned), and the call's two leave too (interrupted): after their
		// grace periods each final state owes the host a webhook the host never takes.
		const gone = disconnected(waiting.socket);
		waiting.socket.close();
		await gone;
		const afterwards = await eventually(async () => {
			const metrics = await scrape(server.url);
			const pending = seriesValue(metrics, 'vidverify_webhook_outbox_pending');
			const attempts = seriesValue(metrics, 'vidverify_webhook_outbox_pending_attempts') ?? 0;
			return pending === 2 && attempts >= 2 ? metrics : undefined;
		}, 200);
		expect(seriesValue(afterwards, 'vidverify_verifications_total', { state: 'abandoned', purpose: 'identity_reset' })).toBe(1);
		expect(seriesValue(afterwards, 'vidverify_verifications_total', { state: 'interrupted', purpose: 'c2c_video' })).toBe(1);
		expect(seriesValue(afterwards, 'vidverify_webhook_outbox_oldest_age_seconds')).toBeGreaterThan(0);
		expect(seriesValue(afterwards, 'vidverify_queue_length')).toBe(0);
		expect(seriesValue(afterwards, 'vidverify_calls_live')).toBe(0);
		expect(seriesValue(afterwards, 'vidverify_media_transports')).toBe(0);
		expect(seriesValue(afterwards, 'vidverify_agents')).toBe(0);
	});
});

describe('where /metrics is served', () => {
	test('with metrics off (no METRICS_PORT or METRICS_TOKEN) there is no exposition', async () => {
		const server = await startService();
		running.push(server);
		const response = await fetch(`${server.url}/metrics`);
		expect(await response.text()).not.toContain('# TYPE vidverify_');
	});

	test('on a port of its own in Redis mode: only /metrics, refused without the token, reporting Redis as up', async () => {
		const server = await startService({
			env: {
				REDIS_URL: inject('redisUrl'),
				REDIS_KEY_PREFIX: `metrics-${Date.now()}:`,
				METRICS_PORT: '0',
				METRICS_TOKEN: TOKEN,
			},
		});
		running.push(server);
		await server.service.whenStarted();
		const port = server.service.metricsPort;
		expect(port).toBeGreaterThan(0);
		const own = `http://127.0.0.1:${port}`;

		expect((await fetch(`${own}/metrics`)).status).toBe(401);
		expect((await fetch(`${own}/healthz`)).status).toBe(404);
		const metrics = await scrape(own);
		expect(seriesValue(metrics, 'vidverify_redis_up')).toBe(1);
		expect(seriesValue(metrics, 'vidverify_queue_length')).toBe(0);
		expect(seriesValue(metrics, 'vidverify_agents', { state: 'available' })).toBe(0);

		// The service port does not serve it as well.
		const main = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
		expect(await main.text()).not.toContain('# TYPE vidverify_');

		// An agent connecting shows on every process's gauge, as it is read from Redis.
		const agent = await availableAgent(server.url, server.api);
		try {
			expect(seriesValue(await scrape(own), 'vidverify_agents', { state: 'available' })).toBe(1);
		} finally {
			agent.socket.close();
		}
	});
});

describe('media workers in the metrics', () => {
	test('a replacement worker is reported under its own pid, with what it carries counted from its start', async () => {
		const server = await startService({ env: { METRICS_TOKEN: TOKEN, MEDIA_WORKERS: '1' } });
		running.push(server);
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			await joinMedia(agent.socket);
			const firstPid = String(server.service.pool.workers[0]?.pid);
			expect(seriesValue(await scrape(server.url), 'vidverify_media_transports', { pid: firstPid })).toBe(2);

			const told = nextCallNotification(agent.socket, 'mediaRestartRequired');
			process.kill(Number(firstPid), 'SIGKILL');
			await told;
			await eventually(async () => ((await sendCall(agent.socket, 'getMediaCapabilities', {})).ok ? true : undefined), 50);
			await joinMedia(agent.socket);
			await joinMedia(applicant.socket);

			const metrics = await scrape(server.url);
			const pids = new Set(
				metrics.filter((entry) => entry.name === 'vidverify_media_transports').map((entry) => entry.labels.pid),
			);
			const replacementPid = String(server.service.pool.workers[0]?.pid);
			expect(replacementPid).not.toBe(firstPid);
			expect([...pids]).toEqual([replacementPid]);
			expect(seriesValue(metrics, 'vidverify_media_transports', { pid: replacementPid })).toBe(4);
			expect(seriesValue(metrics, 'vidverify_media_routers', { pid: replacementPid })).toBe(1);
			expect(
				seriesValue(metrics, 'vidverify_media_worker_cpu_seconds_total', { pid: replacementPid, mode: 'user' }),
			).toBeGreaterThan(0);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});
});

describe('the Grafana dashboard (deploy/grafana/dashboards/vidverify.json)', () => {
	test('draws only vidverify_ series the scrapes above saw exported', () => {
		const dashboard = fs.readFileSync(path.join(root, 'deploy', 'grafana', 'dashboards', 'vidverify.json'), 'utf8');
		const drawn = new Set([...dashboard.matchAll(/\bvidverify_\w+/g)].map((match) => match[0]));
		expect(drawn.size).toBeGreaterThan(10);
		for (const name of drawn) expect(exported.has(name), name).toBe(true);
	});
});
