import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { type DueOutcome, DueQueue, type DueQueueOptions } from './DueQueue.ts';
import type { LiveState } from './LiveState.ts';
import { MemoryLiveState } from './memory/MemoryLiveState.ts';
import { RedisLiveState } from './redis/RedisLiveState.ts';
import { deleteKeys, silentLogger, uniqueKeyPrefix } from './redis/testSupport.ts';

const redisUrl = inject('redisUrl');
const SET = 'due';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Live states of processes sharing one store: the same memory state, or one Redis under one key prefix. */
type Store = { open(): Promise<LiveState>; cleanup(): Promise<void> };

const stores: { name: string; store: () => Store }[] = [
	{
		name: 'the memory live state',
		store: () => {
			const live = new MemoryLiveState();
			return { open: async () => live, cleanup: () => live.close() };
		},
	},
	{
		name: 'a Redis live state',
		store: () => {
			const keyPrefix = uniqueKeyPrefix('due-queue');
			const opened: RedisLiveState[] = [];
			return {
				open: async () => {
					const live = await RedisLiveState.open({ url: redisUrl, keyPrefix, logger: silentLogger });
					opened.push(live);
					return live;
				},
				cleanup: async () => {
					for (const live of opened) await live.close();
					await deleteKeys(redisUrl, keyPrefix);
				},
			};
		},
	},
];

/** A handler that notes each member it handles and says it is done. */
function recordDone(handled: string[]): (member: string) => Promise<DueOutcome> {
	return async (member) => {
		handled.push(member);
		return 'done';
	};
}

/** A handler whose calls the test releases one by one. */
function heldHandler(): { handle: (member: string) => Promise<DueOutcome>; calls: string[]; release(outcome: DueOutcome): void } {
	const calls: string[] = [];
	const held: ((outcome: DueOutcome) => void)[] = [];
	return {
		calls,
		handle: (member) => {
			calls.push(member);
			return new Promise((resolve) => held.push(resolve));
		},
		release: (outcome) => held.shift()?.(outcome),
	};
}

