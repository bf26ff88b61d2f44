// Serves the connection check on its own socket.io namespace. It needs no token, so it is off in
// production unless enabled, and the number of checks running at once is capped.
import { SELF_CHECK_NAMESPACE, selfCheckRequestSchemas } from '@vidverify/shared';
import type { types } from 'mediasoup';
import type { Server } from 'socket.io';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { SelfCheckSession } from '../media/SelfCheckSession.ts';
import type { WebRtcListenSettings } from '../media/transportOptions.ts';
import type { WorkerPool } from '../media/WorkerPool.ts';
import { dispatchRequests } from './dispatch.ts';

const MAX_CONCURRENT_CHECKS = 8;

export function serveSelfCheck(io: Server, pool: WorkerPool, listen: WebRtcListenSettings, logger: Logger): void {
	let running = 0;
	io.of(SELF_CHECK_NAMESPACE).on('connection', (socket) => {
		const log = logger.child({ selfCheck: socket.id });
		let session: SelfCheckSession | undefined;
		let starting = false;
		const current = () => {
			if (!session || session.closed) throw AppError.invalidState('start the check first');
			return session;
		};

		dispatchRequests(
			socket,
			selfCheckRequestSchemas,
			{
				start: async () => {
					if (session || starting) throw AppError.invalidState('this check has already started');
					if (running >= MAX_CONCURRENT_CHECKS)
						throw AppError.unavailable('too many connection checks running; try again shortly', 'tooManyChecks');
					starting = true;
					running += 1;
					try {
						session = await SelfCheckSession.create(pool, listen);
					} catch (error) {
						running -= 1;
						throw error;
					} finally {
						starting = false;
					}
					if (socket.disconnected) {
						session.close();
						running -= 1;
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
			{ logger: log },
		);

		socket.on('disconnect', () => {
			if (session) {
				session.close();
				running -= 1;
				log.debug('connection check ended');
			}
		});
	});
}
