// The call's media requests on the verification namespace. Only the participants of a verification
// that is in a call may join its media (the domain's snapshot decides); every later request needs the
// participant to have joined the media of that call. The media follows the verification: a participant
// leaving leaves the media, and a verification ending ends its call's media.
import { type CallRequestName, callRequestSchemas, isFinalState, type VerificationNotifications } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { CallRoom } from '../media/CallRoom.ts';
import type { CallNotification, CallRooms } from '../media/CallRooms.ts';
import type { Actor, Notification } from '../sessions/types.ts';
import type { VerificationService } from '../sessions/VerificationService.ts';
import type { RequestHandlers } from './dispatch.ts';

export type CallRequestContext = {
	rooms: CallRooms;
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
): RequestHandlers<typeof callRequestSchemas> {
	const { rooms, service } = context;

	/** The call of this participant's verification, created when the first participant joins it. */
	async function callToJoin(): Promise<CallRoom> {
		const snapshot = await service.handle('getState', actor, {});
		if (snapshot.state !== 'in_call') {
			throw AppError.invalidState(
				isFinalState(snapshot.state) ? 'this verification has ended' : 'the call has not started yet: wait for an agent',
			);
		}
		if (actor.role === 'interpreter' && snapshot.interpreter?.removed)
			throw AppError.forbidden('you were removed from this call');
		return rooms.roomFor(snapshot.verificationId);
	}

	/** The call this participant has joined the media of. */
	function joinedCall(): CallRoom {
		const verificationId = currentVerification();
		const room = verificationId ? rooms.get(verificationId) : undefined;
		if (!room?.has(actor.participantId)) throw AppError.invalidState('join the media first (joinMedia)');
		return room;
	}

	return {
		getMediaCapabilities: async () => ({ routerRtpCapabilities: (await callToJoin()).routerRtpCapabilities }),
		joinMedia: async ({ rtpCapabilities }) =>
			(await callToJoin()).join(actor.participantId, actor.role, rtpCapabilities as types.RtpCapabilities),
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
		requestHighQuality: ({ participantId }) => {
			const room = joinedCall();
			const role = room.roleOf(participantId);
			if (role === undefined) throw AppError.notFound('that participant is not in this call');
			if (role === 'agent') throw AppError.invalidPayload('ask the applicant or the interpreter, not yourself');
			context.notify({ audience: { participantId }, name: 'highQualityRequested', payload: {} });
		},
	};
}

/** Keeps each call's media in step with its verification, from the domain's notifications. */
export function followVerifications(rooms: CallRooms, notification: Notification): void {
	const { audience } = notification;
	if (!('verificationId' in audience)) return;
	if (notification.name === 'participantLeft') {
		const { participantId } = notification.payload as VerificationNotifications['participantLeft'];
		rooms.participantLeft(audience.verificationId, participantId);
	} else if (notification.name === 'stateChanged') {
		const { state } = notification.payload as VerificationNotifications['stateChanged'];
		if (isFinalState(state)) rooms.end(audience.verificationId);
	}
}
