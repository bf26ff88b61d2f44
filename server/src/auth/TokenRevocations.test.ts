import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { MemoryLiveState } from '../store/memory/MemoryLiveState.ts';
import { ParticipantTokens } from './ParticipantTokens.ts';
import { TokenRevocations } from './TokenRevocations.ts';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const HOUR = 3_600_000;
const agent = (agentId: string) => ({ agentId, displayName: 'Ana', languages: ['en'], skills: [] });

/** Tokens and revocations on one clock the test moves, over an in-memory live state. */
function fixture() {
	const clock = { now: Date.UTC(2026, 0, 1, 9, 0, 0, 300) };
	const now = () => clock.now;
	const revocations = new TokenRevocations(new MemoryLiveState({ now }), HOUR, now);
	const tokens = new ParticipantTokens(SECRET, HOUR, now, revocations);
	return { clock, revocations, tokens };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('accepted');
}

describe('TokenRevocations', () => {
	it("revokeAgent() refuses the agent's tokens issued before it, and in its second, with UNAUTHENTICATED tokenInvalid", async () => {
		const { clock, revocations, tokens } = fixture();
		const early = tokens.issueAgent(agent('agent-1')).token;
		clock.now += 1_000;
		await revocations.revokeAgent('agent-1');
		clock.now += 200;
		const sameSecond = tokens.issueAgent(agent('agent-1')).token;
		for (const token of [early, sameSecond]) {
			const error = await refusal(tokens.verifyCurrent(token));
			expect(error.code).toBe('UNAUTHENTICATED');
			expect(error.reason).toBe('tokenInvalid');
		}
		// verify() alone knows nothing of revocations: the check is verifyCurrent's.
		expect(tokens.verify(early).participantId).toBe('agent-1');
	});

	it('lets a token minted from the next second on connect, and leaves other agents and roles alone', async () => {
		const { clock, revocations, tokens } = fixture();
		const other = tokens.issueAgent(agent('agent-2')).token;
		await revocations.revokeAgent('agent-1');
		clock.now += 1_000;
		const fresh = tokens.issueAgent(agent('agent-1')).token;
		expect((await tokens.verifyCurrent(fresh)).participantId).toBe('agent-1');
		expect((await tokens.verifyCurrent(other)).participantId).toBe('agent-2');
		const applicant = tokens.issueApplicant('v-1', 'agent-1', new Date(clock.now + HOUR)).token;
		expect((await tokens.verifyCurrent(applicant)).role).toBe('applicant');
	});

	it("refuses the agent's media tickets issued before the revocation", async () => {
		const { clock, revocations, tokens } = fixture();
		const participant = { role: 'agent' as const, participantId: 'agent-1', verificationId: 'v-1', agent: agent('agent-1') };
		const ticket = tokens.issueMediaTicket(participant, 120_000).token;
		await revocations.revokeAgent('agent-1');
		expect((await refusal(tokens.verifyMediaTicketCurrent(ticket))).code).toBe('UNAUTHENTICATED');
		clock.now += 1_000;
		const later = tokens.issueMediaTicket(participant, 120_000).token;
		expect((await tokens.verifyMediaTicketCurrent(later)).verificationId).toBe('v-1');
	});

	it('ends a sign-in and every token refreshed from it, however late they were refreshed', async () => {
		const { clock, revocations, tokens } = fixture();
		const minted = tokens.issueAgent(agent('agent-1'));
		clock.now += 30 * 60_000;
		const refreshed = tokens.refreshAgent(tokens.verify(minted.token));
		expect(tokens.verify(refreshed.token).signIn?.id).toBe(minted.tokenId);
		await revocations.revokeAgent('agent-1');
		clock.now += 5_000;
		// Refreshed after the revocation (a request racing it): still the sign-in the revocation ended.
		const afterRevocation = tokens.refreshAgent(tokens.verify(refreshed.token)).token;
		for (const token of [minted.token, refreshed.token, afterRevocation]) {
			expect((await refusal(tokens.verifyCurrent(token))).reason).toBe('tokenInvalid');
		}
	});

	it('revokeSignIn() ends only the sign-in of the token id the host revokes, with its refreshed tokens and tickets', async () => {
		const { clock, revocations, tokens } = fixture();
		const leaked = tokens.issueAgent(agent('agent-1'));
		const kept = tokens.issueAgent(agent('agent-1'));
		clock.now += 60_000;
		const refreshed = tokens.refreshAgent(tokens.verify(leaked.token)).token;
		const claims = tokens.verify(refreshed);
		const ticket = tokens.issueMediaTicket(
			{ role: 'agent', participantId: 'agent-1', verificationId: 'v-1', agent: agent('agent-1'), signIn: claims.signIn },
			120_000,
		).token;
		await revocations.revokeSignIn(leaked.tokenId);
		clock.now += 5 * 60_000;
		for (const token of [leaked.token, refreshed]) {
			expect((await refusal(tokens.verifyCurrent(token))).reason).toBe('tokenInvalid');
		}
		expect((await refusal(tokens.verifyMediaTicketCurrent(ticket))).code).toBe('UNAUTHENTICATED');
		expect((await tokens.verifyCurrent(kept.token)).participantId).toBe('agent-1');
	});

	it('is kept as long as a token it covers could live, and a later revocation moves the moment on', async () => {
		const { clock, revocations } = fixture();
		const issuedAt = new Date(Math.floor(clock.now / 1000) * 1000);
		await revocations.revokeAgent('agent-1');
		expect(await revocations.isRevoked('agent-1', { id: 'sign-in', startedAt: issuedAt })).toBe(true);
		clock.now += 5_000;
		const between = new Date(Math.floor(clock.now / 1000) * 1000);
		expect(await revocations.isRevoked('agent-1', { id: 'sign-in', startedAt: between })).toBe(false);
		await revocations.revokeAgent('agent-1');
		expect(await revocations.isRevoked('agent-1', { id: 'sign-in', startedAt: between })).toBe(true);
		expect(await revocations.isRevoked('agent-9', { id: 'sign-in', startedAt: issuedAt })).toBe(false);
		// Once every token it covers has expired, there is nothing left to refuse.
		clock.now += HOUR + 1_000;
		expect(await revocations.isRevoked('agent-1', { id: 'sign-in', startedAt: between })).toBe(false);
	});
});
