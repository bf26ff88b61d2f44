// The call's media signalling (mediasoup over socket.io), served on the verification namespace next to
// the verification requests: each participant gets a send and a receive transport on the call's
// router, produces its camera and microphone, and receives everyone else's. Consumers start paused;
// the client resumes each when it is ready to render it.
//
// With several server processes (Redis mode) a call's router lives in one of them. getMediaEndpoint
// says which: null when it is the process this socket is connected to, else that process's URL and a
// short-lived ticket with which the client opens the media namespace there and sends the same media
// requests (and receives the same call notifications) on that connection instead.
import { z } from 'zod';
import { dtlsParametersSchema, id, mediaKindSchema, rtpCapabilitiesSchema, rtpParametersSchema } from './media.ts';
import type { RequestEvents } from './requests.ts';
import { type Role, roleSchema } from './verification.ts';

export const MEDIA_SOURCES = ['camera', 'microphone'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
export const mediaSourceSchema = z.enum(MEDIA_SOURCES);

const transportOptionsSchema = z.strictObject({
	id,
	iceParameters: z.unknown(),
	iceCandidates: z.array(z.unknown()),
	dtlsParameters: z.unknown(),
});

export const consumerInfoSchema = z.strictObject({
	id,
	producerId: id,
	kind: mediaKindSchema,
	rtpParameters: z.unknown(),
	/** Whose media this is. */
	participantId: id,
	role: roleSchema,
	source: mediaSourceSchema,
});
export type ConsumerInfo = z.infer<typeof consumerInfoSchema>;

/** One participant's media as the server sees it, sampled every few seconds. */
export const mediaQualitySchema = z.strictObject({
	participantId: id,
	role: roleSchema,
	/** What reaches the server from this participant's camera. */
	video: z
		.strictObject({
			bitrateKbps: z.number().nonnegative(),
			packetLossPercent: z.number().min(0).max(100),
			jitterMs: z.number().nonnegative(),
			width: z.number().int().nonnegative().nullable(),
			height: z.number().int().nonnegative().nullable(),
			framesPerSecond: z.number().nonnegative().nullable(),
		})
		.nullable(),
	audio: z.strictObject({ bitrateKbps: z.number().nonnegative(), packetLossPercent: z.number().min(0).max(100) }).nullable(),
	/** Round trip between the server and this participant. */
	roundTripMs: z.number().nonnegative().nullable(),
	/** mediasoup's 0–10 score of the incoming video stream. */
	score: z.number().min(0).max(10).nullable(),
});
export type MediaQuality = z.infer<typeof mediaQualitySchema>;

export const callQualitySummarySchema = z.strictObject({
	samples: z.number().int().nonnegative(),
	participants: z.array(
		z.strictObject({
			participantId: id,
			role: roleSchema,
			averageVideoKbps: z.number().nonnegative().nullable(),
			worstPacketLossPercent: z.number().min(0).max(100).nullable(),
			averageRoundTripMs: z.number().nonnegative().nullable(),
			lowestResolution: z.strictObject({ width: z.number().int(), height: z.number().int() }).nullable(),
			lowestScore: z.number().min(0).max(10).nullable(),
		}),
	),
});
export type CallQualitySummary = z.infer<typeof callQualitySummarySchema>;

export const MEDIA_NAMESPACE = '/media';

export const callRequestSchemas = {
	/** Where this call's media is served; ask again after a media connection is refused or lost. */
	getMediaEndpoint: z.strictObject({}),
	/** The router's capabilities, to load the mediasoup-client Device. */
	getMediaCapabilities: z.strictObject({}),
	/** Creates (or, after a reconnect, re-creates) this participant's transports; answers with the consumers of what others already send. */
	joinMedia: z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema }),
	connectTransport: z.strictObject({ transportId: id, dtlsParameters: dtlsParametersSchema }),
	produce: z.strictObject({
		transportId: id,
		kind: mediaKindSchema,
		rtpParameters: rtpParametersSchema,
		source: mediaSourceSchema,
	}),
	resumeConsumer: z.strictObject({ consumerId: id }),
	restartIce: z.strictObject({ transportId: id }),
	/** What only the browser knows about its own camera: the resolution and frame rate it sends. */
	reportSendStats: z.strictObject({
		width: z.number().int().min(0).max(10_000),
		height: z.number().int().min(0).max(10_000),
		framesPerSecond: z.number().min(0).max(240),
	}),
	/** Agent: asks the applicant's (or interpreter's) camera for its best picture, to read a document. */
	requestHighQuality: z.strictObject({ participantId: id }),
	/**
	 * Available agent, in no call: makes its receive path ready before a call (a receive transport and
	 * an idle data channel to connect it); the call it accepts next sends its media there. A new one
	 * replaces the last.
	 */
	standBy: z.strictObject({}),
	/** Connects the standby's receive transport, with the capabilities the call's consumers will use. */
	connectStandby: z.strictObject({
		transportId: id,
		dtlsParameters: dtlsParametersSchema,
		rtpCapabilities: rtpCapabilitiesSchema,
	}),
	/** The agent is no longer available (or leaves the console): its standby is closed. */
	leaveStandby: z.strictObject({}),
};
export type CallRequestName = keyof typeof callRequestSchemas;

