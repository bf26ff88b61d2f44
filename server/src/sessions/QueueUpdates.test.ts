import type { QueueStatus } from '@vidverify/shared';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueAudience, QueueNotice } from './AgentDesk.ts';
import { QueueUpdates } from './QueueUpdates.ts';
import type { Actor } from './types.ts';

const TICK_MS = 200;

/** The queue as the desk would read it: waiting verification ids in order, and online agents' participant ids. */
class FakeDesk {
	queue: string[] = [];
	agents: string[] = [];
	estimatePerPosition = 60;
	reads = 0;
	/** When set, the next read waits for it: a slow store. */
	hold: Promise<void> | undefined;
	failing = false;

	async queueNotices(audience: QueueAudience): Promise<QueueNotice[]> {
		this.reads += 1;
		const order = [...this.queue];
		const agents = [...this.agents];
		const estimate = this.estimatePerPosition;
		const hold = this.hold;
		this.hold = undefined;
		await hold;
		if (this.failing) throw new Error('store unavailable');
		const notices: QueueNotice[] = [];
		for (const [index, verificationId] of order.entries()) {
			const participantId = audience.applicantOf(verificationId);
			if (participantId)
				notices.push({ participantId, name: 'queuePositionChanged', payload: status(index + 1, order.length, estimate) });
		}
		for (const participantId of agents) {
			if (audience.agents.has(participantId)) {
				notices.push({
					participantId,
					name: 'queueUpdated',
					payload: { availability: 'available', verificationId: null, items: [] },
				});
			}
		}
		return notices;
	}
}

function status(position: number, queueLength: number, perPosition: number): QueueStatus {
	return { position, queueLength, estimatedWaitSeconds: position * perPosition };
}

const applicant = (index: number): Actor => ({
	role: 'applicant',
	participantId: `applicant-${index}`,
	verificationId: `v-${index}`,
});
const agent = (index: number): Actor => ({ role: 'agent', participantId: `agent-${index}`, verificationId: undefined });

