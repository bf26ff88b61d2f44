// The host API's HTTP contract apart from the verification flow: API-key authentication, the error
// mapping of bad requests, agent tokens, the outcome key, CORS and security headers.
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type AgentTokenAnswer, PROTOCOL_VERSION } from '@vidverify/shared';
import { NO_EVENTS } from '@vidverify/verifier';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeSigner } from '../src/auth/OutcomeSigner.ts';
import { connect, HostApiClient, request, startService, TEST_SECRETS, type TestService } from './harness.ts';

let server: TestService;

beforeAll(async () => {
	server = await startService({
		env: {
			CORS_ORIGINS: 'https://host.example',
			HTTP_BODY_LIMIT_BYTES: '2048',
			CSP_CONNECT_ORIGINS: 'https://media-2.example:8443/',
		},
	});
});

afterAll(async () => {
	await server?.close();
});

/**
 * Sends a POST over a raw connection that promises `declaredBytes` of body but sends only `sentBytes`
 * of it, and resolves with the status line of whatever the server answers before the body is complete.
 */
function postWithUnfinishedBody(url: string, pathname: string, declaredBytes: number, sentBytes: number): Promise<string> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(port), hostname, () => {
			socket.write(
				`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${declaredBytes}\r\n\r\n${'{'.repeat(sentBytes)}`,
			);
		});
		let received = '';
		socket.on('data', (chunk: Buffer) => {
			received += chunk.toString('latin1');
			const statusLine = received.split('\r\n')[0];
			if (received.includes('\r\n') && statusLine !== undefined) {
				socket.destroy();
				resolve(statusLine);
			}
		});
		socket.on('error', reject);
	});
}

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe('API key authentication', () => {
	it('refuses a request without an API key with 401 UNAUTHENTICATED', async () => {
		const response = await fetch(`${server.url}/api/v1/verifications`);
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toBe('Bearer');
		expect(((await response.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
	});

	it('refuses a wrong API key with 401 UNAUTHENTICATED', async () => {
		const answer = await new HostApiClient(server.url, 'not-the-right-key-0000').get<ErrorBody>('/verifications');
		expect(answer.status).toBe(401);
		expect(answer.body.error.code).toBe('UNAUTHENTICATED');
	});

	it('refuses a key sent in another scheme than Bearer', async () => {
		const answer = await server.api.request<ErrorBody>('GET', '/verifications', {
			headers: { authorization: `Basic ${TEST_SECRETS.apiKey}` },
		});
		expect(answer.status).toBe(401);
	});

	it('checks the key before reading the body, so an unauthenticated caller learns nothing about the schema', async () => {
		const answer = await new HostApiClient(server.url, 'not-the-right-key-0000').post<ErrorBody>('/agent-tokens', { bogus: 1 });
		expect(answer.status).toBe(401);
	});

	it('refuses an unauthenticated body over the limit or not JSON with 401, not with what parsing it would say', async () => {
		const stranger = new HostApiClient(server.url, 'not-the-right-key-0000');
		const large = await stranger.request<ErrorBody>('POST', '/agent-tokens', { rawBody: `"${'x'.repeat(8192)}"` });
		expect(large.status).toBe(401);
		expect(large.body.error.code).toBe('UNAUTHENTICATED');
		const malformed = await stranger.request<ErrorBody>('POST', '/verifications', { rawBody: '{"agentId": ' });
		expect(malformed.status).toBe(401);
	});

	it('answers an unauthenticated request without waiting for its body, which is never read', async () => {
		const statusLine = await postWithUnfinishedBody(server.url, '/api/v1/agent-tokens', 1024, 16);
		expect(statusLine).toBe('HTTP/1.1 401 Unauthorized');
	});
});

describe('bad requests', () => {
	it('answers malformed JSON with 400 INVALID_PAYLOAD', async () => {
		const answer = await server.api.request<ErrorBody>('POST', '/agent-tokens', { rawBody: '{"agentId": "a1", ' });
		expect(answer.status).toBe(400);
		expect(answer.body.error.code).toBe('INVALID_PAYLOAD');
	});

	it('answers a body that does not match the schema with 400 and the field errors', async () => {
		const answer = await server.api.post<ErrorBody>('/agent-tokens', { agentId: 7, languages: 'en', extra: true });
		expect(answer.status).toBe(400);
		expect(answer.body.error.code).toBe('INVALID_PAYLOAD');
		const paths = answer.body.error.fields?.map((field) => field.path);
		expect(paths).toEqual(expect.arrayContaining(['agentId', 'displayName', 'languages', '']));
	});

	it('answers a body that is not JSON at all with 400', async () => {
		const answer = await server.api.request<ErrorBody>('POST', '/agent-tokens', {
			rawBody: 'agentId=a1',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(answer.status).toBe(400);
		expect(answer.body.error.code).toBe('INVALID_PAYLOAD');
	});

	it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
		const answer = await server.api.post<ErrorBody>('/agent-tokens', { agentId: 'a1', displayName: 'x'.repeat(4096) });
		expect(answer.status).toBe(413);
		expect(answer.body.error.code).toBe('PAYLOAD_TOO_LARGE');
	});

	it('answers malformed percent-encoding in a path parameter with 400 INVALID_PAYLOAD, not a server error', async () => {
		for (const id of ['%E0%A4%A', '%', 'abc%zz']) {
			const answer = await server.api.get<ErrorBody>(`/verifications/${id}`);
			expect(answer.status, id).toBe(400);
			expect(answer.body.error.code).toBe('INVALID_PAYLOAD');
			const events = await server.api.get<ErrorBody>(`/verifications/${id}/events`);
			expect(events.status, id).toBe(400);
		}
	});

	it('answers an unknown endpoint with 404 NOT_FOUND', async () => {
		const answer = await server.api.get<ErrorBody>('/nothing-here');
		expect(answer.status).toBe(404);
		expect(answer.body.error.code).toBe('NOT_FOUND');
	});

	it('answers a query with an unknown state with 400 and the field', async () => {
		const answer = await server.api.get<ErrorBody>('/verifications?state=bogus');
		expect(answer.status).toBe(400);
		expect(answer.body.error.fields?.[0]?.path).toBe('state');
	});
});

describe('POST /agent-tokens', () => {
	it('mints an agent token that opens the verification socket, with a link that keeps it in the fragment', async () => {
		const answer = await server.api.post<AgentTokenAnswer>('/agent-tokens', {
			agentId: 'agent-7',
			displayName: 'Mei',
			languages: ['en', 'zh-CN'],
			skills: ['sign_language'],
		});
		expect(answer.status).toBe(201);
		expect(answer.body.agentUrl).toBe(`${server.url}/agent#${answer.body.token}`);
		expect(Date.parse(answer.body.expiresAt)).toBeGreaterThan(Date.now());
		const socket = await connect(server.url, answer.body.token);
		const queue = await request(socket, 'getQueue', {});
		expect(queue.availability).toBeDefined();
		socket.close();
	});
});

describe('GET /outcome-key', () => {
	it('serves the public key without an API key, and it verifies outcomes this service signs', async () => {
		const response = await fetch(`${server.url}/api/v1/outcome-key`);
		expect(response.status).toBe(200);
		const key = (await response.json()) as { alg: string; kid: string; pem: string; jwk: Record<string, unknown> };
		expect(key.alg).toBe('ES256');
		expect(key.jwk).not.toHaveProperty('d');
		const signed = new OutcomeSigner(TEST_SECRETS.outcomeSigningKey).sign({ verificationId: 'v-1' }, NO_EVENTS);
		const header = jwt.decode(signed, { complete: true })?.header;
		expect(header?.kid).toBe(key.kid);
		const viaPem = jwt.verify(signed, key.pem, { algorithms: ['ES256'] }) as { sub: string };
		expect(viaPem.sub).toBe('v-1');
		const viaJwk = createPublicKey({ key: key.jwk as never, format: 'jwk' });
		expect(() => jwt.verify(signed, viaJwk, { algorithms: ['ES256'] })).not.toThrow();
	});
});

describe('CORS and headers', () => {
	it('answers a preflight from a configured origin', async () => {
		const response = await fetch(`${server.url}/api/v1/verifications`, {
			method: 'OPTIONS',
			headers: { origin: 'https://host.example', 'access-control-request-method': 'POST' },
		});
		expect(response.status).toBe(204);
		expect(response.headers.get('access-control-allow-origin')).toBe('https://host.example');
		expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
	});

	it('gives no CORS headers to any other origin', async () => {
		const response = await fetch(`${server.url}/api/v1/verifications`, {
			method: 'OPTIONS',
			headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
		});
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('sends security headers and no x-powered-by on API answers', async () => {
		const response = await fetch(`${server.url}/api/v1/outcome-key`);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
		expect(response.headers.get('x-powered-by')).toBeNull();
	});

	it('asks browsers to upgrade insecure requests only when the service is served over https', async () => {
		// This server is plain http on loopback (no PUBLIC_URL): an upgrade there would break the page in WebKit.
		const plain = (await fetch(`${server.url}/healthz`)).headers.get('content-security-policy') ?? '';
		expect(plain).not.toContain('upgrade-insecure-requests');
		const secure = await startService({ env: { PUBLIC_URL: 'https://verify.example' } });
		try {
			// Its links say https://verify.example; it listens on loopback, where the test asks it.
			const { port } = secure.service.httpServer.address() as net.AddressInfo;
			const policy = (await fetch(`http://127.0.0.1:${port}/healthz`)).headers.get('content-security-policy') ?? '';
			expect(policy).toContain('upgrade-insecure-requests');
		} finally {
			await secure.close();
		}
	});

	it('lets the web client connect only to its own origin and the configured ones, over HTTP and WebSocket', async () => {
		// Any answer of the app carries the policy; the page itself is only served once the client is built.
		const response = await fetch(`${server.url}/healthz`);
		const policy = response.headers.get('content-security-policy') ?? '';
		const connectSrc = /(?:^|;)\s*connect-src ([^;]*)/.exec(policy)?.[1]?.trim().split(/\s+/);
		const own = new URL(server.url);
		expect(connectSrc).toEqual([
			"'self'",
			own.origin,
			`ws://${own.host}`,
			'https://media-2.example:8443',
			'wss://media-2.example:8443',
		]);
	});

	it('lets only the MRZ reader’s files compile WebAssembly, never evaluate script, and the pages neither', async () => {
		// A client build of its own (a page and the reader's worker), so the test does not depend on
		// whether `vite build` has run: without one the pages are 404s, whose answer has a policy of its own.
		const clientDistDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-client-'));
		fs.writeFileSync(path.join(clientDistDir, 'index.html'), '<!doctype html><title>vidverify</title>');
		fs.mkdirSync(path.join(clientDistDir, 'tesseract'));
		fs.writeFileSync(path.join(clientDistDir, 'tesseract', 'worker.min.js'), '// the reader');
		const built = await startService({ env: { CLIENT_DIST_DIR: clientDistDir } });
		try {
			const scriptSrc = async (route: string) => {
				const answer = await fetch(`${built.url}${route}`);
				expect(answer.status, route).toBe(200);
				const policy = answer.headers.get('content-security-policy') ?? '';
				return /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1]?.trim().split(/\s+/);
			};
			expect(await scriptSrc('/healthz')).toEqual(["'self'"]);
			expect(await scriptSrc('/agent')).toEqual(["'self'"]);
			expect(await scriptSrc('/tesseract/worker.min.js')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
		} finally {
			await built.close();
			fs.rmSync(clientDistDir, { recursive: true, force: true });
		}
	});

	it('keeps serving health checks', async () => {
		const response = await fetch(`${server.url}/healthz`);
		expect(response.status).toBe(200);
		expect(PROTOCOL_VERSION).toBeGreaterThan(0);
	});
});
