// Serves the connection check on its own socket.io namespace. It needs no token, so it is off in
// production unless enabled, and safe when on: connections and running checks are capped for the
// process and per client address (SelfCheckAdmission), each connection's requests are rate limited
// (a flood is dropped), and a connection that sends no request and no media for a while, or that has
// run for too long, is closed with its check.
import { SELF_CHECK_NAMESPACE, selfCheckRequestSchemas } from '@vidverify/shared';
import type { types } from 'mediasoup';
import type { Server, Socket } from 'socket.io';
import { AppError, toWireError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
	DEFAULT_SELF_CHECK_LIMITS,
	type Release,
	SelfCheckAdmission,
	type SelfCheckLimits,
} from '../media/SelfCheckAdmission.ts';
import { SelfCheckSession } from '../media/SelfCheckSession.ts';
import type { WebRtcListenSettings } from '../media/transportOptions.ts';
import type { WorkerPool } from '../media/WorkerPool.ts';
import { dispatchRequests } from './dispatch.ts';
import { requestAdmission } from './rateLimit.ts';

export function serveSelfCheck(
	io: Server,
	pool: WorkerPool,
	listen: WebRtcListenSettings,
	logger: Logger,
	limitOverrides: Partial<SelfCheckLimits> = {},
	/** The client address the per-address caps count against (TRUST_PROXY decides); the peer's by default. */
	clientAddress?: (request: Socket['request']) => string,
): void {
	const limits = { ...DEFAULT_SELF_CHECK_LIMITS, ...limitOverrides };
	const addressOf = (socket: Socket) => clientAddress?.(socket.request) ?? socket.handshake.address;
	const admission = new SelfCheckAdmission(limits);
	const namespace = io.of(SELF_CHECK_NAMESPACE);
	const releases = new WeakMap<Socket, Release>();

	namespace.use((socket, next) => {
		try {
			releases.set(socket, admission.connect(addressOf(socket)));
			next();
		} catch (error) {
			const wire = toWireError(error);
			next(Object.assign(new Error(wire.message), { data: wire }));
		}
	});

	namespace.on('connection', (socket) => {
		const address = addressOf(socket);
		const log = logger.child({ selfCheck: socket.id });
		let session: SelfCheckSession | undefined;
		let endCheck: Release | undefined;
		let starting = false;
		const current = () => {
			if (!session || session.closed) throw AppError.invalidState('start the check first');
			return session;
		};
		const closeConnection = (why: string) => {
			log.debug(why);
			socket.disconnect(true);
		};

		// Idle means a whole period with no request and no new media bytes from the browser.
		let requested = false;
		let lastBytes = 0;
		const idleWatch = setInterval(async () => {
			if (requested) {
				requested = false;
				return;
			}
			const bytes = (await session?.bytesReceived()) ?? 0;
			if (bytes > lastBytes) lastBytes = bytes;
			else closeConnection('idle connection check: closing');
		}, limits.idleMs);
		const deadline = setTimeout(() => closeConnection('connection check ran too long: closing'), limits.maxDurationMs);
		idleWatch.unref();
		deadline.unref();

		const admitRequest = requestAdmission(
			{ ratePerSecond: limits.requestRatePerSecond, burst: limits.requestBurst, disconnectAfter: limits.disconnectAfter },
			() => {
				log.warn({ address }, 'connection check flood: disconnecting');
				setImmediate(() => socket.disconnect(true));
			},
		);

		dispatchRequests(
			socket,
			selfCheckRequestSchemas,
			{
				start: async () => {
					if (session || starting) throw AppError.invalidState('this check has already started');
					const release = admission.start(address);
					starting = true;
					try {
						session = await SelfCheckSession.create(pool, listen);
					} catch (error) {
						release();
						throw error;
					} finally {
						starting = false;
					}
					endCheck = release;
					if (socket.disconnected) {
						session.close();
						release();
						throw AppError.invalidState('disconnected', 'disconnected');
					}
					log.debug('connection check started');
					return session.describe();
				},
				connectTransport: ({ transportId, dtlsParameters }) =>
					current().connectTransport(transportId, dtlsParameters as types.DtlsParameters),
				produce: async ({ transportId, kind, rtpParameters }) => ({
					producerId: await current().produce(transportId, kind, rtpParameters),
				}),
				consume: ({ producerId, rtpCapabilities }) => current().consume(producerId, rtpCapabilities),
				resumeConsumer: ({ consumerId }) => current().resumeConsumer(consumerId),
			},
			{
				logger: log,
				admit: () => {
					requested = true;
					admitRequest();
				},
			},
		);

		socket.on('disconnect', () => {
			clearInterval(idleWatch);
			clearTimeout(deadline);
			releases.get(socket)?.();
			if (session) {
				session.close();
				log.debug('connection check ended');
			}
			endCheck?.();
		});
	});
}
