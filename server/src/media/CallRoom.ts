// The media of one verification call: a router of its own on the least-loaded worker, a send and a
// receive WebRtcTransport per participant, and every participant receiving every other one. Only
// WebRTC transports are ever created: nothing leaves the router towards a recorder or a disk.
// Parents own their children: closing the room closes the router, which closes everything below it.
//
// Before the call begins (the verification is still waiting for an agent) the applicant may already
// join: its transports connect and it produces while it waits, so the agent's accept only has to
// create consumers. Until start() nothing is forwarded: producers made before it are paused in the
// worker (what the browser sends is dropped there) and no consumer of anyone is created.
//
// The accepting agent's receive path may be ready too (StandbyReceiver: its own router, its receive
// transport connected while it waited): adoptStandby() makes it the agent's member at the accept,
// pipes the call's producers to that router (pipe transports on loopback, between two routers of
// this process) and creates the agent's consumers there; the agent's joinMedia then takes that
// member over instead of making a new pair.
//
// Each participant's requests run one at a time (SerialQueue), so racing requests from one or several
// of its connections cannot each pass a check that holds only once the worker answers: one camera and
// one microphone per participant, one pair of transports (a rejoin closes the pair it replaces). The
// caps per call follow from MAX_MEMBERS: 2 transports and 2 producers per member, and per member
// one consumer of each producer of the others.
import { EventEmitter } from 'node:events';
import type { CallResponses, ConsumerInfo, MediaKind, MediaQuality, MediaSource, Role } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CallMember, type ReportedVideo } from './CallMember.ts';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { refusingClientMistakes } from './mediasoupRefusals.ts';
import { QualityTracker } from './QualityTracker.ts';
import { SerialQueue } from './SerialQueue.ts';
import type { StandbyReceiver } from './StandbyReceiver.ts';
import { createWebRtcTransport, transportOptionsOf, type WebRtcListenSettings } from './transportOptions.ts';
import type { WorkerPool } from './WorkerPool.ts';

/**
 * An applicant, an agent and an interpreter, and one more for a participant whose replacement joins
 * before the domain has told the room that it left.
 */
const MAX_MEMBERS = 4;
/** Everyone else's camera and microphone. */
const MAX_CONSUMERS_PER_MEMBER = 2 * (MAX_MEMBERS - 1);
/** A browser has a handful of requests in flight at most (connects, produces, resumes). */
const MAX_WAITING_PER_PARTICIPANT = 16;

