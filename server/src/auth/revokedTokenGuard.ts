// A socket.io handshake middleware that refuses an agent token (or media ticket) revoked since it was
// issued. It runs before a namespace's own authentication and leaves everything else to it: a token
// that does not verify at all passes through here, so the namespace reports it in its own order
// (protocol version first). It needs no more of socket.io than the handshake's auth.
import { AppError, toWireError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ParticipantClaims, ParticipantTokens } from './ParticipantTokens.ts';

type Handshaking = { handshake: { auth: unknown } };

export function refuseRevokedTokens(
	tokens: ParticipantTokens,
	kind: 'participant' | 'mediaTicket',
	logger: Logger,
): (socket: Handshaking, next: (error?: Error) => void) => Promise<void> {
	return async (socket, next) => {
		const auth = socket.handshake.auth;
		const token = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>).token : undefined;
		let claims: ParticipantClaims;
		try {
			claims = kind === 'participant' ? tokens.verify(token) : tokens.verifyMediaTicket(token);
		} catch {
			next();
			return;
		}
		try {
			await tokens.assertNotRevoked(claims);
			next();
		} catch (error) {
			// The revocation could not be read: refuse rather than let a possibly revoked agent in.
			if (!(error instanceof AppError)) logger.error({ err: error }, 'could not check the token against revocations');
			const wire = toWireError(error);
			next(Object.assign(new Error(wire.message), { data: wire }));
		}
	};
}
