import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ParticipantTokens } from '../src/auth/ParticipantTokens.ts';
import { callInProgress, openMediaSocket, startService, TEST_SECRETS, type TestService } from './harness.ts';
import { CAMERA_PARAMETERS, callRequest, joinMedia, type MediaSocket, sendCall } from './support/callMedia.ts';
import { MediaCensus } from './support/mediaCensus.ts';

const RACERS = 20;
let server: TestService;
let census: MediaCensus;

beforeAll(async () => {
	// The socket budget is not under test: twenty requests at once must all reach the media layer.
	server = await startService({ env: { SOCKET_RATE_BURST: '200', SOCKET_FLOOD_DISCONNECT_AFTER: '200' } });
	census = new MediaCensus(server.service.pool.workers[0] as never);
});
afterAll(() => server.close());

const tickets = new ParticipantTokens(TEST_SECRETS.jwtSecret, 60_000);

async function call() {
	const { applicant, agent, snapshot } = await callInProgress(server.url, server.api);
	const applicantId = snapshot.participants.find((participant) => participant.role === 'applicant')?.participantId as string;
	const agentId = snapshot.participants.find((participant) => participant.role === 'agent')?.participantId as string;
	const extra: Socket[] = [];
	/** The applicant's verification connection and `count - 1` media connections. */
	const connections = async (count: number): Promise<MediaSocket[]> => {
		const participant = { role: 'applicant' as const, participantId: applicantId, verificationId: applicant.verificationId };
		const sockets = await Promise.all(
			Array.from({ length: count - 1 }, () => openMediaSocket(server.url, tickets.issueMediaTicket(participant, 60_000).token)),
		);
		extra.push(...sockets);
		return [applicant.socket, ...sockets];
	};
	const close = () => {
		for (const socket of [applicant.socket, agent.socket, ...extra]) socket.close();
	};
	return { applicant, agent, verificationId: applicant.verificationId, applicantId, agentId, connections, close };
}

function codesOf(answers: { ok: boolean; error?: { code: string } }[]): string[] {
	return answers.map((answer) => (answer.ok ? 'OK' : (answer.error?.code ?? '?'))).sort();
}

async function capabilities(socket: MediaSocket) {
	const { routerRtpCapabilities } = await callRequest(socket, 'getMediaCapabilities', {});
	const router = routerRtpCapabilities as { codecs: unknown[]; headerExtensions: unknown[] };
	return { codecs: router.codecs, headerExtensions: router.headerExtensions };
}

describe('concurrent joinMedia of one participant', () => {
	test('twenty at once on one connection: one succeeds, the others are INVALID_STATE, and the worker holds one pair of transports', async () => {
		const c = await call();
		try {
			const rtpCapabilities = await capabilities(c.applicant.socket);
			const answers = await Promise.all(
				Array.from({ length: RACERS }, () => sendCall(c.applicant.socket, 'joinMedia', { rtpCapabilities })),
			);
			expect(codesOf(answers)).toEqual(['OK', ...Array(RACERS - 1).fill('INVALID_STATE')].sort());
			expect(census.transports(c.verificationId, c.applicantId)).toBe(2);
		} finally {
			c.close();
		}
	});

	test('twenty at once from twenty connections of the participant: one succeeds, and the worker holds one pair of transports', async () => {
		const c = await call();
		try {
			const sockets = await c.connections(RACERS);
			const rtpCapabilities = await capabilities(c.applicant.socket);
			const answers = await Promise.all(sockets.map((socket) => sendCall(socket, 'joinMedia', { rtpCapabilities })));
			expect(codesOf(answers)).toEqual(['OK', ...Array(RACERS - 1).fill('INVALID_STATE')].sort());
			expect(census.transports(c.verificationId, c.applicantId)).toBe(2);
		} finally {
			c.close();
		}
	});

	test('joining again closes the transports it replaces', async () => {
		const c = await call();
		try {
			for (let join = 0; join < 5; join += 1) await joinMedia(c.applicant.socket);
			expect(census.transports(c.verificationId, c.applicantId)).toBe(2);
		} finally {
			c.close();
		}
	});
});

describe('concurrent camera produce of one participant', () => {
	async function produceRace(senders: MediaSocket[], c: Awaited<ReturnType<typeof call>>) {
		await joinMedia(c.agent.socket);
		const media = await joinMedia(c.applicant.socket);
		const answers = await Promise.all(
			senders.map((socket, index) =>
				sendCall(socket, 'produce', {
					transportId: media.sendTransport.id,
					kind: 'video',
					// Each its own MID and ssrc, so only the one-camera rule can refuse them.
					rtpParameters: { ...CAMERA_PARAMETERS, mid: String(index), encodings: [{ ssrc: 5000 + index }] },
					source: 'camera',
				}),
			),
		);
		expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
		// Past the requests a participant may have waiting, the rest are refused before their turn.
		for (const answer of answers) {
			if (!answer.ok)
				expect(['INVALID_STATE:alreadySending', 'RATE_LIMITED:rateLimited']).toContain(
					`${answer.error.code}:${answer.error.reason}`,
				);
		}
		expect(census.producers(c.verificationId, c.applicantId)).toBe(1);
		expect(census.consumers(c.verificationId, c.agentId)).toBe(1);
	}

	test('twenty at once on one connection: one camera, one consumer at the agent', async () => {
		const c = await call();
		try {
			await produceRace(Array<MediaSocket>(RACERS).fill(c.applicant.socket), c);
		} finally {
			c.close();
		}
	});

	test('twenty at once from twenty connections of the participant: one camera, one consumer at the agent', async () => {
		const c = await call();
		try {
			await produceRace(await c.connections(RACERS), c);
		} finally {
			c.close();
		}
	});
});
