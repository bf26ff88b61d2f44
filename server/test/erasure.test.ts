// Erasure without breaking the chain (issue 13 item 3), against a real running service: a host erases a
// verification's personal data with DELETE /api/v1/verifications/:id/personal-data; its keys are
// destroyed, the erasure is journaled, every reader shows its personal fields as erased (view, outcome,
// events, bundle, a restart), the decision and reasons stay, and the bundle still verifies offline. No
// personal field is ever in the clear in the journal or in the signed outcome. Embedded, and Redis
// mode with the service restarted on the same Redis.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VerificationBundle, VerificationView } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ERASED } from '../src/privacy/envelope.ts';
import type { JournalRecord } from '../src/store/Journal.ts';
import { rawClient } from '../src/store/redis/testSupport.ts';
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
const workDir = temporaryDataDir();

const NOTE = 'read the answers from a script';
const STEP_NOTE = 'wore tinted glasses';

function verify(args: string[]): Promise<{ status: number | null; stdout: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, [cli, ...args], { cwd: workDir, encoding: 'utf8' }, (error, stdout) => {
			resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout });
		});
	});
}

function write(name: string, value: unknown): string {
	const file = path.join(workDir, name);
	fs.writeFileSync(file, JSON.stringify(value));
	return file;
}

function payloadOf(jws: string): { outcome: Record<string, unknown> } {
	return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** A rejection with a note and a step note, its webhook delivered: the personal data is in every part of the record. */
async function rejected(url: string, api: HostApiClient, externalUserRef: string): Promise<string> {
	const { applicant, agent } = await callInProgress(url, api, { externalUserRef });
	await request(agent.socket, 'promptStep', { stepId: 'consent' });
	await request(agent.socket, 'markStep', { stepId: 'consent', result: 'passed', note: STEP_NOTE });
	await request(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['procedure_not_followed'], note: NOTE });
	await eventually(async () => {
		const events = (await api.get<{ events: JournalRecord[] }>(`/verifications/${applicant.verificationId}/events`)).body.events;
		return events.some((record) => record.type === 'webhook.delivered') ? true : undefined;
	});
	applicant.socket.close();
	agent.socket.close();
	return applicant.verificationId;
}

function erase(api: HostApiClient, id: string) {
	return api.request<{ verificationId: string; state: string; erasedAt: string }>('DELETE', `/verifications/${id}/personal-data`);
}

async function view(api: HostApiClient, id: string): Promise<VerificationView> {
	const answer = await api.get<VerificationView>(`/verifications/${id}`);
	expect(answer.status).toBe(200);
	return answer.body;
}

function expectErased(erased: VerificationView): void {
	expect(erased).toMatchObject({
		externalUserRef: ERASED,
		state: 'rejected',
		outcome: {
			externalUserRef: ERASED,
			decision: 'rejected',
			reasonCodes: ['procedure_not_followed'],
			note: ERASED,
			steps: expect.arrayContaining([expect.objectContaining({ id: 'consent', status: 'passed', note: ERASED })]),
		},
	});
}

async function bundleVerifies(api: HostApiClient, id: string, keyFile: string): Promise<VerificationBundle> {
	const bundle = (await api.get<VerificationBundle>(`/verifications/${id}/bundle`)).body;
	const result = await verify([write(`bundle-${id}.json`, bundle), '--key', keyFile]);
	expect(result.stdout).toContain('VERIFIED');
	expect(result.status).toBe(0);
	return bundle;
}

