// A pool of mediasoup workers (one per core by default). Hands out the least-loaded worker for a new
// router, replaces a worker that dies, and tells its owner so the calls on it can reconnect.
import { EventEmitter } from 'node:events';
import { createWorker, type types } from 'mediasoup';
import type { Logger } from '../logger.ts';

export type WorkerPoolSettings = {
	workerCount: number;
	rtcMinPort: number;
	rtcMaxPort: number;
	logger: Logger;
};

type WorkerPoolEvents = {
	/** A worker died; its routers are gone. `replaced` is false when the pool is closing. */
	workerDied: [{ pid: number; error: Error; replaced: boolean }];
};

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
	readonly #settings: WorkerPoolSettings;
	readonly #workers: types.Worker[] = [];
	readonly #routerCounts = new Map<types.Worker, number>();
	#closed = false;

	static async create(settings: WorkerPoolSettings): Promise<WorkerPool> {
		const pool = new WorkerPool(settings);
		try {
			await Promise.all(Array.from({ length: settings.workerCount }, () => pool.#startWorker()));
		} catch (error) {
			pool.close();
			throw error;
		}
		return pool;
	}

	private constructor(settings: WorkerPoolSettings) {
		super();
		this.#settings = settings;
	}

	get closed(): boolean {
		return this.#closed;
	}

	get workers(): readonly types.Worker[] {
		return this.#workers;
	}

	/** True when every worker slot holds a live worker. */
	get healthy(): boolean {
		return (
			!this.#closed &&
			this.#workers.length === this.#settings.workerCount &&
			this.#workers.every((worker) => !worker.closed && !worker.died)
		);
	}

	async createRouter(options: types.RouterOptions): Promise<types.Router> {
		if (this.#closed) throw new Error('the worker pool is closed');
		const worker = this.#leastLoaded();
		const router = await worker.createRouter(options);
		this.#routerCounts.set(worker, (this.#routerCounts.get(worker) ?? 0) + 1);
		router.observer.once('close', () => {
			const count = this.#routerCounts.get(worker);
			if (count !== undefined) this.#routerCounts.set(worker, Math.max(0, count - 1));
		});
		return router;
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		for (const worker of this.#workers) worker.close();
		this.#workers.length = 0;
		this.#routerCounts.clear();
	}

	#leastLoaded(): types.Worker {
		let best: types.Worker | undefined;
		for (const worker of this.#workers) {
			if (worker.closed || worker.died) continue;
			if (best === undefined || (this.#routerCounts.get(worker) ?? 0) < (this.#routerCounts.get(best) ?? 0)) {
				best = worker;
			}
		}
		if (best === undefined) throw new Error('no live mediasoup worker');
		return best;
	}

	async #startWorker(): Promise<void> {
		const worker = await createWorker({
			logLevel: 'warn',
			rtcMinPort: this.#settings.rtcMinPort,
			rtcMaxPort: this.#settings.rtcMaxPort,
		});
		if (this.#closed) {
			worker.close();
			return;
		}
		this.#workers.push(worker);
		this.#routerCounts.set(worker, 0);
		this.#settings.logger.info({ pid: worker.pid }, 'mediasoup worker started');
		worker.on('died', (error) => this.#onWorkerDied(worker, error));
	}

	#onWorkerDied(worker: types.Worker, error: Error): void {
		const index = this.#workers.indexOf(worker);
		if (index >= 0) this.#workers.splice(index, 1);
		this.#routerCounts.delete(worker);
		const replaced = !this.#closed;
		this.#settings.logger.error({ pid: worker.pid, err: error, replaced }, 'mediasoup worker died');
		this.emit('workerDied', { pid: worker.pid, error, replaced });
		if (replaced) {
			this.#startWorker().catch((startError: unknown) =>
				this.#settings.logger.error({ err: startError }, 'could not replace a dead mediasoup worker'),
			);
		}
	}
}
