// An available agent's receive path, ready before any call: a router of its own on the least-loaded
// worker, and on it the agent's receive WebRtcTransport, connected (ICE, DTLS and SCTP) while the
// agent waits for a call. A browser's receive transport only connects once it has something to
// receive, so it receives an idle data channel from a DirectTransport of this router: a label and
// no message, ever. No media producer exists on this router until a call adopts it: the agent's
// accept pipes the call's producers here (CallRoom) and only consumers are left to create.
//
// Nothing is forwarded to the agent before it accepts: the call's router and this one are joined by
// the accept alone. Closing closes the router and everything on it, adopted or not. A standby not
// adopted closes itself when the agent's browser lets it go: not connected within CONNECT_WITHIN_MS,
// its DTLS closed or failed, or its ICE lost (a closed tab, a dropped network).
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { refusingClientMistakes } from './mediasoupRefusals.ts';
import { createWebRtcTransport, transportOptionsOf, type WebRtcListenSettings } from './transportOptions.ts';
import type { WorkerPool } from './WorkerPool.ts';

const DATA_LABEL = 'standby';
const CONNECT_WITHIN_MS = 30_000;

export type StandbyAnswer = {
	routerRtpCapabilities: types.RtpCapabilities;
	recvTransport: ReturnType<typeof transportOptionsOf> & { sctpParameters: unknown };
	dataConsumer: { id: string; dataProducerId: string; sctpStreamParameters: unknown; label: string };
};

export class StandbyReceiver {
	readonly participantId: string;
	readonly router: types.Router;
	readonly recv: types.WebRtcTransport;
	/** The agent's capabilities, given when it connects; a call cannot adopt it before. */
	rtpCapabilities: types.RtpCapabilities | undefined;
	/** Taken into a call: the call's member closes it with the rest of its media. */
	adopted = false;
	/** The call's producers piped to this router so far (CallRoom): the id of each one's copy here. */
	readonly piped = new Map<string, Promise<string>>();
	readonly #dataConsumer: types.DataConsumer;
	readonly #dataProducerId: string;

	static async create(options: {
		pool: WorkerPool;
		listen: WebRtcListenSettings;
		participantId: string;
	}): Promise<StandbyReceiver> {
		const router = await options.pool.createRouter({
			mediaCodecs: ROUTER_MEDIA_CODECS,
			appData: { standbyOf: options.participantId },
		});
		try {
			const direct = await router.createDirectTransport();
			const dataProducer = await direct.produceData({ label: DATA_LABEL });
			const recv = await createWebRtcTransport(
				router,
				options.listen,
				options.pool.webRtcServerOf(router),
				{
					participantId: options.participantId,
					role: 'agent',
					direction: 'recv',
				},
				{ enableSctp: true },
			);
			const dataConsumer = await recv.consumeData({ dataProducerId: dataProducer.id });
			return new StandbyReceiver(options.participantId, router, recv, dataConsumer, dataProducer.id);
		} catch (error) {
			router.close();
			throw error;
		}
	}

	private constructor(
		participantId: string,
		router: types.Router,
		recv: types.WebRtcTransport,
		dataConsumer: types.DataConsumer,
		dataProducerId: string,
	) {
		this.participantId = participantId;
		this.router = router;
		this.recv = recv;
		this.#dataConsumer = dataConsumer;
		this.#dataProducerId = dataProducerId;
		const deadline = setTimeout(() => {
			if (!this.adopted && this.recv.dtlsState !== 'connected') this.close();
		}, CONNECT_WITHIN_MS);
		deadline.unref();
		router.observer.once('close', () => clearTimeout(deadline));
		recv.on('dtlsstatechange', (state) => {
			if (!this.adopted && (state === 'closed' || state === 'failed')) this.close();
		});
		recv.on('icestatechange', (state) => {
			if (!this.adopted && (state === 'disconnected' || state === 'closed')) this.close();
		});
	}

	get closed(): boolean {
		return this.router.closed;
	}

	/** True once the agent connected it: a call can adopt it from then on. */
	get ready(): boolean {
		return !this.closed && this.rtpCapabilities !== undefined;
	}

	answer(): StandbyAnswer {
		return {
			routerRtpCapabilities: this.router.rtpCapabilities,
			recvTransport: { ...transportOptionsOf(this.recv), sctpParameters: this.recv.sctpParameters },
			dataConsumer: {
				id: this.#dataConsumer.id,
				dataProducerId: this.#dataProducerId,
				sctpStreamParameters: this.#dataConsumer.sctpStreamParameters,
				label: DATA_LABEL,
			},
		};
	}

	async connect(transportId: string, dtlsParameters: types.DtlsParameters, rtpCapabilities: types.RtpCapabilities) {
		if (transportId !== this.recv.id) throw AppError.notFound(`no standby transport ${transportId} of yours`);
		await refusingClientMistakes(() => this.recv.connect({ dtlsParameters }));
		this.rtpCapabilities = rtpCapabilities;
	}

	close(): void {
		this.router.close();
	}
}
