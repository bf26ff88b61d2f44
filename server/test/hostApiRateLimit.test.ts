// The host API's flood control over real HTTP. A request with a valid API key draws on that key's
// budget (the default rate, or the key's own), never on its client address's: a host platform
// calling for all its users from one egress address is not held at the per-address cap. A request
// without a valid key draws on its client address's budget, so a flood of guessed keys is answered
// 429 RATE_LIMITED with Retry-After while other clients and valid keys carry on. X-Forwarded-For
// counts only when it comes from a proxy named in TRUST_PROXY. In Redis mode the budgets are shared
// by the processes.
//
// Budgets are windows of BURST requests per BURST/RATE seconds; the tests use windows of 20 s or more
// so that no window can end in the middle of a test.
import http from 'node:http';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { startService, TEST_SECRETS, type TestService } from './harness.ts';

const KEY_A = TEST_SECRETS.apiKey;
const KEY_B = 'second-host-key-0123456789abcdef';
const KEY_OWN_RATE = 'large-host-key-0123456789abcdef';
const NOT_A_KEY = 'not-a-key-0123456789abcdef';

type Answer = { status: number; retryAfter: string | undefined; code: string | undefined };

/** A GET of the listing from a given loopback address (another client as the server sees it). */
function getFrom(url: string, options: { localAddress?: string; key?: string; forwardedFor?: string } = {}): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (options.key) headers.authorization = `Bearer ${options.key}`;
	if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
	return new Promise((resolve, reject) => {
		const request = http.get(
			`${url}/api/v1/verifications?limit=1`,
			{ localAddress: options.localAddress ?? '127.0.0.1', headers },
			(response) => {
				let body = '';
				response.on('data', (chunk: Buffer) => {
					body += chunk.toString();
				});
				response.on('end', () => {
					const code = body ? (JSON.parse(body) as { error?: { code: string } }).error?.code : undefined;
					const retryAfter = response.headers['retry-after'];
					resolve({
						status: response.statusCode ?? 0,
						retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
						code,
					});
				});
			},
		);
		request.on('error', reject);
	});
}

async function statuses(url: string, count: number, options: Parameters<typeof getFrom>[1]): Promise<number[]> {
	const seen: number[] = [];
	for (let index = 0; index < count; index += 1) seen.push((await getFrom(url, options)).status);
	return seen;
}

const repeat = (status: number, count: number) => Array.from({ length: count }, () => status);

const running: TestService[] = [];
afterAll(async () => {
	for (const service of running.splice(0)) await service.close();
});

async function start(env: Record<string, string>): Promise<TestService> {
	const service = await startService({ env });
	running.push(service);
	return service;
}

