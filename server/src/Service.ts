// The whole service in one process: HTTP (express) and signalling (socket.io) on one port, and the
// mediasoup worker pool. Created with Service.create, stopped with close() (idempotent).
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { Config } from './config.ts';
import { createHttpApp, type ReadinessProbe } from './http/app.ts';
import type { Logger } from './logger.ts';
import { WorkerPool } from './media/WorkerPool.ts';
import { serveSelfCheck } from './signalling/selfCheckNamespace.ts';

/** Largest socket.io message accepted; anything bigger is dropped by socket.io before parsing. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

export class Service {
	readonly config: Config;
	readonly logger: Logger;
	readonly pool: WorkerPool;
	readonly httpServer: http.Server;
	readonly io: SocketServer;
	#closing: Promise<void> | undefined;

	static async create(config: Config, logger: Logger): Promise<Service> {
		await fs.mkdir(config.dataDir, { recursive: true });
		const pool = await WorkerPool.create({
			workerCount: config.media.workerCount,
			rtcMinPort: config.media.rtcMinPort,
			rtcMaxPort: config.media.rtcMaxPort,
			logger: logger.child({ component: 'media' }),
		});
		return new Service(config, logger, pool);
	}

	private constructor(config: Config, logger: Logger, pool: WorkerPool) {
		this.config = config;
		this.logger = logger;
		this.pool = pool;
		const readiness: ReadinessProbe[] = [
			{ name: 'mediaWorkers', check: () => pool.healthy },
			{ name: 'dataDir', check: () => fs.access(config.dataDir, fs.constants.W_OK).then(() => true) },
		];
		const app = createHttpApp({ clientDistDir: config.clientDistDir, readiness, logger });
		this.httpServer = http.createServer(app);
		this.io = new SocketServer(this.httpServer, {
			maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
			serveClient: false,
			cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins } : undefined,
		});
		if (config.media.selfCheck) {
			serveSelfCheck(this.io, pool, { listenIp: config.media.listenIp, announcedAddress: config.media.announcedAddress }, logger);
		}
	}

	/** Starts listening; resolves with the base URL people should open. */
	async listen(): Promise<{ port: number; url: string }> {
		await new Promise<void>((resolve, reject) => {
			this.httpServer.once('error', reject);
			this.httpServer.listen(this.config.port, this.config.host, () => {
				this.httpServer.off('error', reject);
				resolve();
			});
		});
		const { port } = this.httpServer.address() as AddressInfo;
		const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? 'localhost' : this.config.host;
		const url = this.config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
		return { port, url };
	}

	close(): Promise<void> {
		this.#closing ??= this.#close();
		return this.#closing;
	}

	async #close(): Promise<void> {
		// Stop taking connections, tell socket clients, then close media and the HTTP server.
		await new Promise<void>((resolve) => this.io.close(() => resolve()));
		this.pool.close();
		this.httpServer.closeAllConnections();
		await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
	}
}
