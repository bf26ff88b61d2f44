// Request budgets that outlive a connection, over real socket.io: a participant who reconnects gets no
// fresh budget, one client address cannot open connections without bound, and in Redis mode two
// processes draw from one participant budget.
import { CONSENT_VERSION } from '@vidverify/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConnectRefused, connect, createApplicant, send, startService, type TestService } from './harness.ts';

const running: TestService[] = [];

afterAll(async () => {
	for (const server of running.splice(0)) await server.close();
});

/** Sends `count` getState requests, as fast as the socket takes them; the refusals' codes. */
async function spend(socket: Awaited<ReturnType<typeof connect>>, count: number): Promise<string[]> {
	const answers = await Promise.all(Array.from({ length: count }, () => send(socket, 'getState', {})));
	return answers.flatMap((answer) => (answer.ok ? [] : [answer.error.code]));
}

describe('budgets beyond one connection', () => {
	it("does not refill a participant's budget when it reconnects", async () => {
		// Per connection 5/s with a burst of 10; per participant 50 in any ten seconds.
		const server = await startService({
			env: { SOCKET_RATE_PER_SECOND: '5', SOCKET_RATE_BURST: '10', SOCKET_FLOOD_DISCONNECT_AFTER: '1000' },
		});
		running.push(server);
		const applicant = await createApplicant(server.url, server.api);
		let socket = applicant.socket;
		const refusals: string[] = [];
		for (let connection = 0; connection < 6; connection += 1) {
			refusals.push(...(await spend(socket, 10)));
			socket.close();
			socket = await connect(server.url, applicant.token);
		}
		// Six fresh connections of ten each: the last ten are past the participant's fifty.
		expect(refusals.length).toBeGreaterThanOrEqual(9);
		expect(new Set(refusals)).toEqual(new Set(['RATE_LIMITED']));
		socket.close();
	});

	it('refuses one address more new connections a minute than its budget', async () => {
		const server = await startService();
		running.push(server);
		const applicant = await createApplicant(server.url, server.api);
		applicant.socket.close();
		let refused: ConnectRefused | undefined;
		for (let attempt = 0; attempt < 700 && !refused; attempt += 1) {
			try {
				(await connect(server.url, applicant.token)).close();
			} catch (error) {
				if (!(error instanceof ConnectRefused)) throw error;
				refused = error;
			}
		}
		expect(refused?.error).toMatchObject({ code: 'RATE_LIMITED', reason: 'rateLimited' });
	});

	it("shares a participant's budget between two processes on one Redis", async () => {
		const env = {
			REDIS_URL: inject('redisUrl'),
			REDIS_KEY_PREFIX: `limits-${Date.now()}:`,
			SOCKET_RATE_PER_SECOND: '5',
			SOCKET_RATE_BURST: '30',
			SOCKET_FLOOD_DISCONNECT_AFTER: '1000',
		};
		const a = await startService({ env });
		const b = await startService({ env });
		running.push(a, b);
		const applicant = await createApplicant(a.url, a.api);
		await send(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		// Fifty in ten seconds for the participant: 29 more here, then on the other process it runs out.
		expect(await spend(applicant.socket, 29)).toEqual([]);
		applicant.socket.close();
		const elsewhere = await connect(b.url, applicant.token);
		const refusals = await spend(elsewhere, 30);
		expect(refusals.length).toBeGreaterThanOrEqual(9);
		elsewhere.close();
	});
});
