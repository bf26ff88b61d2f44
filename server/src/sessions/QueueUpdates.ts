// What the queue's movements tell people, coalesced. A change to the queue (a consent, a leave, an
// agent's availability) only marks it moved; at most once a tick this process reads the queue once
// and tells the people connected to it: each waiting applicant its place, and only when that differs
// from what it last saw (a consent at the end of the queue moves nobody), and each connected agent its
// own view of the queue as it is then. Telling everyone everything on every change cost the square
// of the queue: 200 simultaneous consents made 40,090 notifications.
//
// What an applicant last saw is known only where its connection is, so each process tells only the
// people connected to it. When processes share the queue (Redis), a flush that follows a change made
// here says so to the others (`announce`), and they flush for their own people.
import type { QueueStatus } from '@vidverify/shared';
import type { Logger } from '../logger.ts';
import type { AgentDesk, QueueNotice } from './AgentDesk.ts';
import type { Actor } from './types.ts';

/** Long enough to fold a burst of consents into one update, short enough that nobody notices it. */
export const DEFAULT_QUEUE_TICK_MS = 200;

export class QueueUpdates {
	readonly #desk: Pick<AgentDesk, 'queueNotices'>;
	readonly #notify: (notice: QueueNotice) => void;
	readonly #announce: () => void;
	readonly #logger: Logger;
	readonly #tickMs: number;
	/** Waiting applicants connected here, by their verification. */
	readonly #applicants = new Map<string, { participantId: string; connections: number }>();
	readonly #applicantsHere = new Set<string>();
	/** Agents connected here: connections by participant id. */
	readonly #agents = new Map<string, number>();
	/** The place each applicant connected here last saw, in a notification or a snapshot. */
	readonly #seen = new Map<string, QueueStatus>();
	/** The flush during which an applicant was last shown a snapshot: that flush leaves it alone. */
	readonly #shownDuring = new Map<string, number>();
	readonly #idle: (() => void)[] = [];
	#flushesStarted = 0;
	#lastFlushAt = Number.NEGATIVE_INFINITY;
	#dirty = false;
	#movedHere = false;
	#timer: NodeJS.Timeout | undefined;
	#running = false;
	#failing = false;
	#closed = false;

	constructor(options: {
		desk: Pick<AgentDesk, 'queueNotices'>;
		notify: (notice: QueueNotice) => void;
		announce: () => void;
		logger: Logger;
		tickMs?: number;
	}) {
		this.#desk = options.desk;
		this.#notify = options.notify;
		this.#announce = options.announce;
		this.#logger = options.logger;
		this.#tickMs = options.tickMs ?? DEFAULT_QUEUE_TICK_MS;
	}

	/** The queue changed in this process: told here at the next tick, and to the other processes. */
	moved(): void {
		this.#movedHere = true;
		this.#markDirty();
	}

	/** Another process changed the queue: this one tells its own people at the next tick. */
	movedElsewhere(): void {
		this.#markDirty();
	}

	connected(actor: Actor): void {
		if (actor.role === 'agent') {
			this.#agents.set(actor.participantId, (this.#agents.get(actor.participantId) ?? 0) + 1);
		} else if (actor.role === 'applicant' && actor.verificationId) {
			const entry = this.#applicants.get(actor.verificationId) ?? { participantId: actor.participantId, connections: 0 };
			entry.connections += 1;
			this.#applicants.set(actor.verificationId, entry);
			this.#applicantsHere.add(actor.participantId);
		}
	}

