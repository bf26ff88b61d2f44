// Call media requests from a test's socket.io client, as a browser's mediasoup-client would send them:
// typed requests with their acknowledgements, the next call notification, and a camera's parameters.
import type { Ack, CallNotifications, CallRequestName, CallResponses } from '@vidverify/shared';
import type { Socket } from 'socket.io-client';

export type MediaSocket = Pick<Socket, 'emit' | 'once' | 'close'>;

export function sendCall<N extends CallRequestName>(
	socket: MediaSocket,
	name: N,
	payload: unknown,
): Promise<Ack<CallResponses[N]>> {
	const emit = socket.emit as unknown as (event: string, payload: unknown, ack: (answer: unknown) => void) => void;
	return new Promise((resolve) => emit.call(socket, name, payload, (answer) => resolve(answer as Ack<CallResponses[N]>)));
}

export async function callRequest<N extends CallRequestName>(
	socket: MediaSocket,
	name: N,
	payload: unknown,
): Promise<CallResponses[N]> {
	const answer = await sendCall(socket, name, payload);
	if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code}: ${answer.error.message}`);
	return answer.data;
}

export function nextCallNotification<N extends keyof CallNotifications>(
	socket: MediaSocket,
	name: N,
): Promise<CallNotifications[N]> {
	return new Promise((resolve) =>
		(socket.once as (event: string, listener: (payload: unknown) => void) => void)(name, (payload) =>
			resolve(payload as CallNotifications[N]),
		),
	);
}

/** What a browser would send for its camera; enough for the router to accept and forward it. */
export const CAMERA_PARAMETERS = {
	mid: '0',
	codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] }],
	encodings: [{ ssrc: 4242 }],
	headerExtensions: [],
	rtcp: { cname: 'camera' },
};

/** Loads the router's capabilities and joins the call's media with them, as a browser would. */
export async function joinMedia(socket: MediaSocket) {
	const { routerRtpCapabilities } = await callRequest(socket, 'getMediaCapabilities', {});
	const capabilities = routerRtpCapabilities as { codecs: unknown[]; headerExtensions: unknown[] };
	return callRequest(socket, 'joinMedia', {
		rtpCapabilities: { codecs: capabilities.codecs, headerExtensions: capabilities.headerExtensions },
	});
}

/**
 * Both sides join the call's media, the applicant's camera goes out, and resolves once the agent has
 * a consumer of it and a first quality sample: a call that gauges and views have something to show.
 */
export async function cameraReachesAgent(applicant: MediaSocket, agent: MediaSocket): Promise<void> {
	await joinMedia(agent);
	const applicantMedia = await joinMedia(applicant);
	const consumerAtAgent = nextCallNotification(agent, 'consumerCreated');
	await callRequest(applicant, 'produce', {
		transportId: applicantMedia.sendTransport.id,
		kind: 'video',
		rtpParameters: CAMERA_PARAMETERS,
		source: 'camera',
	});
	await consumerAtAgent;
	await nextCallNotification(agent, 'callQualitySampled');
}
