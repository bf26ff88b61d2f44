// One real server for the browser journeys, with known secrets, a short grace period (so the
// "stayed away too long" journey is quick) and a webhook receiver. Tests find them through
// VIDVERIFY_E2E_URL, VIDVERIFY_E2E_API_KEY and VIDVERIFY_E2E_WEBHOOKS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { hostChecksSignature, startWebhookReceiver } from './webhookReceiver.ts';

export const E2E_API_KEY = 'e2e-api-key-0123456789abcdef';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdef012345';

export default async function globalSetup(): Promise<() => Promise<void>> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-e2e-'));
	const webhookFile = path.join(workDir, 'webhooks.jsonl');
	const receiver = await startWebhookReceiver(webhookFile, (signature, rawBody) =>
		hostChecksSignature(WEBHOOK_SECRET, signature, rawBody),
	);
	const server = await startServer({
		DATA_DIR: path.join(workDir, 'data'),
		API_KEYS: E2E_API_KEY,
		WEBHOOK_URL: receiver.url,
		WEBHOOK_SECRET,
		WEBHOOK_RETRY_BASE_MS: '100',
		GRACE_PERIOD_MS: process.env.VIDVERIFY_E2E_GRACE_MS ?? '8000',
		QUALITY_SAMPLE_MS: '1000',
	});
	process.env.VIDVERIFY_E2E_URL = server.url;
	process.env.VIDVERIFY_E2E_API_KEY = E2E_API_KEY;
	process.env.VIDVERIFY_E2E_WEBHOOKS = webhookFile;
	return async () => {
		await server.stop();
		await receiver.close();
	};
}
