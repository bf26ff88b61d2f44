// Who receives a verification's news, over real socket.io: a removed or departed interpreter gets
// nothing more, a verification that is over takes no new connection, a participant's newer connection
// replaces its older one, and a returning waiting applicant's handshake tells nobody else anything.
import { CONSENT_VERSION, type VerificationNotificationName } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	availableAgent,
	callInProgress,
	connect,
	createApplicant,
	disconnected,
	eventually,
	notification,
	type ParticipantSocket,
	refusal,
	request,
	startService,
	type TestService,
	tokenOfLink,
} from './harness.ts';

let server: TestService;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	server = await startService();
});

afterAll(async () => {
	await server?.close();
});

/** Every notification a socket receives from now on, by name. */
function listen(socket: ParticipantSocket): VerificationNotificationName[] {
	const names: VerificationNotificationName[] = [];
	socket.onAny((name: VerificationNotificationName) => names.push(name));
	return names;
}

describe('membership of a verification', () => {
	it('sends a removed interpreter nothing after its removal: no chat, no prompt, no decision', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api, { accessibility: { interpreter: true } });
		const invitation = await request(applicant.socket, 'inviteInterpreter', {});
		const interpreter = await connect(server.url, tokenOfLink(invitation.url));
		await request(agent.socket, 'removeInterpreter', {});
		await notification(interpreter, 'interpreterRemoved');
		const after = listen(interpreter);

		await request(applicant.socket, 'sendChat', { text: 'only for the two of us' });
		await request(agent.socket, 'promptStep', { stepId: 'face' });
		await notification(applicant.socket, 'stepPrompted');
		await request(agent.socket, 'decide', { decision: 'escalate', note: 'removal test' });
		await notification(applicant.socket, 'decided');
		// What reached the applicant has had time to reach the interpreter too, had it been sent.
		await sleep(200);
		expect(after).toEqual([]);
		interpreter.close();
	});

	it('refuses a new connection to a verification that is over, naming its state', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		await request(agent.socket, 'decide', {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});
		await notification(applicant.socket, 'decided');
		applicant.socket.close();
		expect(await refusal(connect(server.url, applicant.token))).toMatchObject({
			code: 'INVALID_STATE',
			reason: 'verificationEnded',
			params: { state: 'rejected' },
		});
	});

	it("takes everyone out of an ended verification's news, after they were told the end", async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		const told = listen(applicant.socket);
		await request(agent.socket, 'decide', { decision: 'escalate', note: 'end test' });
		await eventually(() => (told.includes('decided') ? true : undefined));
		const after = listen(applicant.socket);
		// An agent's chat can no longer be sent, and nothing of the verification reaches the applicant.
		await expect(request(agent.socket, 'sendChat', { text: 'too late' })).rejects.toThrow(/INVALID_STATE|INVALID/);
		await sleep(200);
		expect(after).toEqual([]);
	});

	it('replaces an older connection of the same participant with the newer one, telling the older why', async () => {
		const applicant = await createApplicant(server.url, server.api);
		const older = applicant.socket;
		const gone = disconnected(older);
		const replaced = notification(older, 'connectionReplaced');
		const newer = await connect(server.url, applicant.token);
		await replaced;
		expect(await gone).toBe('io server disconnect');
		// The newer connection carries on as the participant.
		expect((await request(newer, 'getState', {})).verificationId).toBe(applicant.verificationId);
		expect((await request(newer, 'consent', { consentVersion: CONSENT_VERSION })).state).toBe('waiting');
		newer.close();
	});

	it("does not tell the agents anything when a waiting applicant's connection comes back", async () => {
		const applicant = await createApplicant(server.url, server.api);
		await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const agent = await availableAgent(server.url, server.api);
		// The agent's own availability moved the queue: that update arrives before the listening starts.
		await server.service.verifications.whenQueueTold();
		await request(agent.socket, 'getQueue', {});
		const agentHeard = listen(agent.socket);
		applicant.socket.close();
		const back = await connect(server.url, applicant.token);
		// The returning applicant reads its own place; the agents' view of the queue did not change.
		expect((await request(back, 'getState', {})).queue).toMatchObject({ position: expect.any(Number) });
		await sleep(200);
		expect(agentHeard.filter((name) => name === 'queueUpdated')).toEqual([]);
		back.close();
		agent.socket.close();
	});
});
