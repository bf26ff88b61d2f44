// What a participant can add to a verification's permanent record, over real socket.io: repeated or
// concurrent interpreter invitations record one, and the record has a bound per verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInProgress, request, send, startService, type TestService } from './harness.ts';

let server: TestService;

beforeAll(async () => {
	server = await startService({ env: { SOCKET_RATE_PER_SECOND: '10000', SOCKET_RATE_BURST: '10000' } });
});

afterAll(async () => {
	await server?.close();
});

describe('the permanent record', () => {
	it('records one interpreter invitation for many asked at once, and hands every asker the same one', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api, { accessibility: { interpreter: true } });
		const answers = await Promise.all(
			Array.from({ length: 60 }, (_, index) => request(index % 2 ? agent.socket : applicant.socket, 'inviteInterpreter', {})),
		);
		expect(new Set(answers.map((answer) => answer.invitationId)).size).toBe(1);
		const events = (await server.api.get<{ events: { type: string }[] }>(`/verifications/${applicant.verificationId}/events`))
			.body;
		expect(events.events.filter((event) => event.type === 'interpreter.invited')).toHaveLength(1);
	});

	it('stops recording prompts past the bound, and the call can still be decided', async () => {
		const { applicant, agent } = await callInProgress(server.url, server.api);
		let refused: { code: string; reason: string } | undefined;
		for (let prompts = 0; prompts < 500 && !refused; prompts += 1) {
			const answer = await send(agent.socket, 'promptStep', { stepId: 'face' });
			if (!answer.ok) refused = answer.error;
		}
		expect(refused).toMatchObject({ code: 'RATE_LIMITED', reason: 'tooManyChanges' });
		expect((await request(agent.socket, 'decide', { decision: 'escalate', note: 'bounded record' })).state).toBe('in_review');
		const view = (await server.api.get<{ state: string }>(`/verifications/${applicant.verificationId}`)).body;
		expect(view.state).toBe('in_review');
	});
});
