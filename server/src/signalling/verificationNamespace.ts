// The verification call's socket.io namespace: authenticates every connection at the handshake
// (protocol version, then participant token, then the domain's own admission), puts each socket in
// the rooms its notifications are addressed to, and feeds every request through the one dispatch
// point with this connection's rate limit and the role permissions of REQUEST_ROLES.
import {
	CALL_REQUEST_ROLES,
	type CallClientToServerEvents,
	type CallServerToClientEvents,
	callRequestSchemas,
	ErrorCode,
	isCallOver,
	mayRequest,
	PROTOCOL_VERSION,
	REVIEW_REQUEST_ROLES,
	type ReviewClientToServerEvents,
	type ReviewRequestName,
	type ReviewServerToClientEvents,
	ROLES,
	type Role,
	reviewRequestSchemas,
	SESSION_REQUEST_ROLES,
	type SessionRequestName,
	STILL_REQUEST_ROLES,
	type StillClientToServerEvents,
	type StillRequestName,
	type StillServerToClientEvents,
	sessionRequestSchemas,
	stillRequestSchemas,
	VERIFICATION_NAMESPACE,
	type VerificationClientToServerEvents,
	type VerificationRequestName,
	type VerificationServerToClientEvents,
	type VerificationState,
	verificationRequestSchemas,
} from '@vidverify/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ParticipantClaims, ParticipantTokens } from '../auth/ParticipantTokens.ts';
import { AppError, toWireError } from '../errors.ts';
import type { SharedLimiter } from '../limits/SharedLimiter.ts';
import type { Logger } from '../logger.ts';
import type { CallNotification, CallRooms } from '../media/CallRooms.ts';
import type { MediaPlacement } from '../media/MediaPlacement.ts';
import type { Actor, Audience, Notification } from '../sessions/types.ts';
import type { ConnectionRef, VerificationService } from '../sessions/VerificationService.ts';
import { callRequestHandlers, followVerifications, isCallRequest } from './callRequests.ts';
import { dispatchRequests, type RequestHandlers } from './dispatch.ts';
import { type RateLimitSettings, requestAdmission } from './rateLimit.ts';
import { type StillPeer, StillRelay } from './StillRelay.ts';
import { type ExpiryWatch, signInRoom, watchExpiry } from './signIn.ts';

type SocketData = {
	actor: Actor;
	log: Logger;
	/** The verification whose rooms this socket is in; for an agent, the one it is assigned to. */
	verificationId: string | undefined;
	/** How the domain recorded this connection (Redis mode), handed back when it ends. */
	connection: ConnectionRef | undefined;
	/** The token this connection stands on (the latest refresh, for an agent). */
	claims: ParticipantClaims;
	/** Agents: closes the connection when its token runs out. */
	expiry: ExpiryWatch | undefined;
};
type ClientEvents = VerificationClientToServerEvents &
	ReviewClientToServerEvents &
	CallClientToServerEvents &
	StillClientToServerEvents;
type ServerEvents = VerificationServerToClientEvents &
	ReviewServerToClientEvents &
	CallServerToClientEvents &
	StillServerToClientEvents;
type VerificationNamespace = Namespace<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
type VerificationSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

export type VerificationNamespaceOptions = {
	service: VerificationService;
	/** The calls' media, whose requests share this namespace. */
	calls: CallRooms;
	placement: MediaPlacement;
	tokens: ParticipantTokens;
	/**
	 * Other processes share this namespace's rooms (Redis mode): the domain notifications that the
	 * calls' media follows are passed to them too, since a call's media may live on any of them.
	 */
	crossProcess?: boolean;
	rateLimit: RateLimitSettings;
	/**
	 * Budgets that outlive a connection (shared by every process in Redis mode): each participant's
	 * requests, each client address's requests and its handshakes. Reconnecting buys no fresh budget.
	 */
	limits?: { participant: SharedLimiter; address: SharedLimiter; handshakes: SharedLimiter };
	/** The client address a connection counts against (TRUST_PROXY decides); the peer's by default. */
	clientAddress?: (request: Socket['request']) => string;
	logger: Logger;
};

/** Between processes: a domain notification that the calls' media follows (participants leaving, calls ending). */
const FOLLOW_CALL = 'followCall';
/** Between processes: the queue moved; each process tells the people connected to it (see QueueUpdates). */
const QUEUE_MOVED = 'queueMoved';

const verificationRoom = (verificationId: string) => `verification:${verificationId}`;
const roleRoom = (verificationId: string, role: string) => `verification:${verificationId}:${role}`;
const participantRoom = (participantId: string) => `participant:${participantId}`;
/** Every connection of an agent whose token has the review permission: told the reviewers' queue. */
const REVIEWERS_ROOM = 'reviewers';

