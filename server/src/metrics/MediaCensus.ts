// What each mediasoup worker of the pool holds now: routers, transports, producers and consumers (by
// kind), counted from mediasoup's observer events as they are created and closed, so that reading
// the counts costs nothing and asks the workers nothing. Workers are followed from the pool's
// `workerStarted`, and the ones already running when the census is made are taken as they are then
// (the service makes it before it serves anyone, when they hold no router yet).
import type { types } from 'mediasoup';
import type { WorkerPool } from '../media/WorkerPool.ts';

export type MediaCounts = {
	routers: number;
	transports: number;
	producers: { audio: number; video: number };
	consumers: { audio: number; video: number };
};

const emptyCounts = (): MediaCounts => ({
	routers: 0,
	transports: 0,
	producers: { audio: 0, video: 0 },
	consumers: { audio: 0, video: 0 },
});

export class MediaCensus {
	readonly #counts = new WeakMap<types.Worker, MediaCounts>();

	constructor(pool: Pick<WorkerPool, 'workers' | 'on'>) {
		for (const worker of pool.workers) this.#follow(worker);
		pool.on('workerStarted', (worker) => this.#follow(worker));
	}

	/** What the worker holds now; zeros for a worker the census does not follow. */
	countsOf(worker: types.Worker): MediaCounts {
		const counts = this.#counts.get(worker) ?? emptyCounts();
		return { ...counts, producers: { ...counts.producers }, consumers: { ...counts.consumers } };
	}

	#follow(worker: types.Worker): void {
		if (this.#counts.has(worker)) return;
		const counts = emptyCounts();
		this.#counts.set(worker, counts);
		worker.observer.on('newrouter', (router) => {
			counts.routers += 1;
			router.observer.once('close', () => {
				counts.routers -= 1;
			});
			router.observer.on('newtransport', (transport) => {
				counts.transports += 1;
				transport.observer.once('close', () => {
					counts.transports -= 1;
				});
				transport.observer.on('newproducer', (producer) => {
					counts.producers[producer.kind] += 1;
					producer.observer.once('close', () => {
						counts.producers[producer.kind] -= 1;
					});
				});
				transport.observer.on('newconsumer', (consumer) => {
					counts.consumers[consumer.kind] += 1;
					consumer.observer.once('close', () => {
						counts.consumers[consumer.kind] -= 1;
					});
				});
			});
		});
	}
}