function capturingLogger(): { logger: Logger; entries: () => Record<string, unknown>[] } {
	const lines: string[] = [];
	const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
	return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A live state whose claims cannot be released while `away`, as a store that went away would refuse. */
function awayable(live: LiveState): { live: LiveState; away: boolean } {
	const wrapped = { away: false, live };
	wrapped.live = new Proxy(live, {
		get(target, property) {
			if (property === 'deleteExpiring' && wrapped.away) return () => Promise.reject(new Error('Connection is closed.'));
			const value = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
	return wrapped;
}

const queues: DueQueue[] = [];
function openQueue(options: Partial<DueQueueOptions> & Pick<DueQueueOptions, 'live' | 'handle'>): DueQueue {
	const queue = new DueQueue({ set: SET, logger: silentLogger, ...options });
	queues.push(queue);
	return queue;
}

afterEach(async () => {
	vi.useRealTimers();
	for (const queue of queues.splice(0)) await queue.close();
});

describe.each(stores)('DueQueue over $name', ({ store: makeStore }) => {
	let store: Store;
	let live: LiveState;

	beforeEach(async () => {
		store = makeStore();
		live = await store.open();
	});

	afterEach(async () => {
		for (const queue of queues.splice(0)) await queue.close();
		await store.cleanup();
	});

	it('sweep() handles the members that are due and takes each out of the set when its handler says done', async () => {
		const handled: string[] = [];
		const queue = openQueue({ live, handle: recordDone(handled) });
		const now = Date.now();
		await queue.schedule('first', now - 2);
		await queue.schedule('second', now - 1);
		await queue.schedule('later', now + 60_000);

		await queue.sweep();

		expect(handled).toEqual(['first', 'second']);
		expect(await live.range(SET)).toEqual([{ member: 'later', score: now + 60_000 }]);
	});

	it("a 'retry' leaves the member in the set and releases its claim, so the next sweep handles it again", async () => {
		const outcomes: DueOutcome[] = ['retry', 'done'];
		const handled: string[] = [];
		const queue = openQueue({
			live,
			handle: async (member) => {
				handled.push(member);
				return outcomes.shift() ?? 'done';
			},
		});
		await queue.schedule('member', Date.now() - 1);

		await queue.sweep();
		expect(await live.size(SET)).toBe(1);
		await queue.sweep();

		expect(handled).toEqual(['member', 'member']);
		expect(await live.size(SET)).toBe(0);
	});

	it('a handler that throws is logged as a warning and handled again by the next sweep', async () => {
		const { logger, entries } = capturingLogger();
		let calls = 0;
		const queue = openQueue({
			live,
			logger,
			handle: async () => {
				calls += 1;
				if (calls === 1) throw new Error('store away');
				return 'done';
			},
		});
		await queue.schedule('member', Date.now() - 1);

		await queue.sweep();
		await queue.sweep();

		expect(calls).toBe(2);
		expect(entries().filter((entry) => entry.level === 40 && entry.member === 'member')).toHaveLength(1);
		expect(await live.size(SET)).toBe(0);
	});

	it('two queues on one store, as two processes sweeping and firing at once: each due member is handled exactly once', async () => {
		const counts = new Map<string, number>();
		const handle = async (member: string): Promise<DueOutcome> => {
			counts.set(member, (counts.get(member) ?? 0) + 1);
			await sleep(1);
			return 'done';
		};
		const members = Array.from({ length: 40 }, (_, index) => `member-${index}`);
		const first = openQueue({ live, handle, concurrency: 4 });
		const second = openQueue({ live: await store.open(), handle, concurrency: 4 });
		await live.applyEffects({ add: members.map((member, index) => first.entry(member, Date.now() - 100 + index)) });

		await Promise.all([first.sweep(), second.sweep(), ...members.flatMap((member) => [first.fire(member), second.fire(member)])]);
		await Promise.all([first.sweep(), second.sweep()]);

		expect([...counts.keys()].sort()).toEqual([...members].sort());
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect(await live.size(SET)).toBe(0);
	});

	it('a member whose claimer died is handled by another process once claimMs has lapsed', async () => {
		const dying = heldHandler();
		const claimMs = 300;
		const dead = openQueue({ live, handle: dying.handle, claimMs });
		const handled: string[] = [];
		const survivor = openQueue({ live: await store.open(), handle: recordDone(handled), claimMs });
		await dead.schedule('member', Date.now() - 1);

		const neverFinished = dead.fire('member');
		await vi.waitFor(() => expect(dying.calls).toEqual(['member']));
		await survivor.sweep();
		expect(handled).toEqual([]);
		await sleep(claimMs + 100);
		await survivor.sweep();

		expect(handled).toEqual(['member']);
		expect(await live.size(SET)).toBe(0);
		dying.release('done');
		await neverFinished;
	});

	it('a claim it could not release while the store was away is released by its next sweep, long before claimMs', async () => {
		const away = awayable(live);
		const handled: string[] = [];
		const queue = openQueue({
			live: away.live,
			claimMs: 60_000,
			handle: async (member) => {
				if (away.away) throw new Error('store away');
				handled.push(member);
				return 'done';
			},
		});
		await queue.schedule('member', Date.now() - 1);
		away.away = true;
		await queue.fire('member');
		away.away = false;

		await queue.sweep();

		expect(handled).toEqual(['member']);
		expect(await live.size(SET)).toBe(0);
	});

	it('a claim left unreleased past claimMs is not released later: another process may hold it by then', async () => {
		const away = awayable(live);
		const claimMs = 200;
		const first = openQueue({
			live: away.live,
			claimMs,
			handle: async () => {
				throw new Error('store away');
			},
		});
		const holding = heldHandler();
		const second = openQueue({ live: await store.open(), claimMs, handle: holding.handle });
		const handled: string[] = [];
		const third = openQueue({ live: await store.open(), claimMs, handle: recordDone(handled) });
		await first.schedule('member', Date.now() - 1);
		away.away = true;
		await first.fire('member');
		away.away = false;
		await sleep(claimMs + 100);
		const held = second.fire('member');
		await vi.waitFor(() => expect(holding.calls).toEqual(['member']));

		await first.sweep();
		await third.sweep();

		expect(handled).toEqual([]);
		holding.release('done');
		await held;
	});

	it('beforeSweep runs before the due members are read: a member it schedules is handled by the same sweep', async () => {
		const handled: string[] = [];
		const queue: DueQueue = openQueue({
			live,
			handle: recordDone(handled),
			beforeSweep: () => queue.schedule('repair', Date.now() - 1),
		});

		await queue.sweep();

		expect(handled).toEqual(['repair']);
	});

	it('entry() is the set entry a record write carries, and the member it schedules is swept with the others', async () => {
		const handled: string[] = [];
		const queue = openQueue({ live, handle: recordDone(handled) });

		await live.create('record', { n: 1 }, { add: [queue.entry('record', Date.now() - 1)] });
		await queue.sweep();

		expect(handled).toEqual(['record']);
	});

	it('schedule() moves a member to its new time and remove() takes it out', async () => {
		const handled: string[] = [];
		const queue = openQueue({ live, handle: recordDone(handled) });
		await queue.schedule('moved', Date.now() - 1);
		await queue.schedule('removed', Date.now() - 1);

		await queue.schedule('moved', Date.now() + 60_000);
		await queue.remove('removed');
		await queue.sweep();

		expect(handled).toEqual([]);
		expect((await live.range(SET)).map((entry) => entry.member)).toEqual(['moved']);
	});

	it('concurrency bounds the handlers one process runs at once; the others wait for a free slot', async () => {
		let running = 0;
		let mostAtOnce = 0;
		const handled: string[] = [];
		const queue = openQueue({
			live,
			concurrency: 2,
			handle: async (member) => {
				running += 1;
				mostAtOnce = Math.max(mostAtOnce, running);
				await sleep(20);
				running -= 1;
				handled.push(member);
				return 'done';
			},
		});
		await live.applyEffects({ add: ['a', 'b', 'c', 'd', 'e'].map((member) => queue.entry(member, Date.now() - 1)) });

		await queue.sweep();

		expect(mostAtOnce).toBe(2);
		expect(handled.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('close() waits for the handler running, then neither sweeps nor fires; it is idempotent', async () => {
		const held = heldHandler();
		const queue = openQueue({ live, handle: held.handle });
		await queue.schedule('member', Date.now() - 1);
		void queue.fire('member');
		await vi.waitFor(() => expect(held.calls).toHaveLength(1));

		let closed = false;
		const closing = queue.close().then(() => {
			closed = true;
		});
		await sleep(30);
		expect(closed).toBe(false);
		held.release('retry');
		await closing;

		await queue.sweep();
		await queue.fire('member');
		expect(held.calls).toHaveLength(1);
		expect(queue.close()).toBe(queue.close());
		expect(await live.size(SET)).toBe(1);
	});

	it('start() sweeps every sweepIntervalMs, one sweep at a time', async () => {
		let sweeps = 0;
		let sweepsAtOnce = 0;
		let mostAtOnce = 0;
		const queue = openQueue({
			live,
			sweepIntervalMs: 10,
			handle: async () => 'done',
			beforeSweep: async () => {
				sweeps += 1;
				sweepsAtOnce += 1;
				mostAtOnce = Math.max(mostAtOnce, sweepsAtOnce);
				await sleep(35);
				sweepsAtOnce -= 1;
			},
		});

		queue.start();
		await vi.waitFor(() => expect(sweeps).toBeGreaterThanOrEqual(3), { timeout: 2_000 });

		expect(mostAtOnce).toBe(1);
	});
});

describe('DueQueue.arm()', () => {
	function armedQueue(clock?: () => Date): { queue: DueQueue; handled: string[] } {
		const handled: string[] = [];
		const queue = openQueue({ live: new MemoryLiveState(), clock, handle: recordDone(handled) });
		return { queue, handled };
	}

	it('fires the member at its time, not before', async () => {
		vi.useFakeTimers();
		const { queue, handled } = armedQueue();

		queue.arm('member', Date.now() + 1_000);
		await vi.advanceTimersByTimeAsync(999);
		expect(handled).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);

		expect(handled).toEqual(['member']);
	});

	it('arms again when setTimeout fires before the clock reaches the time', async () => {
		vi.useFakeTimers();
		let lagMs = 0;
		const { queue, handled } = armedQueue(() => new Date(Date.now() - lagMs));
		const at = Date.now() + 100;

		queue.arm('member', at);
		lagMs = 1;
		await vi.advanceTimersByTimeAsync(100);
		expect(handled).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);

		expect(handled).toEqual(['member']);
	});

	it('waits beyond the longest setTimeout delay by arming again', async () => {
		vi.useFakeTimers();
		const { queue, handled } = armedQueue();
		const longest = 2 ** 31 - 1;

		queue.arm('member', Date.now() + longest + 5_000);
		await vi.advanceTimersByTimeAsync(longest);
		expect(handled).toEqual([]);
		await vi.advanceTimersByTimeAsync(5_000);

		expect(handled).toEqual(['member']);
	});

	it('arming again replaces the earlier timer, and disarm() cancels it', async () => {
		vi.useFakeTimers();
		const { queue, handled } = armedQueue();

		queue.arm('moved', Date.now() + 100);
		queue.arm('moved', Date.now() + 500);
		queue.arm('cancelled', Date.now() + 100);
		queue.disarm('cancelled');
		await vi.advanceTimersByTimeAsync(499);
		expect(handled).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);

		expect(handled).toEqual(['moved']);
	});

	it('a member fired while its handler runs is fired once more when that run ends', async () => {
		const held = heldHandler();
		const queue = openQueue({ live: new MemoryLiveState(), handle: held.handle });

		const first = queue.fire('member');
		await vi.waitFor(() => expect(held.calls).toHaveLength(1));
		void queue.fire('member');
		queue.arm('member', Date.now());
		await sleep(10);
		held.release('retry');
		await first;
		await vi.waitFor(() => expect(held.calls).toHaveLength(2));
		held.release('done');
		await sleep(10);

		expect(held.calls).toHaveLength(2);
	});
});
