// Requests about the connection's own sign-in rather than the verification: answered by the signalling
// layer, never by the verification domain, on the verification namespace.
import { z } from 'zod';
import type { RequestEvents } from './requests.ts';
import type { Role } from './verification.ts';

export const sessionRequestSchemas = {
	/**
	 * Agent: a fresh agent token for this sign-in, before the current one runs out. It names the same
	 * agent and sign-in (revoking either still ends it) and never outlives the sign-in's longest life.
	 */
	refreshToken: z.strictObject({}),
};
export type SessionRequestName = keyof typeof sessionRequestSchemas;

export const sessionResponseSchemas = {
	refreshToken: z.strictObject({
		token: z.string(),
		expiresAt: z.iso.datetime({ offset: true }),
		/** When this sign-in ends whatever is refreshed: the host must mint a new agent link by then. */
		signInEndsAt: z.iso.datetime({ offset: true }),
	}),
} satisfies Record<SessionRequestName, z.ZodType>;

export type SessionResponses = { [K in SessionRequestName]: z.infer<(typeof sessionResponseSchemas)[K]> };

export const SESSION_REQUEST_ROLES = {
	refreshToken: ['agent'],
} as const satisfies Record<SessionRequestName, readonly Role[]>;

export type SessionClientToServerEvents = RequestEvents<typeof sessionRequestSchemas, SessionResponses>;
