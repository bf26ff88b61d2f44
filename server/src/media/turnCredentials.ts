// Credentials for the TURN relay, in the time-limited form TURN servers derive from a shared secret
// (coturn's use-auth-secret): the username is "<expiry unix seconds>:<participant>", the password the
// base64 HMAC-SHA1 of the username under the secret. Nothing is stored; each participant gets its own,
// valid for a few hours, with every media join. The relay's URLs (RFC 7064/7065) go to browsers as
// configured: `turn:` over UDP or TCP, `turns:` over TLS (for networks that only let 443 out).
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

/**
 * Why a TURN URL cannot be handed to browsers, or undefined when it can: `turn:host[:port]` with an
 * optional `?transport=udp|tcp`, or `turns:host[:port]` over TLS, which runs on TCP only (browsers
 * do not speak TURN over DTLS, so `turns:` with `transport=udp` would never connect).
 */
export function turnUrlProblem(url: string): string | undefined {
	const match = /^(turns?):(\[[0-9a-fA-F:.]+\]|[^\s:?[\]/@]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(url);
	if (!match) return `${url} is not turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=tcp]`;
	const [, scheme, , port, transport] = match;
	if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return `${url} has a port out of range`;
	if (scheme === 'turns' && transport === 'udp') return `${url}: turns: is TURN over TLS, which runs on TCP (transport=tcp)`;
	return undefined;
}
