// CallRooms on a real mediasoup worker: a participant's second joinMedia while its first is under
// way is refused.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CallRooms } from './CallRooms.ts';
import { WorkerPool } from './WorkerPool.ts';

const logger = pino({ level: 'silent' });
let pool: WorkerPool;

beforeAll(async () => {
	pool = await WorkerPool.create({ workerCount: 1, rtcMinPort: 40000, rtcMaxPort: 49999, logger });
});
afterAll(() => pool.close());

function callRooms(): CallRooms {
	return new CallRooms({
		pool,
		listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
		logger,
		qualitySampleMs: 60_000,
	});
}

describe('CallRooms', () => {
	test('a participant’s joinMedia while its first one is under way is refused with INVALID_STATE', async () => {
		const rooms = callRooms();
		let finish: () => void = () => {};
		const first = rooms.joinOnce('p-1', () => new Promise<string>((resolve) => (finish = () => resolve('joined'))));
		await expect(rooms.joinOnce('p-1', async () => 'again')).rejects.toMatchObject({ code: 'INVALID_STATE' });
		expect(await rooms.joinOnce('p-2', async () => 'another participant')).toBe('another participant');
		finish();
		expect(await first).toBe('joined');
		expect(await rooms.joinOnce('p-1', async () => 'after')).toBe('after');
		rooms.close();
	});
});
