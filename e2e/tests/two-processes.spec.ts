// Redis mode in real browsers: two server processes share one real Redis; the applicant's browser is
// served by one and the agent's by the other. The call's media lives on one of them, so one browser
// reaches it through the other process's media namespace: each still sees and hears the other, every
// prompt crosses between the processes, and the approval reaches the host once.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startRedis } from '../../server/test/redis.ts';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { agentLink, createVerification, getVerification } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	decide,
	expectPictureFrom,
	expectSound,
	joinThroughDeviceCheck,
	participant,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { hostChecksSignature, type ReceivedWebhook, receivedWebhooks, startWebhookReceiver } from '../support/webhookReceiver.ts';

const API_KEY = 'e2e-two-processes-api-key-0123456789';
const WEBHOOK_SECRET = 'e2e-two-processes-webhook-secret-0123456789';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a call whose applicant and agent are served by two processes sharing Redis: both see and hear each other, and the approval is delivered once', async ({}) => {
	test.setTimeout(180_000);
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-e2e-redis-'));
	const webhookFile = path.join(workDir, 'webhooks.jsonl');
	const receiver = await startWebhookReceiver(webhookFile, (signature, rawBody) =>
		hostChecksSignature(WEBHOOK_SECRET, signature, rawBody),
	);
	const redis = await startRedis({ dir: fs.mkdtempSync(path.join(workDir, 'redis-')) });
	// The processes of one deployment share every secret: a token or media ticket minted by one is
	// checked by the other.
	const environment = {
		REDIS_URL: redis.url,
		API_KEYS: API_KEY,
		JWT_SECRET: 'e2e-two-processes-jwt-secret-0123456789abcdef',
		DOCUMENT_HASH_SECRET: 'e2e-two-processes-document-hash-secret-0123456789',
		OUTCOME_SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
			.privateKey.export({ type: 'pkcs8', format: 'pem' })
			.toString(),
		WEBHOOK_URL: receiver.url,
		WEBHOOK_SECRET,
		QUALITY_SAMPLE_MS: '1000',
	};
	const servers = [];
	const applicant = await participant('applicant');
	const agent = await participant('agent');
	try {
		for (const name of ['a', 'b']) servers.push(await startServer({ ...environment, DATA_DIR: path.join(workDir, name) }));
		const [a, b] = servers;
		if (!a || !b) throw new Error('two servers expected');
		for (const server of servers) await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status).toBe(200);
		// The processes find each other through Redis: a page each serves may connect to the other for a call's media.
		for (const [server, other] of [
			[a, b],
			[b, a],
		] as const) {
			await expect
				.poll(async () => (await fetch(server.url)).headers.get('content-security-policy') ?? '', { timeout: 15_000 })
				.toContain(`ws://${new URL(other.url).host}`);
		}

		// The host creates the verification on A; the agent's link comes from B.
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' }, { url: a.url, apiKey: API_KEY });
		expect(created.applicantUrl.startsWith(a.url)).toBe(true);
		const { agentUrl } = await agentLink({ displayName: 'Agent Two' }, { url: b.url, apiKey: API_KEY });
		expect(agentUrl.startsWith(b.url)).toBe(true);

		await agentGoesAvailable(agent.page, agentUrl);
		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();

		await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');
		await expectSound(agent.page.getByTestId('remote-audio-applicant'));
		await expectSound(applicant.page.getByTestId('remote-video-agent').locator('audio'));

		await walkChecklist(agent.page, applicant.page, { purpose: 'c2c_video', locale: 'en' });
		await decide(agent.page, { approve: true });
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();

		const stored = await getVerification<{ state: string }>(created.id, { url: a.url, apiKey: API_KEY });
		expect(stored.state).toBe('approved');
		const delivered = () =>
			receivedWebhooks(webhookFile).filter((webhook: ReceivedWebhook) => webhook.verificationId === created.id);
		await expect.poll(() => delivered().length, { timeout: 20_000 }).toBe(1);
		// Both processes poll the due webhooks every second: a few polls later it is still one delivery.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(delivered()).toHaveLength(1);
		expect(delivered()[0]).toMatchObject({ type: 'verification.decided', signatureValid: true });
	} finally {
		await applicant.close();
		await agent.close();
		for (const server of servers) await server.stop();
		await redis.stop();
		await receiver.close();
	}
});
