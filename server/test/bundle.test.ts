// A host proves a verification's record offline (issue 13 item 2): it fetches the bundle from a real
// running server (embedded, and Redis mode with two processes) and checks it with the verifier's CLI,
// which uses node:crypto and nothing else, against the outcome key it fetched before. Tampered copies
// are refused with the failing check named.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type VerificationBundle, verificationBundleSchema } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JournalRecord } from '../src/store/Journal.ts';
import {
	callInProgress,
	eventually,
	type HostApiClient,
	request,
	ServerProcess,
	startService,
	type TestService,
	temporaryDataDir,
	testEnvironment,
	WebhookReceiver,
} from './harness.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'verifier', 'src', 'cli.ts');
const bin = path.join(root, 'node_modules', '.bin', 'vidverify-verify');
const workDir = temporaryDataDir();

/**
 * Runs the CLI as a host would, in a folder of its own, with the Node that runs the tests; without
 * blocking, since the embedded server under test answers from this same process.
 */
function verify(
	args: string[],
	command = [process.execPath, cli],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
	const [program, ...first] = command as [string, ...string[]];
	const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` };
	return new Promise((resolve) => {
		execFile(program, [...first, ...args], { cwd: workDir, env, encoding: 'utf8' }, (error, stdout, stderr) => {
			resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
		});
	});
}

function write(name: string, value: unknown): string {
	const file = path.join(workDir, name);
	fs.writeFileSync(file, JSON.stringify(value));
	return file;
}

/** A rejected verification whose webhook was delivered: its record is complete. */
async function decided(url: string, api: HostApiClient): Promise<string> {
	const { applicant, agent } = await callInProgress(url, api);
	await request(agent.socket, 'decide', {
		decision: 'reject',
		reasonCodes: ['procedure_not_followed'],
		note: 'read the answers from a script',
	});
	await eventually(async () => {
		const events = (await api.get<{ events: JournalRecord[] }>(`/verifications/${applicant.verificationId}/events`)).body.events;
		return events.some((record) => record.type === 'webhook.delivered') ? true : undefined;
	});
	applicant.socket.close();
	agent.socket.close();
	return applicant.verificationId;
}

async function bundleOf(api: HostApiClient, verificationId: string): Promise<VerificationBundle> {
	const answer = await api.get<VerificationBundle>(`/verifications/${verificationId}/bundle`);
	expect(answer.status).toBe(200);
	return verificationBundleSchema.parse(answer.body);
}

describe('a bundle from a running embedded server', () => {
	let server: TestService;
	let receiver: WebhookReceiver;
	let keyFile: string;

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		server = await startService({ env: { WEBHOOK_URL: receiver.url } });
		// The host keeps the key it trusts from before it needs it.
		keyFile = write('outcome-key.json', (await server.api.get('/outcome-key')).body);
	});

	afterAll(async () => {
		await server?.close();
		await receiver?.close();
	});

	it('verifies offline with the CLI and the outcome key the host holds; its signed outcome is the one the webhook carried', async () => {
		const verificationId = await decided(server.url, server.api);
		// Another verification's records come after: the proof steps over them.
		await callInProgress(server.url, server.api).then(({ applicant, agent }) => {
			applicant.socket.close();
			agent.socket.close();
		});
		const bundle = await bundleOf(server.api, verificationId);
		const webhook = receiver.deliveries.find((delivery) => delivery.body.verificationId === verificationId);
		expect((webhook?.body.payload as { signedOutcome: string } | undefined)?.signedOutcome).toBe(bundle.signedOutcome);
		expect(bundle.events.at(-1)?.type).toBe('webhook.delivered');

		const result = await verify([write('bundle.json', bundle), '--key', keyFile]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		for (const check of ['bundle', 'key', 'events', 'outcome', 'checkpoint', 'proof']) {
			expect(result.stdout).toMatch(new RegExp(`^ {2}ok {6}${check} `, 'm'));
		}
		expect(result.stdout).toContain('rejected, signed, over the');
		expect(result.stdout).toContain('VERIFIED: complete and unaltered up to the checkpoint, signed by the key you trust');
		// Installed as a bin of the workspace, as `npx vidverify-verify` runs it.
		expect((await verify(['bundle.json', '--kid', bundle.key.kid as string], [bin])).status).toBe(0);
	});

	it('names the first failing check of a tampered bundle and exits 1; exits 2 on a usage error', async () => {
		const bundle = await bundleOf(server.api, await decided(server.url, server.api));
		const events = bundle.events as JournalRecord[];
		const altered = events.with(1, { ...(events[1] as JournalRecord), data: { ...events[1]?.data, forged: true } });

		const tampered = await verify([write('tampered.json', { ...bundle, events: altered }), '--key', keyFile]);
		expect(tampered.status).toBe(1);
		expect(tampered.stdout).toMatch(
			/^ {2}FAILED {2}events {5}event 2 \(seq \d+, [\w.]+\): its hash does not match its contents/m,
		);
		expect(tampered.stdout).toContain('NOT VERIFIED: the events check failed');

		const otherKey = await verify([write('good.json', bundle), '--kid', 'not-the-service-key']);
		expect(otherKey.status).toBe(1);
		expect(otherKey.stdout).toMatch(/FAILED {2}key .*not the key you trust \(not-the-service-key\)/);

		expect((await verify(['missing.json'])).status).toBe(2);
		expect((await verify([])).status).toBe(2);
	});

	it('answers 404 for a verification it does not know, and 401 without an API key', async () => {
		expect((await server.api.get('/verifications/no-such-verification/bundle')).status).toBe(404);
		const anonymous = await fetch(`${server.url}/api/v1/verifications/anything/bundle`);
		expect(anonymous.status).toBe(401);
	});
});

describe('a bundle from two processes on one Redis', () => {
	const running: ServerProcess[] = [];
	let receiver: WebhookReceiver;

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `bundle-${randomUUID()}:`, WEBHOOK_URL: receiver.url };
		running.push(...(await Promise.all([0, 1].map(() => ServerProcess.start(testEnvironment(temporaryDataDir(), env))))));
		for (const process of running) await eventually(async () => ((await fetch(`${process.url}/readyz`)).ok ? true : undefined));
	});

	afterAll(async () => {
		for (const process of running) await process.stop();
		await receiver?.close();
	});

	it('decided on one process and fetched from the other verifies with the outcome key', async () => {
		const [one, other] = running as [ServerProcess, ServerProcess];
		const verificationId = await decided(one.url, one.api);
		await decided(other.url, other.api);
		const bundle = await bundleOf(other.api, verificationId);
		const keyFile = write('redis-outcome-key.json', (await one.api.get('/outcome-key')).body);

		const result = await verify([write('redis-bundle.json', bundle), '--key', keyFile]);
		expect(result.stdout).toContain('VERIFIED');
		expect(result.status).toBe(0);
	});
});
