// The operator view's endpoint over real HTTP: without the operator key, or with another, it refuses
// in the API's error shape; with it, during a real call (both sides on the real mediasoup worker, the
// applicant sending video, quality sampled) and one applicant waiting, it answers the operator
// snapshot in the shared schema: the call with its participants and quality, the agent busy in it,
// the queue, the worker with what it carries; and nothing personal of the applicants. A server with no
// operator key has no such endpoint. Guessing keys from one address runs out of budget. The key comes
// from OPERATOR_KEY, or from the development secrets, which add one to a file written before it existed.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CONSENT_VERSION, OPERATOR_OVERVIEW_PATH, type OperatorOverview, operatorOverviewSchema } from '@vidverify/shared';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createOperatorApi } from '../src/http/api/operatorApi.ts';
import { createLogger } from '../src/logger.ts';
import {
	callInProgress,
	createApplicant,
	request,
	startService,
	type TestService,
	temporaryDataDir,
	testEnvironment,
} from './harness.ts';
import { cameraReachesAgent } from './support/callMedia.ts';

const OPERATOR_KEY = 'operator-key-0123456789abcdef0123456789';

function overview(url: string, authorization?: string): Promise<Response> {
	return fetch(`${url}${OPERATOR_OVERVIEW_PATH}`, { headers: authorization ? { authorization } : {} });
}

/** Every property name anywhere in the value. */
function keysIn(value: unknown, into = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const item of value) keysIn(item, into);
	else if (value && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			into.add(key);
			keysIn(inner, into);
		}
	}
	return into;
}

const running: TestService[] = [];
afterAll(async () => {
	for (const service of running.splice(0)) await service.close();
});

