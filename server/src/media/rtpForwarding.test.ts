// Real RTP through the real mediasoup worker: a UDP socket feeds a PlainTransport producer, the
// router forwards to a PlainTransport consumer, another UDP socket reads what comes out.
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { WorkerPool } from './WorkerPool.ts';

const PACKETS = 200;
const LOOPBACK = '127.0.0.1';

let pool: WorkerPool;
let router: types.Router;

beforeAll(async () => {
	pool = await WorkerPool.create({ workerCount: 1, rtcMinPort: 40000, rtcMaxPort: 49999, logger: pino({ level: 'silent' }) });
	router = await pool.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
});

afterAll(() => pool.close());

function rtpPacket(options: { payloadType: number; sequence: number; timestamp: number; ssrc: number; payload: Buffer }) {
	const header = Buffer.alloc(12);
	header[0] = 0x80; // version 2, no padding, no extension, no CSRC
	header[1] = options.payloadType & 0x7f;
	header.writeUInt16BE(options.sequence & 0xffff, 2);
	header.writeUInt32BE(options.timestamp >>> 0, 4);
	header.writeUInt32BE(options.ssrc >>> 0, 8);
	return Buffer.concat([header, options.payload]);
}

/** Payload bytes after the fixed header (this test sends no CSRCs or header extensions). */
function payloadOf(packet: Buffer): Buffer {
	const csrcCount = (packet[0] ?? 0) & 0x0f;
	let offset = 12 + csrcCount * 4;
	if (((packet[0] ?? 0) & 0x10) !== 0) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
	return packet.subarray(offset);
}

async function bind(socket: dgram.Socket): Promise<number> {
	await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
	return socket.address().port;
}

type Case = {
	name: string;
	kind: types.MediaKind;
	codec: types.RtpCodecParameters;
	/** The payload for packet i; it must carry i so the receiver can match it. */
	payload: (index: number) => Buffer;
};

const cases: Case[] = [
	{
		name: 'opus audio',
		kind: 'audio',
		codec: { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 },
		payload: (index) => Buffer.from(`opus-frame-${index.toString().padStart(4, '0')}`),
	},
	{
		name: 'VP8 video',
		kind: 'video',
		codec: { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
		// VP8 payload descriptor with S=1, partition 0, then a payload header whose inverse key-frame bit
		// is 0: a key frame, so the consumer forwards from the first packet on.
		payload: (index) =>
			Buffer.concat([Buffer.from([0x10, 0x00, 0x00, 0x00]), Buffer.from(`vp8-frame-${index.toString().padStart(4, '0')}`)]),
	},
];

describe('router forwarding over PlainTransports', () => {
	test.each(cases)(
		'forwards $name RTP packets from a producer to a consumer with the payload intact',
		async ({ kind, codec, payload }) => {
			const producerTransport = await router.createPlainTransport({
				listenInfo: { protocol: 'udp', ip: LOOPBACK },
				rtcpMux: true,
				comedia: true,
			});
			const consumerTransport = await router.createPlainTransport({
				listenInfo: { protocol: 'udp', ip: LOOPBACK },
				rtcpMux: true,
				comedia: false,
			});
			const sender = dgram.createSocket('udp4');
			const receiver = dgram.createSocket('udp4');
			try {
				await bind(sender);
				const receiverPort = await bind(receiver);
				await consumerTransport.connect({ ip: LOOPBACK, port: receiverPort });

				const ssrc = 0x1234_0000 + codec.payloadType;
				const producer = await producerTransport.produce({ kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } });
				const consumer = await consumerTransport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });

				const sent = new Map<string, number>();
				const received: Buffer[] = [];
				const outgoingSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
				receiver.on('message', (message) => {
					// The port also carries RTCP (rtcp-mux) and, for video, the worker's bandwidth probation
					// packets on their own SSRC: only the consumer's stream is what the router forwarded.
					const isRtcp = ((message[1] ?? 0) & 0x7f) >= 64 && ((message[1] ?? 0) & 0x7f) <= 95;
					if (!isRtcp && message.length >= 12 && message.readUInt32BE(8) === outgoingSsrc) received.push(message);
				});

				for (let index = 0; index < PACKETS; index += 1) {
					const body = payload(index);
					sent.set(body.toString('hex'), index);
					const packet = rtpPacket({
						payloadType: codec.payloadType,
						sequence: 1000 + index,
						timestamp: index * 960,
						ssrc,
						payload: body,
					});
					await new Promise<void>((resolve, reject) =>
						sender.send(packet, producerTransport.tuple.localPort, LOOPBACK, (error) => (error ? reject(error) : resolve())),
					);
					// Pace like a real sender so no socket buffer overflows on a busy machine.
					if (index % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
				}

				const deadline = Date.now() + 10_000;
				while (received.length < PACKETS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

				expect(received.length).toBeGreaterThanOrEqual(Math.floor(PACKETS * 0.95));
				const outgoingPayloadType = consumer.rtpParameters.codecs[0]?.payloadType;
				const seen = new Set<number>();
				for (const packet of received) {
					expect((packet[1] ?? 0) & 0x7f).toBe(outgoingPayloadType);
					const index = sent.get(payloadOf(packet).toString('hex'));
					expect(index, 'every forwarded payload is one that was sent, unchanged').toBeDefined();
					seen.add(index as number);
				}
				expect(seen.size).toBe(received.length);

				const stats = await producer.getStats();
				expect(stats[0]?.packetCount).toBeGreaterThanOrEqual(received.length);
			} finally {
				sender.close();
				receiver.close();
				producerTransport.close();
				consumerTransport.close();
			}
		},
	);
});

describe('WebRtcTransport', () => {
	test('router.createWebRtcTransport() on 127.0.0.1 succeeds with UDP and TCP candidates and DTLS fingerprints', async () => {
		const transport = await router.createWebRtcTransport({
			listenInfos: [
				{ protocol: 'udp', ip: LOOPBACK },
				{ protocol: 'tcp', ip: LOOPBACK },
			],
		});
		try {
			const protocols = new Set(transport.iceCandidates.map((candidate) => candidate.protocol));
			expect(protocols).toEqual(new Set(['udp', 'tcp']));
			expect(transport.iceCandidates.every((candidate) => candidate.address === LOOPBACK)).toBe(true);
			expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
			expect(transport.iceParameters.usernameFragment).toMatch(/\S+/);
			expect(transport.dtlsState).toBe('new');
		} finally {
			transport.close();
		}
	});
});
