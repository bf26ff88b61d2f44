// The call's media requests, on the verification namespace and on the media namespace. Only the
// participants of a verification that is in a call may join its media (the domain's snapshot decides),
// and the applicant while it waits for an agent: its media is then connected to the call's router
// ahead of the call (placed at queue time) and forwarded to no one until the call begins (CallRoom),
// and only on the process that serves that call's media (MediaPlacement); every later request needs the
// participant to have joined the media of that call; a participant's joinMedia is refused while another
// of its joins is under way, whichever connection sent it. The media follows the verification: a participant
// leaving leaves the media, and a verification ending ends its call's media. An available agent in no
// call may make its receive path ready (standBy, StandbyReceiver): the call it accepts adopts it.
import {
	type CallRequestName,
	callRequestSchemas,
	isCallOver,
	type Role,
	type VerificationNotifications,
} from '@vidverify/shared';
import type { types } from 'mediasoup';
import type { ParticipantClaims, ParticipantTokens } from '../auth/ParticipantTokens.ts';
import { AppError } from '../errors.ts';
import type { CallRoom } from '../media/CallRoom.ts';
import type { CallNotification, CallRooms } from '../media/CallRooms.ts';
import type { MediaPlacement } from '../media/MediaPlacement.ts';
import type { Actor, Notification } from '../sessions/types.ts';
import type { VerificationService } from '../sessions/VerificationService.ts';
import type { RequestHandlers } from './dispatch.ts';

/** How long a media ticket opens the media namespace; the client asks for a new one when it reconnects. */
const MEDIA_TICKET_LIFETIME_MS = 2 * 60_000;

export type CallRequestContext = {
	rooms: CallRooms;
	placement: MediaPlacement;
	tokens: ParticipantTokens;
	service: VerificationService;
	/** Sends a call notification to its audience (the namespace's forwarder). */
	notify: (notification: CallNotification) => void;
};

export function isCallRequest(name: string): name is CallRequestName {
	return Object.hasOwn(callRequestSchemas, name);
}

/**
 * `currentVerification` is the verification the socket is attached to: from the token for applicants
 * and interpreters, from the domain's assignment for agents.
 */
