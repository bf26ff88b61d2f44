// Four-eyes review over the real transports: three server processes on one real Redis. A call escalated
// on one process is in the queue of reviewers on the others (told live), its evidence is read over
// socket.io, reviewers on different processes deciding it at the same moment get exactly one winner
// and one alreadyReviewed, every time; the host lists it by state=in_review while it waits, and its
// webhooks (in review, then decided with both decisions) are delivered once each.
import { randomUUID } from 'node:crypto';
import {
	type Ack,
	type AgentTokenAnswer,
	CONSENT_VERSION,
	type ReviewRequestName,
	type ReviewResponses,
	reviewResponseSchemas,
	type VerificationView,
} from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	availableAgent,
	connect,
	createApplicant,
	eventually,
	type HostApiClient,
	type ParticipantSocket,
	request,
	ServerProcess,
	temporaryDataDir,
	testEnvironment,
	WebhookReceiver,
} from './harness.ts';

const redisUrl = inject('redisUrl');
const running: ServerProcess[] = [];
let receiver: WebhookReceiver;
let processes: [ServerProcess, ServerProcess, ServerProcess];

beforeAll(async () => {
	receiver = await WebhookReceiver.start();
	const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `review-${randomUUID()}:`, WEBHOOK_URL: receiver.url };
	const started = await Promise.all([0, 1, 2].map(() => ServerProcess.start(testEnvironment(temporaryDataDir(), env))));
	running.push(...started);
	processes = started as [ServerProcess, ServerProcess, ServerProcess];
	for (const server of processes) await eventually(async () => ((await fetch(`${server.url}/readyz`)).ok ? true : undefined));
});

afterAll(async () => {
	for (const server of running) await server.stop();
	await receiver?.close();
});

async function reviewer(url: string, api: HostApiClient, agentId = `reviewer-${randomUUID()}`): Promise<ParticipantSocket> {
	const answer = await api.post<AgentTokenAnswer>('/agent-tokens', {
		agentId,
		displayName: `Reviewer ${agentId.slice(0, 12)}`,
		permissions: ['review'],
	});
	if (answer.status !== 201) throw new Error(`reviewer token failed: ${answer.status}`);
	return connect(url, answer.body.token);
}

/** A review request over the socket, answered as the protocol says. */
async function review<N extends ReviewRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: unknown,
): Promise<Ack<ReviewResponses[N]>> {
	const raw = socket as unknown as { timeout(ms: number): { emitWithAck(name: string, payload: unknown): Promise<unknown> } };
	const answer = (await raw.timeout(10_000).emitWithAck(name, payload)) as Ack<ReviewResponses[N]>;
	if (answer.ok) reviewResponseSchemas[name].parse(answer.data);
	return answer;
}

async function escalatedOn(server: ServerProcess): Promise<{ id: string; agent: ParticipantSocket; agentToken: string }> {
	const applicant = await createApplicant(server.url, server.api);
	await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
	const agent = await availableAgent(server.url, server.api);
	await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
	await request(agent.socket, 'promptStep', { stepId: 'face' });
	await request(agent.socket, 'markStep', { stepId: 'face', result: 'failed', note: 'a shadow over the eyes' });
	expect((await request(agent.socket, 'decide', { decision: 'escalate', note: 'the face did not match well' })).state).toBe(
		'in_review',
	);
	applicant.socket.close();
	return { id: applicant.verificationId, agent: agent.socket, agentToken: agent.token };
}

