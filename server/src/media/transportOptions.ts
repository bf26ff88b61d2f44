// How WebRtcTransports are created for participants, and what a client needs to mirror one.
import type { TransportOptions } from '@vidverify/shared';
import type { types } from 'mediasoup';

export type WebRtcListenSettings = { listenIp: string; announcedAddress: string | undefined };

/** Starting bitrate for a participant's transport: high enough that document print is legible early. */
const INITIAL_OUTGOING_BITRATE = 1_500_000;

export async function createWebRtcTransport(
	router: types.Router,
	settings: WebRtcListenSettings,
	webRtcServer: types.WebRtcServer | undefined,
	appData: types.AppData = {},
	/** SCTP for a standby receive transport's idle data channel (StandbyReceiver); off for the rest. */
	{ enableSctp = false }: { enableSctp?: boolean } = {},
): Promise<types.WebRtcTransport> {
	const common = {
		enableUdp: true,
		enableTcp: true,
		preferUdp: true,
		enableSctp,
		initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
		appData,
	};
	if (webRtcServer) return router.createWebRtcTransport({ webRtcServer, ...common });
	const address = settings.announcedAddress ? { announcedAddress: settings.announcedAddress } : {};
	return router.createWebRtcTransport({
		listenInfos: [
			{ protocol: 'udp', ip: settings.listenIp, ...address },
			{ protocol: 'tcp', ip: settings.listenIp, ...address },
		],
		...common,
	});
}

export function transportOptionsOf(transport: types.WebRtcTransport): TransportOptions {
	return {
		id: transport.id,
		iceParameters: transport.iceParameters,
		iceCandidates: transport.iceCandidates,
		dtlsParameters: transport.dtlsParameters,
	};
}
