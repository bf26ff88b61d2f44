// The connection check: sends this browser's camera and microphone through the server's SFU and
// receives them back over a second transport, which proves ICE, DTLS and SRTP work from here.
import { SELF_CHECK_NAMESPACE, type SelfCheckResponses } from '@vidverify/shared';
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { request } from '../signalling/request.ts';

export type ConnectionCheck = {
	/** What came back from the server: the same tracks, after a round trip through the SFU. */
	echoed: MediaStream;
	/** The receiving side's WebRTC stats (inbound-rtp carries framesDecoded). */
	receiveStats(): Promise<RTCStatsReport>;
	stop(): void;
};

/**
 * Frames decoded of the video that came back. A receive transport can report more than one inbound
 * video stream: mediasoup's bandwidth probe (mid "probator") decodes none, and a browser may list it
 * after the real one, so the real one is the stream that decoded the most.
 */
export function decodedVideoFrames(stats: Iterable<unknown> | { values(): Iterable<unknown> }): number {
	const reports = 'values' in stats && typeof stats.values === 'function' ? stats.values() : (stats as Iterable<unknown>);
	let most = 0;
	for (const report of reports) {
		const entry = report as { type?: unknown; kind?: unknown; framesDecoded?: unknown };
		if (entry.type !== 'inbound-rtp' || entry.kind !== 'video' || typeof entry.framesDecoded !== 'number') continue;
		most = Math.max(most, entry.framesDecoded);
	}
	return most;
}

function connect(): Promise<Socket> {
	const socket = io(SELF_CHECK_NAMESPACE, { transports: ['websocket'], reconnection: false });
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => {
			socket.close();
			reject(new Error(`could not reach the server: ${error.message}`));
		});
	});
}

export async function runConnectionCheck(local: MediaStream): Promise<ConnectionCheck> {
	const socket = await connect();
	try {
		const started = await request<SelfCheckResponses['start']>(socket, 'start', {});
		const device = new Device();
		await device.load({ routerRtpCapabilities: started.routerRtpCapabilities as types.RtpCapabilities });

		const sendTransport = device.createSendTransport(started.sendTransport as types.TransportOptions);
		const recvTransport = device.createRecvTransport(started.recvTransport as types.TransportOptions);
		for (const transport of [sendTransport, recvTransport]) {
			transport.on('connect', ({ dtlsParameters }, callback, errback) => {
				request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
			});
		}
		sendTransport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
			request<SelfCheckResponses['produce']>(socket, 'produce', { transportId: sendTransport.id, kind, rtpParameters }).then(
				({ producerId }) => callback({ id: producerId }),
				errback,
			);
		});

		const echoed = new MediaStream();
		for (const track of local.getTracks()) {
			const producer = await sendTransport.produce({ track });
			const options = await request<SelfCheckResponses['consume']>(socket, 'consume', {
				producerId: producer.id,
				rtpCapabilities: device.rtpCapabilities,
			});
			const consumer = await recvTransport.consume({
				id: options.id,
				producerId: options.producerId,
				kind: options.kind,
				rtpParameters: options.rtpParameters as types.RtpParameters,
			});
			echoed.addTrack(consumer.track);
			await request(socket, 'resumeConsumer', { consumerId: consumer.id });
		}

		return {
			echoed,
			receiveStats: () => recvTransport.getStats(),
			stop: () => {
				sendTransport.close();
				recvTransport.close();
				socket.close();
			},
		};
	} catch (error) {
		socket.close();
		throw error;
	}
}
