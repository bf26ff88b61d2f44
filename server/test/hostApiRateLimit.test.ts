// The host API's flood control over real HTTP: each client address gets a burst and a steady rate;
// beyond them it is answered 429 RATE_LIMITED with Retry-After (before its API key is even checked),
// while the health endpoints and other clients are unaffected.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, TEST_SECRETS, type TestService } from './harness.ts';

/** A GET from another loopback address, i.e. another client as the server sees it. */
function getFrom(localAddress: string, url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { localAddress, headers: { authorization: `Bearer ${TEST_SECRETS.apiKey}` } }, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('error', reject);
	});
}

let server: TestService;

beforeAll(async () => {
	server = await startService({ env: { HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '3' } });
});
afterAll(() => server.close());

describe('host API flood control', () => {
	test('a client past its burst gets 429 RATE_LIMITED with Retry-After, whether or not its key is valid', async () => {
		const statuses: number[] = [];
		for (let request = 0; request < 3; request += 1) statuses.push((await server.api.get('/verifications')).status);
		expect(statuses).toEqual([200, 200, 200]);

		const limited = await server.api.get<{ error: { code: string; message: string } }>('/verifications');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('1');
		expect(limited.body.error.code).toBe('RATE_LIMITED');

		const guessing = await fetch(`${server.url}/api/v1/verifications`, {
			headers: { authorization: 'Bearer not-a-key-0123456789' },
		});
		expect(guessing.status).toBe(429);

		// Health checks are not part of the host API and stay answered; another client has its own bucket.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect(await getFrom('127.0.0.2', `${server.url}/api/v1/verifications`)).toBe(200);
	});
});
