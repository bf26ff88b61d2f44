// Shapes of the WebRTC parameters that travel between mediasoup-client and the server. They are
// checked for structure here; mediasoup checks their meaning and its refusals become INVALID_PAYLOAD.
import { z } from 'zod';

export const id = z.string().min(1).max(100);

export const dtlsParametersSchema = z.object({
	role: z.enum(['auto', 'client', 'server']).optional(),
	fingerprints: z
		.array(z.object({ algorithm: z.string().min(1).max(20), value: z.string().min(1).max(200) }))
		.min(1)
		.max(10),
});

const codecParametersSchema = z.record(z.string().max(100), z.union([z.string().max(500), z.number()]));

export const rtpParametersSchema = z.looseObject({
	mid: z.string().max(100).optional(),
	codecs: z
		.array(
			z.looseObject({
				mimeType: z.string().min(1).max(50),
				payloadType: z.number().int().min(0).max(127),
				clockRate: z.number().int().positive(),
				channels: z.number().int().positive().optional(),
				parameters: codecParametersSchema.optional(),
			}),
		)
		.min(1)
		.max(20),
	headerExtensions: z
		.array(z.looseObject({ uri: z.string().max(200), id: z.number().int() }))
		.max(30)
		.optional(),
	encodings: z.array(z.looseObject({})).max(10).optional(),
	rtcp: z.looseObject({}).optional(),
});

export const rtpCapabilitiesSchema = z.looseObject({
	codecs: z
		.array(
			z.looseObject({
				kind: z.enum(['audio', 'video']),
				mimeType: z.string().min(1).max(50),
				clockRate: z.number().int().positive(),
			}),
		)
		.max(100)
		.optional(),
	headerExtensions: z
		.array(z.looseObject({ uri: z.string().max(200) }))
		.max(100)
		.optional(),
});

export const mediaKindSchema = z.enum(['audio', 'video']);

export type MediaKind = z.infer<typeof mediaKindSchema>;

/** What the server sends for a client to create its side of a WebRtcTransport. */
export type TransportOptions = {
	id: string;
	iceParameters: unknown;
	iceCandidates: unknown[];
	dtlsParameters: unknown;
	sctpParameters?: unknown;
};

export type ConsumerOptions = {
	id: string;
	producerId: string;
	kind: MediaKind;
	rtpParameters: unknown;
};