describe('erasure on a running embedded server', () => {
	let server: TestService;
	let receiver: WebhookReceiver;
	let keyFile: string;

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		server = await startService({ env: { WEBHOOK_URL: receiver.url } });
		keyFile = write('erasure-key.json', (await server.api.get('/outcome-key')).body);
	});

	afterAll(async () => {
		await server?.close();
		await receiver?.close();
	});

	it('never journals or signs a personal field in the clear; the host still reads them until erasure', async () => {
		const userRef = `user-${randomUUID()}`;
		const id = await rejected(server.url, server.api, userRef);
		const journal = fs.readFileSync(path.join(server.dataDir, 'journal.jsonl'), 'utf8');
		for (const clear of [userRef, NOTE, STEP_NOTE]) expect(journal).not.toContain(clear);
		const before = await view(server.api, id);
		expect(before).toMatchObject({ externalUserRef: userRef, outcome: { note: NOTE } });
		const signed = JSON.stringify(payloadOf(before.signedOutcome ?? ''));
		for (const clear of [userRef, NOTE, STEP_NOTE]) expect(signed).not.toContain(clear);
		expect(payloadOf(before.signedOutcome ?? '').outcome).toMatchObject({
			decision: 'rejected',
			reasonCodes: ['procedure_not_followed'],
		});
		const webhook = receiver.deliveries.find((delivery) => delivery.body.verificationId === id);
		expect(webhook?.body.payload).toMatchObject({ outcome: { externalUserRef: userRef, note: NOTE } });
		const report = await verify([write('sealed.json', await bundleVerifies(server.api, id, keyFile)), '--key', keyFile]);
		expect(report.stdout).toMatch(/^personal data: \d+ fields sealed/m);
	});

	it('DELETE erases: the record reads erased, decision and reasons stay, the bundle verifies, a second call answers the same', async () => {
		const userRef = `user-${randomUUID()}`;
		const id = await rejected(server.url, server.api, userRef);
		const before = await view(server.api, id);
		const bundleBefore = (await server.api.get<VerificationBundle>(`/verifications/${id}/bundle`)).body;

		const first = await erase(server.api, id);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ verificationId: id, state: 'rejected', erasedAt: expect.any(String) });
		const second = await erase(server.api, id);
		expect(second).toMatchObject({ status: 200, body: first.body });

		const after = await view(server.api, id);
		expectErased(after);
		expect(after.signedOutcome).toBe(before.signedOutcome);
		const events = (await server.api.get<{ events: JournalRecord[] }>(`/verifications/${id}/events`)).body.events;
		expect(events.filter((record) => record.type === 'personal_data.erased')).toEqual([
			expect.objectContaining({ data: expect.objectContaining({ reason: 'host_request', at: first.body.erasedAt }) }),
		]);
		// The records before the erasure are the very same: nothing was rewritten.
		expect(events.slice(0, bundleBefore.events.length)).toEqual(bundleBefore.events);
		const bundle = await bundleVerifies(server.api, id, keyFile);
		expect(bundle.events.at(-1)?.type).toBe('personal_data.erased');
		const report = await verify([write('erased.json', bundle), '--key', keyFile]);
		expect(report.stdout).toMatch(
			new RegExp(
				`^personal data: erased at ${first.body.erasedAt} \\(host_request\\); its \\d+ sealed fields can no longer be opened$`,
				'm',
			),
		);
		// An erased bundle is as tamper-evident as any: a sealed field swapped for another value, or the
		// erasure record left out, is named.
		const created = bundle.events[0] as JournalRecord;
		const forged = bundle.events.with(0, { ...created, data: { ...created.data, externalUserRef: ERASED } });
		const tampered = await verify([write('erased-tampered.json', { ...bundle, events: forged }), '--key', keyFile]);
		expect(tampered.status).toBe(1);
		expect(tampered.stdout).toMatch(
			/FAILED {2}events {5}event 1 \(seq \d+, verification\.created\): its hash does not match its contents/,
		);
		const cut = await verify([write('erased-cut.json', { ...bundle, events: bundle.events.slice(0, -1) }), '--key', keyFile]);
		expect(cut.status).toBe(1);
		const list = await server.api.get<{ items: VerificationView[] }>('/verifications?limit=200');
		expectErased(list.body.items.find((item) => item.id === id) as VerificationView);
		const keys = fs.readFileSync(path.join(server.dataDir, 'keys.jsonl'), 'utf8');
		expect(keys).toContain(`{"v":"${id}","k":"personal","destroyed":true}`);
		expect(keys.split('\n').filter((line) => line.includes(id) && line.includes('"key"'))).toEqual([]);
	});

	it('refuses a verification that is not over with 409, an unknown one with 404, and a caller without a key with 401', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		const live = await erase(server.api, applicant.verificationId);
		expect(live.status).toBe(409);
		expect(live.body).toMatchObject({ error: { code: 'INVALID_STATE' } });
		expect((await view(server.api, applicant.verificationId)).externalUserRef).not.toBe(ERASED);
		applicant.socket.close();
		agent.socket.close();
		expect((await erase(server.api, 'no-such-verification')).status).toBe(404);
		const anonymous = await fetch(`${server.url}/api/v1/verifications/${applicant.verificationId}/personal-data`, {
			method: 'DELETE',
		});
		expect(anonymous.status).toBe(401);
	});

	it('stays erased after a restart on the same DATA_DIR, and audit:verify passes the journal', async () => {
		const id = await rejected(server.url, server.api, `user-${randomUUID()}`);
		const kept = await rejected(server.url, server.api, `user-kept-${randomUUID()}`);
		expect((await erase(server.api, id)).status).toBe(200);
		await server.close();
		server = await startService({ dataDir: server.dataDir, env: { WEBHOOK_URL: receiver.url } });
		expectErased(await view(server.api, id));
		expect((await view(server.api, kept)).outcome).toMatchObject({ note: NOTE });
		await bundleVerifies(server.api, id, keyFile);
		const audit = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
			const script = path.join(root, 'server', 'scripts', 'audit-verify.ts');
			execFile(
				process.execPath,
				[script, '--data-dir', server.dataDir, '--key', keyFile],
				{ encoding: 'utf8' },
				(error, stdout) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
			);
		});
		expect(audit.status).toBe(0);
	});
});

