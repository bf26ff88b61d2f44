// The landing page's try endpoint on the real service: in development it makes a verification a host
// could have made (the same state, accessibility and working links), in production it does not
// exist and cannot be switched on, and `npm start` in development prints a pair of links by itself.
import { TRY_VERIFICATION_PATH, type TryVerificationAnswer, type VerificationView } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { connect, startService, TEST_SECRETS, type TestService, temporaryDataDir, testEnvironment } from './harness.ts';
import { startServer } from './support/serverProcess.ts';

function tryVerification(url: string, body: unknown): Promise<Response> {
	return fetch(`${url}${TRY_VERIFICATION_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

/** The token a join or agent link carries in its fragment. */
const tokenOf = (link: string) => new URL(link).hash.slice(1);

let development: TestService;
let production: TestService;
let testMode: TestService;

beforeAll(async () => {
	[development, production, testMode] = await Promise.all([
		startService({ env: { NODE_ENV: 'development' } }),
		startService({ env: { NODE_ENV: 'production' } }),
		startService(),
	]);
});
afterAll(async () => {
	await Promise.all([development?.close(), production?.close(), testMode?.close()]);
});

describe('the try endpoint in development', () => {
	test('creates a verification of each variant that the host API shows, with links that connect', async () => {
		expect(await (await fetch(`${development.url}${TRY_VERIFICATION_PATH}`)).json()).toEqual({
			variants: ['standard', 'interpreter', 'typed_challenge'],
		});
		const expected = {
			standard: { interpreter: false, textOnlyChallenge: false },
			interpreter: { interpreter: true, textOnlyChallenge: false },
			typed_challenge: { interpreter: false, textOnlyChallenge: true },
		};
		for (const [variant, accessibility] of Object.entries(expected)) {
			const response = await tryVerification(development.url, { variant, locale: 'zh-CN' });
			expect(response.status).toBe(201);
			const demo = (await response.json()) as TryVerificationAnswer;
			expect(demo.applicantUrl).toBe(`${development.url}/join#${tokenOf(demo.applicantUrl)}`);
			expect(demo.agentUrl).toBe(`${development.url}/agent#${tokenOf(demo.agentUrl)}`);

			const view = await development.api.get<VerificationView>(`/verifications/${demo.verificationId}`);
			expect(view.status).toBe(200);
			expect(view.body).toMatchObject({ state: 'created', purpose: 'c2c_video', locale: 'zh-CN', accessibility });
			expect(view.body.expiresAt).toBe(demo.expiresAt);

			const applicant = await connect(development.url, tokenOf(demo.applicantUrl));
			const agent = await connect(development.url, tokenOf(demo.agentUrl));
			applicant.close();
			agent.close();
		}
	});

	test('is off by default in test mode, and on with TRY_PAGE=true', async () => {
		expect((await fetch(`${testMode.url}${TRY_VERIFICATION_PATH}`)).status).toBe(404);
		expect(loadConfig(testEnvironment(temporaryDataDir())).tryPage).toBe(false);
		expect(loadConfig(testEnvironment(temporaryDataDir(), { TRY_PAGE: 'true' })).tryPage).toBe(true);
		expect(loadConfig(testEnvironment(temporaryDataDir(), { NODE_ENV: 'development', TRY_PAGE: 'false' })).tryPage).toBe(false);
	});
});

describe('the try endpoint in production', () => {
	test('answers 404 to GET and POST, and creates nothing', async () => {
		expect((await fetch(`${production.url}${TRY_VERIFICATION_PATH}`)).status).toBe(404);
		expect((await tryVerification(production.url, { variant: 'standard' })).status).toBe(404);
		const listed = await production.api.get<{ items: unknown[] }>('/verifications');
		expect(listed.body.items).toEqual([]);
	});

	test('cannot be switched on: the configuration refuses TRY_PAGE=true and names it', () => {
		const environment = testEnvironment(temporaryDataDir(), { NODE_ENV: 'production', TRY_PAGE: 'true' });
		expect(() => loadConfig(environment)).toThrow(ConfigError);
		expect(() => loadConfig(environment)).toThrow(/TRY_PAGE: cannot be on when NODE_ENV=production/);
	});
});

describe('`npm start` in development', () => {
	test('prints an applicant link and an agent link of a new demo verification once it has started', async () => {
		const server = await startServer({ NODE_ENV: 'development', API_KEYS: TEST_SECRETS.apiKey });
		try {
			await expect.poll(() => server.output(), { timeout: 20_000 }).toMatch(/\/agent#\S+/);
			const output = server.output();
			expect(output).toContain(`open ${server.url} and press Try`);
			const applicantLink = /Applicant — .*\n\s+(\S+)/.exec(output)?.[1] ?? '';
			const agentLink = /Agent — .*\n\s+(\S+)/.exec(output)?.[1] ?? '';
			expect(applicantLink).toMatch(new RegExp(`^${server.url}/join#`));
			expect(agentLink).toMatch(new RegExp(`^${server.url}/agent#`));
			// The tokens stay out of the log lines.
			for (const line of output.split('\n').filter((text) => text.startsWith('{'))) {
				expect(line).not.toContain(tokenOf(applicantLink));
				expect(line).not.toContain(tokenOf(agentLink));
			}
			(await connect(server.url, tokenOf(applicantLink))).close();
		} finally {
			await server.stop();
		}
	});

	test('prints no demo links in production', async () => {
		const server = await startServer({
			NODE_ENV: 'production',
			API_KEYS: TEST_SECRETS.apiKey,
			JWT_SECRET: TEST_SECRETS.jwtSecret,
			WEBHOOK_SECRET: TEST_SECRETS.webhookSecret,
			DOCUMENT_HASH_SECRET: TEST_SECRETS.documentHashSecret,
			OUTCOME_SIGNING_KEY: TEST_SECRETS.outcomeSigningKey,
		});
		try {
			expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
			expect(server.output()).not.toMatch(/press Try|\/join#|\/agent#/);
		} finally {
			await server.stop();
		}
	});
});
