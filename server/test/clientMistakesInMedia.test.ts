// What mediasoup refuses because of what a client sent (a second connect, an ssrc or MID already in
// use, a producer that does not exist, a consumer closed meanwhile) is the client's mistake: it is
// answered INVALID_STATE, INVALID_PAYLOAD or NOT_FOUND, logged at debug, and never at error level, so
// an anonymous client cannot fill the log with stack traces.
import { Writable } from 'node:stream';
import { SELF_CHECK_NAMESPACE } from '@vidverify/shared';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callInProgress, notification, startService, type TestService } from './harness.ts';
import { CAMERA_PARAMETERS, callRequest, joinMedia, type MediaSocket, sendCall } from './support/callMedia.ts';

const lines: { level: number; msg: string }[] = [];
const captured = new Writable({
	write(chunk: Buffer, _encoding, done) {
		for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
		done();
	},
});
const ERROR_LEVEL = 50;

let server: TestService;

beforeAll(async () => {
	server = await startService({ env: { MEDIA_SELF_CHECK: 'true' }, logger: pino({ level: 'debug' }, captured) });
});
afterAll(() => server.close());

const DTLS = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }] };
const MICROPHONE_PARAMETERS = {
	mid: '1',
	codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
	encodings: [{ ssrc: 7000 }],
	headerExtensions: [],
	rtcp: { cname: 'microphone' },
};

function errorLines() {
	return lines.filter((line) => line.level >= ERROR_LEVEL);
}

describe('in a call', () => {
	test('a second connectTransport, and an ssrc or a MID already in use, are INVALID_STATE and log no error', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			await joinMedia(agent.socket);
			const media = await joinMedia(applicant.socket);
			const transportId = media.sendTransport.id;
			await callRequest(applicant.socket, 'connectTransport', { transportId, dtlsParameters: DTLS });
			expect(await sendCall(applicant.socket, 'connectTransport', { transportId, dtlsParameters: DTLS })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});

			await callRequest(applicant.socket, 'produce', {
				transportId,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
				source: 'camera',
			});
			const sameSsrc = { ...MICROPHONE_PARAMETERS, encodings: CAMERA_PARAMETERS.encodings };
			const sameMid = { ...MICROPHONE_PARAMETERS, mid: CAMERA_PARAMETERS.mid };
			for (const rtpParameters of [sameSsrc, sameMid]) {
				expect(
					await sendCall(applicant.socket, 'produce', { transportId, kind: 'audio', rtpParameters, source: 'microphone' }),
				).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
			}
			expect(lines.some((line) => line.level === 20 && line.msg === 'request refused')).toBe(true);
			expect(errorLines()).toEqual([]);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});

	test('resuming a consumer whose producer closes at that moment gets a defined answer and logs no error', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		try {
			await joinMedia(agent.socket);
			const media = await joinMedia(applicant.socket);
			const created = notification(agent.socket, 'consumerCreated' as never) as unknown as Promise<{ id: string }>;
			await callRequest(applicant.socket, 'produce', {
				transportId: media.sendTransport.id,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
				source: 'camera',
			});
			const consumer = await created;
			// Rejoining closes the camera, and with it the agent's consumer, while the agent resumes it.
			const [resumed] = await Promise.all([
				sendCall(agent.socket, 'resumeConsumer', { consumerId: consumer.id }),
				joinMedia(applicant.socket),
			]);
			if (!resumed.ok) expect(['NOT_FOUND', 'INVALID_STATE']).toContain(resumed.error.code);
			expect(errorLines()).toEqual([]);
		} finally {
			applicant.socket.close();
			agent.socket.close();
		}
	});
});

describe('in a connection check', () => {
	async function openCheck(): Promise<Socket> {
		const socket = io(`${server.url}${SELF_CHECK_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return socket;
	}
	const check = (socket: Socket, name: string, payload: unknown) => sendCall(socket as MediaSocket, name as never, payload);

	test('a second connect, a reused ssrc, a missing producer and a second consume of one track are refused and log no error', async () => {
		const socket = await openCheck();
		try {
			const started = await check(socket, 'start', {});
			if (!started.ok) throw new Error(started.error.message);
			const { sendTransport, routerRtpCapabilities } = started.data as unknown as {
				sendTransport: { id: string };
				routerRtpCapabilities: { codecs: unknown[]; headerExtensions: unknown[] };
			};
			const rtpCapabilities = { codecs: routerRtpCapabilities.codecs, headerExtensions: routerRtpCapabilities.headerExtensions };
			const connect = { transportId: sendTransport.id, dtlsParameters: DTLS };
			expect(await check(socket, 'connectTransport', connect)).toMatchObject({ ok: true });
			expect(await check(socket, 'connectTransport', connect)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

			const produced = await check(socket, 'produce', {
				transportId: sendTransport.id,
				kind: 'video',
				rtpParameters: CAMERA_PARAMETERS,
			});
			if (!produced.ok) throw new Error(produced.error.message);
			const { producerId } = produced.data as unknown as { producerId: string };
			const sameSsrc = { ...MICROPHONE_PARAMETERS, encodings: CAMERA_PARAMETERS.encodings };
			expect(
				await check(socket, 'produce', { transportId: sendTransport.id, kind: 'audio', rtpParameters: sameSsrc }),
			).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

			expect(
				await check(socket, 'consume', { producerId: '00000000-0000-4000-8000-000000000000', rtpCapabilities }),
			).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
			expect(await check(socket, 'consume', { producerId, rtpCapabilities })).toMatchObject({ ok: true });
			expect(await check(socket, 'consume', { producerId, rtpCapabilities })).toMatchObject({
				ok: false,
				error: { code: 'INVALID_STATE' },
			});
			expect(errorLines()).toEqual([]);
		} finally {
			socket.close();
		}
	});
});
