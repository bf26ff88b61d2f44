// The domain's deadlines and grace periods on the store's due-queue (one sorted set, swept by every
// process): the entries each record write keeps in step with the record, and this process's precise
// local timers, armed and disarmed to follow each record it writes.
import type { Logger } from '../logger.ts';
import { type DueOutcome, DueQueue } from '../store/DueQueue.ts';
import type { LiveState } from '../store/LiveState.ts';
import { timersOf } from './timers.ts';
import type { DomainSettings } from './types.ts';
import type { VerificationRecord } from './VerificationRecord.ts';
import type { TimerEntry } from './VerificationRepository.ts';

/** Timers of several verifications may be handled at once by one process. */
const TIMER_CONCURRENCY = 4;

export type VerificationTimersOptions = {
	live: LiveState;
	logger: Logger;
	clock: () => Date;
	settings: DomainSettings;
	sweepIntervalMs: number | undefined;
	handle: (member: string) => Promise<DueOutcome>;
	beforeSweep: () => Promise<void>;
};

export class VerificationTimers {
	readonly #queue: DueQueue;
	readonly #settings: DomainSettings;

	constructor(options: VerificationTimersOptions) {
		this.#settings = options.settings;
		this.#queue = new DueQueue({
			live: options.live,
			set: 'timers',
			logger: options.logger,
			clock: options.clock,
			sweepIntervalMs: options.sweepIntervalMs,
			concurrency: TIMER_CONCURRENCY,
			handle: options.handle,
			beforeSweep: options.beforeSweep,
		});
	}

	/** The due-queue entries the record has pending, for the write that stores it. */
	entriesOf(record: VerificationRecord): TimerEntry[] {
		return timersOf(record, this.#settings).map(({ member, at }) => this.#queue.entry(member, at));
	}

	/** Arms the timers the record gained and disarms those it lost; returns the members gained. */
	follow(before: VerificationRecord | undefined, after: VerificationRecord): string[] {
		const had = new Map((before ? timersOf(before, this.#settings) : []).map((timer) => [timer.member, timer.at]));
		const has = timersOf(after, this.#settings);
		for (const member of had.keys()) if (!has.some((timer) => timer.member === member)) this.#queue.disarm(member);
		const gained: string[] = [];
		for (const timer of has) {
			if (had.get(timer.member) === timer.at) continue;
			this.#queue.arm(timer.member, timer.at);
			gained.push(timer.member);
		}
		return gained;
	}

	start(): void {
		this.#queue.start();
	}

	close(): Promise<void> {
		return this.#queue.close();
	}
}
