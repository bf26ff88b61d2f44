// One connection check: a router of its own, a send and a receive transport, and the browser's own
// tracks consumed back to it. Nothing is recorded; everything is closed with the session.
import type { ConsumerOptions, MediaKind, SelfCheckResponses } from '@vidverify/shared';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import {
	createWebRtcTransport,
	refusingBadParameters,
	transportOptionsOf,
	type WebRtcListenSettings,
} from './transportOptions.ts';
import type { WorkerPool } from './WorkerPool.ts';

export class SelfCheckSession {
	readonly #router: types.Router;
	readonly #send: types.WebRtcTransport;
	readonly #recv: types.WebRtcTransport;
	readonly #producers = new Map<string, types.Producer>();
	readonly #consumers = new Map<string, types.Consumer>();

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

	async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
		await refusingBadParameters(() => this.#transport(transportId).connect({ dtlsParameters }));
	}

	async produce(transportId: string, kind: MediaKind, rtpParameters: unknown): Promise<string> {
		if (transportId !== this.#send.id) throw AppError.invalidPayload('produce needs the send transport');
		if (this.#producers.size >= 2) throw AppError.invalidState('a connection check sends at most one audio and one video track');
		const producer = await refusingBadParameters(() =>
			this.#send.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters }),
		);
		this.#producers.set(producer.id, producer);
		return producer.id;
	}

	async consume(producerId: string, rtpCapabilities: unknown): Promise<ConsumerOptions> {
		if (!this.#producers.has(producerId)) throw AppError.notFound(`no producer ${producerId} in this check`);
		const capabilities = rtpCapabilities as types.RtpCapabilities;
		if (!this.#router.canConsume({ producerId, rtpCapabilities: capabilities })) {
			throw AppError.invalidPayload('this browser cannot receive the codec that was sent');
		}
		const consumer = await refusingBadParameters(() =>
			this.#recv.consume({ producerId, rtpCapabilities: capabilities, paused: true }),
		);
		this.#consumers.set(consumer.id, consumer);
		return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
	}

	async resumeConsumer(consumerId: string): Promise<void> {
		const consumer = this.#consumers.get(consumerId);
		if (!consumer) throw AppError.notFound(`no consumer ${consumerId} in this check`);
		await consumer.resume();
		if (consumer.kind === 'video') await consumer.requestKeyFrame();
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