/** Verification, review, call media, still and sign-in requests go through one dispatch point. */
const requestSchemas = {
	...verificationRequestSchemas,
	...reviewRequestSchemas,
	...callRequestSchemas,
	...stillRequestSchemas,
	...sessionRequestSchemas,
};

function isReviewRequest(name: string): name is ReviewRequestName {
	return Object.hasOwn(reviewRequestSchemas, name);
}

function isSessionRequest(name: string): name is SessionRequestName {
	return Object.hasOwn(sessionRequestSchemas, name);
}

function isStillRequest(name: string): name is StillRequestName {
	return Object.hasOwn(stillRequestSchemas, name);
}

function mayRequestAnything(role: Role, name: string): boolean {
	if (isCallRequest(name)) return (CALL_REQUEST_ROLES[name] as readonly Role[]).includes(role);
	if (isStillRequest(name)) return (STILL_REQUEST_ROLES[name] as readonly Role[]).includes(role);
	if (isSessionRequest(name)) return (SESSION_REQUEST_ROLES[name] as readonly Role[]).includes(role);
	if (isReviewRequest(name)) return (REVIEW_REQUEST_ROLES[name] as readonly Role[]).includes(role);
	return mayRequest(role, name as VerificationRequestName);
}

function roomsOf(audience: Audience | CallNotification['audience']): string[] {
	if ('participantId' in audience) return [participantRoom(audience.participantId)];
	if ('reviewers' in audience) return [REVIEWERS_ROOM];
	if (!audience.roles) return [verificationRoom(audience.verificationId)];
	return audience.roles.map((role) => roleRoom(audience.verificationId, role));
}

function stillPeerOf(socket: VerificationSocket): StillPeer {
	const emitter = socket as unknown as { emit(name: string, payload: unknown): boolean };
	return { id: socket.id, emit: (name, payload) => emitter.emit(name, payload) };
}

/** The connect_error a client sees: socket.io passes err.data through to it. */
function connectError(error: unknown): Error & { data: unknown } {
	const wire = toWireError(error);
	return Object.assign(new Error(wire.message), { data: wire });
}

