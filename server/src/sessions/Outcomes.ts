// A verification's outcome: built and signed in the same change as the final state it follows (nobody
// reads a final state without its outcome), recorded later when a crash came between the two, and
// handed to the webhook outbox, which dedupes by event id so handing it twice is safe.
import { type CallQualitySummary, isFinalState, type Outcome } from '@vidverify/shared';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import type { Decision } from './commands/Decision.ts';
import { applyEvents, type VerificationRecord } from './VerificationRecord.ts';
import type { VerificationRepository } from './VerificationRepository.ts';
import { buildOutcome } from './views.ts';

export type OutcomeDeps = {
	outbox: Pick<WebhookOutbox, 'enqueue'>;
	/** The outcome as a compact JWS, for the host to check offline. */
	signOutcome: (outcome: Outcome) => string;
	/** What the media layer measured of the call; it may have to ask the store (another process's call). */
	callQuality: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;
};

export class Outcomes {
	readonly #deps: OutcomeDeps;

	constructor(deps: OutcomeDeps) {
		this.#deps = deps;
	}

	/** The decision, with the outcome appended when it takes the verification to a final state. */
	async withOutcome<T>(record: VerificationRecord, decision: Decision<T>): Promise<Decision<T>> {
		if (decision.events.length === 0 || isFinalState(record.state)) return decision;
		const final = applyEvents(record, decision.events);
		if (!isFinalState(final.state) || !final.endedAt) return decision;
		const outcome = buildOutcome(final, await this.#deps.callQuality(record.id));
		const recorded = {
			type: 'outcome.recorded',
			data: { at: final.endedAt, outcome, signedOutcome: this.#deps.signOutcome(outcome) },
		} as const;
		return { ...decision, events: [...decision.events, recorded] };
	}

	/**
	 * Records the outcome of a verification in a final state if it is missing (a crash between the two
	 * journal appends) and queues its webhook; safe to repeat.
	 */
	async finalize(repository: VerificationRepository, id: string): Promise<void> {
		const { after } = await repository.change(id, async (record) => {
			if (!isFinalState(record.state) || record.outcome || !record.endedAt) return { events: [], result: undefined };
			const outcome = buildOutcome(record, await this.#deps.callQuality(record.id));
			return {
				events: [
					{ type: 'outcome.recorded', data: { at: record.endedAt, outcome, signedOutcome: this.#deps.signOutcome(outcome) } },
				],
				result: undefined,
			};
		});
		await this.enqueueWebhook(after);
	}

	async enqueueWebhook(record: VerificationRecord): Promise<void> {
		if (!record.outcome || !record.signedOutcome || !record.endedAt) return;
		const decided = record.outcome.decision !== null;
		await this.#deps.outbox.enqueue({
			eventId: webhookEventId(record),
			type: decided ? 'verification.decided' : `verification.${record.state}`,
			verificationId: record.id,
			occurredAt: record.endedAt,
			payload: { outcome: record.outcome, signedOutcome: record.signedOutcome },
		});
	}
}

export function webhookEventId(record: VerificationRecord): string {
	return `${record.id}.${record.state}`;
}
