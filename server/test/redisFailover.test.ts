// Redis mode when things break: a server process killed with SIGKILL while it holds participants
// (they reconnect with the same token to another process and carry on; one who does not come back is
// ended after the grace period by the survivors), Redis itself killed mid-verification and restarted
// on the same port and AOF (the processes report not ready and answer UNAVAILABLE, then recover with
// nothing recorded lost and no webhook sent twice), a process killed in the middle of a webhook attempt
// (another process makes it once the attempt's lease lapses), and a process started while Redis is
// unreachable.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CONSENT_VERSION, type VerificationView } from '@vidverify/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { JournalRecord } from '../src/store/Journal.ts';
import { killRedis, uniqueKeyPrefix } from '../src/store/redis/testSupport.ts';
import {
	availableAgent,
	connect,
	createApplicant,
	eventually,
	type HostApiClient,
	notification,
	request,
	ServerProcess,
	send,
	temporaryDataDir,
	testEnvironment,
	WebhookReceiver,
} from './harness.ts';
import { freePort, startRedis, type TestRedis } from './redis.ts';

const running = new Set<ServerProcess>();
const redises: TestRedis[] = [];
const receivers: WebhookReceiver[] = [];

afterAll(async () => {
	for (const server of running) await server.kill();
	for (const redis of redises) await redis.stop();
	for (const receiver of receivers) await receiver.close();
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
	const server = await ServerProcess.start(testEnvironment(temporaryDataDir(), env));
	running.add(server);
	return server;
}

async function readiness(server: ServerProcess): Promise<{ status: number; body: { checks: Record<string, boolean> } }> {
	const response = await fetch(`${server.url}/readyz`);
	return { status: response.status, body: (await response.json()) as { checks: Record<string, boolean> } };
}

async function ready(server: ServerProcess): Promise<void> {
	await eventually(async () => ((await readiness(server)).status === 200 ? true : undefined));
}

async function events(api: HostApiClient, verificationId: string): Promise<JournalRecord[]> {
	const answer = await api.get<{ events: JournalRecord[] }>(`/verifications/${verificationId}/events`);
	expect(answer.status).toBe(200);
	return answer.body.events;
}

async function state(api: HostApiClient, verificationId: string): Promise<string> {
	return (await api.get<VerificationView>(`/verifications/${verificationId}`)).body.state;
}

/** Until the journal says the webhook was delivered; then exactly one delivery reached the host. */
async function deliveredOnce(api: HostApiClient, receiver: WebhookReceiver, verificationId: string): Promise<void> {
	await eventually(async () =>
		(await events(api, verificationId)).some((record) => record.type === 'webhook.delivered') ? true : undefined,
	);
	// Every process polls the due webhooks each second: give them a few polls to send it a second time.
	await new Promise((resolve) => setTimeout(resolve, 2500));
	expect(receiver.deliveries.filter((delivery) => delivery.body.verificationId === verificationId)).toHaveLength(1);
}

describe('a server process killed with SIGKILL', () => {
	it('lets its participants reconnect to another process and resume, and ends the call of one who does not come back', async () => {
		const receiver = await WebhookReceiver.start();
		receivers.push(receiver);
		const env = {
			REDIS_URL: inject('redisUrl'),
			REDIS_KEY_PREFIX: uniqueKeyPrefix('failover'),
			WEBHOOK_URL: receiver.url,
			GRACE_PERIOD_MS: '1500',
			REDIS_PROCESS_TTL_MS: '3000',
		};
		const doomed = await start(env);
		const survivor = await start(env);
		await Promise.all([ready(doomed), ready(survivor)]);

		// Two calls whose applicants are on the process that dies; their agents are on the survivor.
		const calls = [];
		for (let index = 0; index < 2; index += 1) {
			const applicant = await createApplicant(doomed.url, doomed.api);
			await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
			const agent = await availableAgent(survivor.url, survivor.api);
			const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
			calls.push({ applicant, agent, checklist: inCall.checklist });
		}
		const [returning, lost] = calls;
		if (!returning || !lost) throw new Error('two calls expected');

		await doomed.kill();
		running.delete(doomed);

		// The same token, another process: the call is still there and goes on to a decision.
		const back = await connect(survivor.url, returning.applicant.token);
		expect((await request(back, 'getState', {})).state).toBe('in_call');
		for (const step of returning.checklist) {
			await request(returning.agent.socket, 'promptStep', { stepId: step.id });
			await notification(back, 'stepPrompted', (payload) => payload.step.id === step.id);
			await request(returning.agent.socket, 'markStep', { stepId: step.id, result: 'passed' });
		}
		expect((await request(returning.agent.socket, 'decide', { decision: 'approve' })).state).toBe('approved');
		expect(await notification(back, 'decided')).toMatchObject({ state: 'approved' });

		// Nobody comes back for the other call: once the survivor takes the dead process's connections
		// for gone, the grace period runs out and the call is interrupted, told to its agent.
		expect(await notification(lost.agent.socket, 'participantReconnecting')).toMatchObject({ role: 'applicant' });
		expect(await notification(lost.agent.socket, 'stateChanged', (payload) => payload.state === 'interrupted')).toBeDefined();
		const outcome = (await survivor.api.get<VerificationView>(`/verifications/${lost.applicant.verificationId}`)).body.outcome;
		expect(outcome).toMatchObject({ state: 'interrupted', reasonCodes: ['applicant_left'] });

		for (const call of calls) await deliveredOnce(survivor.api, receiver, call.applicant.verificationId);
		for (const call of calls) {
			const recorded = await events(survivor.api, call.applicant.verificationId);
			expect(recorded.filter((record) => record.type === 'outcome.recorded')).toHaveLength(1);
		}
		back.close();
		for (const call of calls) call.agent.socket.close();
	});
});

describe('Redis killed mid-verification and restarted on the same port and AOF', () => {
	it('makes the processes not ready and answer UNAVAILABLE, then recover; nothing recorded is lost and the webhook is sent once', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-redis-outage-'));
		const port = await freePort();
		let redis = await startRedis({ dir, port });
		redises.push(redis);
		const receiver = await WebhookReceiver.start();
		receivers.push(receiver);
		const env = { REDIS_URL: redis.url, WEBHOOK_URL: receiver.url, GRACE_PERIOD_MS: '60000' };
		const a = await start(env);
		const b = await start(env);
		await Promise.all([ready(a), ready(b)]);

		const applicant = await createApplicant(a.url, a.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(b.url, b.api);
		const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
		const [first, ...rest] = inCall.checklist;
		if (!first) throw new Error('an empty checklist');
		await request(agent.socket, 'promptStep', { stepId: first.id });
		await request(agent.socket, 'markStep', { stepId: first.id, result: 'passed' });
		const before = await events(a.api, applicant.verificationId);

		await killRedis(redis.url);
		for (const server of [a, b]) {
			const probe = await eventually(async () => {
				const answer = await readiness(server);
				return answer.status === 503 ? answer : undefined;
			});
			expect(probe.body.checks).toMatchObject({ store: false });
		}
		const refused = await send(agent.socket, 'promptStep', { stepId: rest[0]?.id ?? first.id });
		expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
		const readWhileDown = await a.api.get(`/verifications/${applicant.verificationId}`);
		expect(readWhileDown.status).toBe(503);
		expect(readWhileDown.body).toMatchObject({ error: { code: 'UNAVAILABLE' } });

		redis = await startRedis({ dir, port });
		redises.push(redis);
		await Promise.all([ready(a), ready(b)]);

		// Every event recorded before the outage is there, unchanged, and the call goes on.
		expect((await events(b.api, applicant.verificationId)).slice(0, before.length)).toEqual(before);
		for (const step of rest) {
			await request(agent.socket, 'promptStep', { stepId: step.id });
			await notification(applicant.socket, 'stepPrompted', (payload) => payload.step.id === step.id);
			await request(agent.socket, 'markStep', { stepId: step.id, result: 'passed' });
		}
		expect((await request(agent.socket, 'decide', { decision: 'approve' })).state).toBe('approved');
		expect(await state(a.api, applicant.verificationId)).toBe('approved');
		await deliveredOnce(a.api, receiver, applicant.verificationId);
		applicant.socket.close();
		agent.socket.close();
	});
});

describe('a process started while Redis is unreachable', () => {
	it('listens and reports not ready, answers UNAVAILABLE, and serves once Redis is up, without a restart', async () => {
		const port = await freePort();
		const server = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
		const probe = await readiness(server);
		expect(probe.status).toBe(503);
		expect(probe.body.checks).toMatchObject({ store: false, started: false });
		const refused = await server.api.post('/verifications', { externalUserRef: 'user-early', purpose: 'c2c_video' });
		expect(refused.status).toBe(503);
		expect(refused.body).toMatchObject({ error: { code: 'UNAVAILABLE' } });

		const redis = await startRedis({ port });
		redises.push(redis);
		await ready(server);
		const applicant = await createApplicant(server.url, server.api);
		expect((await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION })).state).toBe('waiting');
		applicant.socket.close();
	});
});

