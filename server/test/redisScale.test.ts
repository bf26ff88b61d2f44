// Several real server processes sharing one real Redis (Redis mode): a verification whose applicant,
// agent and interpreter are connected to three different processes completes, notifications cross
// between the processes, and the outcome and its webhook are delivered exactly once; agents on
// different processes accepting the same verification at the same moment get exactly one winner.
import { randomUUID } from 'node:crypto';
import { CONSENT_VERSION, type StepView, type VerificationView } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JournalRecord } from '../src/store/Journal.ts';
import { verifySignature } from '../src/webhooks/signature.ts';
import {
	availableAgent,
	connect,
	createApplicant,
	eventually,
	notification,
	type ParticipantSocket,
	request,
	ServerProcess,
	send,
	TEST_SECRETS,
	temporaryDataDir,
	testEnvironment,
	tokenOfLink,
	WebhookReceiver,
} from './harness.ts';

const redisUrl = inject('redisUrl');
const running: ServerProcess[] = [];
let receiver: WebhookReceiver;
let processes: [ServerProcess, ServerProcess, ServerProcess];

beforeAll(async () => {
	receiver = await WebhookReceiver.start();
	// One key prefix per test file: the shared test Redis serves other files at the same time.
	const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `scale-${randomUUID()}:`, WEBHOOK_URL: receiver.url };
	const started = await Promise.all([0, 1, 2].map(() => ServerProcess.start(testEnvironment(temporaryDataDir(), env))));
	running.push(...started);
	processes = started as [ServerProcess, ServerProcess, ServerProcess];
	for (const server of processes) await eventually(async () => ((await fetch(`${server.url}/readyz`)).ok ? true : undefined));
});

afterAll(async () => {
	for (const server of running) await server.stop();
	await receiver?.close();
});

async function passEveryStep(agent: ParticipantSocket, applicant: ParticipantSocket, checklist: StepView[]): Promise<void> {
	for (const step of checklist) {
		const prompted = await request(agent, 'promptStep', { stepId: step.id });
		const seen = await notification(applicant, 'stepPrompted', (payload) => payload.step.id === step.id);
		if (step.kind === 'challenge') expect(seen.challenge?.value).toBe(prompted.challenge?.value);
		await request(agent, 'markStep', { stepId: step.id, result: 'passed' });
	}
}

describe('three processes on one Redis', () => {
	it('complete a verification whose applicant, agent and interpreter are each on another process, with one outcome and one webhook', async () => {
		const [a, b, c] = processes;
		const applicant = await createApplicant(a.url, a.api, { accessibility: { interpreter: true } });
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const invitation = await request(applicant.socket, 'inviteInterpreter', {});
		const interpreter = await connect(c.url, tokenOfLink(invitation.url));

		const agent = await availableAgent(b.url, b.api, { skills: ['sign_language'] });
		// The queue an agent on B sees holds the verification created on A.
		const queue = await request(agent.socket, 'getQueue', {});
		expect(queue.items.map((item) => item.verificationId)).toContain(applicant.verificationId);
		const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
		expect(inCall.state).toBe('in_call');
		// Emitted once by B, carried by the adapter to the applicant on A and the interpreter on C.
		await notification(applicant.socket, 'stateChanged', (payload) => payload.state === 'in_call');
		await notification(interpreter, 'stateChanged', (payload) => payload.state === 'in_call');

		await request(interpreter, 'declareInterpreter', { fullName: 'Li Wei', relation: 'sibling' });
		expect(await notification(agent.socket, 'interpreterDeclared')).toMatchObject({ fullName: 'Li Wei' });
		await request(applicant.socket, 'sendChat', { text: 'hello from A' });
		expect(await notification(interpreter, 'chatMessageSent')).toMatchObject({ text: 'hello from A' });

		await passEveryStep(agent.socket, applicant.socket, inCall.checklist);
		expect((await request(agent.socket, 'decide', { decision: 'approve' })).state).toBe('approved');
		expect(await notification(applicant.socket, 'decided')).toMatchObject({ state: 'approved' });
		expect(await notification(interpreter, 'decided')).toMatchObject({ state: 'approved' });

		// Every process reads the same verification and event log.
		const views = await Promise.all(
			processes.map(
				async (server) => (await server.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body,
			),
		);
		for (const view of views) expect(view).toMatchObject({ state: 'approved', outcome: { decision: 'approved' } });

		const events = async () =>
			(await c.api.get<{ events: JournalRecord[] }>(`/verifications/${applicant.verificationId}/events`)).body.events;
		await eventually(async () => ((await events()).some((record) => record.type === 'webhook.delivered') ? true : undefined));
		const recorded = await events();
		expect(recorded.filter((record) => record.type === 'outcome.recorded')).toHaveLength(1);
		expect(recorded.filter((record) => record.type === 'webhook.enqueued')).toHaveLength(1);
		expect(recorded.filter((record) => record.type === 'webhook.delivered')).toHaveLength(1);

		// Every process polls the due webhooks each second; a few polls later there is still one delivery.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		const deliveries = receiver.deliveries.filter((delivery) => delivery.body.verificationId === applicant.verificationId);
		expect(deliveries).toHaveLength(1);
		const [delivery] = deliveries;
		expect(
			verifySignature(TEST_SECRETS.webhookSecret, String(delivery?.headers['vidverify-signature']), delivery?.rawBody ?? ''),
		).toBe(true);
		for (const socket of [applicant.socket, interpreter, agent.socket]) socket.close();
	});

	it('give exactly one winner when agents on different processes accept the same verification at the same moment, every time', async () => {
		const [a, b, c] = processes;
		const agents = await Promise.all([availableAgent(a.url, a.api), availableAgent(b.url, b.api), availableAgent(c.url, c.api)]);
		for (let round = 0; round < 15; round += 1) {
			const applicant = await createApplicant(processes[round % 3]?.url ?? a.url, a.api);
			await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
			const answers = await Promise.all(
				agents.map((agent) => send(agent.socket, 'accept', { verificationId: applicant.verificationId })),
			);
			const winners = answers.filter((answer) => answer.ok);
			expect(winners, `round ${round}: ${JSON.stringify(answers)}`).toHaveLength(1);
			for (const answer of answers) {
				if (!answer.ok) expect(['CONFLICT', 'INVALID_STATE']).toContain(answer.error.code);
			}
			const winner = agents[answers.findIndex((answer) => answer.ok)];
			if (!winner) throw new Error('no winner');
			await request(winner.socket, 'decide', { decision: 'escalate', note: 'race test' });
			applicant.socket.close();
		}
		for (const agent of agents) agent.socket.close();
	});
});
