import { CONSENT_VERSION } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	availableAgent,
	callInProgress,
	createApplicant,
	eventually,
	request,
	startService,
	type TestService,
} from './harness.ts';
import { CAMERA_PARAMETERS, callRequest, joinMedia, nextCallNotification, sendCall } from './support/callMedia.ts';

let server: TestService;

beforeAll(async () => {
	server = await startService({ env: { QUALITY_SAMPLE_MS: '250' } });
});
afterAll(() => server.close());

/** The quality samples of a call's room now: none while its applicant waits. */
async function sampledAt(verificationId: string) {
	return (await server.service.calls.get(verificationId)?.sampleQuality()) ?? null;
}

describe('call media over the verification namespace', () => {
	test('an applicant who has not consented yet cannot join the media', async () => {
		const applicant = await createApplicant(server.url, server.api);
		try {
			const answer = await sendCall(applicant.socket, 'getMediaCapabilities', {});
			expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
		} finally {
			applicant.socket.close();
		}
	});

	test('a waiting applicant joins the media and sends, forwarded to no one; the accepting agent’s joinMedia answers with its media', async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(server.url, server.api);
		try {
			const applicantMedia = await joinMedia(applicant.socket);
			expect(applicantMedia.consumers).toEqual([]);
			const { producerId } = await callRequest(applicant.socket, 'produce', {
				transportId: applicantMedia.sendTransport.id,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
				source: 'camera',
			});
			const room = server.service.calls.get(applicant.verificationId);
			expect(room?.started).toBe(false);
			// The agent is not in this call yet: it can neither join its media nor has it been offered anything.
			expect(await sendCall(agent.socket, 'getMediaCapabilities', {})).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
			expect(await sampledAt(applicant.verificationId)).toEqual([]);

			await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
			await eventually(() => room?.started || undefined);
			const agentMedia = await joinMedia(agent.socket);
			expect(agentMedia.consumers).toMatchObject([{ producerId, role: 'applicant', source: 'camera' }]);
			await callRequest(agent.socket, 'resumeConsumer', { consumerId: agentMedia.consumers[0]?.id as string });
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('an available agent’s standby gets the waiting applicant’s media at the accept, before its joinMedia, which takes it over', async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(server.url, server.api);
		try {
			const applicantMedia = await joinMedia(applicant.socket);
			const { producerId } = await callRequest(applicant.socket, 'produce', {
				transportId: applicantMedia.sendTransport.id,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
				source: 'camera',
			});
			const standby = await callRequest(agent.socket, 'standBy', {});
			const capabilities = standby.routerRtpCapabilities as { codecs: unknown[]; headerExtensions: unknown[] };
			await callRequest(agent.socket, 'connectStandby', {
				transportId: standby.recvTransport.id,
				dtlsParameters: {
					role: 'client',
					fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
				},
				rtpCapabilities: { codecs: capabilities.codecs, headerExtensions: capabilities.headerExtensions },
			});
			// An applicant may not stand by, and an agent in a call may not either.
			expect(await sendCall(applicant.socket, 'standBy', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

			const consumerAtAgent = nextCallNotification(agent.socket, 'consumerCreated');
			await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
			const consumer = await consumerAtAgent;
			expect(consumer).toMatchObject({ producerId, role: 'applicant', source: 'camera' });
			await callRequest(agent.socket, 'resumeConsumer', { consumerId: consumer.id });
			expect(await sendCall(agent.socket, 'standBy', {})).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

			const joined = await callRequest(agent.socket, 'joinMedia', {
				rtpCapabilities: { codecs: capabilities.codecs, headerExtensions: capabilities.headerExtensions },
			});
			expect(joined.recvTransport.id).toBe(standby.recvTransport.id);
			expect(joined.consumers.map((each) => each.id)).toEqual([consumer.id]);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('an applicant leaving the queue while its media is connected closes the call’s media and its worker objects', async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		try {
			const routersBefore = (await server.service.pool.workers[0]?.dump())?.routerIds.length ?? 0;
			const applicantMedia = await joinMedia(applicant.socket);
			await callRequest(applicant.socket, 'produce', {
				transportId: applicantMedia.sendTransport.id,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
				source: 'camera',
			});
			expect((await server.service.pool.workers[0]?.dump())?.routerIds).toHaveLength(routersBefore + 1);

			await request(applicant.socket, 'cancel', {});
			expect(server.service.calls.get(applicant.verificationId)).toBeUndefined();
			expect((await server.service.pool.workers[0]?.dump())?.routerIds).toHaveLength(routersBefore);
			expect(await sendCall(applicant.socket, 'getMediaCapabilities', {})).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
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
				rtpParameters: CAMERA_PARAMETERS,
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

describe('a TURN relay', () => {
	test('is handed to each participant with its own time-limited credential when joining the media', async () => {
		const own = await startService({
			env: { TURN_URLS: 'turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp', TURN_SECRET: 't'.repeat(40) },
		});
		const { applicant, agent } = await callInProgress(own.url, own.api);
		try {
			const agentMedia = await joinMedia(agent.socket);
			const applicantMedia = await joinMedia(applicant.socket);
			expect(agentMedia.iceServers).toHaveLength(1);
			expect(agentMedia.iceServers[0]?.urls).toEqual(['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp']);
			expect(agentMedia.iceServers[0]?.username).toMatch(/^\d+:/);
			expect(applicantMedia.iceServers[0]?.credential).not.toBe(agentMedia.iceServers[0]?.credential);
		} finally {
			applicant.socket.close();
			agent.socket.close();
			await own.close();
		}
	});

	test('is not configured without its shared secret: the server refuses to start and names the variable', async () => {
		await expect(startService({ env: { TURN_URLS: 'turn:127.0.0.1:3478' } })).rejects.toThrow(/TURN_SECRET/);
	});
});
