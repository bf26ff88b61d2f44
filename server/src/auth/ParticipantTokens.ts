// Participant tokens: the HS256 JWTs with which applicants, agents and interpreters open the
// verification socket. Each names its role, verification (vid), participant (pid), token id (jti) and
// a short expiry; agent tokens carry the agent's profile. Verifying one is the whole of socket auth.
// An agent token also names its sign-in (sid: the id of the token the host minted, ast: when): the
// console refreshes its short-lived token over its connection, the sign-in stays the same, and a
// sign-in ends after its longest life whatever is refreshed. Revoking the agent or the sign-in ends it.
// Media tickets are the same kind of token for another audience: they open the media namespace of the
// process serving one call's media, for one participant of that call, for a minute or two.
import { randomUUID } from 'node:crypto';
import { agentPermissionSchema, type Role, roleSchema } from '@vidverify/shared';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AgentProfile } from '../sessions/types.ts';
import type { TokenRevocations } from './TokenRevocations.ts';

const ISSUER = 'vidverify';
const AUDIENCE = 'vidverify:participant';
const MEDIA_AUDIENCE = 'vidverify:media';

export type ParticipantClaims = {
	role: Role;
	/** The verification the token opens; agents hold no verification until they accept one. */
	verificationId: string | undefined;
	participantId: string;
	tokenId: string;
	/** When the token was issued, to the second. */
	issuedAt: Date;
	expiresAt: Date;
	agent: AgentProfile | undefined;
	/** Agents: the sign-in every refreshed token (and media ticket) descends from, and when it began. */
	signIn: { id: string; startedAt: Date } | undefined;
};

export type IssuedToken = { token: string; expiresAt: Date };
export type IssuedAgentToken = IssuedToken & { tokenId: string };
export type RefreshedToken = IssuedToken & { signInEndsAt: Date };

const claimsSchema = z.object({
	role: roleSchema,
	vid: z.string().min(1).optional(),
	pid: z.string().min(1),
	jti: z.string().min(1),
	// Always signed; a token without it cannot be placed before or after a revocation, so it counts as before.
	iat: z.number().int().default(0),
	exp: z.number().int(),
	sid: z.string().min(1).optional(),
	ast: z.number().int().optional(),
	agent: z
		.object({
			id: z.string().min(1),
			name: z.string(),
			languages: z.array(z.string()),
			skills: z.array(z.string()),
			/** Absent in tokens minted before permissions: none. */
			perms: z.array(agentPermissionSchema).optional(),
		})
		.optional(),
});

/** The agent claim of a token: the profile, with its permissions only when it has some. */
function agentClaim(profile: AgentProfile) {
	const { agentId, displayName, languages, skills, permissions } = profile;
	return { id: agentId, name: displayName, languages, skills, ...(permissions?.length ? { perms: permissions } : {}) };
}

export class ParticipantTokens {
	readonly #secret: string;
	readonly #agentLifetimeMs: number;
	readonly #now: () => number;
	readonly #revocations: TokenRevocations | undefined;
	readonly #signInMaxMs: number;

	/**
	 * Without revocations, verifyCurrent() is verify(): nothing can have been revoked. signInMaxMs: the
	 * longest an agent's sign-in lasts through refreshes (at least one token's lifetime).
	 */
	constructor(
		secret: string,
		agentLifetimeMs: number,
		now: () => number = Date.now,
		revocations: TokenRevocations | undefined = undefined,
		signInMaxMs: number = 12 * 60 * 60_000,
	) {
		this.#secret = secret;
		this.#agentLifetimeMs = agentLifetimeMs;
		this.#now = now;
		this.#revocations = revocations;
		this.#signInMaxMs = Math.max(signInMaxMs, agentLifetimeMs);
	}

	/** jti is the participant id: the applicant's place in its verification. */
	issueApplicant(verificationId: string, participantId: string, expiresAt: Date): IssuedToken {
		return this.#sign({ role: 'applicant', vid: verificationId, pid: participantId }, participantId, expiresAt);
	}

