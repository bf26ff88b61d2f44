// The host API's flood control over real HTTP: each client address gets a burst and a steady rate;
// beyond them it is answered 429 RATE_LIMITED with Retry-After (before its API key is even checked),
// while the health endpoints and other clients are unaffected. X-Forwarded-For counts only when it
// comes from a proxy named in TRUST_PROXY; from anyone else it is ignored.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, TEST_SECRETS, type TestService } from './harness.ts';

/** A GET from another loopback address, i.e. another client as the server sees it. */
function getFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.get(
			url,
			{ localAddress, headers: { authorization: `Bearer ${TEST_SECRETS.apiKey}`, ...headers } },
			(response) => {
				response.resume();
				resolve(response.statusCode ?? 0);
			},
		);
		request.on('error', reject);
	});
}

/** Statuses of `count` GETs from one peer, each claiming to forward for the address `forwardedFor(i)`. */
async function forwardedGets(url: string, localAddress: string, count: number, forwardedFor: (index: number) => string) {
	const statuses: number[] = [];
	for (let index = 0; index < count; index += 1) {
		statuses.push(await getFrom(localAddress, url, { 'x-forwarded-for': forwardedFor(index) }));
	}
	return statuses;
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

describe('the client address behind proxies (TRUST_PROXY)', () => {
	test('with TRUST_PROXY off, a client that makes up a new X-Forwarded-For for every request still has one bucket', async () => {
		const service = await startService({ env: { HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '3' } });
		try {
			const statuses = await forwardedGets(
				`${service.url}/api/v1/verifications`,
				'127.0.0.3',
				5,
				(index) => `198.51.100.${index + 1}`,
			);
			expect(statuses).toEqual([200, 200, 200, 429, 429]);
		} finally {
			await service.close();
		}
	});

	test('behind a trusted proxy each forwarded client has its own bucket, and an untrusted peer cannot forward', async () => {
		const service = await startService({
			env: { HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '3', TRUST_PROXY: '127.0.0.4, 10.0.0.0/8' },
		});
		const url = `${service.url}/api/v1/verifications`;
		try {
			// The proxy at 127.0.0.4 forwards one client past its burst: that client, not the proxy, is limited.
			expect(await forwardedGets(url, '127.0.0.4', 4, () => '203.0.113.7')).toEqual([200, 200, 200, 429]);
			expect(await forwardedGets(url, '127.0.0.4', 1, () => '203.0.113.8')).toEqual([200]);
			// A client that spoofs the header counts as itself: the address it names is not charged.
			expect(await forwardedGets(url, '127.0.0.5', 4, () => '203.0.113.9')).toEqual([200, 200, 200, 429]);
			expect(await forwardedGets(url, '127.0.0.4', 1, () => '203.0.113.9')).toEqual([200]);
		} finally {
			await service.close();
		}
	});

	test('with a hop count, the address that many proxies back is the client', async () => {
		const service = await startService({ env: { HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '1', TRUST_PROXY: '1' } });
		const url = `${service.url}/api/v1/verifications`;
		try {
			// One hop: the last address in the header is the one the single proxy saw; what the client wrote before it is not.
			expect(await forwardedGets(url, '127.0.0.6', 2, (index) => `192.0.2.${index + 1}, 203.0.113.20`)).toEqual([200, 429]);
			expect(await forwardedGets(url, '127.0.0.6', 1, () => '203.0.113.21')).toEqual([200]);
		} finally {
			await service.close();
		}
	});
});