export function serveVerification(io: Server, options: VerificationNamespaceOptions): { close(): void } {
	const { service, tokens, logger } = options;
	const addressOf = (socket: { request: Socket['request']; handshake: { address: string } }) =>
		options.clientAddress?.(socket.request) ?? socket.handshake.address;
	const namespace = io.of(VERIFICATION_NAMESPACE) as unknown as VerificationNamespace;
	/** Once the service shuts down, dropped connections are not participants leaving. */
	let closed = false;
	const stills = new StillRelay({
		service,
		// The participant's room on this process holds its connections; the newest is its current one.
		localSocketOf: (participantId) => {
			const ids = namespace.adapter.rooms.get(participantRoom(participantId));
			const newest = ids ? [...ids].at(-1) : undefined;
			const socket = newest === undefined ? undefined : namespace.sockets.get(newest);
			return socket ? stillPeerOf(socket) : undefined;
		},
	});

	namespace.use(async (socket, next) => {
		try {
			if (options.limits && !(await options.limits.handshakes.take(addressOf(socket)))) {
				throw AppError.rateLimited('too many connections from this address; wait a minute');
			}
			const auth: Record<string, unknown> = typeof socket.handshake.auth === 'object' ? socket.handshake.auth : {};
			if (auth.protocolVersion !== PROTOCOL_VERSION) {
				throw new AppError(
					ErrorCode.PROTOCOL_MISMATCH,
					`this server speaks protocol version ${PROTOCOL_VERSION}; reload the page to get a matching client`,
				);
			}
			const claims = tokens.verify(auth.token);
			const actor: Actor = {
				role: claims.role,
				participantId: claims.participantId,
				verificationId: claims.verificationId,
				...(claims.agent ? { agent: claims.agent } : {}),
			};
			// The domain admits or refuses the participant (a used interpreter invitation, a closed
			// verification) before any handler can run.
			socket.data.actor = actor;
			socket.data.claims = claims;
			socket.data.log = logger.child({
				socket: socket.id,
				role: actor.role,
				participantId: actor.participantId,
				verificationId: actor.verificationId,
			});
			const admitted = await service.participantConnected(actor, socket.id);
			socket.data.verificationId = admitted.verificationId;
			socket.data.connection = admitted.connection;
			reportDisconnection(socket);
			next();
		} catch (error) {
			if (!(error instanceof AppError)) logger.error({ err: error }, 'verification handshake failed');
			next(connectError(error));
		}
	});

	/**
	 * The domain counts each participant's connections, so every connection it was told about is
	 * reported gone exactly once: on disconnect, or when the transport closes before socket.io
	 * finished connecting (which emits no disconnect event).
	 */
	function reportDisconnection(socket: VerificationSocket): void {
		const { actor, log } = socket.data;
		let reported = false;
		const onGone = () => {
			if (reported || closed) return;
			reported = true;
			log.debug('participant disconnected');
			service.participantDisconnected(actor, socket.data.connection).catch((error: unknown) => {
				log.error({ err: error }, 'could not record the disconnection');
			});
		};
		socket.on('disconnect', onGone);
		socket.conn.once('close', onGone);
	}

	namespace.on('connection', (socket) => {
		const { actor, log } = socket.data;
		replaceOlderConnections(socket);
		void socket.join(participantRoom(actor.participantId));
		const signIn = socket.data.claims.signIn;
		if (signIn) {
			void socket.join(signInRoom(signIn.id));
			socket.data.expiry = watchExpiry(socket.data.claims.expiresAt, () => signOut(socket, 'tokenExpired'));
			socket.on('disconnect', () => socket.data.expiry?.stop());
		}
		if (socket.data.verificationId) joinVerification(socket, socket.data.verificationId);
		if (actor.agent?.permissions?.includes('review')) void socket.join(REVIEWERS_ROOM);
		socket.on('disconnect', () => stills.socketGone(socket.id));
		log.debug('participant connected');

		const perConnection = requestAdmission(options.rateLimit, () => {
			log.warn('request flood: disconnecting');
			// After the current acknowledgement has been written; the engine flushes it before closing.
			setImmediate(() => socket.disconnect(true));
		});
		const address = addressOf(socket);
		dispatchRequests(socket as unknown as Socket, requestSchemas, requestHandlers(socket), {
			logger: log,
			admit: async (event) => {
				// A still's chunks are bounded by the still itself (StillRelay.admitsChunk), not by the request budget.
				if (event === 'sendStillChunk' && stills.admitsChunk(socket.id)) return;
				perConnection();
				const limits = options.limits;
				if (!limits) return;
				const [byParticipant, byAddress] = await Promise.all([
					limits.participant.take(actor.participantId),
					limits.address.take(address),
				]);
				if (!byParticipant || !byAddress) throw AppError.rateLimited();
			},
			authorize: (event) => {
				if (!mayRequestAnything(actor.role, event)) {
					throw AppError.forbidden(`a ${actor.role} may not send ${event}`, 'roleMayNotSend', {
						role: actor.role,
						request: event,
					});
				}
			},
		});
	});

	function requestHandlers(socket: VerificationSocket): RequestHandlers<typeof requestSchemas> {
		const { actor } = socket.data;
		const callHandlers = callRequestHandlers(
			{ rooms: options.calls, placement: options.placement, tokens, service, notify: forward },
			actor,
			() => socket.data.verificationId,
			() => socket.data.claims.signIn,
		);
		const sessionHandlers: RequestHandlers<typeof sessionRequestSchemas> = {
			refreshToken: async () => {
				// A revocation closes the sign-in's connections, but one may be on its way: never refresh past it.
				await tokens.assertNotRevoked(socket.data.claims);
				const fresh = tokens.refreshAgent(socket.data.claims);
				socket.data.claims = tokens.verify(fresh.token);
				socket.data.expiry?.moveTo(fresh.expiresAt);
				// A reconnect of this socket.io client presents what it was opened with; the client updates it.
				return {
					token: fresh.token,
					expiresAt: fresh.expiresAt.toISOString(),
					signInEndsAt: fresh.signInEndsAt.toISOString(),
				};
			},
		};
		const entries = (Object.keys(verificationRequestSchemas) as VerificationRequestName[]).map((name) => [
			name,
			async (payload: unknown) => {
				const answer = await service.handle(name, actor, payload as never);
				if (actor.role === 'agent') followAgentAssignment(socket, answer);
				return answer;
			},
		]);
		const reviewHandlers = Object.fromEntries(
			(Object.keys(reviewRequestSchemas) as ReviewRequestName[]).map((name) => [
				name,
				(payload: unknown) => service.handleReview(name, actor, payload as never),
			]),
		) as RequestHandlers<typeof reviewRequestSchemas>;
		return {
			...(Object.fromEntries(entries) as RequestHandlers<typeof verificationRequestSchemas>),
			...reviewHandlers,
			...callHandlers,
			...stills.handlersFor(actor, stillPeerOf(socket)),
			...sessionHandlers,
		};
	}

	/** Tells an agent's connection why it is being closed, then closes it (final: the client does not retry). */
	function signOut(socket: VerificationSocket, reason: 'tokenExpired' | 'revoked'): void {
		socket.data.log.info({ reason }, 'agent signed out');
		socket.emit('signedOut', { at: new Date().toISOString(), reason });
		socket.disconnect(true);
	}

	/**
	 * One connection per participant: a newer one (another tab, another device, a reload before the old
	 * socket noticed) replaces the older ones, on whichever process they are, which are told why and
	 * closed. The domain refuses a second device of an interpreter before it gets here.
	 */
	function replaceOlderConnections(socket: VerificationSocket): void {
		const older = namespace.in(participantRoom(socket.data.actor.participantId)).except(socket.id);
		(older as unknown as { emit(name: string, payload: unknown): boolean }).emit('connectionReplaced', {
			at: new Date().toISOString(),
		});
		older.disconnectSockets(true);
	}

	/** Agents hold no verification in their token; they join its rooms when the domain assigns one. */
	function followAgentAssignment(socket: VerificationSocket, answer: unknown): void {
		if (typeof answer !== 'object' || answer === null) return;
		const assigned = (answer as { verificationId?: unknown }).verificationId;
		if (typeof assigned === 'string') joinVerification(socket, assigned);
	}

	function joinVerification(socket: VerificationSocket, verificationId: string): void {
		const { role } = socket.data.actor;
		socket.data.verificationId = verificationId;
		const rooms = [verificationRoom(verificationId), roleRoom(verificationId, role)];
		for (const room of socket.rooms) {
			if (room.startsWith('verification:') && !rooms.includes(room)) void socket.leave(room);
		}
		void socket.join(rooms);
	}

	function forward(notification: Notification | CallNotification): void {
		const rooms = namespace.to(roomsOf(notification.audience)) as unknown as {
			emit(name: string, payload: unknown): boolean;
		};
		rooms.emit(notification.name, notification.payload);
	}
	const onDomainNotification = (notification: Notification) => {
		forward(notification);
		followVerifications(options.calls, notification);
		if (notification.name === 'stateChanged' && 'verificationId' in notification.audience) {
			const { state } = notification.payload as { state: VerificationState };
			if (isCallOver(state)) stills.callEnded(notification.audience.verificationId);
		}
		if (options.crossProcess && (notification.name === 'participantLeft' || notification.name === 'stateChanged')) {
			(namespace as unknown as Namespace).serverSideEmit(FOLLOW_CALL, notification);
		}
	};
	const onFollowCall = (notification: Notification) => followVerifications(options.calls, notification);
	if (options.crossProcess) (namespace as unknown as Namespace).on(FOLLOW_CALL, onFollowCall);
	const onQueueMovedHere = () => (namespace as unknown as Namespace).serverSideEmit(QUEUE_MOVED);
	const onQueueMovedElsewhere = () => service.queueMovedElsewhere();
	if (options.crossProcess) {
		service.on('queueMoved', onQueueMovedHere);
		(namespace as unknown as Namespace).on(QUEUE_MOVED, onQueueMovedElsewhere);
	}
	// Another process took this one for dead and ended its connections. Closing the transport (not a
	// server-side disconnect, after which clients stay away) makes the clients reconnect, which records
	// their connections again.
	const onEvicted = () => {
		for (const socket of namespace.sockets.values()) socket.conn.close();
	};
	// Told last of a change: who is no longer a member stops receiving the verification's news, on every process.
	const onMembershipEnded = ({ verificationId, participantId }: { verificationId: string; participantId?: string }) => {
		const rooms = [verificationRoom(verificationId), ...ROLES.map((role) => roleRoom(verificationId, role))];
		namespace.in(participantId ? participantRoom(participantId) : verificationRoom(verificationId)).socketsLeave(rooms);
	};
	service.on('notification', onDomainNotification);
	service.on('evicted', onEvicted);
	service.on('membershipEnded', onMembershipEnded);
	options.calls.on('notification', forward);

	return {
		close: () => {
			closed = true;
			stills.close();
			service.off('notification', onDomainNotification);
			service.off('evicted', onEvicted);
			service.off('membershipEnded', onMembershipEnded);
			(namespace as unknown as Namespace).off(FOLLOW_CALL, onFollowCall);
			service.off('queueMoved', onQueueMovedHere);
			(namespace as unknown as Namespace).off(QUEUE_MOVED, onQueueMovedElsewhere);
			options.calls.off('notification', forward);
		},
	};
}