describe('erasure with two processes on one Redis', () => {
	const running: ServerProcess[] = [];
	const redisUrl = inject('redisUrl');
	const keyPrefix = `erasure-${randomUUID()}:`;
	let receiver: WebhookReceiver;
	const env = () =>
		testEnvironment(temporaryDataDir(), { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, WEBHOOK_URL: receiver.url });

	async function start(): Promise<ServerProcess> {
		const process = await ServerProcess.start(env());
		await eventually(async () => ((await fetch(`${process.url}/readyz`)).ok ? true : undefined));
		running.push(process);
		return process;
	}

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		await Promise.all([start(), start()]);
	});

	afterAll(async () => {
		for (const process of running) await process.stop();
		await receiver?.close();
	});

	it('erased on one process reads erased on the other, its key gone from Redis, and after both restart', async () => {
		const [one, other] = running as [ServerProcess, ServerProcess];
		const id = await rejected(one.url, one.api, `user-${randomUUID()}`);
		const keyFile = write('redis-erasure-key.json', (await one.api.get('/outcome-key')).body);
		expect((await erase(other.api, id)).status).toBe(200);
		expectErased(await view(one.api, id));
		await bundleVerifies(one.api, id, keyFile);
		const client = rawClient(redisUrl);
		try {
			expect(await client.hgetall(`${keyPrefix}keys:${id}`)).toEqual({ personal: 'destroyed', document: 'destroyed' });
		} finally {
			client.disconnect();
		}
		for (const process of running.splice(0)) await process.stop();
		const again = await start();
		expectErased(await view(again.api, id));
		await bundleVerifies(again.api, id, keyFile);
	});
});

describe('retention on a running embedded server', () => {
	let server: TestService;
	let receiver: WebhookReceiver;

	beforeAll(async () => {
		receiver = await WebhookReceiver.start();
		// c2c_video's personal data for about 1.7 s after the end, every purpose's document hashes for about 0.9 s.
		server = await startService({
			env: {
				WEBHOOK_URL: receiver.url,
				PERSONAL_DATA_RETENTION_DAYS: 'c2c_video=0.00002',
				DOCUMENT_HASH_RETENTION_DAYS: '0.00001',
			},
		});
	});

	afterAll(async () => {
		await server?.close();
		await receiver?.close();
	});

	async function checkedAndRejected(purpose: 'c2c_video' | 'manual_review'): Promise<string> {
		const { applicant, agent } = await callInProgress(server.url, server.api, { purpose });
		await request(agent.socket, 'checkDocument', { documentType: 'passport', documentNumber: 'E12345678' });
		await request(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['procedure_not_followed'], note: NOTE });
		await eventually(async () => ((await view(server.api, applicant.verificationId)).outcome ? true : undefined));
		applicant.socket.close();
		agent.socket.close();
		return applicant.verificationId;
	}

	const typesOf = async (id: string) =>
		(await server.api.get<{ events: JournalRecord[] }>(`/verifications/${id}/events`)).body.events.map((record) => record.type);

	it("erases a purpose's personal data once its retention ran out, and forgets every verification's document hashes once theirs did", async () => {
		const erased = await checkedAndRejected('c2c_video');
		const kept = await checkedAndRejected('manual_review');
		await server.service.retention.sweep();
		expect(await typesOf(erased)).not.toContain('personal_data.erased');

		await new Promise((resolve) => setTimeout(resolve, 1_000));
		await server.service.retention.sweep();
		expect(await typesOf(kept)).toContain('document_hashes.forgotten');
		expect((await view(server.api, kept)).outcome).toMatchObject({ note: NOTE });
		expect((await view(server.api, erased)).outcome).toMatchObject({ note: NOTE });

		await new Promise((resolve) => setTimeout(resolve, 1_000));
		await server.service.retention.sweep();
		const events = (await server.api.get<{ events: JournalRecord[] }>(`/verifications/${erased}/events`)).body.events;
		expect(events.find((record) => record.type === 'personal_data.erased')?.data).toMatchObject({ reason: 'retention' });
		expect((await view(server.api, erased)).outcome).toMatchObject({
			externalUserRef: ERASED,
			note: ERASED,
			decision: 'rejected',
		});
		expect((await view(server.api, kept)).outcome).toMatchObject({ note: NOTE });
		const keys = fs.readFileSync(path.join(server.dataDir, 'keys.jsonl'), 'utf8');
		expect(keys).toContain(`{"v":"${kept}","k":"document","destroyed":true}`);
		expect(keys).toContain(`{"v":"${erased}","k":"personal","destroyed":true}`);
		// A sweep after a restart finds nothing more to do: what was erased or forgotten stays so, once.
		await server.close();
		server = await startService({
			dataDir: server.dataDir,
			env: { WEBHOOK_URL: receiver.url, DOCUMENT_HASH_RETENTION_DAYS: '0.00001' },
		});
		await server.service.retention.sweep();
		expect((await typesOf(kept)).filter((type) => type === 'document_hashes.forgotten')).toHaveLength(1);
		expect((await typesOf(erased)).filter((type) => type === 'personal_data.erased')).toHaveLength(1);
		expect((await view(server.api, erased)).externalUserRef).toBe(ERASED);
	});
});
