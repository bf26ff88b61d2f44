// Credentials for the TURN relay, in the time-limited form TURN servers derive from a shared secret
// (coturn's use-auth-secret): the username is "<expiry unix seconds>:<participant>", the password the
// base64 HMAC-SHA1 of the username under the secret. Nothing is stored; each participant gets its own,
// valid for a few hours, with every media join.
import { createHmac } from 'node:crypto';
import type { IceServer } from '@vidverify/shared';

export type TurnSettings = { urls: string[]; secret: string; credentialTtlMs: number };

export function turnIceServers(turn: TurnSettings | undefined, participantId: string, now = Date.now()): IceServer[] {
	if (!turn) return [];
	const expiresAt = Math.floor((now + turn.credentialTtlMs) / 1000);
	const username = `${expiresAt}:${participantId}`;
	const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
	return [{ urls: turn.urls, username, credential }];
}
