// The one place where timed work becomes due, in both store modes: due items are members of one
// sorted set of the live state, scored by when they are due (epoch ms), and every process sharing the
// live state sweeps that set. A due member is handled under a first-caller-wins claim, so of the
// processes that find it due at once only one handles it; the claim lapses after claimMs, so a process
// that dies while handling leaves the member to another. A process also arms a precise local timer for
// the members it schedules itself, so they fire on time rather than at the next sweep.
//
// Handlers must be safe to repeat: a claim that lapses under a slow handler, or a process that dies
// after handling but before the member leaves the set, has the member handled again.
//
// A claim the process could not release (the store went away while the handler ran) is released at
// the next sweep that reaches the store, while it certainly has not lapsed yet: so the member is
// handled again as soon as the store is back, not claimMs later.
import type { Logger } from '../logger.ts';
import type { LiveState } from './LiveState.ts';

export type DueOutcome = 'done' | 'retry';

export type DueQueueOptions = {
	live: LiveState;
	/** The sorted set of the live state that holds the due members. */
	set: string;
	logger: Logger;
	clock?: () => Date;
	/** How often start() sweeps the set. Default 1000 ms. */
	sweepIntervalMs?: number;
	/** How long a member's claim outlives a handler that never finishes. Default 15000 ms. */
	claimMs?: number;
	/** Due members read per sweep; the rest wait for the next sweep. Default 100. */
	batch?: number;
	/** Handlers this process runs at once; due members beyond it wait for a free slot. Default 1. */
	concurrency?: number;
	/**
	 * Handles a member under its claim. 'done' takes it out of the set; 'retry' (not due by this clock,
	 * a transient failure, or rescheduled by the handler) releases the claim so the next sweep of any
	 * process tries again. A handler that throws is logged and counts as 'retry'.
	 */
	handle: (member: string) => Promise<DueOutcome>;
	/**
	 * Runs at the start of every sweep before due members are read and before the claims the store was
	 * away for are released (e.g. the domain's journal repair, a heartbeat). When it throws, that sweep
	 * handles nothing and the error is logged.
	 */
	beforeSweep?: () => Promise<void>;
};

// setTimeout fires at once for longer delays; a time further away is re-armed when the timer fires.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

type Firing = { done: Promise<void>; running: boolean; again: boolean };

export class DueQueue {
	readonly #live: LiveState;
	readonly #set: string;
	readonly #logger: Logger;
	readonly #clock: () => Date;
	readonly #sweepIntervalMs: number;
	readonly #claimMs: number;
	readonly #batch: number;
	readonly #concurrency: number;
	readonly #handle: (member: string) => Promise<DueOutcome>;
	readonly #beforeSweep: (() => Promise<void>) | undefined;
	readonly #timers = new Map<string, NodeJS.Timeout>();
	/** Claims to release that the store did not take, with the epoch ms before which they cannot have lapsed. */
	readonly #unreleased = new Map<string, number>();
	/** Members being fired by this process, waiting for a slot or running. */
	readonly #firing = new Map<string, Firing>();
	/** Firings waiting for a slot; woken with false when the queue closes. */
	readonly #waiting: ((slot: boolean) => void)[] = [];
	#running = 0;
	#sweeper: NodeJS.Timeout | undefined;
	#sweeping: Promise<void> | undefined;
	#closed = false;
	#closing: Promise<void> | undefined;

	constructor(options: DueQueueOptions) {
		this.#live = options.live;
		this.#set = options.set;
		this.#logger = options.logger.child({ dueSet: options.set });
		this.#clock = options.clock ?? (() => new Date());
		this.#sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs ?? 1000);
		this.#claimMs = positive('claimMs', options.claimMs ?? 15_000);
		this.#batch = count('batch', options.batch ?? 100);
		this.#concurrency = count('concurrency', options.concurrency ?? 1);
		this.#handle = options.handle;
		this.#beforeSweep = options.beforeSweep;
	}

