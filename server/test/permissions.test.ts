// The permission matrix: every request from every role. A request the role may not send is refused
// with FORBIDDEN at the dispatch point and changes nothing; one it may send reaches the domain, which
// answers it (with data, or with a domain error such as INVALID_STATE, never the dispatch refusal).
import { REQUEST_ROLES, ROLES, type Role, type VerificationRequestName, type VerificationView } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	callInProgress,
	connect,
	type ParticipantSocket,
	request,
	send,
	startService,
	type TestService,
	tokenOfLink,
} from './harness.ts';
import { VALID_PAYLOADS } from './support/validPayloads.ts';

const REQUESTS = Object.keys(VALID_PAYLOADS) as VerificationRequestName[];
// Requests that end the call or the participant's part in it go last, so the others meet a live call.
const ENDING: VerificationRequestName[] = ['removeInterpreter', 'leave', 'cancel', 'decide'];
const ORDERED = [...REQUESTS.filter((name) => !ENDING.includes(name)), ...ENDING];

let server: TestService;
let verificationId: string;
const sockets = {} as Record<Role, ParticipantSocket>;

beforeAll(async () => {
	server = await startService();
	const { applicant, agent } = await callInProgress(server.url, server.api, { accessibility: { interpreter: true } });
	const invitation = await request(applicant.socket, 'inviteInterpreter', {});
	sockets.applicant = applicant.socket;
	sockets.agent = agent.socket;
	sockets.interpreter = await connect(server.url, tokenOfLink(invitation.url));
	verificationId = applicant.verificationId;
});

afterAll(async () => {
	for (const socket of Object.values(sockets)) socket.close();
	await server?.close();
});

describe.each(ROLES)('a %s', (role) => {
	const refused = REQUESTS.filter((name) => !(REQUEST_ROLES[name] as readonly Role[]).includes(role));

	it.each(refused)('is refused %s with FORBIDDEN, and nothing changes', async (name) => {
		const before = (await server.api.get<VerificationView>(`/verifications/${verificationId}`)).body;
		const answer = await send(sockets[role], name, VALID_PAYLOADS[name]);
		expect(answer).toEqual({
			ok: false,
			error: {
				code: 'FORBIDDEN',
				message: `a ${role} may not send ${name}`,
				reason: 'roleMayNotSend',
				params: { role, request: name },
			},
		});
		const after = (await server.api.get<VerificationView>(`/verifications/${verificationId}`)).body;
		expect(after).toEqual(before);
	});
});

describe('allowed requests', () => {
	// One pass in an order that keeps the call alive as long as possible; each answer must come from the domain.
	it.each(ORDERED.flatMap((name) => (REQUEST_ROLES[name] as readonly Role[]).map((role) => [name, role] as const)))(
		'%s from a %s reaches the domain',
		async (name, role) => {
			const answer = await send(sockets[role], name, VALID_PAYLOADS[name]);
			if (!answer.ok) {
				expect(answer.error.code).not.toBe('INVALID_PAYLOAD');
				expect(answer.error.message).not.toBe(`a ${role} may not send ${name}`);
			}
		},
	);
});