const empty = z.strictObject({});

/** A TURN (or STUN) server a browser may use, with its time-limited credential. */
export const iceServerSchema = z.strictObject({ urls: z.array(z.string()), username: z.string(), credential: z.string() });
export type IceServer = z.infer<typeof iceServerSchema>;

export const callResponseSchemas = {
	getMediaEndpoint: z.strictObject({
		/** Base URL of the process serving this call's media; null: this connection serves it. */
		url: z.url().nullable(),
		/** For the media namespace's handshake (`auth.token`) at `url`; null with a null url. */
		ticket: z.string().nullable(),
		expiresAt: z.iso.datetime({ offset: true }).nullable(),
	}),
	getMediaCapabilities: z.strictObject({ routerRtpCapabilities: z.unknown() }),
	joinMedia: z.strictObject({
		sendTransport: transportOptionsSchema,
		recvTransport: transportOptionsSchema,
		consumers: z.array(consumerInfoSchema),
		/** The relay to fall back on where direct UDP/TCP to the media server is blocked; empty without one. */
		iceServers: z.array(iceServerSchema),
	}),
	connectTransport: empty,
	produce: z.strictObject({ producerId: id }),
	resumeConsumer: empty,
	restartIce: z.strictObject({ iceParameters: z.unknown() }),
	reportSendStats: empty,
	requestHighQuality: empty,
	standBy: z.strictObject({
		routerRtpCapabilities: z.unknown(),
		recvTransport: transportOptionsSchema.extend({ sctpParameters: z.unknown() }),
		/** The idle data channel that gets the receive transport connected; it carries no message. */
		dataConsumer: z.strictObject({ id, dataProducerId: id, sctpStreamParameters: z.unknown(), label: z.string() }),
		iceServers: z.array(iceServerSchema),
	}),
	connectStandby: empty,
	leaveStandby: empty,
} satisfies Record<CallRequestName, z.ZodType>;

export type CallResponses = { [K in CallRequestName]: z.infer<(typeof callResponseSchemas)[K]> };

export const CALL_REQUEST_ROLES = {
	getMediaEndpoint: ['applicant', 'agent', 'interpreter'],
	getMediaCapabilities: ['applicant', 'agent', 'interpreter'],
	joinMedia: ['applicant', 'agent', 'interpreter'],
	connectTransport: ['applicant', 'agent', 'interpreter'],
	produce: ['applicant', 'agent', 'interpreter'],
	resumeConsumer: ['applicant', 'agent', 'interpreter'],
	restartIce: ['applicant', 'agent', 'interpreter'],
	reportSendStats: ['applicant', 'agent', 'interpreter'],
	requestHighQuality: ['agent'],
	standBy: ['agent'],
	connectStandby: ['agent'],
	leaveStandby: ['agent'],
} as const satisfies Record<CallRequestName, readonly Role[]>;

export const callNotificationSchemas = {
	/** Someone else's media is ready to receive (paused until resumeConsumer). */
	consumerCreated: consumerInfoSchema,
	consumerClosed: z.strictObject({ consumerId: id }),
	/** To the applicant or interpreter: the agent wants the sharpest picture for a document. */
	highQualityRequested: z.strictObject({}),
	/** To the agent, every few seconds. */
	callQualitySampled: z.strictObject({ at: z.iso.datetime({ offset: true }), participants: z.array(mediaQualitySchema) }),
	/** The media server handling this call went away: create transports again with joinMedia. */
	mediaRestartRequired: z.strictObject({ reason: z.enum(['media_server_restarted']) }),
};
export type CallNotificationName = keyof typeof callNotificationSchemas;
export type CallNotifications = { [K in CallNotificationName]: z.infer<(typeof callNotificationSchemas)[K]> };

export type CallClientToServerEvents = RequestEvents<typeof callRequestSchemas, CallResponses>;
export type CallServerToClientEvents = { [K in CallNotificationName]: (payload: CallNotifications[K]) => void };
