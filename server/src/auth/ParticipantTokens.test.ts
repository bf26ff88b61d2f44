import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { ParticipantTokens } from './ParticipantTokens.ts';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const profile = { agentId: 'agent-1', displayName: 'Ana', languages: ['en'], skills: ['sign_language'] };

function refusal(action: () => unknown): AppError {
	try {
		action();
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('accepted');
}

describe('ParticipantTokens', () => {
	it('refreshAgent() keeps the agent and the sign-in, gives a new token id, and stops at the sign-in’s longest life', () => {
		const clock = { now: Date.UTC(2026, 0, 1, 9, 0, 0) };
		const MINUTE = 60_000;
		const tokens = new ParticipantTokens(SECRET, 15 * MINUTE, () => clock.now, undefined, 40 * MINUTE);
		const minted = tokens.issueAgent(profile);
		const first = tokens.verify(minted.token);
		expect(first.signIn).toEqual({ id: minted.tokenId, startedAt: new Date(clock.now) });
		expect(first.tokenId).toBe(minted.tokenId);

		clock.now += 10 * MINUTE;
		const second = tokens.refreshAgent(first);
		const secondClaims = tokens.verify(second.token);
		expect(secondClaims).toMatchObject({ role: 'agent', participantId: 'agent-1', agent: profile, signIn: first.signIn });
		expect(secondClaims.tokenId).not.toBe(minted.tokenId);
		expect(second.expiresAt.getTime()).toBe(clock.now + 15 * MINUTE);
		expect(second.signInEndsAt.getTime()).toBe(Date.UTC(2026, 0, 1, 9, 40, 0));

		// Near the sign-in's end a refresh is cut to it, and after it there is none.
		clock.now += 14 * MINUTE;
		const third = tokens.refreshAgent(tokens.verify(second.token));
		clock.now += 14 * MINUTE;
		const fourth = tokens.refreshAgent(tokens.verify(third.token));
		expect(fourth.expiresAt).toEqual(fourth.signInEndsAt);
		clock.now = fourth.signInEndsAt.getTime() - 1_000;
		expect(refusal(() => tokens.refreshAgent(tokens.verify(fourth.token))).reason).toBe('signInEnded');
		// Only agent tokens refresh.
		const applicant = tokens.verify(tokens.issueApplicant('v-1', 'p-1', new Date(clock.now + MINUTE)).token);
		expect(refusal(() => tokens.refreshAgent(applicant)).reason).toBe('tokenInvalid');
	});

	it('issueApplicant() makes a token naming the verification, the participant as jti, and the given expiry', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const expiresAt = new Date(Date.now() + 3_600_000);
		const { token } = tokens.issueApplicant('v-1', 'p-1', expiresAt);
		const claims = tokens.verify(token);
		expect(claims).toMatchObject({ role: 'applicant', verificationId: 'v-1', participantId: 'p-1', tokenId: 'p-1' });
		expect(claims.expiresAt.getTime()).toBe(Math.floor(expiresAt.getTime() / 1000) * 1000);
	});

	it('issueInterpreter() uses the invitation id as jti and the invitation expiry', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const expiresAt = new Date(Date.now() + 900_000);
		const { token } = tokens.issueInterpreter({ verificationId: 'v-1', participantId: 'i-1', invitationId: 'inv-1', expiresAt });
		expect(tokens.verify(token)).toMatchObject({ role: 'interpreter', participantId: 'i-1', tokenId: 'inv-1' });
	});

	it('issueAgent() carries the profile and no verification', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const claims = tokens.verify(tokens.issueAgent(profile).token);
		expect(claims).toMatchObject({ role: 'agent', participantId: 'agent-1', verificationId: undefined, agent: profile });
	});

	it('issueAgent() carries a reviewer’s permission through refreshes and media tickets; a token without one has none', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const reviewer = { ...profile, permissions: ['review' as const] };
		const claims = tokens.verify(tokens.issueAgent(reviewer).token);
		expect(claims.agent).toEqual(reviewer);
		expect(tokens.verify(tokens.refreshAgent(claims).token).agent).toEqual(reviewer);
		const ticket = tokens.issueMediaTicket({ ...claims, verificationId: 'v-1', agent: reviewer }, 60_000);
		expect(tokens.verifyMediaTicket(ticket.token).agent).toEqual(reviewer);
		expect(tokens.verify(tokens.issueAgent(profile).token).agent).not.toHaveProperty('permissions');
		// A permission this service does not know is not a token it minted.
		const forged = jwt.sign(
			{ role: 'agent', pid: 'a', agent: { id: 'a', name: 'A', languages: [], skills: [], perms: ['admin'] } },
			SECRET,
			{ algorithm: 'HS256', issuer: 'vidverify', audience: 'vidverify:participant', jwtid: 'j', expiresIn: 60 },
		);
		expect(refusal(() => tokens.verify(forged)).reason).toBe('tokenInvalid');
	});

	it('verify() refuses expired, foreign, tampered and role-inconsistent tokens with UNAUTHENTICATED', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const past = new ParticipantTokens(SECRET, 60_000, () => Date.now() - 120_000);
		expect(refusal(() => tokens.verify(past.issueAgent(profile).token)).message).toContain('expired');
		const foreign = new ParticipantTokens(`${SECRET}-other`, 60_000).issueAgent(profile).token;
		expect(refusal(() => tokens.verify(foreign)).code).toBe('UNAUTHENTICATED');
		const [header, , signature] = tokens.issueAgent(profile).token.split('.');
		const body = Buffer.from(JSON.stringify({ role: 'agent', pid: 'root' })).toString('base64url');
		expect(refusal(() => tokens.verify(`${header}.${body}.${signature}`)).code).toBe('UNAUTHENTICATED');
		const applicantWithoutVerification = jwt.sign({ role: 'applicant', pid: 'p' }, SECRET, {
			issuer: 'vidverify',
			audience: 'vidverify:participant',
			jwtid: 'p',
			expiresIn: 60,
		});
		expect(refusal(() => tokens.verify(applicantWithoutVerification)).code).toBe('UNAUTHENTICATED');
		expect(refusal(() => tokens.verify(undefined)).code).toBe('UNAUTHENTICATED');
	});

	it('issueMediaTicket() makes a ticket for one call that opens only the media namespace, and no participant token is a ticket', () => {
		const tokens = new ParticipantTokens(SECRET, 60_000);
		const { token: ticket } = tokens.issueMediaTicket(
			{ role: 'agent', participantId: 'agent-1', verificationId: 'v-1', agent: profile },
			60_000,
		);
		expect(tokens.verifyMediaTicket(ticket)).toMatchObject({ role: 'agent', verificationId: 'v-1', agent: profile });
		expect(refusal(() => tokens.verify(ticket)).code).toBe('UNAUTHENTICATED');
		const participant = tokens.issueApplicant('v-1', 'p-1', new Date(Date.now() + 60_000)).token;
		expect(refusal(() => tokens.verifyMediaTicket(participant)).code).toBe('UNAUTHENTICATED');
		const expired = new ParticipantTokens(SECRET, 60_000, () => Date.now() - 120_000).issueMediaTicket(
			{ role: 'applicant', participantId: 'p-1', verificationId: 'v-1' },
			60_000,
		).token;
		expect(refusal(() => tokens.verifyMediaTicket(expired)).message).toContain('expired');
	});
});
