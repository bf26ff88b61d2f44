// The connection check: a page sends its own camera and microphone through the server's SFU and
// receives them back, proving that WebRTC (ICE, DTLS, SRTP) works from this browser and network.
// Served on the socket.io namespace SELF_CHECK_NAMESPACE.
import { z } from 'zod';
import {
	type ConsumerOptions,
	dtlsParametersSchema,
	id,
	mediaKindSchema,
	rtpCapabilitiesSchema,
	rtpParametersSchema,
	type TransportOptions,
} from './media.ts';

export const SELF_CHECK_NAMESPACE = '/self-check';

export const selfCheckRequestSchemas = {
	start: z.object({}),
	connectTransport: z.object({ transportId: id, dtlsParameters: dtlsParametersSchema }),
	produce: z.object({ transportId: id, kind: mediaKindSchema, rtpParameters: rtpParametersSchema }),
	consume: z.object({ producerId: id, rtpCapabilities: rtpCapabilitiesSchema }),
	resumeConsumer: z.object({ consumerId: id }),
};

export type SelfCheckResponses = {
	start: { routerRtpCapabilities: unknown; sendTransport: TransportOptions; recvTransport: TransportOptions };
	connectTransport: Record<string, never>;
	produce: { producerId: string };
	consume: ConsumerOptions;
	resumeConsumer: Record<string, never>;
};