describe('four-eyes review on three processes sharing one Redis', () => {
	it('shows an escalated call to reviewers elsewhere, live, with its evidence, and tells the host twice with both decisions', async () => {
		const [a, b, c] = processes;
		const watcher = await reviewer(b.url, b.api);
		const changed = new Promise<unknown>((resolve) => watcher.on('reviewQueueChanged' as never, resolve as never));
		const { id, agent } = await escalatedOn(a);
		expect(await changed).toMatchObject({ verificationId: id, state: 'in_review', entry: { agentDecision: 'escalate' } });

		const listed = await c.api.get<{ items: VerificationView[] }>('/verifications?state=in_review&limit=200');
		expect(listed.body.items.map((item) => item.id)).toContain(id);
		const queue = await review(watcher, 'getReviewQueue', {});
		expect(queue.ok && queue.data.items.map((item) => item.verificationId)).toContain(id);
		const evidence = await review(watcher, 'getReviewCase', { verificationId: id });
		expect(evidence).toMatchObject({
			ok: true,
			data: {
				state: 'in_review',
				agentDecision: { decision: 'escalate', note: 'the face did not match well' },
				evidence: { failedSteps: ['face'] },
			},
		});
		if (evidence.ok) expect(evidence.data.steps.find((step) => step.id === 'face')?.note).toBe('a shadow over the eyes');

		// An agent without the permission is refused before any record is read.
		expect(await review(agent, 'getReviewQueue', {})).toMatchObject({ ok: false, error: { reason: 'notAReviewer' } });
		// The call's agent may not review it, on any process, even with a reviewer's token of its own (a
		// newer connection of the same agent: it replaces the agent's console connection).
		const agentId = (await a.api.get<VerificationView>(`/verifications/${id}`)).body.review?.agent.by.agentId ?? '';
		const own = await reviewer(c.url, c.api, agentId);
		expect(
			await review(own, 'decideReview', { verificationId: id, decision: 'reject', reasonCodes: ['face_mismatch'] }),
		).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'reviewOwnCall' } });
		// A malformed decision never reaches the domain.
		expect(await review(watcher, 'decideReview', { verificationId: id, decision: 'reject', reasonCodes: [] })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_PAYLOAD' },
		});

		const decided = await review(watcher, 'decideReview', {
			verificationId: id,
			decision: 'reject',
			reasonCodes: ['face_mismatch'],
			note: 'the face step failed; the note agrees',
		});
		expect(decided).toMatchObject({ ok: true, data: { state: 'rejected' } });
		const deliveries = await eventually(() => {
			const found = receiver.deliveries.filter((delivery) => delivery.body.verificationId === id);
			return found.length === 2 ? found : undefined;
		});
		expect(deliveries.map((delivery) => delivery.body.type).sort()).toEqual(['verification.decided', 'verification.in_review']);
		const final = deliveries.find((delivery) => delivery.body.type === 'verification.decided')?.body as {
			payload: { outcome: { review: unknown; decidedBy: unknown } };
		};
		expect(final.payload.outcome).toMatchObject({
			decidedBy: { displayName: expect.stringMatching(/^Reviewer/) },
			review: {
				agent: { decision: 'escalate', by: { agentId } },
				reviewer: { decision: 'reject', reasonCodes: ['face_mismatch'] },
			},
		});
		for (const socket of [watcher, own, agent]) socket.close();
	});

	it('gives exactly one winner when reviewers on different processes decide the same case at the same moment, every time', async () => {
		const [a, b, c] = processes;
		const reviewers = await Promise.all([reviewer(a.url, a.api), reviewer(b.url, b.api), reviewer(c.url, c.api)]);
		for (let round = 0; round < 10; round += 1) {
			const { id, agent } = await escalatedOn(processes[round % 3] ?? a);
			const answers = await Promise.all(
				reviewers.map((socket, index) =>
					review(socket, 'decideReview', {
						verificationId: id,
						decision: 'reject',
						reasonCodes: ['face_mismatch'],
						note: `reviewer ${index}`,
					}),
				),
			);
			expect(
				answers.filter((answer) => answer.ok),
				`round ${round}: ${JSON.stringify(answers)}`,
			).toHaveLength(1);
			for (const answer of answers) {
				if (!answer.ok) expect(answer.error).toMatchObject({ code: 'CONFLICT', reason: 'alreadyReviewed' });
			}
			const events = (await a.api.get<{ events: { type: string }[] }>(`/verifications/${id}/events`)).body.events;
			expect(events.filter((event) => event.type === 'review.decided')).toHaveLength(1);
			expect(events.filter((event) => event.type === 'outcome.recorded')).toHaveLength(1);
			agent.close();
		}
		for (const socket of reviewers) socket.close();
	});
});
