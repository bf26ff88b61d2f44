// A property-based fuzzer over every request of the three socket namespaces (verification, media, check), from every role, against a real
// server with a real media worker: whatever a client sends (any value, or a valid payload with one
// field replaced by anything), the server answers with one of its defined errors or with data, never
// with INTERNAL, never by hanging up, and stays healthy. Bounded in count; seeded, so a failure repeats.
import {
	CALL_REQUEST_ROLES,
	ERROR_REASONS,
	ErrorCode,
	MEDIA_NAMESPACE,
	PROTOCOL_VERSION,
	REQUEST_ROLES,
	type Role,
	SELF_CHECK_NAMESPACE,
	selfCheckRequestSchemas,
} from '@vidverify/shared';
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParticipantTokens } from '../src/auth/ParticipantTokens.ts';
import {
	callInProgress,
	connect,
	type ParticipantSocket,
	request,
	startService,
	TEST_SECRETS,
	type TestService,
	tokenOfLink,
} from './harness.ts';
import { VALID_PAYLOADS } from './support/validPayloads.ts';

/** A payload each request's schema accepts: the fuzzer mutates these as well as sending noise. */
const VALID: Record<string, Record<string, unknown>> = {
	...VALID_PAYLOADS,
	getMediaEndpoint: {},
	getMediaCapabilities: {},
	joinMedia: { rtpCapabilities: { codecs: [], headerExtensions: [] } },
	connectTransport: { transportId: '00000000-0000-4000-8000-000000000000', dtlsParameters: { role: 'client', fingerprints: [] } },
	produce: { transportId: 'x', kind: 'video', rtpParameters: { codecs: [], encodings: [] }, source: 'camera' },
	consume: { producerId: 'x', rtpCapabilities: { codecs: [] } },
	resumeConsumer: { consumerId: 'x' },
	restartIce: { transportId: 'x' },
	reportSendStats: { width: 1280, height: 720, framesPerSecond: 30 },
	requestHighQuality: { participantId: 'x' },
	start: {},
};

/** Ending requests are left out: the fuzz keeps one call alive, and the endings have their own tests. */
const ENDING = new Set(['decide', 'leave', 'cancel', 'removeInterpreter']);
const VERIFICATION_REQUESTS = [...Object.keys(REQUEST_ROLES), ...Object.keys(CALL_REQUEST_ROLES)].filter(
	(name) => !ENDING.has(name),
);
const SELF_CHECK_REQUESTS = Object.keys(selfCheckRequestSchemas);
const CODES = new Set<string>(Object.values(ErrorCode));
const REASONS = new Set<string>(ERROR_REASONS);
const ANSWER_WITHIN_MS = 5000;

/** Noise, and valid payloads with one field replaced, dropped or added. */
function payloadFor(name: string): fc.Arbitrary<unknown> {
	const valid = VALID[name] ?? {};
	const keys = Object.keys(valid);
	const noise = fc.oneof(
		fc.anything({ maxDepth: 3, maxKeys: 5 }),
		fc.string({ maxLength: 5000 }),
		fc.constantFrom(null, undefined, 0, -1, Number.NaN, true, [], '', '__proto__'),
	);
	const mutations: fc.Arbitrary<unknown>[] = [noise, fc.constant(valid)];
	if (keys.length > 0) {
		mutations.push(
			fc.record({ key: fc.constantFrom(...keys), value: noise }).map(({ key, value }) => ({ ...valid, [key]: value })),
			fc.constantFrom(...keys).map((key) => {
				const { [key]: _dropped, ...rest } = valid;
				return rest;
			}),
		);
	}
	mutations.push(
		fc.record({ extra: fc.string({ maxLength: 20 }), value: noise }).map(({ extra, value }) => ({ ...valid, [extra]: value })),
	);
	return fc.oneof(...mutations);
}

function emitWithAck(socket: Socket | ParticipantSocket, name: string, payload: unknown): Promise<unknown> {
	const emit = socket.emit as unknown as (event: string, ...args: unknown[]) => void;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no answer to ${name} within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
		const ack = (answer: unknown) => {
			clearTimeout(timer);
			resolve(answer);
		};
		// Missing payloads are a case of their own: the acknowledgement is then the only argument.
		if (payload === undefined) emit.call(socket, name, ack);
		else emit.call(socket, name, payload, ack);
	});
}

