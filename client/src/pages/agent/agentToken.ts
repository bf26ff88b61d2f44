// The agent's profile as its token states it (name, languages, skills, review permission, expiry), read without trusting
// it: the server verifies the token; the console only uses these to greet the agent and to explain why
// a waiting verification is not theirs to take.

export type AgentProfile = {
	agentId: string;
	displayName: string;
	languages: string[];
	skills: string[];
	/** The token may review verifications in review (four-eyes). */
	reviewer: boolean;
	expiresAt: Date | undefined;
};

function decodeSegment(segment: string): unknown {
	const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
	const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (char) => char.charCodeAt(0));
	return JSON.parse(new TextDecoder().decode(bytes));
}

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];

/** The agent profile in `token`, or undefined when it is not an agent token at all. */
export function readAgentProfile(token: string): AgentProfile | undefined {
	const segment = token.split('.')[1];
	if (!segment) return undefined;
	try {
		const claims = decodeSegment(segment) as Record<string, unknown>;
		const agent = claims.agent as Record<string, unknown> | undefined;
		if (claims.role !== 'agent' || typeof agent !== 'object' || agent === null || typeof agent.id !== 'string') return undefined;
		return {
			agentId: agent.id,
			displayName: typeof agent.name === 'string' ? agent.name : agent.id,
			languages: strings(agent.languages),
			skills: strings(agent.skills),
			reviewer: strings(agent.perms).includes('review'),
			expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
		};
	} catch {
		return undefined;
	}
}
