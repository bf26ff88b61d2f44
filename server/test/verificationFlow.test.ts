// Whole verifications through the real wire: the host API over HTTP, applicants, agents and
// interpreters over socket.io, outcomes read back and checked against the published key, webhooks
// received by a real HTTP server and checked against their signature, and the event log's chain.
import { CONSENT_VERSION, type Outcome, type StepView, type VerificationView } from '@vidverify/shared';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRecord } from '../src/store/chain.ts';
import type { JournalRecord } from '../src/store/Journal.ts';
import { verifySignature } from '../src/webhooks/signature.ts';
import {
	availableAgent,
	ConnectRefused,
	callInProgress,
	connect,
	createApplicant,
	notification,
	type ParticipantSocket,
	request,
	send,
	startService,
	TEST_SECRETS,
	type TestService,
	tokenOfLink,
	WebhookReceiver,
} from './harness.ts';

let server: TestService;
let receiver: WebhookReceiver;
let outcomeKeyPem: string;

beforeAll(async () => {
	receiver = await WebhookReceiver.start();
	server = await startService({ env: { WEBHOOK_URL: receiver.url } });
	outcomeKeyPem = (await server.api.get<{ pem: string }>('/outcome-key')).body.pem;
});

afterAll(async () => {
	await server?.close();
	await receiver?.close();
});

/** Prompts and passes every step of the checklist; the challenge step as the caller's variant does it. */
async function passEverySteps(
	agent: ParticipantSocket,
	applicant: ParticipantSocket,
	checklist: StepView[],
	challenge: (expected: string, shown: string) => Promise<void>,
): Promise<void> {
	for (const step of checklist) {
		const prompted = await request(agent, 'promptStep', { stepId: step.id });
		const seen = await notification(applicant, 'stepPrompted', (payload) => payload.step.id === step.id);
		expect(seen.step.promptKey).toBe(step.promptKey);
		if (step.kind === 'security_features') {
			expect(prompted.step.securityFeatures?.length).toBeGreaterThan(0);
			expect(seen.step).not.toHaveProperty('securityFeatures');
		}
		if (step.kind === 'challenge') {
			const expected = prompted.challenge?.value ?? '';
			expect(expected).toMatch(/^\d{6}$/);
			await challenge(expected, seen.challenge?.value ?? '');
		}
		const marked = await request(agent, 'markStep', { stepId: step.id, result: 'passed' });
		expect(marked.step.status).toBe('passed');
	}
}

/** The view by API, its outcome's JWS checked with the published key alone. */
async function decidedView(verificationId: string): Promise<VerificationView & { outcome: Outcome }> {
	const answer = await server.api.get<VerificationView>(`/verifications/${verificationId}`);
	expect(answer.status).toBe(200);
	const view = answer.body;
	expect(view.outcome).not.toBeNull();
	const verified = jwt.verify(view.signedOutcome ?? '', outcomeKeyPem, { algorithms: ['ES256'], issuer: 'vidverify' }) as {
		outcome: Outcome;
		sub: string;
	};
	expect(verified.sub).toBe(verificationId);
	// The signed outcome carries the personal fields sealed (privacy/Sealer.ts), everything else as the view shows it.
	const sealed = expect.stringMatching(/^vvseal1\.personal\./);
	const { outcome } = view;
	expect(verified.outcome).toEqual(
		outcome && {
			...outcome,
			externalUserRef: sealed,
			note: outcome.note === null ? null : sealed,
			steps: outcome.steps.map((step) => ({ ...step, note: step.note === null ? null : sealed })),
			interpreter: outcome.interpreter && {
				...outcome.interpreter,
				fullName: outcome.interpreter.fullName === null ? null : sealed,
			},
		},
	);
	return view as VerificationView & { outcome: Outcome };
}

/** The delivery of this verification's final event, checked against its signature. */
async function webhookFor(verificationId: string) {
	for (;;) {
		const delivery = receiver.deliveries.find((candidate) => candidate.body.verificationId === verificationId);
		if (delivery) {
			expect(verifySignature(TEST_SECRETS.webhookSecret, String(delivery.headers['vidverify-signature']), delivery.rawBody)).toBe(
				true,
			);
			expect(delivery.headers['vidverify-event-id']).toBe(delivery.body.eventId);
			return delivery.body as { eventId: string; type: string; payload: { outcome: Outcome; signedOutcome: string } };
		}
		await receiver.waitForDeliveries(receiver.deliveries.length + 1);
	}
}