describe(`GET ${OPERATOR_OVERVIEW_PATH} with OPERATOR_KEY`, () => {
	let server: TestService;

	beforeAll(async () => {
		server = await startService({ env: { OPERATOR_KEY, QUALITY_SAMPLE_MS: '250' } });
		running.push(server);
	});

	test('refuses a request without the key, with another, or not as a bearer token, in the error shape of the API', async () => {
		for (const authorization of [
			undefined,
			'Bearer operator-key-but-not-this-one-0123456789',
			OPERATOR_KEY,
			`Basic ${OPERATOR_KEY}`,
		]) {
			const response = await overview(server.url, authorization);
			expect(response.status, authorization).toBe(401);
			expect(response.headers.get('www-authenticate')).toBe('Bearer');
			expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
		}
	});

	test('during a real call with one applicant waiting, answers the call with its quality, the busy agent, the queue and the worker, and nothing personal', async () => {
		const inCall = { externalUserRef: 'operator-test-user-in-call', eligibility: { age: 34, region: 'DE' } };
		const { applicant, agent } = await callInProgress(server.url, server.api, inCall);
		const waiting = await createApplicant(server.url, server.api, {
			purpose: 'identity_reset',
			locale: 'zh-CN',
			externalUserRef: 'operator-test-user-waiting',
		});
		await request(waiting.socket, 'consent', { consentVersion: CONSENT_VERSION });
		try {
			await cameraReachesAgent(applicant.socket, agent.socket);

			const response = await overview(server.url, `Bearer ${OPERATOR_KEY}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('no-store');
			const text = await response.text();
			const answer: OperatorOverview = operatorOverviewSchema.parse(JSON.parse(text));

			expect(Date.parse(answer.at)).toBeGreaterThan(0);
			expect(answer.calls).toHaveLength(1);
			const [call] = answer.calls;
			expect(call?.verificationId).toBe(applicant.verificationId);
			expect(call?.participants.map((participant) => participant.role).sort()).toEqual(['agent', 'applicant']);
			expect(call?.quality.samples).toBeGreaterThanOrEqual(1);
			expect(call?.quality.participants.map((participant) => participant.role)).toContain('applicant');

			expect(answer.agents).toEqual([
				{
					agentId: agent.agentId,
					displayName: `Agent ${agent.agentId.slice(0, 14)}`,
					state: 'busy',
					verificationId: applicant.verificationId,
					connections: 1,
				},
			]);

			expect(answer.queue.length).toBe(1);
			expect(answer.queue.items).toEqual([
				expect.objectContaining({ verificationId: waiting.verificationId, purpose: 'identity_reset', locale: 'zh-CN' }),
			]);
			expect(answer.queue.items[0]?.waitingSeconds).toBeGreaterThanOrEqual(0);

			const workerPids = server.service.pool.workers.map((worker) => worker.pid);
			expect(answer.workers.map((worker) => worker.pid)).toEqual(workerPids);
			const [worker] = answer.workers;
			expect(worker?.media.routers).toBe(1);
			// A send and a receive transport for each side of the call.
			expect(worker?.media.transports).toBe(4);
			expect(worker?.media.producers).toEqual({ audio: 0, video: 1 });
			expect(worker?.media.consumers).toEqual({ audio: 0, video: 1 });
			expect(worker?.cpu.userSeconds).toBeGreaterThan(0);
			expect(worker?.memory.maxResidentBytes).toBeGreaterThan(0);

			// The applicants' references and what the host said of them stay out of it.
			expect(text).not.toContain(inCall.externalUserRef);
			expect(text).not.toContain('operator-test-user-waiting');
			const keys = keysIn(answer);
			for (const personal of ['externalUserRef', 'eligibility', 'age', 'region', 'declaration'])
				expect(keys).not.toContain(personal);
		} finally {
			for (const socket of [applicant.socket, agent.socket, waiting.socket]) socket.close();
		}
	});
});

describe('the operator endpoint', () => {
	test('is not there (404) on a server without an operator key', async () => {
		const server = await startService();
		running.push(server);
		expect(server.service.config.operatorKey).toBeUndefined();
		expect((await overview(server.url, `Bearer ${OPERATOR_KEY}`)).status).toBe(404);
	});

	test('answers 429 with Retry-After to one address past its budget, a wrong key or the right one', async () => {
		const app = express();
		const config = loadConfig(testEnvironment(temporaryDataDir()));
		app.use(
			OPERATOR_OVERVIEW_PATH,
			createOperatorApi({
				key: OPERATOR_KEY,
				overview: () => Promise.reject(new Error('not read in this test')),
				logger: createLogger(config),
				rateLimit: { ratePerSecond: 1, burst: 3 },
				// The clock stands still: no budget comes back while the test runs.
				now: () => 0,
			}),
		);
		const listener = app.listen(0, '127.0.0.1');
		await new Promise((resolve) => listener.once('listening', resolve));
		const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
		try {
			const statuses: number[] = [];
			for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await overview(url, 'Bearer a-guess-0123456789')).status);
			expect(statuses).toEqual([401, 401, 401]);
			const refused = await overview(url, `Bearer ${OPERATOR_KEY}`);
			expect(refused.status).toBe(429);
			expect(refused.headers.get('retry-after')).toBe('1');
			expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
		} finally {
			listener.closeAllConnections();
			await new Promise((resolve) => listener.close(resolve));
		}
	});
});

describe('the operator key', () => {
	test('is OPERATOR_KEY when set, and a short one is refused by name', () => {
		expect(loadConfig(testEnvironment(temporaryDataDir(), { OPERATOR_KEY })).operatorKey).toBe(OPERATOR_KEY);
		expect(() => loadConfig(testEnvironment(temporaryDataDir(), { OPERATOR_KEY: 'short' }))).toThrow(/OPERATOR_KEY/);
	});

	test('is generated with the development secrets, kept across restarts, and added to a file written before it existed', () => {
		const dataDir = temporaryDataDir();
		const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(first.operatorKey).toMatch(/^vvo_dev_.{40,}$/);
		expect(first.developmentSecrets?.operatorKey).toBe(first.operatorKey);
		expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).operatorKey).toBe(first.operatorKey);
		// A given OPERATOR_KEY wins, and the generated one is not offered for printing.
		const given = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, OPERATOR_KEY });
		expect(given.operatorKey).toBe(OPERATOR_KEY);
		expect(given.developmentSecrets?.operatorKey).toBeUndefined();

		const file = path.join(dataDir, 'dev-secrets.json');
		const { operatorKey: _dropped, ...older } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
		fs.writeFileSync(file, JSON.stringify(older), { mode: 0o600 });
		const upgraded = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(upgraded.operatorKey).toMatch(/^vvo_dev_/);
		expect(upgraded.secrets).toEqual(first.secrets);
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ ...older, operatorKey: upgraded.operatorKey });
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
	});

	test('is absent in production unless OPERATOR_KEY is set', () => {
		const production = { ...testEnvironment(temporaryDataDir()), NODE_ENV: 'production' };
		expect(loadConfig(production).operatorKey).toBeUndefined();
		expect(loadConfig({ ...production, OPERATOR_KEY }).operatorKey).toBe(OPERATOR_KEY);
	});
});
