// R1: Redis commands per verification, counted by a real redis-server (INFO commandstats) serving one
// vidverify process in Redis mode: created by the host, the applicant connected and consenting, an
// agent accepting, prompting and passing every step, approving, and the webhook delivered to a real
// receiver. What a process spends with nothing to do (heartbeat, sweeps, outbox polls) is counted
// apart over an idle window and taken off. For sizing Redis: docs/performance.md, "Redis".
//
//   node bench/signalling/redis.ts
//   BENCH_REDIS_VERIFICATIONS=10   verifications run one after the other

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONSENT_VERSION, type StepView } from '@vidverify/shared';
import { Redis } from 'ioredis';
import { startRedis } from '../../server/test/redis.ts';
import { BenchServer, connectParticipant, note, type Participant, printFigure, request, tokenOf } from './support.ts';

const VERIFICATIONS = Number(process.env.BENCH_REDIS_VERIFICATIONS ?? 10);
const IDLE_MS = 3000;

/** Calls per command since the server started, from INFO commandstats. */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
	const info = await redis.info('commandstats');
	const counts = new Map<string, number>();
	for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts.set(match[1] as string, Number(match[2]));
	return counts;
}

function difference(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
	const result = new Map<string, number>();
	for (const [command, calls] of after) {
		const added = calls - (before.get(command) ?? 0);
		if (added > 0) result.set(command, added);
	}
	return result;
}

/** The host platform's webhook endpoint: counts what it receives, answers 204. */
class WebhookReceiver {
	deliveries = 0;
	readonly #server = http.createServer((incoming, response) => {
		incoming.resume();
		incoming.on('end', () => {
			this.deliveries += 1;
			response.writeHead(204).end();
		});
	});

	async start(): Promise<string> {
		this.#server.listen(0, '127.0.0.1');
		await new Promise((resolve) => this.#server.once('listening', resolve));
		return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`;
	}

	async waitForDeliveries(count: number): Promise<void> {
		while (this.deliveries < count) await new Promise((resolve) => setTimeout(resolve, 10));
	}

	close(): Promise<void> {
		this.#server.closeAllConnections();
		return new Promise((resolve) => this.#server.close(() => resolve()));
	}
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, calls) => sum + calls, 0);

async function verification(server: BenchServer, agent: Participant, receiver: WebhookReceiver, index: number): Promise<void> {
	const created = await server.api.post<{ id: string; applicantUrl: string }>('/verifications', {
		externalUserRef: `bench-redis-${index}`,
		purpose: 'c2c_video',
	});
	if (created.status !== 201) throw new Error(`create: ${created.status}`);
	const applicant = await connectParticipant(server.url, tokenOf(created.body.applicantUrl));
	await request(applicant, 'consent', { consentVersion: CONSENT_VERSION });
	const inCall = await request<{ checklist: StepView[] }>(agent, 'accept', { verificationId: created.body.id });
	for (const step of inCall.checklist) {
		await request(agent, 'promptStep', { stepId: step.id });
		await request(agent, 'markStep', { stepId: step.id, result: 'passed' });
	}
	await request(agent, 'decide', { decision: 'approve' });
	await receiver.waitForDeliveries(index + 1);
	applicant.close();
}

const redis = await startRedis();
const receiver = new WebhookReceiver();
const server = await BenchServer.start({ env: { REDIS_URL: redis.url, WEBHOOK_URL: await receiver.start() } });
const client = new Redis(redis.url);
try {
	for (;;) {
		if ((await fetch(`${server.url}/readyz`)).ok) break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const minted = await server.api.post<{ token: string }>('/agent-tokens', {
		agentId: 'bench-redis-agent',
		displayName: 'Bench agent',
		languages: ['en'],
		skills: [],
	});
	const agent = await connectParticipant(server.url, minted.body.token);
	await request(agent, 'setAvailability', { availability: 'available' });

	note(`redis: idle for ${IDLE_MS} ms`);
	const idleBefore = await commandCounts(client);
	await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
	// Our own INFO calls are in the counts too: one per reading.
	const idlePerMs = (total(difference(idleBefore, await commandCounts(client))) - 1) / IDLE_MS;

	note(`redis: ${VERIFICATIONS} verifications`);
	const before = await commandCounts(client);
	const from = performance.now();
	for (let index = 0; index < VERIFICATIONS; index += 1) await verification(server, agent, receiver, index);
	const elapsedMs = performance.now() - from;
	const used = difference(before, await commandCounts(client));
	used.set('info', (used.get('info') ?? 1) - 1);
	const perVerification = (total(used) - idlePerMs * elapsedMs) / VERIFICATIONS;
	printFigure('R1', 'Redis commands per verification (create to approval, webhook delivered)', perVerification, 'commands');
	printFigure(
		'R1.idle',
		'Redis commands per second of an idle process (heartbeat, sweeps, outbox)',
		idlePerMs * 1000,
		'commands/s',
		1,
	);
	const top = [...used].sort((a, b) => b[1] - a[1]).slice(0, 6);
	note(
		`redis: most used per verification: ${top.map(([command, calls]) => `${command} ${(calls / VERIFICATIONS).toFixed(1)}`).join(', ')}`,
	);
	agent.close();
} finally {
	client.disconnect();
	await server.stop();
	await receiver.close();
	await redis.stop();
}