describe('a process killed in the middle of a webhook attempt', () => {
	it('leaves the attempt to another process once its lease lapses, and the event is delivered', async () => {
		// The host answers nothing to the first delivery (the process sending it dies waiting), then 204.
		const received: { eventId: string; at: number }[] = [];
		const host = http.createServer((incoming, response) => {
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.on('end', () => {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string };
				received.push({ eventId: body.eventId, at: Date.now() });
				if (received.length > 1) response.writeHead(204).end();
			});
		});
		await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
		const webhookUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/hooks`;
		try {
			const env = {
				REDIS_URL: inject('redisUrl'),
				REDIS_KEY_PREFIX: uniqueKeyPrefix('webhook-takeover'),
				WEBHOOK_URL: webhookUrl,
				WEBHOOK_TIMEOUT_MS: '3000',
			};
			const first = await start(env);
			await ready(first);
			const applicant = await createApplicant(first.url, first.api);
			await request(applicant.socket, 'cancel', {});
			await eventually(() => (received.length === 1 ? true : undefined));
			const [attempt] = received;
			await first.kill();
			running.delete(first);

			const second = await start(env);
			await eventually(async () =>
				(await events(second.api, applicant.verificationId)).some((record) => record.type === 'webhook.delivered')
					? true
					: undefined,
			);
			// Once: the killed process's attempt and the one made after its lease, both with the same event id.
			expect(received).toHaveLength(2);
			expect(received[1]?.eventId).toBe(attempt?.eventId);
			const recorded = await events(second.api, applicant.verificationId);
			expect(recorded.filter((record) => record.type === 'webhook.enqueued')).toHaveLength(1);
			expect(recorded.filter((record) => record.type === 'webhook.delivered')).toHaveLength(1);
			applicant.socket.close();
		} finally {
			host.closeAllConnections();
			await new Promise((resolve) => host.close(resolve));
		}
	}, 120_000);
});
