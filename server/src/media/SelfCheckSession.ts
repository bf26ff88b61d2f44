// One connection check: a router of its own, a send and a receive transport, and the browser's own
// tracks consumed back to it. Nothing is recorded; everything is closed with the session. The check
// needs no token, so what one may hold is capped: one audio and one video track, each consumed once,
// its requests taken one at a time so that racing ones cannot pass a cap together.
import type { ConsumerOptions, MediaKind, SelfCheckResponses } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { refusingClientMistakes } from './mediasoupRefusals.ts';
import { SerialQueue } from './SerialQueue.ts';
import { createWebRtcTransport, transportOptionsOf, type WebRtcListenSettings } from './transportOptions.ts';
import type { WorkerPool } from './WorkerPool.ts';

/** A check's page sends about nine requests in all, a few at a time. */
const MAX_WAITING_REQUESTS = 8;

export class SelfCheckSession {
	readonly #router: types.Router;
	readonly #send: types.WebRtcTransport;
	readonly #recv: types.WebRtcTransport;
	/** At most one per kind. */
	readonly #producers = new Map<string, types.Producer>();
	/** At most one per producer. */
	readonly #consumers = new Map<string, types.Consumer>();
	readonly #queue = new SerialQueue(MAX_WAITING_REQUESTS);

	static async create(pool: WorkerPool, listen: WebRtcListenSettings): Promise<SelfCheckSession> {
		const router = await pool.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData: { purpose: 'self-check' } });
		try {
			const webRtcServer = pool.webRtcServerOf(router);
			const send = await createWebRtcTransport(router, listen, webRtcServer, { direction: 'send' });
			const recv = await createWebRtcTransport(router, listen, webRtcServer, { direction: 'recv' });
			return new SelfCheckSession(router, send, recv);
		} catch (error) {
			router.close();
			throw error;
		}
	}

	private constructor(router: types.Router, send: types.WebRtcTransport, recv: types.WebRtcTransport) {
		this.#router = router;
		this.#send = send;
		this.#recv = recv;
	}

	get closed(): boolean {
		return this.#router.closed;
	}

	describe(): SelfCheckResponses['start'] {
		return {
			routerRtpCapabilities: this.#router.rtpCapabilities,
			sendTransport: transportOptionsOf(this.#send),
			recvTransport: transportOptionsOf(this.#recv),
		};
	}

	connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
		return this.#queue.run(async () => {
			const transport = this.#transport(transportId);
			await refusingClientMistakes(() => transport.connect({ dtlsParameters }));
		});
	}

	produce(transportId: string, kind: MediaKind, rtpParameters: unknown): Promise<string> {
		return this.#queue.run(async () => {
			if (transportId !== this.#send.id) throw AppError.invalidPayload('produce needs the send transport');
			for (const existing of this.#producers.values()) {
				if (existing.kind === kind) {
					const source = kind === 'video' ? 'camera' : 'microphone';
					throw AppError.invalidState(`a connection check sends one ${kind} track at most`, 'alreadySending', { source });
				}
			}
			const producer = await refusingClientMistakes(() =>
				this.#send.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters }),
			);
			this.#producers.set(producer.id, producer);
			return producer.id;
		});
	}

	consume(producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions> {
		return this.#queue.run(async () => {
			if (!this.#producers.has(producerId)) throw AppError.notFound(`no producer ${producerId} in this check`);
			for (const existing of this.#consumers.values()) {
				if (existing.producerId === producerId) throw AppError.invalidState('each track of a check comes back once');
			}
			const capabilities = rtpCapabilities as types.RtpCapabilities;
			if (!this.#router.canConsume({ producerId, rtpCapabilities: capabilities })) {
				throw AppError.invalidPayload('this browser cannot receive the codec that was sent');
			}
			const consumer = await refusingClientMistakes(() =>
				this.#recv.consume({ producerId, rtpCapabilities: capabilities, paused: true }),
			);
			this.#consumers.set(consumer.id, consumer);
			return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
		});
	}

	resumeConsumer(consumerId: string): Promise<void> {
		return this.#queue.run(async () => {
			const consumer = this.#consumers.get(consumerId);
			if (!consumer) throw AppError.notFound(`no consumer ${consumerId} in this check`);
			await refusingClientMistakes(() => consumer.resume());
			if (consumer.kind === 'video') await refusingClientMistakes(() => consumer.requestKeyFrame());
		});
	}

	/** Bytes the browser has sent so far: growing while its media arrives, so the check is in use. */
	async bytesReceived(): Promise<number> {
		if (this.closed) return 0;
		const stats = await this.#send.getStats().catch(() => []);
		return stats[0]?.bytesReceived ?? 0;
	}

	close(): void {
		this.#router.close();
	}

	#transport(transportId: string): types.WebRtcTransport {
		if (transportId === this.#send.id) return this.#send;
		if (transportId === this.#recv.id) return this.#recv;
		throw AppError.notFound(`no transport ${transportId} in this check`);
	}
}
