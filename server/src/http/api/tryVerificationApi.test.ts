// The try endpoint's router over real HTTP, with the host API's calls replaced by a recorder and the
// rate limit's clock held still: what it creates for each variant, what it refuses, and its budget.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentTokenBody, CreateVerificationBody } from '@vidverify/shared';
import express from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger } from '../../logger.ts';
import type { HostCalls } from './hostCalls.ts';
import { createTryVerificationApi } from './tryVerificationApi.ts';

type Recorded = { verifications: CreateVerificationBody[]; agents: AgentTokenBody[] };

function recordingCalls(): HostCalls & { recorded: Recorded } {
	const recorded: Recorded = { verifications: [], agents: [] };
	return {
		recorded,
		async createVerification(body) {
			recorded.verifications.push(body);
			const id = `v-${recorded.verifications.length}`;
			return {
				id,
				state: 'created',
				applicantUrl: `http://try.test/join#${id}`,
				applicantToken: id,
				expiresAt: '2030-01-01T00:00:00.000Z',
			};
		},
		createAgentToken(body) {
			recorded.agents.push(body);
			return {
				token: 'agent',
				tokenId: 'sign-in-1',
				agentUrl: 'http://try.test/agent#agent',
				expiresAt: '2030-01-01T00:00:00.000Z',
			};
		},
	};
}

const servers: http.Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function serve(calls: HostCalls, rateLimit = { ratePerSecond: 1, burst: 100 }): Promise<string> {
	const app = express();
	const logger = createLogger({ log: { level: 'silent', format: 'json' } });
	app.use('/try', createTryVerificationApi({ calls, logger, rateLimit, now: () => 0 }));
	const server = http.createServer(app);
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/try`;
}

async function errorCodeOf(response: Response): Promise<string> {
	return ((await response.json()) as { error: { code: string } }).error.code;
}

function post(url: string, body: string, contentType = 'application/json') {
	return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('the try endpoint', () => {
	test('GET offers the three variants', async () => {
		const url = await serve(recordingCalls());
		const response = await fetch(url);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ variants: ['standard', 'interpreter', 'typed_challenge'] });
	});

	test('POST creates a verification of the variant and the demo agent, and answers both links', async () => {
		const calls = recordingCalls();
		const url = await serve(calls);
		const answers = [];
		for (const variant of ['standard', 'interpreter', 'typed_challenge']) {
			const response = await post(url, JSON.stringify({ variant, locale: 'zh-CN' }));
			expect(response.status).toBe(201);
			answers.push(await response.json());
		}
		expect(answers[1]).toEqual({
			variant: 'interpreter',
			verificationId: 'v-2',
			applicantUrl: 'http://try.test/join#v-2',
			agentUrl: 'http://try.test/agent#agent',
			expiresAt: '2030-01-01T00:00:00.000Z',
		});
		expect(calls.recorded.verifications.map((body) => body.accessibility)).toEqual([
			{ interpreter: false, textOnlyChallenge: false },
			{ interpreter: true, textOnlyChallenge: false },
			{ interpreter: false, textOnlyChallenge: true },
		]);
		expect(calls.recorded.verifications.every((body) => body.locale === 'zh-CN' && body.purpose === 'c2c_video')).toBe(true);
		expect(new Set(calls.recorded.verifications.map((body) => body.externalUserRef)).size).toBe(3);
		// The demo agent may take every variant, the interpreter one included.
		expect(calls.recorded.agents[0]).toMatchObject({ agentId: 'demo-agent', skills: ['sign_language'] });
	});

	test('POST refuses an unknown variant, a missing body, and a body that is not JSON, with INVALID_PAYLOAD', async () => {
		const calls = recordingCalls();
		const url = await serve(calls);
		for (const [body, type] of [
			['{"variant":"video_game"}', 'application/json'],
			['', 'application/json'],
			['{not json', 'application/json'],
			// What a form on another site could send without a CORS preflight.
			['variant=standard', 'application/x-www-form-urlencoded'],
			['{"variant":"standard"}', 'text/plain'],
		]) {
			const response = await post(url, body ?? '', type);
			expect(response.status, `${type} ${body}`).toBe(400);
			expect(await errorCodeOf(response)).toBe('INVALID_PAYLOAD');
		}
		expect(calls.recorded.verifications).toEqual([]);
	});

	test('POST beyond the burst is answered 429 RATE_LIMITED with Retry-After, and creates nothing', async () => {
		const calls = recordingCalls();
		const url = await serve(calls, { ratePerSecond: 0.2, burst: 2 });
		const statuses = [];
		for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await post(url, '{"variant":"standard"}')).status);
		expect(statuses).toEqual([201, 201, 429]);
		const limited = await post(url, '{"variant":"standard"}');
		expect(limited.headers.get('retry-after')).toBe('5');
		expect(await errorCodeOf(limited)).toBe('RATE_LIMITED');
		expect(calls.recorded.verifications).toHaveLength(2);
	});
});
