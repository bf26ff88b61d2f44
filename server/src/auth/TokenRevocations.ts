// Revoked agent tokens. The host platform revokes an agent (signed out, offboarded, a token leaked):
// every token and media ticket issued to that agent up to that moment stops opening a connection,
// and a token minted afterwards works again. The revocation is kept in the live state, so every
// process of a deployment honours it, for as long as any token it covers could still be valid.
import type { LiveState } from '../store/LiveState.ts';

const key = (agentId: string) => `agent-revoked:${agentId}`;

/** JWT times are whole seconds: a token minted in the second of a revocation counts as before it. */
const SECOND_MS = 1000;

export class TokenRevocations {
	readonly #live: Pick<LiveState, 'setExpiring' | 'getExpiring'>;
	readonly #keepMs: number;
	readonly #now: () => number;

	/** keepMs: the longest an agent token lives; a revocation is forgotten once all it covers have expired. */
	constructor(live: Pick<LiveState, 'setExpiring' | 'getExpiring'>, keepMs: number, now: () => number = Date.now) {
		this.#live = live;
		this.#keepMs = keepMs;
		this.#now = now;
	}

	/** Revokes everything issued to the agent until now; a later revocation moves the moment on. */
	async revokeAgent(agentId: string): Promise<Date> {
		const revokedAt = this.#now();
		await this.#live.setExpiring(key(agentId), String(revokedAt), this.#keepMs + SECOND_MS);
		return new Date(revokedAt);
	}

	/** True when a revocation of this agent came after the token was issued (or in its second). */
	async isRevoked(agentId: string, issuedAt: Date): Promise<boolean> {
		const stored = await this.#live.getExpiring(key(agentId));
		if (stored === undefined) return false;
		// issuedAt is rounded down to its second, so this also covers a token minted later in that second.
		return issuedAt.getTime() <= Number(stored);
	}
}
