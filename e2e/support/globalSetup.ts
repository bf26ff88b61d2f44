// One real server for the browser journeys, with known secrets, a short grace period (so the
// "stayed away too long" journey is quick) and a webhook receiver. Tests find them through
// VIDVERIFY_E2E_URL, VIDVERIFY_E2E_API_KEY, VIDVERIFY_E2E_OPERATOR_KEY and VIDVERIFY_E2E_WEBHOOKS.
// After the last journey the server must still be healthy, with the same media worker, whose memory
// has not grown with the calls.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { hostChecksSignature, startWebhookReceiver } from './webhookReceiver.ts';

export const E2E_API_KEY = 'e2e-api-key-0123456789abcdef';
const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef0123';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdef012345';
/**
 * What the media worker may keep after every journey's call has ended: the allocator holds on to some
 * of what the calls used; a leak of every call's transports and consumers would be far more.
 */
const WORKER_GROWTH_LIMIT_MIB = 128;

function mediaWorkerOf(serverPid: number): number {
	const pids = execFileSync('pgrep', ['-P', String(serverPid), '-f', 'mediasoup-worker'], { encoding: 'utf8' })
		.trim()
		.split('\n');
	const pid = Number(pids[0]);
	if (!Number.isInteger(pid) || pids.length !== 1) throw new Error(`expected one media worker, found: ${pids.join(', ')}`);
	return pid;
}

function residentMib(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
	return Math.round((kib / 1024) * 10) / 10;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-e2e-'));
	const webhookFile = path.join(workDir, 'webhooks.jsonl');
	const receiver = await startWebhookReceiver(webhookFile, (signature, rawBody) =>
		hostChecksSignature(WEBHOOK_SECRET, signature, rawBody),
	);
	const server = await startServer({
		DATA_DIR: path.join(workDir, 'data'),
		API_KEYS: E2E_API_KEY,
		OPERATOR_KEY,
		WEBHOOK_URL: receiver.url,
		WEBHOOK_SECRET,
		WEBHOOK_RETRY_BASE_MS: '100',
		GRACE_PERIOD_MS: process.env.VIDVERIFY_E2E_GRACE_MS ?? '8000',
		QUALITY_SAMPLE_MS: '1000',
	});
	process.env.VIDVERIFY_E2E_URL = server.url;
	process.env.VIDVERIFY_E2E_API_KEY = E2E_API_KEY;
	process.env.VIDVERIFY_E2E_OPERATOR_KEY = OPERATOR_KEY;
	process.env.VIDVERIFY_E2E_WEBHOOKS = webhookFile;
	const serverPid = server.process.pid ?? 0;
	const worker = mediaWorkerOf(serverPid);
	const workerAtStart = residentMib(worker);
	return async () => {
		try {
			const health = await Promise.all(['/healthz', '/readyz'].map(async (path) => (await fetch(`${server.url}${path}`)).status));
			const workerNow = mediaWorkerOf(serverPid);
			const workerAtEnd = residentMib(workerNow);
			console.log(
				`[e2e] after the journeys: /healthz ${health[0]}, /readyz ${health[1]}; media worker ${worker === workerNow ? 'the same' : 'RESTARTED'}, resident ${workerAtStart} MiB at start, ${workerAtEnd} MiB at the end`,
			);
			if (health.some((status) => status !== 200)) throw new Error('the server is not healthy after the journeys');
			if (worker !== workerNow) throw new Error('the media worker was restarted during the journeys');
			if (workerAtEnd - workerAtStart > WORKER_GROWTH_LIMIT_MIB) {
				throw new Error(`the media worker grew by ${workerAtEnd - workerAtStart} MiB over the journeys`);
			}
		} finally {
			await server.stop();
			await receiver.close();
		}
	};
}
