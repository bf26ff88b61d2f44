// The reviewers' requests: the queue of verifications in review, one case with its evidence, and the
// reviewer's decision, run as one change like every other (VerificationService.apply). Two reviewers
// deciding one case at once: the repository's lock and compare-and-set let one change win; the other
// is run again on the record as the winner left it, and refused there as already reviewed.
import {
	ErrorCode,
	REVIEW_QUEUE_LIMIT,
	type ReviewRequestName,
	type ReviewRequestPayload,
	type ReviewResponses,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import { assertMayReview, decideReview, requireReviewer, reviewEvidence } from './commands/review.ts';
import type { DomainRuntime } from './runtime.ts';
import type { Actor } from './types.ts';
import { reviewCaseView, reviewQueueEntry } from './views.ts';

type Handlers = {
	[N in ReviewRequestName]: (actor: Actor, payload: ReviewRequestPayload<N>) => Promise<ReviewResponses[N]>;
};

/** How often a decision that lost a compare-and-set to another process's change is tried again. */
const CONFLICT_RETRIES = 3;

export class ReviewRequests {
	readonly #runtime: DomainRuntime;

	constructor(runtime: DomainRuntime) {
		this.#runtime = runtime;
	}

	handle<N extends ReviewRequestName>(name: N, actor: Actor, payload: ReviewRequestPayload<N>): Promise<ReviewResponses[N]> {
		const handler = this.#handlers[name] as (actor: Actor, payload: ReviewRequestPayload<N>) => Promise<ReviewResponses[N]>;
		return handler(actor, payload);
	}

	readonly #handlers: Handlers = {
		getReviewQueue: async (actor) => {
			requireReviewer(actor);
			const { records, total } = await this.#runtime.repository.inReview(REVIEW_QUEUE_LIMIT);
			const items = records.flatMap((record) => (record.review ? [reviewQueueEntry(record, record.review)] : []));
			return { items, total };
		},
		getReviewCase: async (actor, { verificationId }) => {
			const reviewer = requireReviewer(actor);
			const record = await this.#runtime.repository.load(verificationId);
			const review = assertMayReview(record, reviewer, 'getReviewCase');
			return reviewCaseView(record, review, reviewEvidence(record, review));
		},
		decideReview: async (actor, payload) => {
			const reviewer = requireReviewer(actor);
			for (let attempt = 0; ; attempt += 1) {
				try {
					const { result } = await this.#runtime.apply(payload.verificationId, (record) =>
						decideReview(record, actor, payload, this.#runtime.context()),
					);
					this.#runtime.logger.info(
						{ verificationId: payload.verificationId, state: result.state, reviewerId: reviewer.agentId },
						'verification reviewed',
					);
					return result;
				} catch (error) {
					const lostRace =
						error instanceof AppError && error.code === ErrorCode.CONFLICT && error.reason === 'changedConcurrently';
					if (!lostRace || attempt >= CONFLICT_RETRIES) throw error;
				}
			}
		},
	};
}
