// CallRooms on a real mediasoup worker: an ended call's quality summary is readable for the outcome
// for a while, then forgotten, so ended calls do not pile up; a participant's second joinMedia while
// its first is under way is refused; agents' standbys do not outlive their use.
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

	test('an agent’s standby is replaced by its next one, closed when it leaves it, and closed at an accept with no room here', async () => {
		const rooms = callRooms(60_000);
		try {
			const first = await rooms.standBy('p-agent');
			const second = await rooms.standBy('p-agent');
			expect(second.recvTransport.id).not.toBe(first.recvTransport.id);
			expect(rooms.standbyCount).toBe(1);
			const standby = rooms.standbyOf('p-agent');
			rooms.leaveStandby('p-agent');
			expect(standby?.closed).toBe(true);
			expect(rooms.standbyCount).toBe(0);

			await rooms.standBy('p-agent');
			const another = rooms.standbyOf('p-agent');
			rooms.agentJoined('v-elsewhere', 'p-agent');
			expect(another?.closed).toBe(true);
			expect(rooms.standbyOf('p-agent')).toBeUndefined();

			await rooms.standBy('p-other');
			const last = rooms.standbyOf('p-other');
			rooms.close();
			expect(last?.closed).toBe(true);
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
