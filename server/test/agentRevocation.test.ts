// Revoking an agent over the host API, end to end: its open connections close, its tokens open no
// new connection (on any process of a Redis deployment), and a token minted afterwards works.
import { randomUUID } from 'node:crypto';
import type { AgentTokenAnswer } from '@vidverify/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
	availableAgent,
	ConnectRefused,
	connect,
	createApplicant,
	disconnected,
	HostApiClient,
	notification,
	type ParticipantSocket,
	send,
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

type Refreshed = { token: string; expiresAt: string; signInEndsAt: string };

async function refreshOver(socket: ParticipantSocket): Promise<Refreshed> {
	const answer = await send(socket, 'refreshToken' as never, {});
	if (!answer.ok) throw new Error(`refreshToken failed: ${answer.error.code} ${answer.error.reason}`);
	return answer.data as unknown as Refreshed;
}

describe('agent sign-ins: refresh, expiry and POST /api/v1/agent-tokens/:tokenId/revoke', () => {
	it('refreshes the token over the connection, keeping the agent and the sign-in, and refuses it to other roles', async () => {
		const server = await start();
		const minted = await server.api.post<AgentTokenAnswer>('/agent-tokens', { agentId: 'refresher', displayName: 'R' });
		expect(minted.body.tokenId).toMatch(/\S/);
		const socket = await connect(server.url, minted.body.token);
		const refreshed = await refreshOver(socket);
		expect(refreshed.token).not.toBe(minted.body.token);
		expect(Date.parse(refreshed.signInEndsAt)).toBeGreaterThan(Date.parse(refreshed.expiresAt) - 1);
		// The refreshed token opens a connection (which replaces the older one of the same agent).
		const replaced = disconnected(socket);
		const again = await connect(server.url, refreshed.token);
		expect(await replaced).toBe('io server disconnect');

		const applicant = await createApplicant(server.url, server.api);
		const refused = await send(applicant.socket, 'refreshToken' as never, {});
		expect(refused.ok ? undefined : refused.error).toMatchObject({ code: 'FORBIDDEN', reason: 'roleMayNotSend' });
		again.close();
		applicant.socket.close();
	});

	it('revoking one sign-in by its tokenId closes its connections, refuses its refreshed tokens, and leaves the agent’s other sign-ins', async () => {
		const server = await start();
		const mint = () => server.api.post<AgentTokenAnswer>('/agent-tokens', { agentId: 'two-devices', displayName: 'Two Devices' });
		const leaked = (await mint()).body;
		const socket = await connect(server.url, leaked.token);
		const refreshed = await refreshOver(socket);
		const told = notification(socket, 'signedOut');
		const closed = disconnected(socket);

		const answer = await server.api.post<{ tokenId: string; revokedAt: string }>(
			`/agent-tokens/${encodeURIComponent(leaked.tokenId)}/revoke`,
			undefined,
		);
		expect(answer.status).toBe(200);
		expect(answer.body.tokenId).toBe(leaked.tokenId);
		expect(await told).toMatchObject({ reason: 'revoked' });
		expect(await closed).toBe('io server disconnect');
		for (const token of [leaked.token, refreshed.token]) {
			expect((await refusalOf(server.url, token)).error.reason).toBe('tokenInvalid');
		}
		// Another sign-in of the same agent, even one minted before the revocation, goes on.
		const other = await connect(server.url, (await mint()).body.token);
		other.close();
		const stranger = new HostApiClient(server.url, 'not-the-right-key-0000');
		expect((await stranger.post(`/agent-tokens/${leaked.tokenId}/revoke`, undefined)).status).toBe(401);
	});

	it('closes an agent connection whose token runs out unrefreshed, and keeps one that refreshed', async () => {
		const server = await start({ AGENT_TOKEN_TTL_MS: '3000' });
		const lapsing = await availableAgent(server.url, server.api);
		const refreshing = await availableAgent(server.url, server.api);
		const told = notification(lapsing.socket, 'signedOut');
		const closed = disconnected(lapsing.socket);
		// Token times are whole seconds: refreshed a second and a bit later, it runs out at least a second later.
		await new Promise((resolve) => setTimeout(resolve, 1200));
		const refreshed = await refreshOver(refreshing.socket);
		expect(Date.parse(refreshed.expiresAt) - Date.parse(lapsing.expiresAt)).toBeGreaterThanOrEqual(1000);
		expect(await told).toMatchObject({ reason: 'tokenExpired' });
		expect(await closed).toBe('io server disconnect');
		expect(refreshing.socket.connected).toBe(true);
		expect((await refusalOf(server.url, lapsing.token)).error.reason).toBe('tokenExpired');
		refreshing.socket.close();
	});
});