/** A participant's turn-taking, and a count of its leaves, which an unfinished join checks. */
type Lane = { queue: SerialQueue; leaves: number };

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
	readonly #members = new Map<string, CallMember>();
	readonly #lanes = new Map<string, Lane>();
	/** Every kind of transport ever created on this router: the proof that nothing records. */
	readonly #transportKinds = new Set<string>();
	readonly #quality = new QualityTracker();
	/** The call has begun (an agent accepted): producers forward, consumers are made. */
	#started = false;
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

	/** True once the call has begun; before it the room only holds the applicant's media, forwarded to no one. */
	get started(): boolean {
		return this.#started;
	}

	/**
	 * The call has begun: the producers made while waiting resume in the worker, and participants who
	 * join from now on receive them. Idempotent. Resuming goes down the worker's channel before any
	 * consumer created after it, so a consumer never waits on a paused producer.
	 */
	start(): void {
		if (this.#started || this.closed) return;
		this.#started = true;
		this.#logger.debug('the call began: media is forwarded');
		for (const member of this.#members.values()) {
			for (const { producer } of member.producers.values()) {
				producer.resume().catch((error: unknown) => {
					if (!producer.closed) this.#logger.warn({ err: error, producerId: producer.id }, 'could not resume a producer');
				});
			}
		}
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
		const lane = this.#laneOf(participantId);
		return lane.queue.run(async () => {
			this.#assertOpen();
			const adopted = this.#members.get(participantId);
			if (adopted && !adopted.claimed) {
				// Made at the accept from this agent's standby: its transports and consumers are already there.
				adopted.claimed = true;
				return {
					sendTransport: transportOptionsOf(adopted.send),
					recvTransport: transportOptionsOf(adopted.recv),
					consumers: [...adopted.consumerInfos.values()],
				};
			}
			if (!this.#members.has(participantId) && this.#members.size >= MAX_MEMBERS) {
				throw AppError.invalidState(`a call's media has at most ${MAX_MEMBERS} participants`);
			}
			this.#members.get(participantId)?.close();
			this.#members.delete(participantId);
			const leavesBefore = lane.leaves;
			const member = await this.#createMember(participantId, role, rtpCapabilities);
			if (lane.leaves !== leavesBefore || this.closed) {
				// The participant left (or the call ended) while its transports were being made.
				member.close();
				this.#assertOpen();
				throw AppError.invalidState('you left the call while joining its media', 'disconnected');
			}
			this.#members.set(participantId, member);
			this.#logger.debug({ participantId, role }, 'joined the media');

			const consumers: ConsumerInfo[] = [];
			for (const other of [...this.#members.values()]) {
				if (other === member) continue;
				for (const { producer, source } of [...other.producers.values()]) {
					const info = await this.#consume(member, other, producer, source);
					if (info) consumers.push(info);
				}
			}
			return { sendTransport: transportOptionsOf(member.send), recvTransport: transportOptionsOf(member.recv), consumers };
		});
	}

	/**
	 * The accepting agent's receive path, made before the call: it becomes the agent's member here (a
	 * send transport added on this router) and receives what the others send, so the call begins with
	 * consumers only. A standby that is not connected yet, or an agent already joined, is just closed.
	 */
	async adoptStandby(standby: StandbyReceiver): Promise<void> {
		this.#assertOpen();
		const { participantId } = standby;
		const lane = this.#laneOf(participantId);
		await lane.queue.run(async () => {
			const rtpCapabilities = standby.rtpCapabilities;
			if (
				this.closed ||
				!standby.ready ||
				!rtpCapabilities ||
				this.#members.has(participantId) ||
				this.#members.size >= MAX_MEMBERS
			) {
				standby.close();
				return;
			}
			const leavesBefore = lane.leaves;
			let send: types.WebRtcTransport;
			try {
				send = await this.#createTransport({ participantId, role: 'agent', direction: 'send' });
			} catch (error) {
				standby.close();
				throw error;
			}
			const member = new CallMember(
				{ participantId, role: 'agent', rtpCapabilities },
				{ send, recv: standby.recv },
				MAX_CONSUMERS_PER_MEMBER,
				standby,
			);
			if (lane.leaves !== leavesBefore || this.closed || standby.closed) {
				member.close();
				return;
			}
			standby.adopted = true;
			this.#members.set(participantId, member);
			// The agent's accept is what begins the call.
			this.start();
			this.#logger.debug({ participantId }, 'adopted the agent’s standby receive path');
			for (const other of [...this.#members.values()]) {
				if (other === member) continue;
				for (const { producer, source } of [...other.producers.values()]) {
					const info = await this.#consume(member, other, producer, source);
					if (info) this.emit('consumerCreated', participantId, info);
				}
			}
		});
	}

	connectTransport(participantId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
		return this.#inTurn(participantId, async (member) => {
			const transport = this.#transportOf(member, transportId);
			await refusingClientMistakes(() => transport.connect({ dtlsParameters }));
		});
	}

	produce(
		participantId: string,
		transportId: string,
		kind: MediaKind,
		rtpParameters: unknown,
		source: MediaSource,
	): Promise<string> {
		return this.#inTurn(participantId, async (member) => {
			if (transportId !== member.send.id) throw AppError.invalidPayload('produce needs your send transport');
			const expectedKind: MediaKind = source === 'camera' ? 'video' : 'audio';
			if (kind !== expectedKind) throw AppError.invalidPayload(`a ${source} track must be ${expectedKind}`);
			if (member.sends(source)) {
				throw AppError.invalidState(`you already send a ${source}; replace its track instead`, 'alreadySending', { source });
			}
			const producer = await refusingClientMistakes(() =>
				member.send.produce({
					kind,
					rtpParameters: rtpParameters as types.RtpParameters,
					// Made before the call began: kept in the worker, dropped there, until start() resumes it.
					paused: !this.#started,
					appData: { participantId, source },
				}),
			);
			if (this.#members.get(participantId) !== member) {
				// It left meanwhile: its transport, and with it this producer, is closed or closing.
				producer.close();
				throw AppError.invalidState('you left the call while starting to send', 'disconnected');
			}
			member.producers.set(producer.id, { producer, source });
			producer.observer.once('close', () => member.producers.delete(producer.id));
			// The call began while the worker was making it paused: start() did not see it.
			if (this.#started && producer.paused) await refusingClientMistakes(() => producer.resume());
			for (const other of [...this.#members.values()]) {
				if (other === member) continue;
				const info = await this.#consume(other, member, producer, source);
				if (info) this.emit('consumerCreated', other.participantId, info);
			}
			return producer.id;
		});
	}

	resumeConsumer(participantId: string, consumerId: string): Promise<void> {
		return this.#inTurn(participantId, async (member) => {
			const consumer = member.consumers.get(consumerId);
			if (!consumer) throw AppError.notFound(`no consumer ${consumerId} of yours in this call`);
			await refusingClientMistakes(() => consumer.resume());
			// A new receiver needs a key frame to show anything; ask at once rather than wait for the next.
			if (consumer.kind === 'video') await refusingClientMistakes(() => consumer.requestKeyFrame());
		});
	}

	restartIce(participantId: string, transportId: string): Promise<unknown> {
		return this.#inTurn(participantId, (member) => {
			const transport = this.#transportOf(member, transportId);
			return refusingClientMistakes(() => transport.restartIce());
		});
	}

	reportSendStats(participantId: string, video: ReportedVideo): void {
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
		const lane = this.#lanes.get(participantId);
		if (lane) lane.leaves += 1;
		this.#members.get(participantId)?.close();
		this.#members.delete(participantId);
	}

	/** One sample of every participant's media quality; also kept for the call's summary. */
	async sampleQuality(): Promise<MediaQuality[]> {
		const samples: MediaQuality[] = [];
		// A waiting applicant's capped, dropped media says nothing about the call's quality.
		if (!this.#started) return samples;
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
		// An adopted standby's router is not below this one: it goes with the call all the same.
		for (const member of this.#members.values()) member.standby?.close();
		this.#members.clear();
		this.emit('closed', reason);
	}

	async #createMember(participantId: string, role: Role, rtpCapabilities: types.RtpCapabilities): Promise<CallMember> {
		const appData = { participantId, role };
		const send = await this.#createTransport({ ...appData, direction: 'send' });
		try {
			const recv = await this.#createTransport({ ...appData, direction: 'recv' });
			return new CallMember({ participantId, role, rtpCapabilities }, { send, recv }, MAX_CONSUMERS_PER_MEMBER);
		} catch (error) {
			send.close();
			throw error;
		}
	}

	async #createTransport(appData: types.AppData): Promise<types.WebRtcTransport> {
		try {
			return await createWebRtcTransport(this.#router, this.#listen, this.#webRtcServer, appData);
		} catch (error) {
			// The router closing under it (the call ended, the worker died) is not a fault of its own.
			this.#assertOpen();
			throw error;
		}
	}

	/**
	 * A consumer of the sender's producer at the receiver, unless the receiver cannot take its codec,
	 * already has it, or has all it can take. One of the two leaving or rejoining meanwhile (closing
	 * the transport or the producer) just means there is nothing to receive.
	 */
	async #consume(
		receiver: CallMember,
		sender: CallMember,
		producer: types.Producer,
		source: MediaSource,
	): Promise<ConsumerInfo | undefined> {
		const who = { participantId: receiver.participantId, producerId: producer.id };
		// Before the call begins nobody receives anybody (the applicant waits alone; this is the guard).
		if (!this.#started) return undefined;
		if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities: receiver.rtpCapabilities })) {
			this.#logger.warn(who, 'participant cannot receive this codec');
			return undefined;
		}
		if (!receiver.claimReceiving(producer.id)) return undefined;
		let consumer: types.Consumer;
		try {
			// A receiver on its standby router gets the producer piped there first.
			const producerId = receiver.standby ? await this.#pipeTo(receiver.standby, producer) : producer.id;
			consumer = await receiver.recv.consume({
				producerId,
				rtpCapabilities: receiver.rtpCapabilities,
				paused: true,
				appData: { participantId: sender.participantId, source },
			});
		} catch (error) {
			receiver.release(producer.id);
			if (receiver.closed || producer.closed || this.closed) {
				this.#logger.debug({ ...who, err: error }, 'nothing to consume: a participant left or rejoined meanwhile');
				return undefined;
			}
			throw error;
		}
		const info: ConsumerInfo = {
			id: consumer.id,
			producerId: producer.id,
			kind: consumer.kind,
			rtpParameters: consumer.rtpParameters,
			participantId: sender.participantId,
			role: sender.role,
			source,
		};
		receiver.consumers.set(consumer.id, consumer);
		receiver.consumerInfos.set(consumer.id, info);
		const forget = () => {
			receiver.release(producer.id);
			receiver.consumerInfos.delete(consumer.id);
			if (receiver.consumers.delete(consumer.id) && this.#members.get(receiver.participantId) === receiver) {
				this.emit('consumerClosed', receiver.participantId, consumer.id);
			}
		};
		consumer.on('producerclose', () => {
			consumer.close();
			forget();
		});
		consumer.on('transportclose', forget);
		return info;
	}

	/**
	 * The producer, piped to a standby's router once (it closes there when it closes here); the id of
	 * its copy there. Ids are the worker's, and both routers may be on one worker: the copy has its own.
	 */
	async #pipeTo(standby: StandbyReceiver, producer: types.Producer): Promise<string> {
		let piping = standby.piped.get(producer.id);
		if (!piping) {
			piping = this.#router
				.pipeToRouter({ producerId: producer.id, router: standby.router, keepId: false })
				.then(({ pipeConsumer, pipeProducer }) => {
					pipeConsumer?.observer.once('close', () => standby.piped.delete(producer.id));
					return pipeProducer?.id as string;
				});
			standby.piped.set(producer.id, piping);
			piping.catch(() => standby.piped.delete(producer.id));
		}
		return piping;
	}

	async #sample(member: CallMember): Promise<MediaQuality> {
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

	/** Runs an operation of a participant who has joined, after that participant's earlier ones. */
	async #inTurn<T>(participantId: string, operation: (member: CallMember) => Promise<T>): Promise<T> {
		this.#member(participantId);
		return this.#laneOf(participantId).queue.run(() => operation(this.#member(participantId)));
	}

	#laneOf(participantId: string): Lane {
		let lane = this.#lanes.get(participantId);
		if (!lane) {
			lane = { queue: new SerialQueue(MAX_WAITING_PER_PARTICIPANT), leaves: 0 };
			this.#lanes.set(participantId, lane);
		}
		return lane;
	}

	#member(participantId: string): CallMember {
		this.#assertOpen();
		const member = this.#members.get(participantId);
		if (!member) throw AppError.invalidState('join the media first (joinMedia)', 'joinMediaFirst');
		return member;
	}

	#transportOf(member: CallMember, transportId: string): types.WebRtcTransport {
		if (transportId === member.send.id) return member.send;
		if (transportId === member.recv.id) return member.recv;
		throw AppError.notFound(`no transport ${transportId} of yours in this call`);
	}

	#assertOpen(): void {
		if (this.#closedReason === 'worker_died')
			throw AppError.unavailable('the media server restarted; join the media again', 'mediaRestarted');
		if (this.#closedReason) throw AppError.invalidState('this call has ended', 'callEnded');
	}
}
