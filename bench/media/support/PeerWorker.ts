// A second mediasoup worker that plays the browsers around the measured worker, so the benchmark
// needs no SRTP or congestion-control code of its own: it encrypts RTP sent from Node into the
// measured worker's receiving transports, and it receives what the measured worker's consumers
// send, decrypts it and answers with transport-wide congestion-control feedback and receiver
// reports, as a browser does. Without that feedback the measured worker's send-side history of
// every transport would grow for a minute and cost far more than in a real call.
// Its own CPU is not counted; only the measured worker's is.
import { createWorker, type types } from 'mediasoup';
import { ROUTER_MEDIA_CODECS } from '../../../server/src/media/codecs.ts';
import { LOOPBACK, PacedSender, rtpParametersOf, type Stream, type StreamShape } from './rtp.ts';

/**
 * All the RTP Node sends arrives on one socket; the OS default buffer (about 208 KiB) overflows in
 * bursts on a busy machine, and a packet dropped there would look like a slow measured worker.
 */
const INGRESS_BUFFER_BYTES = 4 * 1024 * 1024;

export type StreamSpec = { shape: StreamShape; packetsPerSecond: number };

export class PeerWorker {
	readonly #worker: types.Worker;
	readonly #router: types.Router;
	readonly #ingress: types.PlainTransport;
	readonly #streams: Stream[] = [];
	#sender: PacedSender | undefined;
	#nextSsrc = 0x1000_0000;

	static async create(workerBin?: string): Promise<PeerWorker> {
		const worker = await createWorker({ logLevel: 'error', ...(workerBin ? { workerBin } : {}) });
		const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
		const ingress = await router.createPlainTransport({
			listenInfo: { protocol: 'udp', ip: LOOPBACK, recvBufferSize: INGRESS_BUFFER_BYTES },
			rtcpMux: true,
			comedia: true,
		});
		return new PeerWorker(worker, router, ingress);
	}

	private constructor(worker: types.Worker, router: types.Router, ingress: types.PlainTransport) {
		this.#worker = worker;
		this.#router = router;
		this.#ingress = ingress;
	}

	/**
	 * Makes `target` (a receiving transport of the measured worker, with comedia) receive the given
	 * streams once `start()` is called, and returns the producers created on it, one per stream.
	 */
	async sendInto(target: types.PlainTransport, specs: StreamSpec[]): Promise<types.Producer[]> {
		const egress = await this.#transportFacing(target);
		if (target.srtpParameters) await target.connect({ srtpParameters: egress.srtpParameters });
		const producers: types.Producer[] = [];
		for (const spec of specs) {
			const stream: Stream = { ...spec, ssrc: this.#nextSsrc++ };
			const fromNode = await this.#ingress.produce({ kind: spec.shape.kind, rtpParameters: rtpParametersOf(stream) });
			// Paused until the measured worker has its producer, so no packet arrives for an unknown SSRC.
			const consumer = await egress.consume({
				producerId: fromNode.id,
				rtpCapabilities: this.#router.rtpCapabilities,
				paused: true,
			});
			producers.push(await target.produce({ kind: spec.shape.kind, rtpParameters: consumer.rtpParameters }));
			await consumer.resume();
			this.#streams.push(stream);
		}
		return producers;
	}

	/**
	 * Receives what the (paused) consumers on `source`, a sending transport of the measured worker
	 * not yet connected, forward; resumes them once this side knows their streams.
	 */
	async receiveFrom(source: types.PlainTransport, consumers: types.Consumer[]): Promise<void> {
		const ingress = await this.#transportFacing(source);
		await source.connect({
			ip: ingress.tuple.localAddress,
			port: ingress.tuple.localPort,
			...(ingress.srtpParameters ? { srtpParameters: ingress.srtpParameters } : {}),
		});
		for (const consumer of consumers) {
			await ingress.produce({ kind: consumer.kind, rtpParameters: consumer.rtpParameters });
			await consumer.resume();
		}
	}

	/** Packets per second Node sends through this side, over all streams. */
	get sendRate(): number {
		return this.#streams.reduce((sum, stream) => sum + stream.packetsPerSecond, 0);
	}

	async start(): Promise<void> {
		this.#sender = await PacedSender.create(this.#streams, { ip: LOOPBACK, port: this.#ingress.tuple.localPort });
		this.#sender.start();
	}

	close(): void {
		this.#sender?.close();
		this.#worker.close();
	}

	/** A transport of this side sending to `remote`, with the same SRTP suite and `remote`'s key. */
	async #transportFacing(remote: types.PlainTransport): Promise<types.PlainTransport> {
		const srtp = remote.srtpParameters;
		const transport = await this.#router.createPlainTransport({
			listenInfo: { protocol: 'udp', ip: LOOPBACK },
			rtcpMux: true,
			comedia: false,
			...(srtp ? { enableSrtp: true, srtpCryptoSuite: srtp.cryptoSuite } : {}),
		});
		await transport.connect({
			ip: remote.tuple.localAddress,
			port: remote.tuple.localPort,
			...(srtp ? { srtpParameters: srtp } : {}),
		});
		return transport;
	}
}