export function callRequestHandlers(
	context: CallRequestContext,
	actor: Actor,
	currentVerification: () => string | undefined,
	/** An agent's sign-in, carried into its media tickets so revoking the sign-in refuses them too. */
	signIn: () => ParticipantClaims['signIn'] = () => undefined,
): RequestHandlers<typeof callRequestSchemas> {
	const { rooms, service, placement } = context;

	/**
	 * The verification of a participant who may take part in its call's media now, and whether its call
	 * has begun: the applicant may connect while it waits for an agent.
	 */
	async function callInProgress(): Promise<{ verificationId: string; started: boolean }> {
		const snapshot = await service.handle('getState', actor, {});
		if (snapshot.state === 'waiting' && actor.role === 'applicant')
			return { verificationId: snapshot.verificationId, started: false };
		if (snapshot.state !== 'in_call') {
			throw AppError.invalidState(
				isCallOver(snapshot.state) ? 'this call has ended' : 'the call has not started yet: wait for an agent',
			);
		}
		if (actor.role === 'interpreter' && snapshot.interpreter?.status === 'removed')
			throw AppError.forbidden('you were removed from this call', 'removedFromCall');
		return { verificationId: snapshot.verificationId, started: true };
	}

	/** The call of this participant's verification, created when the first participant joins it. */
	async function callToJoin(): Promise<CallRoom> {
		const { verificationId, started } = await callInProgress();
		if (!(await placement.ownerOf(verificationId)).mine) {
			throw AppError.invalidState(
				"this call's media is served by another server: ask getMediaEndpoint where",
				'mediaServedElsewhere',
			);
		}
		const room = await rooms.roomFor(verificationId);
		// The domain says the call is on (the notice that starts it may still be on its way here).
		if (started) room.start();
		return room;
	}

	/** The call this participant has joined the media of. */
	function joinedCall(): CallRoom {
		const verificationId = currentVerification();
		const room = verificationId ? rooms.get(verificationId) : undefined;
		if (!room?.has(actor.participantId)) throw AppError.invalidState('join the media first (joinMedia)', 'joinMediaFirst');
		return room;
	}

	return {
		getMediaEndpoint: async () => {
			const { verificationId } = await callInProgress();
			const owner = await placement.ownerOf(verificationId);
			if (owner.mine) return { url: null, ticket: null, expiresAt: null };
			const ticket = context.tokens.issueMediaTicket(
				{ role: actor.role, participantId: actor.participantId, verificationId, agent: actor.agent, signIn: signIn() },
				MEDIA_TICKET_LIFETIME_MS,
			);
			return { url: owner.url, ticket: ticket.token, expiresAt: ticket.expiresAt.toISOString() };
		},
		getMediaCapabilities: async () => ({ routerRtpCapabilities: (await callToJoin()).routerRtpCapabilities }),
		joinMedia: ({ rtpCapabilities }) =>
			rooms.joinOnce(actor.participantId, async () => ({
				...(await (await callToJoin()).join(actor.participantId, actor.role, rtpCapabilities as types.RtpCapabilities)),
				iceServers: rooms.iceServersFor(actor.participantId),
			})),
		connectTransport: ({ transportId, dtlsParameters }) =>
			joinedCall().connectTransport(actor.participantId, transportId, dtlsParameters as types.DtlsParameters),
		produce: async ({ transportId, kind, rtpParameters, source }) => ({
			producerId: await joinedCall().produce(actor.participantId, transportId, kind, rtpParameters, source),
		}),
		resumeConsumer: ({ consumerId }) => joinedCall().resumeConsumer(actor.participantId, consumerId),
		restartIce: async ({ transportId }) => ({ iceParameters: await joinedCall().restartIce(actor.participantId, transportId) }),
		reportSendStats: (video) => {
			joinedCall().reportSendStats(actor.participantId, video);
		},
		standBy: async () => {
			if (currentVerification() !== undefined) {
				throw AppError.invalidState('you are in a call: join its media with joinMedia', 'alreadyInCall');
			}
			return { ...(await rooms.standBy(actor.participantId)), iceServers: rooms.iceServersFor(actor.participantId) };
		},
		connectStandby: async ({ transportId, dtlsParameters, rtpCapabilities }) => {
			const standby = rooms.standbyOf(actor.participantId);
			if (!standby) throw AppError.notFound('you have no standby receive path (standBy first)');
			await standby.connect(transportId, dtlsParameters as types.DtlsParameters, rtpCapabilities as types.RtpCapabilities);
			return {};
		},
		leaveStandby: () => {
			rooms.leaveStandby(actor.participantId);
			return {};
		},
		requestHighQuality: async ({ participantId }) => {
			const verificationId = currentVerification();
			const room = verificationId ? rooms.get(verificationId) : undefined;
			let role: Role | undefined;
			if (room || !verificationId || !(await placement.servedElsewhere(verificationId))) {
				role = joinedCall().roleOf(participantId);
			} else {
				// The call's media is on another process: who is in the call comes from the domain, and the
				// notification reaches the participant wherever it is connected.
				const snapshot = await service.handle('getState', actor, {});
				role = snapshot.participants.find((candidate) => candidate.participantId === participantId)?.role;
			}
			if (role === undefined) throw AppError.notFound('that participant is not in this call');
			if (role === 'agent') throw AppError.invalidPayload('ask the applicant or the interpreter, not yourself');
			context.notify({ audience: { participantId }, name: 'highQualityRequested', payload: {} });
			return {};
		},
	};
}

/** Keeps each call's media in step with its verification, from the domain's notifications. */
export function followVerifications(rooms: CallRooms, notification: Notification): void {
	const { audience } = notification;
	if (!('verificationId' in audience)) return;
	if (notification.name === 'participantJoined') {
		const { participant, resumed } = notification.payload as VerificationNotifications['participantJoined'];
		if (participant.role === 'agent' && !resumed) rooms.agentJoined(audience.verificationId, participant.participantId);
	} else if (notification.name === 'participantLeft') {
		const { participantId } = notification.payload as VerificationNotifications['participantLeft'];
		rooms.participantLeft(audience.verificationId, participantId);
	} else if (notification.name === 'stateChanged') {
		const { state } = notification.payload as VerificationNotifications['stateChanged'];
		if (state === 'in_call') rooms.callStarted(audience.verificationId);
		else if (isCallOver(state)) rooms.end(audience.verificationId);
	}
}
