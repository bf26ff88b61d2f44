// The media of one verification call: a router of its own on the least-loaded worker, a send and a
// receive WebRtcTransport per participant, and every participant receiving every other one. Only
// WebRTC transports are ever created: nothing leaves the router towards a recorder or a disk.
// Parents own their children: closing the room closes the router, which closes everything below it.
import { EventEmitter } from 'node:events';
import type { CallResponses, ConsumerInfo, MediaKind, MediaQuality, MediaSource, Role } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { QualityTracker } from './QualityTracker.ts';
import {
	createWebRtcTransport,
	refusingBadParameters,
	transportOptionsOf,
	type WebRtcListenSettings,
} from './transportOptions.ts';
import type { WorkerPool } from './WorkerPool.ts';

type Member = {
	participantId: string;
	role: Role;
	rtpCapabilities: types.RtpCapabilities;
	send: types.WebRtcTransport;
	recv: types.WebRtcTransport;
	producers: Map<string, { producer: types.Producer; source: MediaSource }>;
	consumers: Map<string, types.Consumer>;
	reportedVideo: { width: number; height: number; framesPerSecond: number } | undefined;
};

type CallRoomEvents = {
	/** A consumer for `participantId` exists and is paused; tell that participant. */
	consumerCreated: [participantId: string, consumer: ConsumerInfo];
	consumerClosed: [participantId: string, consumerId: string];
	/** The router is gone (its worker died, or the room was closed). */
	closed: [reason: 'worker_died' | 'closed'];
};

export type CallRoomSettings = { pool: WorkerPool; listen: WebRtcListenSettings; logger: Logger; verificationId: string };

export class CallRoom extends EventEmitter<CallRoomEvents> {
	readonly verificationId: string;
	readonly #router: types.Router;
	readonly #webRtcServer: types.WebRtcServer | undefined;
	readonly #listen: WebRtcListenSettings;
	readonly #logger: Logger;
	readonly #members = new Map<string, Member>();
	/** Every kind of transport ever created on this router: the proof that nothing records. */
	readonly #transportKinds = new Set<string>();
	readonly #quality = new QualityTracker();
	#closedReason: 'worker_died' | 'closed' | undefined;

	static async create(settings: CallRoomSettings): Promise<CallRoom> {
		const router = await settings.pool.createRouter({
			mediaCodecs: ROUTER_MEDIA_CODECS,
			appData: { verificationId: settings.verificationId },
		});
		return new CallRoom(settings, router, settings.pool.webRtcServerOf(router));
	}

