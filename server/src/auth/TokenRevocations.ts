// Revoked agent sign-ins. The host platform revokes an agent (signed out, offboarded): every sign-in
// of that agent begun up to that moment, with every token refreshed from it and every media ticket,
// stops opening a connection, and a sign-in begun afterwards works. Or it revokes one sign-in by the
// id of the token it minted (that token leaked): only that sign-in ends. Revocations are kept in the
// live state, so every process of a deployment honours them, for as long as a sign-in they cover lives.
import type { LiveState } from '../store/LiveState.ts';

const agentKey = (agentId: string) => `agent-revoked:${agentId}`;
const signInKey = (signInId: string) => `sign-in-revoked:${signInId}`;

/** JWT times are whole seconds: a token minted in the second of a revocation counts as before it. */
const SECOND_MS = 1000;

export class TokenRevocations {
	readonly #live: Pick<LiveState, 'setExpiring' | 'getExpiring'>;
	readonly #keepMs: number;
	readonly #now: () => number;

	/** keepMs: the longest an agent's sign-in lives; a revocation is forgotten once all it covers have ended. */
	constructor(live: Pick<LiveState, 'setExpiring' | 'getExpiring'>, keepMs: number, now: () => number = Date.now) {
		this.#live = live;
		this.#keepMs = keepMs;
		this.#now = now;
	}

	/** Revokes every sign-in of the agent begun until now; a later revocation moves the moment on. */
	async revokeAgent(agentId: string): Promise<Date> {
		const revokedAt = this.#now();
		await this.#live.setExpiring(agentKey(agentId), String(revokedAt), this.#keepMs + SECOND_MS);
		return new Date(revokedAt);
	}

	/** Revokes one sign-in (the id of the agent token the host minted) and every token refreshed from it. */
	async revokeSignIn(signInId: string): Promise<Date> {
		const revokedAt = this.#now();
		await this.#live.setExpiring(signInKey(signInId), String(revokedAt), this.#keepMs + SECOND_MS);
		return new Date(revokedAt);
	}

	/** True when this sign-in was revoked, or its agent after it began (or in its second). */
	async isRevoked(agentId: string, signIn: { id: string; startedAt: Date }): Promise<boolean> {
		const [byAgent, bySignIn] = await Promise.all([
			this.#live.getExpiring(agentKey(agentId)),
			this.#live.getExpiring(signInKey(signIn.id)),
		]);
		if (bySignIn !== undefined) return true;
		if (byAgent === undefined) return false;
		// startedAt is rounded down to its second, so this also covers a sign-in begun later in that second.
		return signIn.startedAt.getTime() <= Number(byAgent);
	}
}
