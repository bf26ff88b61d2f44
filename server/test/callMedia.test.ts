// The call's media requests through real socket.io connections to a real server with its real
// mediasoup worker: who may join a call's media and when, consumers reaching the other side, the
// agent's high-quality request, and the media ending with the verification (its quality summary
// going into the outcome). Media flowing between real browsers is proven by the e2e journeys.
import type { Ack, CallNotifications, CallRequestName, CallResponses } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callInProgress, createApplicant, type ParticipantSocket, request, startService, type TestService } from './harness.ts';

let server: TestService;

beforeAll(async () => {
	server = await startService({ env: { QUALITY_SAMPLE_MS: '250' } });
});
afterAll(() => server.close());

function sendCall<N extends CallRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: unknown,
): Promise<Ack<CallResponses[N]>> {
	const emit = socket.emit as unknown as (event: string, payload: unknown, ack: (answer: unknown) => void) => void;
	return new Promise((resolve) => emit.call(socket, name, payload, (answer) => resolve(answer as Ack<CallResponses[N]>)));
}

async function callRequest<N extends CallRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: unknown,
): Promise<CallResponses[N]> {
	const answer = await sendCall(socket, name, payload);
	if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code}: ${answer.error.message}`);
	return answer.data;
}

function nextCallNotification<N extends keyof CallNotifications>(
	socket: ParticipantSocket,
	name: N,
): Promise<CallNotifications[N]> {
	return new Promise((resolve) =>
		(socket as unknown as { once(event: string, listener: (payload: unknown) => void): void }).once(name, (payload) =>
			resolve(payload as CallNotifications[N]),
		),
	);
}

// What a browser would send for its camera; enough for the router to accept and forward it.
const cameraParameters = {
	mid: '0',
	codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] }],
	encodings: [{ ssrc: 4242 }],
	headerExtensions: [],
	rtcp: { cname: 'camera' },
};

async function joinMedia(socket: ParticipantSocket) {
	const { routerRtpCapabilities } = await callRequest(socket, 'getMediaCapabilities', {});
	const capabilities = routerRtpCapabilities as { codecs: unknown[]; headerExtensions: unknown[] };
	return callRequest(socket, 'joinMedia', {
		rtpCapabilities: { codecs: capabilities.codecs, headerExtensions: capabilities.headerExtensions },
	});
}

describe('call media over the verification namespace', () => {
	test('a waiting applicant cannot join the media before an agent takes the call', async () => {
		const applicant = await createApplicant(server.url, server.api);
		try {
			const answer = await sendCall(applicant.socket, 'getMediaCapabilities', {});
			expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
		} finally {
			applicant.socket.close();
		}
	});

	test('only an agent may ask for the highest quality, and only of someone in the call', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			expect(await sendCall(applicant.socket, 'requestHighQuality', { participantId: 'anyone' })).toMatchObject({
				ok: false,
				error: { code: 'FORBIDDEN' },
			});
			expect(await sendCall(agent.socket, 'requestHighQuality', { participantId: 'nobody' })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('media requests before joinMedia, or with malformed payloads, are refused with their codes', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			expect(
				await sendCall(applicant.socket, 'connectTransport', {
					transportId: 't',
					dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
				}),
			).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
			expect(
				await sendCall(applicant.socket, 'produce', { transportId: 't', kind: 'smell', rtpParameters: {}, source: 'camera' }),
			).toMatchObject({
				ok: false,
				error: { code: 'INVALID_PAYLOAD' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('what one participant sends reaches the other as a paused consumer; the agent’s quality request reaches the applicant; deciding ends the media and keeps its quality in the outcome', async () => {
		const { applicant, agent, snapshot } = await callInProgress(server.url, server.api);
		try {
			const agentMedia = await joinMedia(agent.socket);
			const applicantMedia = await joinMedia(applicant.socket);
			expect(agentMedia.consumers).toEqual([]);

			const consumerAtAgent = nextCallNotification(agent.socket, 'consumerCreated');
			const { producerId } = await callRequest(applicant.socket, 'produce', {
				transportId: applicantMedia.sendTransport.id,
				kind: 'video',
				rtpParameters: cameraParameters,
				source: 'camera',
			});
			const consumer = await consumerAtAgent;
			expect(consumer).toMatchObject({ producerId, kind: 'video', role: 'applicant', source: 'camera' });
			await callRequest(agent.socket, 'resumeConsumer', { consumerId: consumer.id });

			const asked = nextCallNotification(applicant.socket, 'highQualityRequested');
			await callRequest(agent.socket, 'requestHighQuality', { participantId: consumer.participantId });
			await asked;

			await callRequest(applicant.socket, 'reportSendStats', { width: 1280, height: 720, framesPerSecond: 30 });
			const sample = await nextCallNotification(agent.socket, 'callQualitySampled');
			expect(sample.participants.map((participant) => participant.role).sort()).toEqual(['agent', 'applicant']);

			// The interpreter-free c2c checklist: mark every step passed, then approve.
			for (const step of snapshot.checklist) {
				await request(agent.socket, 'promptStep', { stepId: step.id });
				await request(agent.socket, 'markStep', { stepId: step.id, result: 'passed' });
			}
			await request(agent.socket, 'decide', { decision: 'approve' });
			expect(server.service.calls.get(applicant.verificationId)).toBeUndefined();

			const stored = await server.api.get<{
				outcome: { callQuality: { samples: number; participants: { role: string; lowestResolution: unknown }[] } };
			}>(`/verifications/${applicant.verificationId}`);
			expect(stored.body.outcome.callQuality.samples).toBeGreaterThan(0);
			const applicantQuality = stored.body.outcome.callQuality.participants.find(
				(participant) => participant.role === 'applicant',
			);
			expect(applicantQuality?.lowestResolution).toEqual({ width: 1280, height: 720 });

			expect(await sendCall(applicant.socket, 'joinMedia', { rtpCapabilities: {} })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});
});

describe('a media worker dying mid-call', () => {
	test('everyone in the call is told to rejoin, and joining again puts the call on the replacement worker', async () => {
		const own = await startService({ env: { MEDIA_WORKERS: '1' } });
		const { applicant, agent } = await callInProgress(own.url, own.api);
		try {
			await joinMedia(agent.socket);
			await joinMedia(applicant.socket);
			const toldAgent = nextCallNotification(agent.socket, 'mediaRestartRequired');
			const toldApplicant = nextCallNotification(applicant.socket, 'mediaRestartRequired');
			const workerPid = own.service.pool.workers[0]?.pid as number;
			process.kill(workerPid, 'SIGKILL');
			expect(await toldAgent).toEqual({ reason: 'media_server_restarted' });
			expect(await toldApplicant).toEqual({ reason: 'media_server_restarted' });

			// The pool replaces the worker; the call's media comes back on it.
			const rejoined = await (async () => {
				for (;;) {
					const answer = await sendCall(agent.socket, 'getMediaCapabilities', {});
					if (answer.ok) return joinMedia(agent.socket);
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			})();
			expect(rejoined.sendTransport.id).toMatch(/\S/);
			expect(own.service.pool.workers[0]?.pid).not.toBe(workerPid);
			expect(own.service.pool.healthy).toBe(true);
		} finally {
			applicant.socket.close();
			agent.socket.close();
			await own.close();
		}
	});
});
