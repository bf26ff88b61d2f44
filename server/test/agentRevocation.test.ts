// Revoking an agent over the host API, end to end: its open connections close, its tokens open no
// new connection (on any process of a Redis deployment), and a token minted afterwards works.
import { randomUUID } from 'node:crypto';
import type { AgentTokenAnswer } from '@vidverify/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
	availableAgent,
	ConnectRefused,
	connect,
	disconnected,
	HostApiClient,
	startService,
	type TestService,
} from './harness.ts';

type RevokeAnswer = { agentId: string; revokedAt: string };

const started: TestService[] = [];
afterAll(async () => {
	for (const service of started.splice(0)) await service.close();
});

async function start(env: Record<string, string> = {}): Promise<TestService> {
	const service = await startService({ env });
	started.push(service);
	await service.service.whenStarted();
	return service;
}

async function refusalOf(url: string, token: string): Promise<ConnectRefused> {
	try {
		const socket = await connect(url, token);
		socket.close();
	} catch (error) {
		if (error instanceof ConnectRefused) return error;
		throw error;
	}
	throw new Error('the connection was accepted');
}

async function mintAgentToken(api: HostApiClient, agentId: string): Promise<string> {
	const answer = await api.post<AgentTokenAnswer>('/agent-tokens', { agentId, displayName: 'Revocable Agent' });
	expect(answer.status).toBe(201);
	return answer.body.token;
}

/** Waits past the second of `moment`: tokens are stamped to the second, and that second is revoked. */
async function nextSecondAfter(moment: string): Promise<void> {
	const wait = Math.floor(Date.parse(moment) / 1000) * 1000 + 1000 - Date.now();
	if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 20));
}

describe('POST /api/v1/agents/:agentId/revoke', () => {
	it("closes the agent's connections, refuses its token at the next handshake, and accepts a token minted afterwards", async () => {
		const server = await start();
		const agent = await availableAgent(server.url, server.api);
		const closed = disconnected(agent.socket);

		const answer = await server.api.post<RevokeAnswer>(`/agents/${encodeURIComponent(agent.agentId)}/revoke`, undefined);
		expect(answer.status).toBe(200);
		expect(answer.body.agentId).toBe(agent.agentId);
		expect(Date.parse(answer.body.revokedAt)).not.toBeNaN();
		expect(await closed).toBe('io server disconnect');

		const refused = await refusalOf(server.url, agent.token);
		expect(refused.error.code).toBe('UNAUTHENTICATED');
		expect(refused.error.reason).toBe('tokenInvalid');

		await nextSecondAfter(answer.body.revokedAt);
		const fresh = await connect(server.url, await mintAgentToken(server.api, agent.agentId));
		fresh.close();
	});

	it('needs the API key, and leaves the agent alone without it', async () => {
		const server = await start();
		const agent = await availableAgent(server.url, server.api);
		const stranger = new HostApiClient(server.url, 'not-the-right-key-0000');
		const answer = await stranger.post<{ error: { code: string } }>(`/agents/${agent.agentId}/revoke`, undefined);
		expect(answer.status).toBe(401);
		expect(agent.socket.connected).toBe(true);
		const again = await connect(server.url, agent.token);
		again.close();
		agent.socket.close();
	});

	it('revoked through one process of a Redis deployment, the token opens no connection on the other', async () => {
		const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `revoke-${randomUUID()}:` };
		const [one, two] = [await start(env), await start(env)] as [TestService, TestService];
		const agentId = `agent-${randomUUID()}`;
		const token = await mintAgentToken(one.api, agentId);
		const onTwo = await connect(two.url, token);
		const closed = disconnected(onTwo);

		const answer = await one.api.post<RevokeAnswer>(`/agents/${agentId}/revoke`, undefined);
		expect(answer.status).toBe(200);
		// The adapter carries the disconnection to the process holding the connection.
		expect(await closed).toBe('io server disconnect');
		expect((await refusalOf(two.url, token)).error.code).toBe('UNAUTHENTICATED');
		expect((await refusalOf(one.url, token)).error.code).toBe('UNAUTHENTICATED');
	});
});
