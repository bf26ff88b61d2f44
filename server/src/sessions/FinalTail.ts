// What a verification owes once its call is over: its agent released, and the host told. Entering
// review owes the agent's release and the `verification.in_review` webhook; a final state owes the
// release, the outcome recorded and its webhook (and, after a review, the review's webhook if it is
// still missing). The debt is as durable as the state: the write that puts a record in review or makes
// it final also puts it in the `final-tails` due-queue, in the same atomic step of the live state. The process
// that wrote it pays at once; while any step fails (the store went away, the disk refused an append)
// the member stays, and the sweep of every running process pays again, so an outage anywhere in the
// tail is repaired by the processes that run, not by the next start. The member leaves the queue only
// once every step succeeded.
//
// Each step is safe to repeat: an agent is released only while it is still assigned to this
// verification, an outcome is recorded only when it is missing, and the outbox takes one event id
// once. Neither outcome nor webhook goes out while the record holds events the journal may not have:
// a webhook must never tell the host of a state that the journal could still lose.
import { isCallOver, isFinalState } from '@vidverify/shared';
import type { Logger } from '../logger.ts';
import { type DueOutcome, DueQueue } from '../store/DueQueue.ts';
import type { LiveState } from '../store/LiveState.ts';
import type { AgentDesk } from './AgentDesk.ts';
import type { Outcomes } from './Outcomes.ts';
import type { VerificationRecord } from './VerificationRecord.ts';
import type { TimerEntry, VerificationRepository } from './VerificationRepository.ts';

/**
 * A tail is due this long after its final write: the writer pays it at once, and the other processes'
 * sweeps take over only when the writer did not get to the end (it failed, or died).
 */
const WRITER_FIRST_MS = 1_000;
/** A tail is a few store round trips; a claim left by a process that died in one lapses after this. */
const CLAIM_MS = 10_000;
/** Tails of several verifications may be paid at once by one process (after an outage, say). */
const CONCURRENCY = 4;
/**
 * Entering review and the final state each owe a tail of their own, under members of their own: a
 * member's claim stays until it lapses once paid, and the reviewer's decision may come within it.
 */
const IN_REVIEW = ':in_review';

function tailMember(record: Pick<VerificationRecord, 'id' | 'state'>): string {
	return record.state === 'in_review' ? `${record.id}${IN_REVIEW}` : record.id;
}

export type FinalTailOptions = {
	live: LiveState;
	repository: VerificationRepository;
	desk: AgentDesk;
	outcomes: Outcomes;
	logger: Logger;
	clock: () => Date;
	/** How often this process sweeps for tails left unpaid, by it or another process. Default 1000 ms. */
	sweepIntervalMs: number | undefined;
};

export class FinalTail {
	readonly #queue: DueQueue;
	readonly #repository: VerificationRepository;
	readonly #desk: AgentDesk;
	readonly #outcomes: Outcomes;
	readonly #clock: () => Date;

	constructor(options: FinalTailOptions) {
		this.#repository = options.repository;
		this.#desk = options.desk;
		this.#outcomes = options.outcomes;
		this.#clock = options.clock;
		this.#queue = new DueQueue({
			live: options.live,
			set: 'final-tails',
			logger: options.logger,
			clock: options.clock,
			sweepIntervalMs: options.sweepIntervalMs,
			claimMs: CLAIM_MS,
			concurrency: CONCURRENCY,
			handle: (verificationId) => this.#pay(verificationId),
		});
	}

	/** The due-queue entry the write that puts a verification in review or makes it final adds in the same step. */
	owedBy(record: Pick<VerificationRecord, 'id' | 'state'>, writtenAt: number): TimerEntry {
		return this.#queue.entry(tailMember(record), writtenAt + WRITER_FIRST_MS);
	}

	/** Pays a verification's tail now, under the queue's claim. Never rejects: what fails stays owed. */
	pay(record: Pick<VerificationRecord, 'id' | 'state'>): Promise<void> {
		return this.#queue.fire(tailMember(record));
	}

	/** Records as owed a tail found unpaid without its entry (at start-up, from the journal), and pays it. */
	async owe(record: Pick<VerificationRecord, 'id' | 'state'>): Promise<void> {
		await this.#queue.schedule(tailMember(record), this.#clock().getTime());
		await this.pay(record);
	}

	start(): void {
		this.#queue.start();
	}

	close(): Promise<void> {
		return this.#queue.close();
	}

	async #pay(member: string): Promise<DueOutcome> {
		const verificationId = member.endsWith(IN_REVIEW) ? member.slice(0, -IN_REVIEW.length) : member;
		const record = await this.#repository.find(verificationId);
		if (!record || !isCallOver(record.state)) return 'done';
		// The agent is free whatever the journal holds: the live record, which says the call is over, is
		// the one agents are matched against.
		if (record.agent) await this.#desk.release(record.agent.agentId, verificationId);
		// The journal repair (every process's sweep) journals them first; the next sweep pays the rest.
		if (record.unjournaled) return 'retry';
		if (record.review) await this.#outcomes.enqueueReviewWebhook(record);
		if (isFinalState(record.state)) await this.#outcomes.finalize(this.#repository, verificationId);
		return 'done';
	}
}