describe('host API budgets per API key', () => {
	test('a host calling from one address with a valid key is not held at the per-address cap', async () => {
		// Per address 20 in 20 s; per key 200 in 20 s.
		const server = await start({
			HTTP_RATE_PER_SECOND: '1',
			HTTP_RATE_BURST: '20',
			API_KEY_RATE_PER_SECOND: '10',
			API_KEY_RATE_BURST: '200',
		});
		expect(await statuses(server.url, 60, { key: KEY_A })).toEqual(repeat(200, 60));
		// The address's own budget was not spent by the key's requests: a caller without a key has all of it.
		expect(await statuses(server.url, 20, {})).toEqual(repeat(401, 20));
		expect((await getFrom(server.url, {})).status).toBe(429);
		expect((await getFrom(server.url, { key: KEY_A })).status).toBe(200);
	});

	test('two keys have independent budgets, a key with its own rate gets that rate, and the refusal says when to retry', async () => {
		const server = await start({
			API_KEYS: `${KEY_A},${KEY_B},${KEY_OWN_RATE}:1/30`,
			API_KEY_RATE_PER_SECOND: '1',
			API_KEY_RATE_BURST: '20',
		});
		expect(await statuses(server.url, 20, { key: KEY_A })).toEqual(repeat(200, 20));
		const limited = await getFrom(server.url, { key: KEY_A });
		expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
		const retryAfter = Number(limited.retryAfter);
		expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20).toBe(true);

		// The other key has all of its budget still.
		expect(await statuses(server.url, 20, { key: KEY_B })).toEqual(repeat(200, 20));
		expect((await getFrom(server.url, { key: KEY_B })).status).toBe(429);

		// KEY_OWN_RATE:1/30 gets 30 where the default gives 20.
		expect(await statuses(server.url, 30, { key: KEY_OWN_RATE })).toEqual(repeat(200, 30));
		expect((await getFrom(server.url, { key: KEY_OWN_RATE })).status).toBe(429);
	});

	test('a flood of bad keys is held per address, while other addresses and valid keys carry on', async () => {
		const server = await start({ HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '20' });
		expect(await statuses(server.url, 20, { key: NOT_A_KEY, localAddress: '127.0.0.2' })).toEqual(repeat(401, 20));
		const held = await getFrom(server.url, { key: NOT_A_KEY, localAddress: '127.0.0.2' });
		expect(held).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
		expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(1);

		expect((await getFrom(server.url, { key: NOT_A_KEY, localAddress: '127.0.0.3' })).status).toBe(401);
		expect((await getFrom(server.url, { key: KEY_A, localAddress: '127.0.0.2' })).status).toBe(200);
		// Health checks are not part of the host API and stay answered.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});

	test('two processes on one Redis draw from one budget per key and one per address', async () => {
		const env = {
			REDIS_URL: inject('redisUrl'),
			REDIS_KEY_PREFIX: `host-limits-${Date.now()}:`,
			HTTP_RATE_PER_SECOND: '1',
			HTTP_RATE_BURST: '20',
			API_KEY_RATE_PER_SECOND: '1',
			API_KEY_RATE_BURST: '20',
		};
		const a = await start(env);
		const b = await start(env);
		await Promise.all([a.service.whenStarted(), b.service.whenStarted()]);

		expect(await statuses(a.url, 12, { key: KEY_A })).toEqual(repeat(200, 12));
		expect(await statuses(b.url, 8, { key: KEY_A })).toEqual(repeat(200, 8));
		expect((await getFrom(b.url, { key: KEY_A })).status).toBe(429);
		expect((await getFrom(a.url, { key: KEY_A })).status).toBe(429);

		expect(await statuses(b.url, 12, { key: NOT_A_KEY })).toEqual(repeat(401, 12));
		expect(await statuses(a.url, 8, { key: NOT_A_KEY })).toEqual(repeat(401, 8));
		expect((await getFrom(a.url, { key: NOT_A_KEY })).status).toBe(429);
		expect((await getFrom(b.url, { key: NOT_A_KEY })).status).toBe(429);
	});
});

describe('the client address behind proxies (TRUST_PROXY), for requests without a valid key', () => {
	const limits = { HTTP_RATE_PER_SECOND: '1', HTTP_RATE_BURST: '20' };

	test('with TRUST_PROXY off, a client that makes up a new X-Forwarded-For for every request still has one budget', async () => {
		const server = await start(limits);
		const seen: number[] = [];
		for (let index = 0; index < 22; index += 1) {
			seen.push((await getFrom(server.url, { localAddress: '127.0.0.4', forwardedFor: `198.51.100.${index + 1}` })).status);
		}
		expect(seen).toEqual([...repeat(401, 20), 429, 429]);
	});

	test('behind a trusted proxy each forwarded client has its own budget, and an untrusted peer cannot forward', async () => {
		const server = await start({ ...limits, TRUST_PROXY: '127.0.0.5, 10.0.0.0/8' });
		const via = (localAddress: string, forwardedFor: string, count: number) =>
			statuses(server.url, count, { localAddress, forwardedFor });
		// The proxy at 127.0.0.5 forwards one client past its budget: that client, not the proxy, is held.
		expect(await via('127.0.0.5', '203.0.113.7', 21)).toEqual([...repeat(401, 20), 429]);
		expect(await via('127.0.0.5', '203.0.113.8', 1)).toEqual([401]);
		// A client that spoofs the header counts as itself: the address it names is not charged.
		expect(await via('127.0.0.6', '203.0.113.9', 21)).toEqual([...repeat(401, 20), 429]);
		expect(await via('127.0.0.5', '203.0.113.9', 1)).toEqual([401]);
	});

	test('with a hop count, the address that many proxies back is the client', async () => {
		const server = await start({ ...limits, TRUST_PROXY: '1' });
		const seen: number[] = [];
		// One hop: the last address in the header is the one the single proxy saw; what the client wrote before it is not.
		for (let index = 0; index < 21; index += 1) {
			seen.push(
				(await getFrom(server.url, { localAddress: '127.0.0.7', forwardedFor: `192.0.2.${index + 1}, 203.0.113.20` })).status,
			);
		}
		expect(seen).toEqual([...repeat(401, 20), 429]);
		expect((await getFrom(server.url, { localAddress: '127.0.0.7', forwardedFor: '203.0.113.21' })).status).toBe(401);
	});
});
