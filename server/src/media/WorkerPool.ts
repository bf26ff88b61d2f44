// A pool of mediasoup workers (one per core by default). Each worker can carry a WebRtcServer: all
// of that worker's WebRTC transports share one UDP and one TCP port, so a firewall needs few ports.
// Hands out the least-loaded worker for a new router, replaces a worker that dies (on the same
// ports), and tells its owner so the calls that were on it can reconnect.
import { EventEmitter } from 'node:events';
import { createWorker, type types } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { kernelSocketBufferCap, WEBRTC_SERVER_SOCKET_BUFFER_BYTES } from './socketBuffers.ts';

export type WebRtcServerSettings = {
	listenIp: string;
	announcedAddress: string | undefined;
	/** Worker i listens on basePort + i; undefined picks a free port from the RTC range per worker. */
	basePort: number | undefined;
};

export type WorkerPoolSettings = {
	workerCount: number;
	rtcMinPort: number;
	rtcMaxPort: number;
	/** Without it, every transport gets ports of its own from the RTC range. */
	webRtcServer?: WebRtcServerSettings;
	logger: Logger;
};

type WorkerPoolEvents = {
	/** A worker is ready for routers: a replacement, or (for listeners added during create) a first one. */
	workerStarted: [types.Worker];
	/** A worker died; its routers are gone. `replaced` is false when the pool is closing. */
	workerDied: [{ pid: number; error: Error; replaced: boolean }];
};

type Slot = { index: number; worker: types.Worker | undefined; webRtcServer: types.WebRtcServer | undefined; routers: number };

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
	readonly #settings: WorkerPoolSettings;
	readonly #slots: Slot[];
	readonly #slotOfRouter = new WeakMap<types.Router, Slot>();
	#closed = false;

	static async create(settings: WorkerPoolSettings): Promise<WorkerPool> {
		const pool = new WorkerPool(settings);
		const cap = settings.webRtcServer ? kernelSocketBufferCap() : undefined;
		if (cap && Math.min(cap.rmemMax, cap.wmemMax) < WEBRTC_SERVER_SOCKET_BUFFER_BYTES) {
			settings.logger.warn(
				{ ...cap, wanted: WEBRTC_SERVER_SOCKET_BUFFER_BYTES },
				'the kernel caps the WebRTC server socket buffers below what a busy worker needs: raise net.core.rmem_max and net.core.wmem_max',
			);
		}
		try {
			await Promise.all(pool.#slots.map((slot) => pool.#startWorker(slot)));
		} catch (error) {
			pool.close();
			throw error;
		}
		return pool;
	}

	private constructor(settings: WorkerPoolSettings) {
		super();
		this.#settings = settings;
		this.#slots = Array.from({ length: settings.workerCount }, (_, index) => ({
			index,
			worker: undefined,
			webRtcServer: undefined,
			routers: 0,
		}));
	}

	get closed(): boolean {
		return this.#closed;
	}

	get workers(): types.Worker[] {
		return this.#slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
	}

	/** True when every worker slot holds a live worker. */
	get healthy(): boolean {
		return !this.#closed && this.#slots.every((slot) => slot.worker !== undefined && !slot.worker.closed && !slot.worker.died);
	}

	async createRouter(options: types.RouterOptions): Promise<types.Router> {
		if (this.#closed) throw new Error('the worker pool is closed');
		const slot = this.#leastLoaded();
		const router = await (slot.worker as types.Worker).createRouter(options);
		slot.routers += 1;
		this.#slotOfRouter.set(router, slot);
		router.observer.once('close', () => {
			slot.routers = Math.max(0, slot.routers - 1);
		});
		return router;
	}

	/** The WebRtcServer of the worker a router lives on, when the pool runs with WebRtcServers. */
	webRtcServerOf(router: types.Router): types.WebRtcServer | undefined {
		return this.#slotOfRouter.get(router)?.webRtcServer;
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		for (const slot of this.#slots) slot.worker?.close();
	}

	#leastLoaded(): Slot {
		let best: Slot | undefined;
		for (const slot of this.#slots) {
			if (!slot.worker || slot.worker.closed || slot.worker.died) continue;
			if (best === undefined || slot.routers < best.routers) best = slot;
		}
		if (best === undefined)
			throw AppError.unavailable(
				'no media server is available right now (it is restarting); try again in a moment',
				'mediaUnavailable',
			);
		return best;
	}

	async #startWorker(slot: Slot): Promise<void> {
		const worker = await createWorker({
			logLevel: 'warn',
			rtcMinPort: this.#settings.rtcMinPort,
			rtcMaxPort: this.#settings.rtcMaxPort,
		});
		if (this.#closed) {
			worker.close();
			return;
		}
		let webRtcServer: types.WebRtcServer | undefined;
		const serverSettings = this.#settings.webRtcServer;
		if (serverSettings) {
			const port = serverSettings.basePort === undefined ? undefined : serverSettings.basePort + slot.index;
			const announced = serverSettings.announcedAddress ? { announcedAddress: serverSettings.announcedAddress } : {};
			try {
				webRtcServer = await worker.createWebRtcServer({
					listenInfos: [
						{
							protocol: 'udp',
							ip: serverSettings.listenIp,
							port,
							...announced,
							recvBufferSize: WEBRTC_SERVER_SOCKET_BUFFER_BYTES,
							sendBufferSize: WEBRTC_SERVER_SOCKET_BUFFER_BYTES,
						},
						{ protocol: 'tcp', ip: serverSettings.listenIp, port, ...announced },
					],
				});
			} catch (error) {
				worker.close();
				throw error;
			}
		}
		slot.worker = worker;
		slot.webRtcServer = webRtcServer;
		slot.routers = 0;
		const ports = webRtcServer ? (await webRtcServer.dump()).udpSockets.map((socket) => socket.port) : [];
		this.#settings.logger.info({ pid: worker.pid, slot: slot.index, webRtcServerPorts: ports }, 'mediasoup worker started');
		worker.on('died', (error) => this.#onWorkerDied(slot, worker, error));
		this.emit('workerStarted', worker);
	}

	#onWorkerDied(slot: Slot, worker: types.Worker, error: Error): void {
		if (slot.worker === worker) {
			slot.worker = undefined;
			slot.webRtcServer = undefined;
			slot.routers = 0;
		}
		const replaced = !this.#closed;
		this.#settings.logger.error({ pid: worker.pid, slot: slot.index, err: error, replaced }, 'mediasoup worker died');
		this.emit('workerDied', { pid: worker.pid, error, replaced });
		if (replaced) {
			this.#startWorker(slot).catch((startError: unknown) =>
				this.#settings.logger.error({ err: startError, slot: slot.index }, 'could not replace a dead mediasoup worker'),
			);
		}
	}
}
