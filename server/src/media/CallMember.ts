// One participant's media in a call: its send and receive transports, what it sends and what it
// receives. It owns its transports, and through them its producers and consumers: close() closes
// them all. What it receives is bounded: one consumer per producer of the others, and no more than a
// full call can send it.
import type { ConsumerInfo, MediaSource, Role } from '@vidverify/shared';
import type { types } from 'mediasoup';
import type { StandbyReceiver } from './StandbyReceiver.ts';

export type ReportedVideo = { width: number; height: number; framesPerSecond: number };

export class CallMember {
	readonly participantId: string;
	readonly role: Role;
	readonly rtpCapabilities: types.RtpCapabilities;
	readonly send: types.WebRtcTransport;
	readonly recv: types.WebRtcTransport;
	/** At most one per source: a camera and a microphone. */
	readonly producers = new Map<string, { producer: types.Producer; source: MediaSource }>();
	readonly consumers = new Map<string, types.Consumer>();
	/** What each consumer was announced as, for a joinMedia that takes over an adopted standby. */
	readonly consumerInfos = new Map<string, ConsumerInfo>();
	/** An agent's receive path made before the call (its recv transport lives on that router). */
	readonly standby: StandbyReceiver | undefined;
	/** The participant's joinMedia has taken this member over (an adopted standby's member is made first). */
	claimed: boolean;
	reportedVideo: ReportedVideo | undefined;
	/** Producers consumed or being consumed, counted before the worker answers so a race cannot pass it. */
	readonly #receiving = new Set<string>();
	readonly #maxConsumers: number;

	constructor(
		identity: { participantId: string; role: Role; rtpCapabilities: types.RtpCapabilities },
		transports: { send: types.WebRtcTransport; recv: types.WebRtcTransport },
		maxConsumers: number,
		standby?: StandbyReceiver,
	) {
		this.standby = standby;
		this.claimed = standby === undefined;
		this.participantId = identity.participantId;
		this.role = identity.role;
		this.rtpCapabilities = identity.rtpCapabilities;
		this.send = transports.send;
		this.recv = transports.recv;
		this.#maxConsumers = maxConsumers;
	}

	get closed(): boolean {
		return this.send.closed && this.recv.closed;
	}

	sends(source: MediaSource): boolean {
		for (const existing of this.producers.values()) if (existing.source === source) return true;
		return false;
	}

	/**
	 * Claims the right to consume a producer: false when this member already receives it or receives
	 * all it can. The claim is released with release() when the consumer ends or could not be made.
	 */
	claimReceiving(producerId: string): boolean {
		if (this.#receiving.has(producerId) || this.#receiving.size >= this.#maxConsumers) return false;
		this.#receiving.add(producerId);
		return true;
	}

	release(producerId: string): void {
		this.#receiving.delete(producerId);
	}

	close(): void {
		this.send.close();
		this.recv.close();
		this.standby?.close();
	}
}