	private constructor(settings: CallRoomSettings, router: types.Router, webRtcServer: types.WebRtcServer | undefined) {
		super();
		this.verificationId = settings.verificationId;
		this.#router = router;
		this.#webRtcServer = webRtcServer;
		this.#listen = settings.listen;
		this.#logger = settings.logger.child({ verificationId: settings.verificationId, component: 'call' });
		router.observer.on('newtransport', (transport) => this.#transportKinds.add(transport.type));
		router.on('workerclose', () => this.#markClosed('worker_died'));
	}

	get closed(): boolean {
		return this.#closedReason !== undefined;
	}

	get routerRtpCapabilities(): types.RtpCapabilities {
		return this.#router.rtpCapabilities;
	}

	/** The kinds of transport created on this call's router so far (only 'webrtc' is ever expected). */
	get transportKinds(): ReadonlySet<string> {
		return this.#transportKinds;
	}

	get participantIds(): string[] {
		return [...this.#members.keys()];
	}

	/**
	 * Creates this participant's transports; a participant joining again (reconnect, reload) gets new
	 * ones and its old transports, producers and the consumers of its media are closed first.
	 */
	async join(
		participantId: string,
		role: Role,
		rtpCapabilities: types.RtpCapabilities,
	): Promise<Omit<CallResponses['joinMedia'], 'iceServers'>> {
		this.#assertOpen();
		this.leave(participantId);
		const appData = { participantId, role };
		const send = await createWebRtcTransport(this.#router, this.#listen, this.#webRtcServer, { ...appData, direction: 'send' });
		let recv: types.WebRtcTransport;
		try {
			recv = await createWebRtcTransport(this.#router, this.#listen, this.#webRtcServer, { ...appData, direction: 'recv' });
		} catch (error) {
			send.close();
			throw error;
		}
		const member: Member = {
			participantId,
			role,
			rtpCapabilities,
			send,
			recv,
			producers: new Map(),
			consumers: new Map(),
			reportedVideo: undefined,
		};
		this.#members.set(participantId, member);
		this.#logger.debug({ participantId, role }, 'joined the media');

		const consumers: ConsumerInfo[] = [];
		for (const other of this.#members.values()) {
			if (other === member) continue;
			for (const { producer, source } of other.producers.values()) {
				const info = await this.#consume(member, other, producer, source);
				if (info) consumers.push(info);
			}
		}
		return { sendTransport: transportOptionsOf(send), recvTransport: transportOptionsOf(recv), consumers };
	}

	async connectTransport(participantId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
		const transport = this.#transportOf(this.#member(participantId), transportId);
		await refusingBadParameters(() => transport.connect({ dtlsParameters }));
	}

	async produce(
		participantId: string,
		transportId: string,
		kind: MediaKind,
		rtpParameters: unknown,
		source: MediaSource,
	): Promise<string> {
		const member = this.#member(participantId);
		if (transportId !== member.send.id) throw AppError.invalidPayload('produce needs your send transport');
		const expectedKind: MediaKind = source === 'camera' ? 'video' : 'audio';
		if (kind !== expectedKind) throw AppError.invalidPayload(`a ${source} track must be ${expectedKind}`);
		for (const existing of member.producers.values()) {
			if (existing.source === source) throw AppError.invalidState(`you already send a ${source}; replace its track instead`, 'alreadySending', { source });
		}
		const producer = await refusingBadParameters(() =>
			member.send.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters, appData: { participantId, source } }),
		);
		member.producers.set(producer.id, { producer, source });
		producer.observer.once('close', () => member.producers.delete(producer.id));
		for (const other of this.#members.values()) {
			if (other === member) continue;
			const info = await this.#consume(other, member, producer, source);
			if (info) this.emit('consumerCreated', other.participantId, info);
		}
		return producer.id;
	}

	async resumeConsumer(participantId: string, consumerId: string): Promise<void> {
		const consumer = this.#member(participantId).consumers.get(consumerId);
		if (!consumer) throw AppError.notFound(`no consumer ${consumerId} of yours in this call`);
		await consumer.resume();
		// A new receiver needs a key frame to show anything; ask at once rather than wait for the next.
		if (consumer.kind === 'video') await consumer.requestKeyFrame();
	}

	async restartIce(participantId: string, transportId: string): Promise<unknown> {
		const transport = this.#transportOf(this.#member(participantId), transportId);
		return transport.restartIce();
	}

	reportSendStats(participantId: string, video: { width: number; height: number; framesPerSecond: number }): void {
		this.#member(participantId).reportedVideo = video;
	}

	has(participantId: string): boolean {
		return this.#members.has(participantId);
	}

	roleOf(participantId: string): Role | undefined {
		return this.#members.get(participantId)?.role;
	}

	/** Closes a participant's transports; the consumers of its media close with its producers. */
	leave(participantId: string): void {
		const member = this.#members.get(participantId);
		if (!member) return;
		this.#members.delete(participantId);
		member.send.close();
		member.recv.close();
	}

	/** One sample of every participant's media quality; also kept for the call's summary. */
	async sampleQuality(): Promise<MediaQuality[]> {
		const samples: MediaQuality[] = [];
		for (const member of this.#members.values()) {
			const sample = await this.#sample(member);
			samples.push(sample);
			this.#quality.add(sample);
		}
		return samples;
	}

	qualitySummary() {
		return this.#quality.summary();
	}

	close(): void {
		if (this.closed) return;
		this.#router.close();
		this.#markClosed('closed');
	}

	#markClosed(reason: 'worker_died' | 'closed'): void {
		if (this.#closedReason) return;
		this.#closedReason = reason;
		this.#members.clear();
		this.emit('closed', reason);
	}

	async #consume(
		receiver: Member,
		sender: Member,
		producer: types.Producer,
		source: MediaSource,
	): Promise<ConsumerInfo | undefined> {
		if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities: receiver.rtpCapabilities })) {
			this.#logger.warn(
				{ participantId: receiver.participantId, producerId: producer.id },
				'participant cannot receive this codec',
			);
			return undefined;
		}
		const consumer = await receiver.recv.consume({
			producerId: producer.id,
			rtpCapabilities: receiver.rtpCapabilities,
			paused: true,
			appData: { participantId: sender.participantId, source },
		});
		receiver.consumers.set(consumer.id, consumer);
		const forget = () => {
			if (receiver.consumers.delete(consumer.id) && this.#members.get(receiver.participantId) === receiver) {
				this.emit('consumerClosed', receiver.participantId, consumer.id);
			}
		};
		consumer.on('producerclose', () => {
			consumer.close();
			forget();
		});
		consumer.on('transportclose', forget);
		return {
			id: consumer.id,
			producerId: producer.id,
			kind: consumer.kind,
			rtpParameters: consumer.rtpParameters,
			participantId: sender.participantId,
			role: sender.role,
			source,
		};
	}

	async #sample(member: Member): Promise<MediaQuality> {
		let video: MediaQuality['video'] = null;
		let audio: MediaQuality['audio'] = null;
		let score: number | null = null;
		for (const { producer } of member.producers.values()) {
			// No stats yet means nothing has arrived yet: a producer sending 0 kbps.
			const stats = (await producer.getStats())[0];
			const bitrateKbps = Math.round((stats?.bitrate ?? 0) / 1000);
			const packetLossPercent = Math.round(((stats?.fractionLost ?? 0) / 256) * 1000) / 10;
			if (producer.kind === 'video') {
				const reported = member.reportedVideo;
				video = {
					bitrateKbps,
					packetLossPercent,
					// mediasoup reports jitter in RTP clock units; video runs at 90 kHz.
					jitterMs: Math.round(((stats?.jitter ?? 0) / 90) * 10) / 10,
					width: reported?.width ?? null,
					height: reported?.height ?? null,
					framesPerSecond: reported?.framesPerSecond ?? null,
				};
				score = stats?.score ?? null;
			} else audio = { bitrateKbps, packetLossPercent };
		}
		let roundTripMs: number | null = null;
		for (const consumer of member.consumers.values()) {
			const outbound = (await consumer.getStats()).find((stat) => stat.type === 'outbound-rtp');
			if (outbound?.roundTripTime) roundTripMs = Math.max(roundTripMs ?? 0, Math.round(outbound.roundTripTime));
		}
		return { participantId: member.participantId, role: member.role, video, audio, roundTripMs, score };
	}

	#member(participantId: string): Member {
		this.#assertOpen();
		const member = this.#members.get(participantId);
		if (!member) throw AppError.invalidState('join the media first (joinMedia)', 'joinMediaFirst');
		return member;
	}

	#transportOf(member: Member, transportId: string): types.WebRtcTransport {
		if (transportId === member.send.id) return member.send;
		if (transportId === member.recv.id) return member.recv;
		throw AppError.notFound(`no transport ${transportId} of yours in this call`);
	}

	#assertOpen(): void {
		if (this.#closedReason === 'worker_died') throw AppError.unavailable('the media server restarted; join the media again', 'mediaRestarted');
		if (this.#closedReason) throw AppError.invalidState('this call has ended', 'callEnded');
	}
}