	disconnected(actor: Actor): void {
		if (actor.role === 'agent') {
			const left = (this.#agents.get(actor.participantId) ?? 1) - 1;
			if (left > 0) this.#agents.set(actor.participantId, left);
			else this.#agents.delete(actor.participantId);
		} else if (actor.role === 'applicant' && actor.verificationId) {
			const entry = this.#applicants.get(actor.verificationId);
			if (!entry) return;
			entry.connections -= 1;
			if (entry.connections > 0) return;
			this.#applicants.delete(actor.verificationId);
			this.#applicantsHere.delete(actor.participantId);
			this.#seen.delete(actor.participantId);
			this.#shownDuring.delete(actor.participantId);
		}
	}

	/** How many flushes have started: read before computing a snapshot's place, for shown(). */
	get flushesStarted(): number {
		return this.#flushesStarted;
	}

	/**
	 * An applicant was shown its place in a snapshot computed since `since` flushes had started. When
	 * none started meanwhile, that is what it sees now. Otherwise a flush's notification and the
	 * snapshot may reach it in either order, so its place is told again at the next flush.
	 */
	shown(participantId: string, status: QueueStatus, since: number): void {
		if (!this.#applicantsHere.has(participantId)) return;
		this.#shownDuring.set(participantId, this.#flushesStarted);
		if (since === this.#flushesStarted) {
			this.#seen.set(participantId, status);
			return;
		}
		this.#seen.delete(participantId);
		this.#markDirty();
	}

	/** Resolves once every movement so far has been told (at once when there is none pending). */
	whenTold(): Promise<void> {
		if (this.#closed || !this.#pending()) return Promise.resolve();
		return new Promise((resolve) => this.#idle.push(resolve));
	}

	close(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		for (const resolve of this.#idle.splice(0)) resolve();
	}

	#pending(): boolean {
		return this.#dirty || this.#running || this.#timer !== undefined;
	}

	#markDirty(): void {
		this.#dirty = true;
		this.#schedule();
	}

	#schedule(): void {
		if (this.#closed || this.#running || this.#timer !== undefined) return;
		const wait = Math.max(0, this.#lastFlushAt + this.#tickMs - Date.now());
		this.#timer = setTimeout(() => void this.#run(), wait);
	}

	async #run(): Promise<void> {
		this.#timer = undefined;
		this.#running = true;
		try {
			await this.#flush();
		} finally {
			this.#running = false;
		}
		if (this.#dirty) this.#schedule();
		else for (const resolve of this.#idle.splice(0)) resolve();
	}

	async #flush(): Promise<void> {
		const flush = ++this.#flushesStarted;
		this.#dirty = false;
		this.#lastFlushAt = Date.now();
		// Said before reading: whatever another process reads after this saw every change made here so far.
		if (this.#movedHere) {
			this.#movedHere = false;
			this.#announce();
		}
		let notices: QueueNotice[];
		try {
			notices = await this.#desk.queueNotices({
				applicantOf: (verificationId) => this.#applicants.get(verificationId)?.participantId,
				agents: this.#agents,
			});
		} catch (error) {
			// Kept moved, so the next tick tries again; one warning per outage, not one per tick.
			if (!this.#failing) this.#logger.warn({ err: error }, 'could not read the queue to tell it; trying again each tick');
			this.#failing = true;
			this.#dirty = true;
			return;
		}
		this.#failing = false;
		for (const notice of notices) {
			if (notice.name === 'queuePositionChanged' && !this.#changedFor(notice.participantId, notice.payload, flush)) continue;
			this.#notify(notice);
		}
	}

	/** Whether an applicant still here should be told this place (and, if so, it counts as seen). */
	#changedFor(participantId: string, status: QueueStatus, flush: number): boolean {
		// Gone while the queue was read, or shown a snapshot meanwhile (see shown()).
		if (!this.#applicantsHere.has(participantId)) return false;
		if ((this.#shownDuring.get(participantId) ?? 0) >= flush) return false;
		const seen = this.#seen.get(participantId);
		// The queue's length alone is no news: it grows with every consent behind this applicant.
		if (seen && seen.position === status.position && seen.estimatedWaitSeconds === status.estimatedWaitSeconds) return false;
		this.#seen.set(participantId, status);
		return true;
	}
}
