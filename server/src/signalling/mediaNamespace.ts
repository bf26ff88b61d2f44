// The media namespace: where a participant whose signalling socket is on another process sends the
// media requests of its call, to the process that serves that call's media (see MediaPlacement and
// getMediaEndpoint). The handshake takes a media ticket instead of a participant token; the requests
// and their checks are the same as on the verification namespace (callRequests.ts). Call notifications
// are emitted here too, in order with the answers: a consumer announced before the answer that
// created its transport would be lost.
import {
	CALL_REQUEST_ROLES,
	type CallClientToServerEvents,
	type CallServerToClientEvents,
	callRequestSchemas,
	ErrorCode,
	MEDIA_NAMESPACE,
	PROTOCOL_VERSION,
	type Role,
} from '@vidverify/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ParticipantTokens } from '../auth/ParticipantTokens.ts';
import { AppError, toWireError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CallNotification, CallRooms } from '../media/CallRooms.ts';
import type { MediaPlacement } from '../media/MediaPlacement.ts';
import type { Actor } from '../sessions/types.ts';
import type { VerificationService } from '../sessions/VerificationService.ts';
import { callRequestHandlers } from './callRequests.ts';
import { dispatchRequests } from './dispatch.ts';
import { type RateLimitSettings, requestAdmission } from './rateLimit.ts';
import { signInRoom } from './signIn.ts';

type SocketData = { actor: Actor; verificationId: string; log: Logger; signInId: string | undefined };
type MediaNamespace = Namespace<CallClientToServerEvents, CallServerToClientEvents, Record<string, never>, SocketData>;

export type MediaNamespaceOptions = {
	service: VerificationService;
	calls: CallRooms;
	placement: MediaPlacement;
	tokens: ParticipantTokens;
	rateLimit: RateLimitSettings;
	logger: Logger;
};

const participantRoom = (participantId: string) => `participant:${participantId}`;
const verificationRoom = (verificationId: string) => `verification:${verificationId}`;
const roleRoom = (verificationId: string, role: string) => `verification:${verificationId}:${role}`;

export function serveMedia(io: Server, options: MediaNamespaceOptions): { close(): void } {
	const { tokens, logger } = options;
	const namespace = io.of(MEDIA_NAMESPACE) as unknown as MediaNamespace;

	namespace.use((socket, next) => {
		try {
			const auth: Record<string, unknown> = typeof socket.handshake.auth === 'object' ? socket.handshake.auth : {};
			if (auth.protocolVersion !== PROTOCOL_VERSION) {
				throw new AppError(
					ErrorCode.PROTOCOL_MISMATCH,
					`this server speaks protocol version ${PROTOCOL_VERSION}; reload the page to get a matching client`,
				);
			}
			const claims = tokens.verifyMediaTicket(auth.token);
			socket.data.actor = {
				role: claims.role,
				participantId: claims.participantId,
				// Agents hold their assignment in the domain; the ticket's call must be that one.
				verificationId: claims.verificationId,
				...(claims.agent ? { agent: claims.agent } : {}),
			};
			socket.data.verificationId = claims.verificationId;
			socket.data.signInId = claims.role === 'agent' ? claims.signIn?.id : undefined;
			socket.data.log = logger.child({ socket: socket.id, role: claims.role, participantId: claims.participantId, media: true });
			next();
		} catch (error) {
			const wire = toWireError(error);
			next(Object.assign(new Error(wire.message), { data: wire }));
		}
	});

	namespace.on('connection', (socket) => {
		const { actor, verificationId, log, signInId } = socket.data;
		void socket.join([
			participantRoom(actor.participantId),
			verificationRoom(verificationId),
			roleRoom(verificationId, actor.role),
			...(signInId ? [signInRoom(signInId)] : []),
		]);
		const handlers = callRequestHandlers(
			{ rooms: options.calls, placement: options.placement, tokens, service: options.service, notify: forward },
			actor,
			() => verificationId,
		);
		dispatchRequests(socket as unknown as Socket, callRequestSchemas, handlers, {
			logger: log,
			admit: requestAdmission(options.rateLimit, () => {
				log.warn('request flood: disconnecting');
				setImmediate(() => socket.disconnect(true));
			}),
			authorize: (event) => {
				if (!(CALL_REQUEST_ROLES[event as keyof typeof CALL_REQUEST_ROLES] as readonly Role[]).includes(actor.role)) {
					throw AppError.forbidden(`a ${actor.role} may not send ${event}`, 'roleMayNotSend', {
						role: actor.role,
						request: event,
					});
				}
			},
		});
	});

	/** Only to this process's media sockets: those of other processes' calls never connect here. */
	function forward(notification: CallNotification): void {
		const audience = notification.audience;
		const rooms =
			'participantId' in audience
				? [participantRoom(audience.participantId)]
				: audience.roles
					? audience.roles.map((role) => roleRoom(audience.verificationId, role))
					: [verificationRoom(audience.verificationId)];
		(namespace.local.to(rooms) as unknown as { emit(name: string, payload: unknown): boolean }).emit(
			notification.name,
			notification.payload,
		);
	}
	options.calls.on('notification', forward);
	return { close: () => options.calls.off('notification', forward) };
}
