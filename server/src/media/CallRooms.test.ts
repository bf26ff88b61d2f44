// CallRooms on a real mediasoup worker: an ended call's quality summary is readable for the outcome
// for a while, then forgotten, so ended calls do not pile up; a participant's second joinMedia while
// its first is under way is refused.
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

function callRooms(summaryRetentionMs: number): CallRooms {
	return new CallRooms({
		pool,
		listen: { listenIp: '127.0.0.1', announcedAddress: undefined },
		logger,
		qualitySampleMs: 60_000,
		summaryRetentionMs,
	});
}

describe('CallRooms', () => {
	test('ended calls’ summaries are kept for the outcome, then forgotten', async () => {
		const rooms = callRooms(200);
		try {
			const ids = Array.from({ length: 50 }, (_, index) => `v-ended-${index}`);
			for (const id of ids) await rooms.roomFor(id);
			for (const id of ids) expect(rooms.end(id)).toEqual({ samples: 0, participants: [] });
			for (const id of ids) expect(rooms.qualitySummary(id)).toEqual({ samples: 0, participants: [] });

			await new Promise((resolve) => setTimeout(resolve, 300));
			for (const id of ids) expect(rooms.qualitySummary(id)).toBeNull();
		} finally {
			rooms.close();
		}
	});

	test('a participant’s joinMedia while its first one is under way is refused with INVALID_STATE', async () => {
		const rooms = callRooms(60_000);
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
