// RTP streams shaped like a verification call's media, and a paced sender that feeds them to a UDP
// port. The shapes follow what the client sends: VP8 camera video at the normal 1.5 Mbit/s cap
// (client/src/media/CallConnection.ts) in 1,100-byte payloads, and Opus speech in 20 ms frames.
import dgram from 'node:dgram';
import type { types } from 'mediasoup';

export const LOOPBACK = '127.0.0.1';

export type StreamShape = {
	kind: types.MediaKind;
	codec: types.RtpCodecParameters;
	packetsPerSecond: number;
	payloadBytes: number;
};

const VIDEO_BITRATE = 1_500_000;
const VIDEO_PAYLOAD_BYTES = 1_100;

export const VIDEO_720P: StreamShape = {
	kind: 'video',
	codec: { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
	packetsPerSecond: Math.round(VIDEO_BITRATE / 8 / (VIDEO_PAYLOAD_BYTES + 12)),
	payloadBytes: VIDEO_PAYLOAD_BYTES,
};

export const SPEECH: StreamShape = {
	kind: 'audio',
	codec: { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 },
	packetsPerSecond: 50,
	payloadBytes: 100,
};

/** One stream the sender emits: its shape, its SSRC, and the rate it is sent at. */
export type Stream = { shape: StreamShape; ssrc: number; packetsPerSecond: number };

export function rtpParametersOf(stream: Stream): types.RtpParameters {
	return { codecs: [stream.shape.codec], encodings: [{ ssrc: stream.ssrc }] };
}

// Every VP8 packet starts a partition of a key frame (S=1, inverse key-frame bit 0): a consumer that
// joins at any packet can forward at once, and the router never waits for a key frame it asked for.
const VP8_KEY_FRAME_START = Buffer.from([0x10, 0x00, 0x00, 0x00]);

function packetOf(stream: Stream, sequence: number): Buffer {
	const packet = Buffer.alloc(12 + stream.shape.payloadBytes, 0xab);
	packet[0] = 0x80;
	packet[1] = stream.shape.codec.payloadType & 0x7f;
	packet.writeUInt16BE(sequence & 0xffff, 2);
	// Timestamps follow the send clock, as a real encoder's do.
	const timestamp = Math.round((sequence * stream.shape.codec.clockRate) / stream.packetsPerSecond);
	packet.writeUInt32BE(timestamp >>> 0, 4);
	packet.writeUInt32BE(stream.ssrc >>> 0, 8);
	if (stream.shape.kind === 'video') VP8_KEY_FRAME_START.copy(packet, 12);
	return packet;
}

/** How late the timer may run before the sender skips ahead instead of sending a burst. */
const MAX_CATCH_UP_MS = 100;
const TICK_MS = 5;

/**
 * Sends plain RTP for each stream at its rate from one socket to one port. Rates are kept from
 * elapsed time, not timer ticks, so a timer that fires late (a busy machine) sends what is due.
 */
export class PacedSender {
	readonly #socket = dgram.createSocket('udp4');
	readonly #streams: Stream[];
	readonly #target: { ip: string; port: number };
	readonly #sent: number[];
	#timer: NodeJS.Timeout | undefined;
	#startedAt = 0;
	/** Datagrams handed to the socket so far. */
	datagrams = 0;

	static async create(streams: Stream[], target: { ip: string; port: number }): Promise<PacedSender> {
		const sender = new PacedSender(streams, target);
		await new Promise<void>((resolve) => sender.#socket.bind(0, LOOPBACK, resolve));
		return sender;
	}

	private constructor(streams: Stream[], target: { ip: string; port: number }) {
		this.#streams = streams;
		this.#target = target;
		this.#sent = streams.map(() => 0);
	}

	/** Packets per second over all streams. */
	get rate(): number {
		return this.#streams.reduce((sum, stream) => sum + stream.packetsPerSecond, 0);
	}

	start(): void {
		this.#startedAt = performance.now();
		this.#timer = setInterval(() => this.#tick(), TICK_MS);
	}

	#tick(): void {
		const now = performance.now();
		if (now - this.#startedAt - this.#elapsedSentMs() > MAX_CATCH_UP_MS) this.#skipTo(now);
		const elapsedSeconds = (now - this.#startedAt) / 1000;
		this.#streams.forEach((stream, index) => {
			const due = Math.floor(elapsedSeconds * stream.packetsPerSecond);
			for (let sequence = this.#sent[index] ?? 0; sequence < due; sequence += 1) {
				this.#socket.send(packetOf(stream, sequence), this.#target.port, this.#target.ip);
				this.datagrams += 1;
			}
			this.#sent[index] = Math.max(this.#sent[index] ?? 0, due);
		});
	}

	/** The time the slowest stream's count says has been sent. */
	#elapsedSentMs(): number {
		return Math.min(...this.#streams.map((stream, index) => ((this.#sent[index] ?? 0) / stream.packetsPerSecond) * 1000));
	}

	#skipTo(now: number): void {
		const elapsedSeconds = (now - this.#startedAt) / 1000;
		this.#streams.forEach((stream, index) => {
			this.#sent[index] = Math.floor(elapsedSeconds * stream.packetsPerSecond);
		});
	}

	close(): void {
		clearInterval(this.#timer);
		this.#socket.close();
	}
}
