// The server process killed with SIGKILL (no shutdown code runs) in the middle of verifications and
// after decisions, then started again on the same DATA_DIR: every recorded event and outcome is still
// there byte for byte, a call in progress carries on, a webhook that could not be delivered before the
// crash is delivered once after it, and the journal's hash chain verifies from end to end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSENT_VERSION, type VerificationView } from '@vidverify/shared';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../src/store/Journal.ts';
import { verifySignature } from '../src/webhooks/signature.ts';
import {
	callInProgress,
	connect,
	createApplicant,
	eventually,
	type HostApiClient,
	notification,
	request,
	ServerProcess,
	TEST_SECRETS,
	temporaryDataDir,
	testEnvironment,
	WebhookReceiver,
} from './harness.ts';

const auditScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'audit-verify.ts');

const running: ServerProcess[] = [];
const receivers: WebhookReceiver[] = [];

afterAll(async () => {
	for (const server of running) await server.kill();
	for (const receiver of receivers) await receiver.close();
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
	const server = await ServerProcess.start(env);
	running.push(server);
	return server;
}

async function kill(server: ServerProcess): Promise<void> {
	await server.kill();
	running.splice(running.indexOf(server), 1);
}

async function events(api: HostApiClient, verificationId: string): Promise<JournalRecord[]> {
	const answer = await api.get<{ events: JournalRecord[] }>(`/verifications/${verificationId}/events`);
	expect(answer.status).toBe(200);
	return answer.body.events;
}

async function view(api: HostApiClient, verificationId: string): Promise<VerificationView> {
	return (await api.get<VerificationView>(`/verifications/${verificationId}`)).body;
}

/** Waits for the journal to say the verification's webhook was delivered; no second attempt follows that. */
async function deliveredOnce(api: HostApiClient, receiver: WebhookReceiver, verificationId: string): Promise<void> {
	await eventually(async () =>
		(await events(api, verificationId)).some((record) => record.type === 'webhook.delivered') ? true : undefined,
	);
	const deliveries = receiver.deliveries.filter((delivery) => delivery.body.verificationId === verificationId);
	expect(deliveries).toHaveLength(1);
	const [delivery] = deliveries;
	expect(
		verifySignature(TEST_SECRETS.webhookSecret, String(delivery?.headers['vidverify-signature']), delivery?.rawBody ?? ''),
	).toBe(true);
}

describe('kill -9 and restart on the same DATA_DIR', () => {
	it('loses nothing recorded, resumes the call in progress, delivers the pending webhook once, and the chain verifies', async () => {
		const dataDir = temporaryDataDir();
		// The host's webhook endpoint is down before the crash: its port is known but nothing listens.
		const probe = await WebhookReceiver.start();
		const webhookPort = probe.port;
		const webhookUrl = probe.url;
		await probe.close();
		const env = testEnvironment(dataDir, {
			WEBHOOK_URL: webhookUrl,
			WEBHOOK_MAX_ATTEMPTS: '100000',
			GRACE_PERIOD_MS: '60000',
		});

		const first = await start(env);
		// A call in progress, part way through its checklist.
		const call = await callInProgress(first.url, first.api);
		const [firstStep, secondStep] = call.snapshot.checklist;
		for (const step of [firstStep, secondStep]) {
			await request(call.agent.socket, 'promptStep', { stepId: step?.id ?? '' });
			await request(call.agent.socket, 'markStep', { stepId: step?.id ?? '', result: 'passed' });
		}
		// A decided verification whose webhook cannot be delivered yet.
		const rejected = await callInProgress(first.url, first.api);
		await request(rejected.agent.socket, 'decide', {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});
		await eventually(async () =>
			(await events(first.api, rejected.applicant.verificationId)).some((record) => record.type === 'webhook.attemptFailed')
				? true
				: undefined,
		);
		// One still waiting for an agent.
		const waiting = await createApplicant(first.url, first.api);
		await request(waiting.socket, 'consent', { consentVersion: CONSENT_VERSION });

		const ids = [call.applicant.verificationId, rejected.applicant.verificationId, waiting.verificationId];
		const before = new Map<string, { view: VerificationView; events: JournalRecord[] }>();
		for (const id of ids) before.set(id, { view: await view(first.api, id), events: await events(first.api, id) });

		await kill(first);
		for (const socket of [
			call.applicant.socket,
			call.agent.socket,
			rejected.applicant.socket,
			rejected.agent.socket,
			waiting.socket,
		]) {
			socket.close();
		}

		const receiver = await WebhookReceiver.start(webhookPort);
		receivers.push(receiver);
		const second = await start(env);

		for (const id of ids) {
			const recorded = before.get(id);
			const now = await events(second.api, id);
			// Every record from before the crash is still there, unchanged, in the same place.
			expect(now.slice(0, recorded?.events.length)).toEqual(recorded?.events);
			expect((await view(second.api, id)).state).toBe(recorded?.view.state);
		}
		const rejectedAfter = await view(second.api, rejected.applicant.verificationId);
		expect(rejectedAfter.outcome).toEqual(before.get(rejected.applicant.verificationId)?.view.outcome);
		expect(rejectedAfter.signedOutcome).toBe(before.get(rejected.applicant.verificationId)?.view.signedOutcome);
		await deliveredOnce(second.api, receiver, rejected.applicant.verificationId);

		// The call carries on: both reconnect with the tokens they had, and the agent finishes the checklist.
		const agent = await connect(second.url, call.agent.token);
		const applicant = await connect(second.url, call.applicant.token);
		const state = await request(agent, 'getState', {});
		expect(state.state).toBe('in_call');
		expect(state.checklist.filter((step) => step.status === 'passed').map((step) => step.id)).toEqual([
			firstStep?.id,
			secondStep?.id,
		]);
		for (const step of state.checklist.filter((candidate) => candidate.status !== 'passed')) {
			await request(agent, 'promptStep', { stepId: step.id });
			await notification(applicant, 'stepPrompted', (payload) => payload.step.id === step.id);
			await request(agent, 'markStep', { stepId: step.id, result: 'passed' });
		}
		expect((await request(agent, 'decide', { decision: 'approve' })).state).toBe('approved');
		const approved = await view(second.api, call.applicant.verificationId);
		await deliveredOnce(second.api, receiver, call.applicant.verificationId);
		agent.close();
		applicant.close();

		// Killed again after the decisions: they survive, and nothing already delivered is sent again.
		await kill(second);
		const third = await start(env);
		const approvedAfter = await view(third.api, call.applicant.verificationId);
		expect(approvedAfter.state).toBe('approved');
		expect(approvedAfter.signedOutcome).toBe(approved.signedOutcome);
		expect((await view(third.api, waiting.verificationId)).state).toBe('waiting');
		// A new final event goes out after any replay of old ones would have; still one delivery each.
		const cancelled = await createApplicant(third.url, third.api);
		await request(cancelled.socket, 'consent', { consentVersion: CONSENT_VERSION });
		await request(cancelled.socket, 'cancel', {});
		await deliveredOnce(third.api, receiver, cancelled.verificationId);
		cancelled.socket.close();
		for (const id of [rejected.applicant.verificationId, call.applicant.verificationId]) {
			expect(receiver.deliveries.filter((delivery) => delivery.body.verificationId === id)).toHaveLength(1);
		}
		await kill(third);

		const audit = spawnSync(process.execPath, [auditScript, '--data-dir', dataDir], { encoding: 'utf8' });
		expect(audit.status, audit.stdout + audit.stderr).toBe(0);
	});

	it('refuses to start on a journal whose chain was tampered with, naming the broken record', async () => {
		const dataDir = temporaryDataDir();
		const env = testEnvironment(dataDir);
		const server = await start(env);
		const applicant = await createApplicant(server.url, server.api, { externalUserRef: 'user-honest' });
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		applicant.socket.close();
		await kill(server);

		const journalFile = path.join(dataDir, 'journal.jsonl');
		const lines = fs.readFileSync(journalFile, 'utf8').split('\n');
		// The user reference is journaled sealed (privacy/Sealer.ts): the forger changes what is in the clear.
		const forged = (lines[0] ?? '').replace('"purpose":"c2c_video"', '"purpose":"manual_review"');
		expect(forged).not.toBe(lines[0]);
		lines[0] = forged;
		fs.writeFileSync(journalFile, lines.join('\n'));

		const serverBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'vidverify.mjs');
		const refused = spawnSync(process.execPath, [serverBin], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
		expect(refused.status).toBe(3);
		expect(refused.stderr).toContain('the journal is damaged and the service will not start on it');
		expect(refused.stderr).toContain('seq 1');
		// Three server starts in one test: room for a busy machine.
	}, 90_000);
});