/** The event log by API: every record's hash matches its contents, and the whole journal chain is intact. */
async function verifiedEvents(verificationId: string): Promise<JournalRecord[]> {
	const answer = await server.api.get<{ verificationId: string; events: JournalRecord[] }>(
		`/verifications/${verificationId}/events`,
	);
	expect(answer.status).toBe(200);
	for (const record of answer.body.events) expect(checkRecord(record).ok).toBe(true);
	const seqs = answer.body.events.map((record) => record.seq);
	expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
	expect(await server.service.journal.verify()).toMatchObject({ ok: true });
	return answer.body.events;
}

describe('a verification over the wire', () => {
	it('goes from creation to approval with the challenge read aloud; outcome, webhook and event log all verify', async () => {
		const applicant = await createApplicant(server.url, server.api, { externalUserRef: 'user-approve' });
		expect(applicant.created.state).toBe('created');
		expect(applicant.created.applicantUrl).toBe(`${server.url}/join#${applicant.created.applicantToken}`);

		const waiting = await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		expect(waiting.state).toBe('waiting');
		expect(waiting.queue?.position).toBeGreaterThanOrEqual(1);

		const agent = await availableAgent(server.url, server.api);
		const queue = await request(agent.socket, 'getQueue', {});
		expect(queue.items.map((item) => item.verificationId)).toContain(applicant.verificationId);
		const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
		expect(inCall.state).toBe('in_call');
		await notification(applicant.socket, 'stateChanged', (payload) => payload.state === 'in_call');

		await passEverySteps(agent.socket, applicant.socket, inCall.checklist, async (expected, shown) => {
			// Read aloud: the applicant is shown the number the agent expects to hear.
			expect(shown).toBe(expected);
		});
		expect(await request(agent.socket, 'checkDocument', { documentType: 'passport', documentNumber: 'E12345678' })).toMatchObject(
			{
				duplicate: false,
				check: { check: 1, documentType: 'passport', duplicate: false },
			},
		);
		// A type outside the catalogue would hash the same document as a new one: refused before the domain.
		const freeText = await send(agent.socket, 'checkDocument', { documentType: 'Passport ', documentNumber: 'E12345678' });
		expect(freeText).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', fields: [{ path: 'documentType' }] } });
		const decided = await request(agent.socket, 'decide', { decision: 'approve', applicantDocument: 1 });
		expect(decided.state).toBe('approved');
		expect(await notification(applicant.socket, 'decided')).toMatchObject({ state: 'approved', reasonCodes: [] });

		const view = await decidedView(applicant.verificationId);
		expect(view).toMatchObject({ state: 'approved', externalUserRef: 'user-approve' });
		expect(view.outcome).toMatchObject({ decision: 'approved', consent: { version: CONSENT_VERSION } });
		expect(view.outcome.steps.every((step) => step.status === 'passed')).toBe(true);

		const webhook = await webhookFor(applicant.verificationId);
		expect(webhook.type).toBe('verification.decided');
		expect(webhook.payload.outcome).toEqual(view.outcome);
		expect(webhook.payload.signedOutcome).toBe(view.signedOutcome);

		const events = await verifiedEvents(applicant.verificationId);
		expect(events.map((record) => record.type)).toEqual(
			expect.arrayContaining(['verification.created', 'verification.consented', 'verification.accepted', 'verification.decided']),
		);
		const log = JSON.stringify(events);
		expect(log).not.toContain('E12345678');
		expect(log).not.toContain(applicant.token);
		applicant.socket.close();
		agent.socket.close();
	});

	it('runs the text-only challenge: the applicant types the number and the agent learns only whether it matched', async () => {
		const { applicant, agent, snapshot } = await callInProgress(server.url, server.api, {
			accessibility: { textOnlyChallenge: true },
		});
		await passEverySteps(agent.socket, applicant.socket, snapshot.checklist, async (expected, shown) => {
			expect(shown).toBe(expected);
			expect(await request(applicant.socket, 'answerChallenge', { answer: shown })).toEqual({ matched: true });
			const answered = await notification(agent.socket, 'challengeAnswered');
			expect(answered).toMatchObject({ matched: true });
			expect(JSON.stringify(answered)).not.toContain(shown);
		});
		expect((await request(agent.socket, 'decide', { decision: 'approve' })).state).toBe('approved');
		expect((await decidedView(applicant.verificationId)).state).toBe('approved');
		applicant.socket.close();
		agent.socket.close();
	});

	it('runs with an interpreter invited by link: one-time use, declaration, interpreter steps, and the outcome records it', async () => {
		const applicant = await createApplicant(server.url, server.api, { accessibility: { interpreter: true } });
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const invitation = await request(applicant.socket, 'inviteInterpreter', {});
		const interpreterToken = tokenOfLink(invitation.url);
		expect(invitation.url).toBe(`${server.url}/join#${interpreterToken}`);
		expect(jwt.decode(interpreterToken)).toMatchObject({ role: 'interpreter', jti: invitation.invitationId });
		expect((await notification(applicant.socket, 'interpreterInvited')).url).toBe(invitation.url);

		const interpreter = await connect(server.url, interpreterToken);
		try {
			await connect(server.url, interpreterToken);
			throw new Error('a second use of the invitation was accepted');
		} catch (error) {
			expect(error).toBeInstanceOf(ConnectRefused);
			expect((error as ConnectRefused).error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'invitation already used' });
		}

		const withoutSkill = await availableAgent(server.url, server.api);
		const refused = await send(withoutSkill.socket, 'accept', { verificationId: applicant.verificationId });
		expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
		withoutSkill.socket.close();

		const agent = await availableAgent(server.url, server.api, { skills: ['sign_language'] });
		const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
		const stepIds = inCall.checklist.map((step) => step.id);
		expect(stepIds).toEqual(expect.arrayContaining(['interpreter_declaration', 'interpreter_document', 'joint_presence']));

		await request(interpreter, 'declareInterpreter', { fullName: 'Li Wei', relation: 'sibling' });
		expect(await notification(agent.socket, 'interpreterDeclared')).toMatchObject({ fullName: 'Li Wei', relation: 'sibling' });
		await passEverySteps(agent.socket, applicant.socket, inCall.checklist, async (expected, shown) => {
			expect(shown).toBe(expected);
		});
		expect((await request(agent.socket, 'decide', { decision: 'approve' })).state).toBe('approved');
		expect(await notification(interpreter, 'decided')).toMatchObject({ state: 'approved' });

		const view = await decidedView(applicant.verificationId);
		expect(view.outcome.interpreter).toMatchObject({ joined: true, fullName: 'Li Wei', relation: 'sibling', removed: false });
		await verifiedEvents(applicant.verificationId);
		for (const socket of [applicant.socket, interpreter, agent.socket]) socket.close();
	});

	it('refuses a rejection whose reasons nothing in the call supports, and an approval over a failed step, with reasons a client translates', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		expect(await send(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['document_expired'] })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE', reason: 'reasonsNotSupported', params: { reasons: 'document_expired' } },
		});
		expect(await send(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['procedure_not_followed'] })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE', reason: 'reasonsNeedNote', params: { reasons: 'procedure_not_followed' } },
		});
		await request(agent.socket, 'promptStep', { stepId: 'document_front' });
		await request(agent.socket, 'markStep', { stepId: 'document_front', result: 'failed' });
		expect(await send(agent.socket, 'decide', { decision: 'approve' })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE', reason: 'approvalNeedsRequiredSteps' },
		});
		expect((await server.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body.state).toBe('in_call');
		const decided = await request(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['document_expired'] });
		expect(decided.state).toBe('rejected');
		const view = await decidedView(applicant.verificationId);
		expect(view.outcome).toMatchObject({ decision: 'rejected', reasonCodes: ['document_expired'] });
		applicant.socket.close();
		agent.socket.close();
	});

	it('creates an identity reset with this user’s earlier verification once it is over, whose summary its agent sees', async () => {
		const externalUserRef = `user-${Date.now()}`;
		const earlier = await callInProgress(server.url, server.api, { externalUserRef });
		const reset = {
			externalUserRef,
			purpose: 'identity_reset',
			earlierVerificationId: earlier.applicant.verificationId,
		} as const;
		const refused = await server.api.post('/verifications', reset);
		expect(refused).toMatchObject({
			status: 409,
			body: { error: { code: 'INVALID_STATE', reason: 'earlierVerificationNotOver' } },
		});
		expect(await server.api.post('/verifications', { ...reset, externalUserRef: 'someone-else' })).toMatchObject({
			status: 409,
			body: { error: { reason: 'earlierVerificationOtherUser' } },
		});
		await request(earlier.agent.socket, 'decide', {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});

		const { applicant, agent, snapshot } = await callInProgress(server.url, server.api, reset);
		expect(snapshot.earlierRecord).toMatchObject({
			verificationId: earlier.applicant.verificationId,
			state: 'rejected',
			reasonCodes: ['procedure_not_followed'],
			documentType: null,
		});
		const view = await server.api.get<VerificationView>(`/verifications/${applicant.verificationId}`);
		expect(view.body.earlierVerificationId).toBe(earlier.applicant.verificationId);
		for (const socket of [applicant.socket, agent.socket, earlier.applicant.socket, earlier.agent.socket]) socket.close();
	});

	it('rejects with reason codes: final, signed, and sent by webhook', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		for (const stepId of ['face', 'document_front'] as const) {
			await request(agent.socket, 'promptStep', { stepId });
			await request(agent.socket, 'markStep', { stepId, result: 'failed' });
		}
		const decided = await request(agent.socket, 'decide', {
			decision: 'reject',
			reasonCodes: ['document_expired', 'face_mismatch'],
			note: 'expired in 2020',
		});
		expect(decided.state).toBe('rejected');
		const told = await notification(applicant.socket, 'decided');
		expect(told).toMatchObject({ state: 'rejected', reasonCodes: ['document_expired', 'face_mismatch'] });
		expect(told).not.toHaveProperty('note');
		expect(await send(agent.socket, 'decide', { decision: 'approve' })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE' },
		});

		const view = await decidedView(applicant.verificationId);
		expect(view.outcome).toMatchObject({
			decision: 'rejected',
			reasonCodes: ['document_expired', 'face_mismatch'],
			note: 'expired in 2020',
		});
		expect((await webhookFor(applicant.verificationId)).payload.outcome.state).toBe('rejected');
		applicant.socket.close();
		agent.socket.close();
	});

	it('escalates with a note into review, telling the host by webhook, and refuses an escalation without one', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		expect(await send(agent.socket, 'decide', { decision: 'escalate' })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_PAYLOAD' },
		});
		expect((await request(agent.socket, 'decide', { decision: 'escalate', note: 'unfamiliar document type' })).state).toBe(
			'in_review',
		);
		const view = (await server.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body;
		expect(view).toMatchObject({
			state: 'in_review',
			outcome: null,
			review: { agent: { decision: 'escalate', note: 'unfamiliar document type' }, reviewer: null },
		});
		const webhook = (await webhookFor(applicant.verificationId)) as unknown as { type: string; payload: unknown };
		expect(webhook).toMatchObject({
			type: 'verification.in_review',
			eventId: `${applicant.verificationId}.in_review`,
			payload: { purpose: 'c2c_video', since: view.review?.since, agent: { decision: 'escalate', reasonCodes: [] } },
		});
		// Free text stays out of the webhook: the host reads the note with the view.
		expect(JSON.stringify(webhook.payload)).not.toContain('unfamiliar document type');
		applicant.socket.close();
		agent.socket.close();
	});

	it('lets the applicant cancel while waiting: abandoned, with its webhook', async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		expect((await request(applicant.socket, 'cancel', {})).state).toBe('abandoned');
		const view = await decidedView(applicant.verificationId);
		expect(view.outcome).toMatchObject({ state: 'abandoned', decision: null, reasonCodes: ['applicant_left'] });
		expect((await webhookFor(applicant.verificationId)).type).toBe('verification.abandoned');
		applicant.socket.close();
	});

	it('refuses at creation what the host already knows is not eligible, with 409 INVALID_STATE and the reason', async () => {
		for (const eligibility of [{ age: 16 }, { c2cFrozen: true }]) {
			const answer = await server.api.post<{ error: { code: string; message: string } }>('/verifications', {
				externalUserRef: 'user-ineligible',
				purpose: 'c2c_video',
				eligibility,
			});
			expect(answer.status).toBe(409);
			expect(answer.body.error.code).toBe('INVALID_STATE');
			expect(answer.body.error.message.length).toBeGreaterThan(0);
		}
	});

	it('gives exactly one of two agents accepting the same verification at once; the other gets CONFLICT', async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const first = await availableAgent(server.url, server.api);
		const second = await availableAgent(server.url, server.api);
		const answers = await Promise.all([
			send(first.socket, 'accept', { verificationId: applicant.verificationId }),
			send(second.socket, 'accept', { verificationId: applicant.verificationId }),
		]);
		expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
		expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error.code)).toEqual(['CONFLICT']);
		const view = (await server.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body;
		expect(view.state).toBe('in_call');
		// Requests name no verification: the loser, assigned none, has nothing to act on.
		const loser = answers[0]?.ok ? second : first;
		expect(await send(loser.socket, 'promptStep', { stepId: 'face' })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE' },
		});
		for (const socket of [applicant.socket, first.socket, second.socket]) socket.close();
	});

	it('resumes an applicant that drops and reconnects with its token within the grace period', async () => {
		const { applicant, agent, snapshot } = await callInProgress(server.url, server.api);
		applicant.socket.close();
		expect(await notification(agent.socket, 'participantReconnecting')).toMatchObject({ role: 'applicant' });
		const back = await connect(server.url, applicant.token);
		expect(
			await notification(agent.socket, 'participantJoined', (payload) => payload.participant.role === 'applicant'),
		).toMatchObject({ resumed: true });
		const state = await request(back, 'getState', {});
		expect(state).toMatchObject({ state: 'in_call', verificationId: snapshot.verificationId });
		await request(agent.socket, 'promptStep', { stepId: 'face' });
		expect((await notification(back, 'stepPrompted')).step.id).toBe('face');
		back.close();
		agent.socket.close();
	});

	it('lists verifications by state, page by page, over HTTP', async () => {
		const first = await server.api.get<{ items: VerificationView[]; nextCursor: string | null }>(
			'/verifications?state=approved&limit=1',
		);
		expect(first.status).toBe(200);
		expect(first.body.items).toHaveLength(1);
		expect(first.body.items[0]?.state).toBe('approved');
		expect(first.body.nextCursor).not.toBeNull();
		const second = await server.api.get<{ items: VerificationView[] }>(
			`/verifications?state=approved&limit=1&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
		);
		expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
	});

	it('answers an unknown verification id with 404', async () => {
		expect((await server.api.get('/verifications/no-such-id')).status).toBe(404);
		expect((await server.api.get('/verifications/no-such-id/events')).status).toBe(404);
	});
});

describe('timeouts', () => {
	let timed: TestService;

	beforeAll(async () => {
		timed = await startService({ env: { GRACE_PERIOD_MS: '150', WAITING_EXPIRY_MS: '400' } });
	});

	afterAll(async () => {
		await timed?.close();
	});

	it('expires a verification that waited too long for an agent', async () => {
		const applicant = await createApplicant(timed.url, timed.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		await notification(applicant.socket, 'stateChanged', (payload) => payload.state === 'expired');
		const view = (await timed.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body;
		expect(view.state).toBe('expired');
		expect(view.outcome?.state).toBe('expired');
		applicant.socket.close();
	});

	it('interrupts a call whose applicant does not come back within the grace period', async () => {
		const { applicant, agent } = await callInProgress(timed.url, timed.api);
		applicant.socket.close();
		await notification(agent.socket, 'stateChanged', (payload) => payload.state === 'interrupted');
		const view = (await timed.api.get<VerificationView>(`/verifications/${applicant.verificationId}`)).body;
		expect(view.outcome).toMatchObject({ state: 'interrupted', reasonCodes: ['applicant_left'] });
		const again = await connect(timed.url, applicant.token).catch((error: unknown) => error);
		if (!(again instanceof ConnectRefused)) {
			expect((await request(again as ParticipantSocket, 'getState', {})).state).toBe('interrupted');
			(again as ParticipantSocket).close();
		}
		agent.socket.close();
	});
});
