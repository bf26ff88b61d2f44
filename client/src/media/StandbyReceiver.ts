// An available agent's receive path, ready before its next call: a receive transport on a router of
// the agent's own, connected while the agent waits (an idle data channel from the server gets ICE,
// DTLS and SCTP going; it carries no message). When the agent accepts, the server sends the
// applicant's media there, so the first consumers arrive on a connected transport and are resumed at
// once, before the call view has even asked for them; the call's CallConnection then takes the
// transport over with what it received (takeStandby). Nothing arrives before the accept: the server
// puts no media on the standby's router until then.
import type { ConsumerInfo } from '@vidverify/shared';
import { Device, type types } from 'mediasoup-client';
import type { VerificationClient } from '../signalling/VerificationClient.ts';

export type StandbyRemote = { info: ConsumerInfo; consumer: types.Consumer };

export type TakenStandby = { device: Device; recv: types.Transport; remote: Map<string, StandbyRemote> };

/** How long a standby left by the queue view waits for the call view to take it over. */
const TAKE_OVER_WITHIN_MS = 15_000;

const open = new WeakMap<VerificationClient, StandbyReceiver>();

/** The agent's connected standby for this signalling connection, handed over once to the call. */
export function takeStandby(client: VerificationClient): StandbyReceiver | undefined {
	const standby = open.get(client);
	open.delete(client);
	return standby && !standby.closed ? standby : undefined;
}

export class StandbyReceiver {
	readonly #client: VerificationClient;
	readonly device: Device;
	readonly recv: types.Transport;
	readonly #remote = new Map<string, StandbyRemote>();
	readonly #stop: () => void;
	#closed = false;
	#taken = false;
	#closeTimer: ReturnType<typeof setTimeout> | undefined;
	/** Consumers being set up: the call takes the transport over once they are in place. */
	readonly #pending = new Set<Promise<void>>();

	/** Asks the server for the standby and connects it. */
	static async open(client: VerificationClient): Promise<StandbyReceiver> {
		const answer = await client.request('standBy', {});
		const device = new Device();
		await device.load({ routerRtpCapabilities: answer.routerRtpCapabilities as types.RtpCapabilities });
		const recv = device.createRecvTransport({
			...(answer.recvTransport as types.TransportOptions),
			iceServers: answer.iceServers,
		});
		recv.on('connect', ({ dtlsParameters }, callback, errback) => {
			client
				.request('connectStandby', { transportId: recv.id, dtlsParameters, rtpCapabilities: device.rtpCapabilities })
				.then(() => callback(), errback);
		});
		const standby = new StandbyReceiver(client, device, recv);
		const { dataConsumer } = answer;
		await recv.consumeData({
			id: dataConsumer.id,
			dataProducerId: dataConsumer.dataProducerId,
			sctpStreamParameters: dataConsumer.sctpStreamParameters as types.SctpStreamParameters,
			label: dataConsumer.label,
		});
		open.get(client)?.close();
		open.set(client, standby);
		return standby;
	}

	private constructor(client: VerificationClient, device: Device, recv: types.Transport) {
		this.#client = client;
		this.device = device;
		this.recv = recv;
		// The accept's consumers come here until the call view takes over.
		this.#stop = client.on('consumerCreated', (info) => {
			const consuming = this.#consume(info).catch(() => {
				// The call view consumes what the standby could not (its joinMedia answer lists it).
			});
			this.#pending.add(consuming);
			void consuming.finally(() => this.#pending.delete(consuming));
		});
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** For the call: the transport, its device and what it received; this object lets go of them. */
	async takeOver(): Promise<TakenStandby> {
		this.#taken = true;
		clearTimeout(this.#closeTimer);
		this.#stop();
		await Promise.allSettled([...this.#pending]);
		return { device: this.device, recv: this.recv, remote: this.#remote };
	}

	/** The queue view let go of it: closed unless the call view takes it over soon. */
	release(callStarting: boolean): void {
		if (!callStarting) {
			this.close();
			return;
		}
		this.#closeTimer = setTimeout(() => this.close(), TAKE_OVER_WITHIN_MS);
	}

	close(): void {
		if (this.#closed || this.#taken) return;
		this.#closed = true;
		clearTimeout(this.#closeTimer);
		this.#stop();
		if (open.get(this.#client) === this) open.delete(this.#client);
		this.recv.close();
		this.#client.request('leaveStandby', {}).catch(() => {
			// Gone already (a call adopted it, or the connection dropped): the server closes it itself.
		});
	}

	async #consume(info: ConsumerInfo): Promise<void> {
		if (this.#closed || this.#taken || this.#remote.has(info.id)) return;
		const consumer = await this.recv.consume({
			id: info.id,
			producerId: info.producerId,
			kind: info.kind,
			rtpParameters: info.rtpParameters as types.RtpParameters,
		});
		this.#remote.set(consumer.id, { info, consumer });
		await this.#client.request('resumeConsumer', { consumerId: consumer.id });
	}
}
