// A call's media across processes (Redis mode): the router lives on the process where the first
// participant asked for it; a participant whose signalling is on another process learns that
// process's URL and a short-lived ticket (getMediaEndpoint), opens the media namespace there, and
// sends and receives the call's media through it, while its verification requests stay where they are.
import { randomUUID } from 'node:crypto';
import { CONSENT_VERSION } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	availableAgent,
	connect,
	createApplicant,
	eventually,
	openMediaSocket,
	request,
	ServerProcess,
	temporaryDataDir,
	testEnvironment,
} from './harness.ts';
import { CAMERA_PARAMETERS, callRequest, joinMedia, nextCallNotification, sendCall } from './support/callMedia.ts';

const running: ServerProcess[] = [];
const prefixes = new Map<ServerProcess, string>();
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
	const env = {
		REDIS_URL: inject('redisUrl'),
		REDIS_KEY_PREFIX: `media-${randomUUID()}:`,
		QUALITY_SAMPLE_MS: '250',
		REDIS_PROCESS_TTL_MS: '3000',
		GRACE_PERIOD_MS: '60000',
	};
	[a, b] = (await Promise.all([0, 1].map(() => ServerProcess.start(testEnvironment(temporaryDataDir(), env))))) as [
		ServerProcess,
		ServerProcess,
	];
	running.push(a, b);
	prefixes.set(a, env.REDIS_KEY_PREFIX);
	prefixes.set(b, env.REDIS_KEY_PREFIX);
	for (const server of running) await eventually(async () => ((await fetch(`${server.url}/readyz`)).ok ? true : undefined));
});

afterAll(async () => {
	for (const server of running) await server.kill();
});

/** The key prefix a test process was started with, to start another one on the same deployment. */
function keyPrefixOf(server: ServerProcess): string {
	const prefix = prefixes.get(server);
	if (!prefix) throw new Error('unknown process');
	return prefix;
}

describe("a call's media with its participants on two processes", () => {
	it('is served by the process that was asked first; the other participant gets there with a ticket and receives the media', async () => {
		const applicant = await createApplicant(a.url, a.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(b.url, b.api);
		await request(agent.socket, 'accept', { verificationId: applicant.verificationId });

		// The applicant asks first, on A: A serves this call's media, on the same connection.
		expect(await callRequest(applicant.socket, 'getMediaEndpoint', {})).toEqual({ url: null, ticket: null, expiresAt: null });
		const applicantMedia = await joinMedia(applicant.socket);

		// The agent's signalling is on B: B sends it to A, and will not serve the media itself.
		const endpoint = await callRequest(agent.socket, 'getMediaEndpoint', {});
		expect(endpoint.url).toBe(a.url);
		expect(await sendCall(agent.socket, 'getMediaCapabilities', {})).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE', message: expect.stringContaining('getMediaEndpoint') },
		});
		// The ticket opens only the media namespace; the participant token opens only the verification one.
		await expect(connect(a.url, endpoint.ticket ?? '')).rejects.toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
		await expect(openMediaSocket(a.url, agent.token)).rejects.toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

		const media = await openMediaSocket(endpoint.url ?? '', endpoint.ticket);
		const agentMedia = await joinMedia(media);
		expect(agentMedia.consumers).toEqual([]);

		const consumerAtAgent = nextCallNotification(media, 'consumerCreated');
		const { producerId } = await callRequest(applicant.socket, 'produce', {
			transportId: applicantMedia.sendTransport.id,
			kind: 'video',
			rtpParameters: CAMERA_PARAMETERS,
			source: 'camera',
		});
		const consumer = await consumerAtAgent;
		expect(consumer).toMatchObject({ producerId, kind: 'video', role: 'applicant', source: 'camera' });
		await callRequest(media, 'resumeConsumer', { consumerId: consumer.id });

		// Quality samples of A's router reach the agent's signalling socket on B.
		const sample = await nextCallNotification(agent.socket, 'callQualitySampled');
		expect(sample.participants.map((participant) => participant.role).sort()).toEqual(['agent', 'applicant']);

		// Asked on B, where the agent's signalling is; received by the applicant on A.
		const asked = nextCallNotification(applicant.socket, 'highQualityRequested');
		await callRequest(agent.socket, 'requestHighQuality', { participantId: consumer.participantId });
		await asked;

		// The call's quality is measured on A; B records the outcome and reads it from the shared store.
		await callRequest(applicant.socket, 'reportSendStats', { width: 1280, height: 720, framesPerSecond: 30 });
		await nextCallNotification(agent.socket, 'callQualitySampled');
		await nextCallNotification(agent.socket, 'callQualitySampled');
		// A rejection is final (an escalation now waits for a reviewer, with no outcome yet).
		await request(agent.socket, 'decide', { decision: 'reject', reasonCodes: ['procedure_not_followed'], note: 'media test' });
		const decided = await b.api.get<{ outcome: { callQuality: { samples: number; participants: { role: string }[] } | null } }>(
			`/verifications/${applicant.verificationId}`,
		);
		expect(decided.body.outcome.callQuality?.samples).toBeGreaterThan(0);
		expect(decided.body.outcome.callQuality?.participants.map((participant) => participant.role).sort()).toEqual([
			'agent',
			'applicant',
		]);
		// A followed the decision made on B: the call's media is over there.
		await eventually(async () => {
			const answer = await sendCall(media, 'restartIce', { transportId: agentMedia.sendTransport.id });
			return answer.ok ? undefined : answer;
		});
		expect(await sendCall(media, 'joinMedia', { rtpCapabilities: {} })).toMatchObject({
			ok: false,
			error: { code: 'INVALID_STATE' },
		});
		media.close();
		applicant.socket.close();
		agent.socket.close();
	});

	it('moves to another process when the one serving it is killed: the participants rejoin there and the media flows again', async () => {
		const owner = await ServerProcess.start(
			testEnvironment(temporaryDataDir(), {
				REDIS_URL: inject('redisUrl'),
				REDIS_KEY_PREFIX: keyPrefixOf(a),
				REDIS_PROCESS_TTL_MS: '3000',
				GRACE_PERIOD_MS: '60000',
			}),
		);
		running.push(owner);
		await eventually(async () => ((await fetch(`${owner.url}/readyz`)).ok ? true : undefined));
		const applicant = await createApplicant(owner.url, owner.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(b.url, b.api);
		await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
		expect((await callRequest(applicant.socket, 'getMediaEndpoint', {})).url).toBeNull();
		await joinMedia(applicant.socket);
		expect((await callRequest(agent.socket, 'getMediaEndpoint', {})).url).toBe(owner.url);

		await owner.kill();
		running.splice(running.indexOf(owner), 1);

		// The applicant's signalling comes back on B; once the dead owner's heartbeat lapses, B takes the
		// call's media and both participants join it there, on their signalling connections.
		const back = await connect(b.url, applicant.token);
		await eventually(async () => ((await callRequest(back, 'getMediaEndpoint', {})).url === null ? true : undefined), 200);
		expect(await callRequest(agent.socket, 'getMediaEndpoint', {})).toMatchObject({ url: null });
		const applicantMedia = await joinMedia(back);
		await joinMedia(agent.socket);
		const consumerAtAgent = nextCallNotification(agent.socket, 'consumerCreated');
		await callRequest(back, 'produce', {
			transportId: applicantMedia.sendTransport.id,
			kind: 'video',
			rtpParameters: CAMERA_PARAMETERS,
			source: 'camera',
		});
		expect(await consumerAtAgent).toMatchObject({ role: 'applicant', source: 'camera' });
		back.close();
		agent.socket.close();
	});
});