/** A defined answer: data, or an error with a known code and reason that is not INTERNAL. */
function expectDefinedAnswer(answer: unknown, context: string): void {
	expect(answer, context).toBeTypeOf('object');
	const ack = answer as { ok?: unknown; error?: { code?: unknown; reason?: unknown; message?: unknown } };
	if (ack.ok === true) return;
	expect(ack.ok, context).toBe(false);
	expect(CODES.has(String(ack.error?.code)), `${context}: code ${String(ack.error?.code)}`).toBe(true);
	expect(REASONS.has(String(ack.error?.reason)), `${context}: reason ${String(ack.error?.reason)}`).toBe(true);
	expect(ack.error?.code, `${context}: ${String(ack.error?.message)}`).not.toBe(ErrorCode.INTERNAL);
	expect(ack.error?.message, context).toBeTypeOf('string');
}

let server: TestService;
const sockets = {} as Record<Role, ParticipantSocket>;
/** A ticket for the applicant's media on the media namespace, as another process would hand out. */
let mediaTicket = '';

async function open(namespace: string, auth?: Record<string, unknown>): Promise<Socket> {
	const socket = io(`${server.url}${namespace}`, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

beforeAll(async () => {
	// The request budgets are not what is under test here (the flood tests cover them): a fuzzing client may send as fast as it likes.
	server = await startService({
		env: {
			SOCKET_RATE_PER_SECOND: '100000',
			SOCKET_RATE_BURST: '100000',
			MEDIA_SELF_CHECK: 'true',
			SELF_CHECK_RATE_PER_SECOND: '100000',
			SELF_CHECK_RATE_BURST: '100000',
		},
	});
	const { applicant, agent, snapshot } = await callInProgress(server.url, server.api, { accessibility: { interpreter: true } });
	const applicantId = snapshot.participants.find((participant) => participant.role === 'applicant')?.participantId ?? '';
	mediaTicket = new ParticipantTokens(TEST_SECRETS.jwtSecret, 60_000).issueMediaTicket(
		{ role: 'applicant', participantId: applicantId, verificationId: applicant.verificationId },
		60_000,
	).token;
	const invitation = await request(applicant.socket, 'inviteInterpreter', {});
	sockets.applicant = applicant.socket;
	sockets.agent = agent.socket;
	sockets.interpreter = await connect(server.url, tokenOfLink(invitation.url));
});

afterAll(async () => {
	for (const socket of Object.values(sockets)) socket.close();
	await server?.close();
});

describe('the fuzzed server', () => {
	it('answers every request on the verification namespace, from every role, with data or a defined error', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<Role>('applicant', 'agent', 'interpreter'),
				fc.constantFrom(...VERIFICATION_REQUESTS).chain((name) => fc.tuple(fc.constant(name), payloadFor(name))),
				async (role, [name, payload]) => {
					expectDefinedAnswer(
						await emitWithAck(sockets[role], name, payload),
						`${role} ${name} ${JSON.stringify(payload)?.slice(0, 200)}`,
					);
				},
			),
			{ numRuns: 1500, seed: 20261201 },
		);
		for (const socket of Object.values(sockets)) expect(socket.connected).toBe(true);
	}, 120_000);

	it('answers every request on the media namespace, held with a media ticket, with data or a defined error', async () => {
		const socket = await open(MEDIA_NAMESPACE, { token: mediaTicket, protocolVersion: PROTOCOL_VERSION });
		try {
			await fc.assert(
				fc.asyncProperty(
					fc
						.constantFrom(...Object.keys(CALL_REQUEST_ROLES), 'consent', 'decide', '__proto__', 'constructor')
						.chain((name) => fc.tuple(fc.constant(name), payloadFor(name))),
					async ([name, payload]) => {
						expectDefinedAnswer(
							await emitWithAck(socket, name, payload),
							`media ${name} ${JSON.stringify(payload)?.slice(0, 200)}`,
						);
					},
				),
				{ numRuns: 500, seed: 20261203 },
			);
			expect(socket.connected).toBe(true);
		} finally {
			socket.close();
		}
	}, 120_000);

	it('answers every request on the connection check namespace with data or a defined error', async () => {
		const socket = await open(SELF_CHECK_NAMESPACE);
		try {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...SELF_CHECK_REQUESTS).chain((name) => fc.tuple(fc.constant(name), payloadFor(name))),
					async ([name, payload]) => {
						expectDefinedAnswer(
							await emitWithAck(socket, name, payload),
							`check ${name} ${JSON.stringify(payload)?.slice(0, 200)}`,
						);
					},
				),
				{ numRuns: 400, seed: 20261202 },
			);
		} finally {
			socket.close();
		}
	});

	it('is still healthy and serving after the fuzzing', async () => {
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
		const state = await request(sockets.applicant, 'getState', {});
		expect(state.state).toBe('in_call');
	});
});