	/** jti is the invitation id, so the domain can refuse a second use of the same invitation. */
	issueInterpreter(invitation: {
		verificationId: string;
		participantId: string;
		invitationId: string;
		expiresAt: Date;
	}): IssuedToken {
		return this.#sign(
			{ role: 'interpreter', vid: invitation.verificationId, pid: invitation.participantId },
			invitation.invitationId,
			invitation.expiresAt,
		);
	}

	/** A new sign-in: the token's id is the sign-in's, which the host may revoke by. */
	issueAgent(profile: AgentProfile): IssuedAgentToken {
		const agent = agentClaim(profile);
		const tokenId = randomUUID();
		const ast = Math.floor(this.#now() / 1000);
		const issued = this.#sign(
			{ role: 'agent', pid: profile.agentId, agent, sid: tokenId, ast },
			tokenId,
			new Date(this.#now() + this.#agentLifetimeMs),
		);
		return { ...issued, tokenId };
	}

	/**
	 * The next token of a verified agent token's sign-in: the same agent and sign-in, a new id, the
	 * usual lifetime cut to the sign-in's end. UNAUTHENTICATED (signInEnded) once too little is left.
	 */
	refreshAgent(claims: ParticipantClaims): RefreshedToken {
		const { agent, signIn } = claims;
		if (claims.role !== 'agent' || !agent || !signIn) throw AppError.unauthenticated('not an agent token', 'tokenInvalid');
		const signInEndsAt = new Date(signIn.startedAt.getTime() + this.#signInMaxMs);
		const now = this.#now();
		// JWT times are whole seconds: a token for less than one would be born expired.
		if (signInEndsAt.getTime() - now < 2_000) {
			throw AppError.unauthenticated('this sign-in has ended; the host platform must issue a new agent link', 'signInEnded');
		}
		const issued = this.#sign(
			{
				role: 'agent',
				pid: agent.agentId,
				agent: agentClaim(agent),
				sid: signIn.id,
				ast: Math.floor(signIn.startedAt.getTime() / 1000),
			},
			randomUUID(),
			new Date(Math.min(now + this.#agentLifetimeMs, signInEndsAt.getTime())),
		);
		return { ...issued, signInEndsAt };
	}

	/** A ticket for the media of `verificationId` (agents included: it names the call they are in). */
	issueMediaTicket(
		participant: {
			role: Role;
			participantId: string;
			verificationId: string;
			agent?: AgentProfile;
			/** An agent's sign-in, so revoking it refuses the ticket too. */
			signIn?: { id: string; startedAt: Date } | undefined;
		},
		lifetimeMs: number,
	): IssuedToken {
		const { role, participantId, verificationId, agent, signIn } = participant;
		const profile = agent && agentClaim(agent);
		const sign = signIn && { sid: signIn.id, ast: Math.floor(signIn.startedAt.getTime() / 1000) };
		return this.#sign(
			{ role, vid: verificationId, pid: participantId, ...(profile ? { agent: profile } : {}), ...sign },
			randomUUID(),
			new Date(this.#now() + lifetimeMs),
			MEDIA_AUDIENCE,
		);
	}

	/** The claims of a media ticket; it always names a verification. UNAUTHENTICATED otherwise. */
	verifyMediaTicket(ticket: unknown): ParticipantClaims & { verificationId: string } {
		const claims = this.#verify(ticket, MEDIA_AUDIENCE);
		if (claims.verificationId === undefined) throw AppError.unauthenticated('the ticket is not valid', 'tokenInvalid');
		return { ...claims, verificationId: claims.verificationId };
	}

	/** The claims of a token this service issued and that has not expired; UNAUTHENTICATED otherwise. */
	verify(token: unknown): ParticipantClaims {
		return this.#verify(token, AUDIENCE);
	}

	/**
	 * verify(), and refused with UNAUTHENTICATED (tokenInvalid) when the token's agent was revoked after it
	 * was issued: what a handshake should call, since a revocation lives in the shared live state.
	 */
	async verifyCurrent(token: unknown): Promise<ParticipantClaims> {
		const claims = this.verify(token);
		await this.assertNotRevoked(claims);
		return claims;
	}

	/** verifyMediaTicket(), and refused when the ticket's agent was revoked after it was issued. */
	async verifyMediaTicketCurrent(ticket: unknown): Promise<ParticipantClaims & { verificationId: string }> {
		const claims = this.verifyMediaTicket(ticket);
		await this.assertNotRevoked(claims);
		return claims;
	}

	/** UNAUTHENTICATED (tokenInvalid) when these verified claims are an agent's whose agent or sign-in was revoked. */
	async assertNotRevoked(claims: ParticipantClaims): Promise<void> {
		if (claims.role !== 'agent' || !this.#revocations) return;
		// A token without a sign-in (minted before sign-ins) is its own: it began when it was issued.
		const signIn = claims.signIn ?? { id: claims.tokenId, startedAt: claims.issuedAt };
		if (await this.#revocations.isRevoked(claims.participantId, signIn)) {
			throw AppError.unauthenticated('the token has been revoked', 'tokenInvalid');
		}
	}

	#verify(token: unknown, audience: string): ParticipantClaims {
		if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
			throw AppError.unauthenticated('a participant token is required');
		}
		let decoded: unknown;
		try {
			decoded = jwt.verify(token, this.#secret, {
				algorithms: ['HS256'],
				issuer: ISSUER,
				audience,
				clockTimestamp: Math.floor(this.#now() / 1000),
			});
		} catch (error) {
			throw error instanceof jwt.TokenExpiredError
				? AppError.unauthenticated('the token has expired', 'tokenExpired')
				: AppError.unauthenticated('the token is not valid', 'tokenInvalid');
		}
		const claims = claimsSchema.safeParse(decoded);
		if (!claims.success) throw AppError.unauthenticated('the token is not valid', 'tokenInvalid');
		const { role, vid, pid, jti, iat, exp, agent, sid, ast } = claims.data;
		if ((role === 'agent') !== (agent !== undefined) || (role !== 'agent' && vid === undefined)) {
			throw AppError.unauthenticated('the token is not valid', 'tokenInvalid');
		}
		return {
			role,
			verificationId: vid,
			participantId: pid,
			tokenId: jti,
			issuedAt: new Date(iat * 1000),
			expiresAt: new Date(exp * 1000),
			agent: agent && {
				agentId: agent.id,
				displayName: agent.name,
				languages: agent.languages,
				skills: agent.skills,
				...(agent.perms?.length ? { permissions: agent.perms } : {}),
			},
			signIn: role === 'agent' ? { id: sid ?? jti, startedAt: new Date((ast ?? iat) * 1000) } : undefined,
		};
	}

	#sign(claims: Record<string, unknown>, tokenId: string, expiresAt: Date, audience = AUDIENCE): IssuedToken {
		const nowSeconds = Math.floor(this.#now() / 1000);
		// JWT times are whole seconds; rounding down never lets a token outlive what it stands for.
		const exp = Math.floor(expiresAt.getTime() / 1000);
		const token = jwt.sign({ ...claims, iat: nowSeconds, exp }, this.#secret, {
			algorithm: 'HS256',
			issuer: ISSUER,
			audience,
			jwtid: tokenId,
		});
		return { token, expiresAt: new Date(exp * 1000) };
	}
}
