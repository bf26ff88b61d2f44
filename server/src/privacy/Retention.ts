// Retention: personal data is erased on its own once its purpose's retention has run out after the
// verification ended (PERSONAL_DATA_RETENTION_DAYS, per purpose; none by default: kept until the host
// asks), and keyed document hashes are forgotten once the duplicate check no longer needs them
// (DOCUMENT_HASH_RETENTION_DAYS). Both are members of one due-queue (store/DueQueue.ts), so every process
// sharing the live state sweeps them and one erases each. A verification is scheduled when it reaches a
// final state on this process, and at start-up every final one not yet erased is scheduled again
// (scheduling is idempotent), which also covers a process that died between the two.
import { ErrorCode, isFinalState, type Purpose } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { VerificationRecord } from '../sessions/VerificationRecord.ts';
import type { VerificationRepository } from '../sessions/VerificationRepository.ts';
import { type DueOutcome, DueQueue } from '../store/DueQueue.ts';
import type { LiveState } from '../store/LiveState.ts';
import type { PersonalDataErasure } from './PersonalDataErasure.ts';

export const DAY_MS = 24 * 60 * 60_000;
const RETENTION_SET = 'retention:due';
const SCAN_PAGE = 500;

export type RetentionSettings = {
	/** How long after a verification ended its personal data is kept, per purpose; a purpose not named keeps it until erased by request. */
	personalDataMs: Partial<Record<Purpose, number>>;
	/** How long after a verification ended its keyed document hashes serve the duplicate check. */
	documentHashMs: number;
};

export type RetentionDeps = {
	live: LiveState;
	repository: Pick<VerificationRepository, 'find' | 'index'>;
	erasure: Pick<PersonalDataErasure, 'erase' | 'forgetDocuments'>;
	settings: RetentionSettings;
	logger: Logger;
	clock?: () => Date;
	sweepIntervalMs?: number;
};

type Member = { what: 'personal' | 'documents'; verificationId: string };

export class Retention {
	readonly #deps: RetentionDeps;
	readonly #due: DueQueue;
	readonly #logger: Logger;
	#scanning: Promise<void> | undefined;

	constructor(deps: RetentionDeps) {
		this.#deps = deps;
		this.#logger = deps.logger;
		this.#due = new DueQueue({
			live: deps.live,
			set: RETENTION_SET,
			logger: deps.logger,
			clock: deps.clock,
			sweepIntervalMs: deps.sweepIntervalMs ?? 60_000,
			claimMs: 60_000,
			handle: (member) => this.#handle(member),
		});
	}

	/** When the record's personal data and document hashes are due, by the settings; undefined for never. */
	dueTimes(record: VerificationRecord): { personal: number | undefined; documents: number | undefined } {
		if (!isFinalState(record.state) || !record.endedAt) return { personal: undefined, documents: undefined };
		const ended = Date.parse(record.endedAt);
		const keep = this.#deps.settings.personalDataMs[record.purpose];
		return {
			personal: keep === undefined || record.personalDataErasedAt ? undefined : ended + keep,
			documents:
				record.documentHashesForgottenAt || record.personalDataErasedAt ? undefined : ended + this.#deps.settings.documentHashMs,
		};
	}

	/** Puts a final record's erasures in the due-queue; nothing for a record still live or already erased. */
	async schedule(record: VerificationRecord): Promise<void> {
		const { personal, documents } = this.dueTimes(record);
		if (personal !== undefined) await this.#due.schedule(memberOf({ what: 'personal', verificationId: record.id }), personal);
		if (documents !== undefined) await this.#due.schedule(memberOf({ what: 'documents', verificationId: record.id }), documents);
	}

	/** Schedules every final verification the live state holds, then sweeps the due-queue periodically. */
	start(): void {
		this.#scanning = this.#scan().catch((error: unknown) => {
			this.#logger.error({ err: error }, 'retention: could not schedule the verifications kept; the next start tries again');
		});
		this.#due.start();
	}

	/** One sweep now (tests, and the start-up scan's end). */
	async sweep(): Promise<void> {
		await this.#scanning;
		await this.#due.sweep();
	}

	async close(): Promise<void> {
		await this.#due.close();
		await this.#scanning;
	}

	async #scan(): Promise<void> {
		let after: Parameters<RetentionDeps['repository']['index']>[0]['after'];
		for (;;) {
			const page = await this.#deps.repository.index({ after, limit: SCAN_PAGE });
			for (const entry of page) {
				const record = await this.#deps.repository.find(entry.member);
				if (record) await this.schedule(record);
			}
			if (page.length < SCAN_PAGE) return;
			after = page.at(-1);
		}
	}

	async #handle(member: string): Promise<DueOutcome> {
		const parsed = parseMember(member);
		if (!parsed) return 'done';
		try {
			if (parsed.what === 'personal') await this.#deps.erasure.erase(parsed.verificationId, 'retention');
			else await this.#deps.erasure.forgetDocuments(parsed.verificationId);
			return 'done';
		} catch (error) {
			if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return 'done';
			// Not over yet (its outcome is still being recorded), or the store is away: the next sweep retries.
			this.#logger.warn({ err: error, member }, 'retention: could not erase yet; retried at the next sweep');
			return 'retry';
		}
	}
}

function memberOf({ what, verificationId }: Member): string {
	return `${what}:${verificationId}`;
}

function parseMember(member: string): Member | undefined {
	const split = member.indexOf(':');
	const what = member.slice(0, split);
	if (split < 0 || (what !== 'personal' && what !== 'documents')) return undefined;
	return { what, verificationId: member.slice(split + 1) };
}