	/** The sorted-set entry that schedules member at `at`, for a caller's own atomic record write (LiveState effects). */
	entry(member: string, at: number): { set: string; member: string; score: number } {
		return { set: this.#set, member, score: at };
	}

	/** Schedules (or reschedules) member at `at` on its own, outside any record write. */
	async schedule(member: string, at: number): Promise<void> {
		await this.#live.applyEffects({ add: [this.entry(member, at)] });
	}

	/** Takes member out of the set on its own. */
	async remove(member: string): Promise<void> {
		await this.#live.applyEffects({ remove: [{ set: this.#set, member }] });
	}

	/** A local timer that fires `member` at `at` in this process (through the same claim). Re-arming replaces it. */
	arm(member: string, at: number): void {
		if (this.#closed) return;
		this.disarm(member);
		const delay = Math.min(Math.max(0, at - this.#now()), LONGEST_TIMER_MS);
		const timer = setTimeout(() => {
			this.#timers.delete(member);
			// setTimeout may fire a millisecond before the clock reaches `at`, and a clamped delay fires early by design.
			if (this.#now() < at) {
				this.arm(member, at);
				return;
			}
			void this.fire(member);
		}, delay);
		// Armed members alone must not keep the process alive; close() is the orderly way out.
		timer.unref();
		this.#timers.set(member, timer);
	}

	/** Cancels member's local timer, if armed; its entry in the set stays for the sweeps. */
	disarm(member: string): void {
		clearTimeout(this.#timers.get(member));
		this.#timers.delete(member);
	}

	/**
	 * Fires one member now through the claim (used by arm and the sweep). Fired again while its handler
	 * runs, the member is fired once more when that run ends: the handler may have rescheduled it for now.
	 * Never rejects; failures are logged.
	 */
	fire(member: string): Promise<void> {
		return this.#fire(member, true);
	}

	/** Begins sweeping every sweepIntervalMs (unref'd interval, one sweep at a time). */
	start(): void {
		if (this.#closed || this.#sweeper) return;
		this.#sweeper = setInterval(() => void this.sweep(), this.#sweepIntervalMs);
		this.#sweeper.unref();
	}

	/** Sweeps once now, or waits for the sweep that is running. Never rejects; failures are logged. */
	sweep(): Promise<void> {
		if (this.#closed) return Promise.resolve();
		this.#sweeping ??= this.#sweepDue()
			.catch((error: unknown) => this.#logger.warn({ err: error }, 'could not sweep the due set'))
			.finally(() => {
				this.#sweeping = undefined;
			});
		return this.#sweeping;
	}

	/** Clears the timers, stops sweeping, and waits for the handlers running; idempotent. */
	close(): Promise<void> {
		this.#closing ??= this.#shutDown();
		return this.#closing;
	}

	async #shutDown(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#sweeper);
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
		for (const wake of this.#waiting.splice(0)) wake(false);
		await Promise.allSettled([this.#sweeping, ...Array.from(this.#firing.values(), (firing) => firing.done)]);
	}

	#now(): number {
		return this.#clock().getTime();
	}

	async #sweepDue(): Promise<void> {
		// beforeSweep first: a handler's owner may have to record what a claim still held covers (the outbox).
		await this.#beforeSweep?.();
		await this.#releaseLeftClaims();
		const now = this.#now();
		const fired: Promise<void>[] = [];
		for (const { member, score } of await this.#live.range(this.#set, { limit: this.#batch })) {
			if (score > now || this.#closed) break;
			// Already firing here: that firing handles it, or leaves it for the next sweep.
			if (!this.#firing.has(member)) fired.push(this.#fire(member, false));
		}
		await Promise.all(fired);
	}

	#fire(member: string, againIfRunning: boolean): Promise<void> {
		if (this.#closed) return Promise.resolve();
		const current = this.#firing.get(member);
		if (current) {
			if (current.running && againIfRunning) current.again = true;
			return current.done;
		}
		const firing: Firing = { done: Promise.resolve(), running: false, again: false };
		firing.done = this.#inSlot(firing, () => this.#claimAndHandle(member))
			.catch((error: unknown) =>
				this.#logger.warn({ err: error, member }, 'could not fire a due member; the next sweep retries it'),
			)
			.finally(() => {
				this.#firing.delete(member);
				if (firing.again) void this.#fire(member, false);
			});
		this.#firing.set(member, firing);
		return firing.done;
	}

	async #inSlot(firing: Firing, task: () => Promise<void>): Promise<void> {
		if (!(await this.#takeSlot())) return;
		firing.running = true;
		try {
			await task();
		} finally {
			// The slot passes straight to the next waiter, so no newcomer can slip in between.
			const next = this.#waiting.shift();
			if (next) next(true);
			else this.#running -= 1;
		}
	}

	/** True once a slot is this firing's; false when the queue closed first. */
	#takeSlot(): Promise<boolean> {
		if (this.#running < this.#concurrency) {
			this.#running += 1;
			return Promise.resolve(true);
		}
		return new Promise((wake) => this.#waiting.push(wake));
	}

	async #claimAndHandle(member: string): Promise<void> {
		if (this.#closed) return;
		const claim = `due-claim:${this.#set}:${member}`;
		// Taken before the claim is asked for: the store starts its TTL later, so it lapses after this.
		const lapsesAfter = Date.now() + this.#claimMs;
		if (!(await this.#live.claimOnce(claim, this.#claimMs))) return;
		if (this.#closed) {
			await this.#release(claim, member, lapsesAfter);
			return;
		}
		let outcome: DueOutcome;
		try {
			outcome = await this.#handle(member);
		} catch (error) {
			this.#logger.warn({ err: error, member }, 'a due member failed; the next sweep retries it');
			outcome = 'retry';
		}
		if (outcome === 'retry') {
			await this.#release(claim, member, lapsesAfter);
			return;
		}
		// The claim stays until it lapses: a sweep that read the member before it left the set finds it claimed.
		try {
			await this.remove(member);
		} catch (error) {
			this.#logger.warn(
				{ err: error, member },
				'could not take a done member out of the due set; it is handled again once its claim lapses',
			);
		}
	}

	async #release(claim: string, member: string, lapsesAfter: number): Promise<void> {
		try {
			await this.#live.deleteExpiring(claim);
		} catch (error) {
			this.#unreleased.set(claim, lapsesAfter);
			this.#logger.warn(
				{ err: error, member },
				'could not release the claim of a due member; the next sweep that reaches the store releases it',
			);
		}
	}

	/**
	 * Releases the claims the store was away for. One that may have lapsed is left alone: another
	 * process may hold the member's claim by now, and deleting it would let a third handle it at once.
	 */
	async #releaseLeftClaims(): Promise<void> {
		for (const [claim, lapsesAfter] of this.#unreleased) {
			// Wall-clock time, as the store's TTL is; the queue's clock may be a test's or another process's.
			if (Date.now() >= lapsesAfter) {
				this.#unreleased.delete(claim);
				continue;
			}
			await this.#live.deleteExpiring(claim);
			this.#unreleased.delete(claim);
		}
	}
}

function positive(name: string, value: number): number {
	if (!Number.isFinite(value) || value <= 0) throw new TypeError(`DueQueue: ${name} ${value} is not a positive duration`);
	return value;
}

function count(name: string, value: number): number {
	if (!Number.isInteger(value) || value <= 0) throw new TypeError(`DueQueue: ${name} ${value} is not a positive count`);
	return value;
}