describe('QueueUpdates', () => {
	let desk: FakeDesk;
	let told: QueueNotice[];
	let announced: number;
	let updates: QueueUpdates;

	beforeEach(() => {
		vi.useFakeTimers();
		desk = new FakeDesk();
		told = [];
		announced = 0;
		updates = new QueueUpdates({
			desk,
			notify: (notice) => told.push(notice),
			announce: () => {
				announced += 1;
			},
			logger: pino({ level: 'silent' }),
			tickMs: TICK_MS,
		});
	});

	afterEach(() => {
		updates.close();
		vi.useRealTimers();
	});

	/** Applicants 0..count-1 connected and waiting, in that order. */
	function waiting(count: number): void {
		for (let index = 0; index < count; index += 1) {
			updates.connected(applicant(index));
			desk.queue.push(`v-${index}`);
		}
	}

	/** Runs the ticks until every move so far has been told. */
	async function settle(): Promise<void> {
		const done = updates.whenTold();
		await vi.advanceTimersByTimeAsync(10 * TICK_MS);
		await done;
	}

	const toldTo = (participantId: string) => told.filter((notice) => notice.participantId === participantId);

	it('folds a burst of moves into one read and one update per agent, then waits a tick before the next', async () => {
		updates.connected(agent(1));
		desk.agents = ['agent-1'];
		for (let index = 0; index < 200; index += 1) updates.moved();
		await vi.advanceTimersByTimeAsync(0);
		expect(desk.reads).toBe(1);
		expect(toldTo('agent-1')).toHaveLength(1);

		updates.moved();
		updates.moved();
		await vi.advanceTimersByTimeAsync(TICK_MS - 1);
		expect(desk.reads).toBe(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(desk.reads).toBe(2);
		expect(toldTo('agent-1')).toHaveLength(2);
	});

	it('tells a waiting applicant its place once, and again only when its position or wait changes, not when the queue grows behind it', async () => {
		waiting(3);
		updates.moved();
		await settle();
		expect(told.map((notice) => notice.participantId)).toEqual(['applicant-0', 'applicant-1', 'applicant-2']);

		told = [];
		waiting(5);
		desk.queue = ['v-0', 'v-1', 'v-2', 'v-3', 'v-4'];
		updates.moved();
		await settle();
		expect(told.map((notice) => notice.participantId)).toEqual(['applicant-3', 'applicant-4']);

		told = [];
		desk.queue.shift();
		updates.moved();
		await settle();
		expect(told.map((notice) => [notice.participantId, (notice.payload as QueueStatus).position])).toEqual([
			['applicant-1', 1],
			['applicant-2', 2],
			['applicant-3', 3],
			['applicant-4', 4],
		]);

		told = [];
		desk.estimatePerPosition = 30;
		updates.moved();
		await settle();
		expect(told).toHaveLength(4);
	});

	it('tells nobody who is not connected here, and forgets an applicant whose last connection ended', async () => {
		waiting(2);
		updates.connected(applicant(1));
		desk.queue.push('v-elsewhere');
		desk.agents = ['agent-elsewhere'];
		updates.moved();
		await settle();
		expect(told.map((notice) => notice.participantId)).toEqual(['applicant-0', 'applicant-1']);

		told = [];
		updates.disconnected(applicant(1));
		desk.queue.shift();
		updates.moved();
		await settle();
		// Still connected once: told its new place.
		expect(told.map((notice) => notice.participantId)).toEqual(['applicant-1']);
		updates.disconnected(applicant(1));
		desk.queue.shift();
		told = [];
		updates.moved();
		await settle();
		expect(told).toEqual([]);
	});

	it('a move while the queue is being read is told by a later read, never lost', async () => {
		waiting(2);
		let release = () => {};
		desk.hold = new Promise((resolve) => {
			release = resolve;
		});
		updates.moved();
		await vi.advanceTimersByTimeAsync(0);
		expect(desk.reads).toBe(1);
		desk.queue.shift();
		updates.moved();
		release();
		await settle();
		expect(desk.reads).toBe(2);
		expect(toldTo('applicant-1').map((notice) => (notice.payload as QueueStatus).position)).toEqual([2, 1]);
	});

	it('keeps the queue moved while the store cannot be read, and tells it at the first tick after', async () => {
		waiting(1);
		desk.failing = true;
		updates.moved();
		await vi.advanceTimersByTimeAsync(3 * TICK_MS);
		expect(told).toEqual([]);
		desk.failing = false;
		await vi.advanceTimersByTimeAsync(TICK_MS);
		expect(told.map((notice) => notice.participantId)).toEqual(['applicant-0']);
		await settle();
	});

	it('tells the other processes once per update that follows moves made here, and never for moves they reported', async () => {
		for (let index = 0; index < 10; index += 1) updates.moved();
		await settle();
		expect(announced).toBe(1);
		updates.movedElsewhere();
		await settle();
		expect(announced).toBe(1);
		expect(desk.reads).toBe(2);
	});

	it('counts a snapshot as what the applicant saw, and tells it again when a read was under way while it was shown', async () => {
		waiting(2);
		updates.moved();
		await settle();
		told = [];

		// A snapshot with no read started meanwhile is what the applicant sees: nothing to add.
		desk.queue.shift();
		updates.shown('applicant-1', status(1, 1, 60), updates.flushesStarted);
		updates.moved();
		await settle();
		expect(told).toEqual([]);

		// One shown while a read is under way may reach the applicant before or after that read's update:
		// that read leaves it alone and the next one tells it where it is.
		waiting(3);
		desk.queue = ['v-1', 'v-2'];
		let release = () => {};
		desk.hold = new Promise((resolve) => {
			release = resolve;
		});
		const since = updates.flushesStarted;
		updates.moved();
		await vi.advanceTimersByTimeAsync(0);
		updates.shown('applicant-2', status(9, 9, 60), since);
		release();
		await settle();
		expect(toldTo('applicant-2').map((notice) => (notice.payload as QueueStatus).position)).toEqual([2]);
		expect(desk.reads).toBe(4);
	});
});
