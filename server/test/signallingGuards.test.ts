// What the verification socket does with connections and messages it must not trust: wrong protocol
// versions, bad or expired tokens, unknown events, malformed and oversized payloads, requests a role
// may not send, and floods. Each gets its error code, and the server and other sessions carry on.
import type { AgentTokenAnswer } from '@vidverify/shared';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParticipantTokens } from '../src/auth/ParticipantTokens.ts';
import {
	connect,
	disconnected,
	openSocket,
	type ParticipantSocket,
	refusal,
	send,
	startService,
	TEST_SECRETS,
	type TestService,
} from './harness.ts';

let server: TestService;
const RATE = { SOCKET_RATE_PER_SECOND: '5', SOCKET_RATE_BURST: '10', SOCKET_FLOOD_DISCONNECT_AFTER: '10' };

beforeAll(async () => {
	server = await startService({ env: RATE });
});

afterAll(async () => {
	await server?.close();
});

async function agentToken(agentId: string): Promise<string> {
	const answer = await server.api.post<AgentTokenAnswer>('/agent-tokens', { agentId, displayName: agentId });
	return answer.body.token;
}

describe('the handshake', () => {
	it('refuses a client of another protocol version with PROTOCOL_MISMATCH', async () => {
		const error = await refusal(connect(server.url, await agentToken('a-version'), { protocolVersion: 999 }));
		expect(error.code).toBe('PROTOCOL_MISMATCH');
	});

	it('refuses a client that states no protocol version with PROTOCOL_MISMATCH', async () => {
		const socket = openSocket(server.url, { token: await agentToken('a-no-version') });
		const error = await new Promise<{ data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
		socket.close();
		expect(error.data?.code).toBe('PROTOCOL_MISMATCH');
	});

	it('refuses a missing token with UNAUTHENTICATED', async () => {
		expect((await refusal(connect(server.url, ''))).code).toBe('UNAUTHENTICATED');
	});

	it('refuses a token that is not a JWT with UNAUTHENTICATED', async () => {
		expect((await refusal(connect(server.url, 'not.a.token'))).code).toBe('UNAUTHENTICATED');
	});

	it('refuses a token signed with another secret with UNAUTHENTICATED', async () => {
		const forged = new ParticipantTokens('another-secret-0123456789abcdef0123456789', 60_000).issueAgent({
			agentId: 'forger',
			displayName: 'Forger',
			languages: [],
			skills: [],
		});
		expect((await refusal(connect(server.url, forged.token))).code).toBe('UNAUTHENTICATED');
	});

	it('refuses a token signed with alg none with UNAUTHENTICATED', async () => {
		const unsigned = jwt.sign({ role: 'agent', pid: 'x', agent: { id: 'x', name: 'x', languages: [], skills: [] } }, '', {
			algorithm: 'none',
			issuer: 'vidverify',
			audience: 'vidverify:participant',
			jwtid: 'x',
			expiresIn: 60,
		});
		expect((await refusal(connect(server.url, unsigned))).code).toBe('UNAUTHENTICATED');
	});

	it('refuses an expired token with UNAUTHENTICATED and says so', async () => {
		const anHourAgo = Date.now() - 3_600_000;
		const expired = new ParticipantTokens(TEST_SECRETS.jwtSecret, 60_000, () => anHourAgo).issueAgent({
			agentId: 'late',
			displayName: 'Late',
			languages: [],
			skills: [],
		});
		const error = await refusal(connect(server.url, expired.token));
		expect(error.code).toBe('UNAUTHENTICATED');
		expect(error.message).toContain('expired');
	});
});

describe('messages', () => {
	let socket: ParticipantSocket;

	beforeAll(async () => {
		socket = await connect(server.url, await agentToken('a-messages'));
	});

	afterAll(() => {
		socket?.close();
	});

	it('answers an unknown event with INVALID_PAYLOAD', async () => {
		const answer = await send(socket, 'dropTables' as never, {});
		expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
	});

	it('answers a wrong-typed payload with INVALID_PAYLOAD and the fields', async () => {
		const answer = await send(socket, 'setAvailability', { availability: 42 });
		expect(answer.ok).toBe(false);
		if (answer.ok) return;
		expect(answer.error.code).toBe('INVALID_PAYLOAD');
		expect(answer.error.fields?.[0]?.path).toBe('availability');
	});

	it('answers a payload that is not an object with INVALID_PAYLOAD', async () => {
		const answer = await send(socket, 'markStep', 'passed' as never);
		expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
	});

	it('answers unexpected extra fields with INVALID_PAYLOAD', async () => {
		const answer = await send(socket, 'getQueue', { everything: true });
		expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
	});

	it('answers a request the role may not send with FORBIDDEN, before looking at its payload', async () => {
		const answer = await send(socket, 'consent', { nonsense: true });
		expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
	});

	it('drops the connection of a client that sends a message over 64 KiB, and the server carries on', async () => {
		const big = await connect(server.url, await agentToken('a-big'));
		const gone = disconnected(big);
		big.emit('sendChat', { text: 'x'.repeat(100 * 1024) }, () => {});
		expect(await gone).toMatch(/transport (close|error)/);
		const answer = await send(socket, 'dropTables' as never, {});
		expect(answer.ok).toBe(false);
	});
});

describe('a flood', () => {
	it('gets RATE_LIMITED, then a disconnect, while another client keeps working', async () => {
		const flooder = await connect(server.url, await agentToken('a-flood'));
		const bystander = await connect(server.url, await agentToken('a-bystander'));
		const gone = disconnected(flooder);
		const answers = await Promise.all(
			Array.from({ length: 30 }, () =>
				Promise.race([send(flooder, 'getQueue', {}), gone.then(() => ({ ok: false as const, error: { code: 'DISCONNECTED' } }))]),
			),
		);
		const codes = answers.map((answer) => (answer.ok ? 'OK' : answer.error.code));
		expect(codes).toContain('RATE_LIMITED');
		expect(await gone).toBe('io server disconnect');
		const answer = await send(bystander, 'dropTables' as never, {});
		expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
		bystander.close();
	});
});
