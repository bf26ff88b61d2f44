// One three-party call laid out as CallRoom lays it out (server/src/media/CallRoom.ts): a router of
// its own; per participant a send transport with a camera (VP8 at the client's normal 1.5 Mbit/s
// cap) and a microphone (Opus), and a receive transport with a consumer of each other participant's
// camera and microphone. The peer workers play the participants' browsers.
import type { types } from 'mediasoup';
import { ROUTER_MEDIA_CODECS } from '../../../server/src/media/codecs.ts';
import type { PeerWorker } from './PeerWorker.ts';
import { SPEECH, VIDEO_720P } from './rtp.ts';
import { createReceivingTransport, createSendingTransport, type Suite } from './transports.ts';

export const PARTICIPANTS = 3;

/** Each participant's camera and microphone go to every other participant. */
export const FORWARDED_PER_CALL_PER_SECOND =
	PARTICIPANTS * (PARTICIPANTS - 1) * (VIDEO_720P.packetsPerSecond + SPEECH.packetsPerSecond);

/** What one participant sends: a camera and a microphone. */
export const PARTICIPANT_STREAMS = [
	{ shape: VIDEO_720P, packetsPerSecond: VIDEO_720P.packetsPerSecond },
	{ shape: SPEECH, packetsPerSecond: SPEECH.packetsPerSecond },
];

/** Sets up one call on `worker` and returns its consumers. */
export async function setUpCall(
	worker: types.Worker,
	suite: Suite,
	senders: PeerWorker,
	receivers: PeerWorker,
): Promise<types.Consumer[]> {
	const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
	const producersOf: types.Producer[][] = [];
	for (let participant = 0; participant < PARTICIPANTS; participant += 1) {
		const send = await createReceivingTransport(router, suite);
		producersOf.push(await senders.sendInto(send, PARTICIPANT_STREAMS));
	}
	const all: types.Consumer[] = [];
	for (let participant = 0; participant < PARTICIPANTS; participant += 1) {
		const recv = await createSendingTransport(router, suite);
		const consumers: types.Consumer[] = [];
		for (const [other, producers] of producersOf.entries()) {
			if (other === participant) continue;
			for (const producer of producers) {
				consumers.push(await recv.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true }));
			}
		}
		await receivers.receiveFrom(recv, consumers);
		all.push(...consumers);
	}
	return all;
}
