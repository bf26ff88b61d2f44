// What a mediasoup worker holds, counted from its observer: the live transports, producers and
// consumers of each router, by the verification (or purpose) in the router's appData and by the
// participant in the transport's appData. Tests compare it with what the answers promised.
import type { types } from 'mediasoup';

type Counted = { router: string; participantId: string | undefined };

export class MediaCensus {
	readonly #transports = new Map<types.Transport, Counted>();
	readonly #producers = new Map<types.Producer, Counted>();
	readonly #consumers = new Map<types.Consumer, Counted>();
	readonly #routers = new Set<types.Router>();

	constructor(worker: types.Worker) {
		worker.observer.on('newrouter', (router) => {
			const name = String(router.appData.verificationId ?? router.appData.purpose);
			this.#routers.add(router);
			router.observer.once('close', () => this.#routers.delete(router));
			router.observer.on('newtransport', (transport) => {
				const counted = { router: name, participantId: transport.appData.participantId as string | undefined };
				track(this.#transports, transport, counted);
				transport.observer.on('newproducer', (producer) => track(this.#producers, producer, counted));
				transport.observer.on('newconsumer', (consumer) => track(this.#consumers, consumer, counted));
			});
		});
	}

	/** Routers alive for this verification id (or appData purpose). */
	routers(name: string): number {
		let count = 0;
		for (const router of this.#routers) if ((router.appData.verificationId ?? router.appData.purpose) === name) count += 1;
		return count;
	}

	transports(router: string, participantId?: string): number {
		return count(this.#transports, router, participantId);
	}

	producers(router: string, participantId?: string): number {
		return count(this.#producers, router, participantId);
	}

	consumers(router: string, participantId?: string): number {
		return count(this.#consumers, router, participantId);
	}
}

function track<T extends { observer: { once(event: 'close', listener: () => void): unknown } }>(
	map: Map<T, Counted>,
	item: T,
	counted: Counted,
): void {
	map.set(item, counted);
	item.observer.once('close', () => map.delete(item));
}

function count(map: Map<unknown, Counted>, router: string, participantId: string | undefined): number {
	let total = 0;
	for (const counted of map.values()) {
		if (counted.router === router && (participantId === undefined || counted.participantId === participantId)) total += 1;
	}
	return total;
}
