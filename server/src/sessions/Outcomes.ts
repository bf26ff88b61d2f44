// A verification's outcome: built and signed in the same change as the final state it follows (nobody
// reads a final state without its outcome), recorded later when a crash came between the two, and
// handed to the webhook outbox, which dedupes by event id so handing it twice is safe.
//
// The signature also covers the verification's events before the outcome: their count and the digest
// of their types and data in order (@vidverify/verifier's events head), so a host holding the signed
// outcome can tell that none of them was altered, added, left out or moved. The outcome is signed
// before those events are journaled (they are journaled with it), so the head is computed from what the
// journal holds, the record's earlier events not journaled yet, and the change's own events.
//
// With sealing (privacy/Sealer.ts) the head is of the events as the journal stores them, personal fields
// sealed, and the signed outcome carries its own personal fields sealed too: the signature proves them
// without showing them, and erasing the verification's keys leaves nothing of them readable in it.
import { type CallQualitySummary, type InReviewWebhookPayload, isFinalState, type Outcome } from '@vidverify/shared';
import { type EventsHead, eventsHeadOf, nextEventsHead } from '@vidverify/verifier';
import type { RecordSealing } from '../privacy/Sealer.ts';
import type { Journal } from '../store/Journal.ts';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import type { Decision } from './commands/Decision.ts';
import { applyEvents, type VerificationEvent, type VerificationRecord } from './VerificationRecord.ts';
import type { VerificationRepository } from './VerificationRepository.ts';
import { agentDecisionOf, buildOutcome } from './views.ts';

export type OutcomeDeps = {
	outbox: Pick<WebhookOutbox, 'enqueue'>;
	/** The outcome as a compact JWS, for the host to check offline, committing to the events before it. */
	signOutcome: (outcome: Outcome, events: EventsHead) => string;
	/** Where the verification's journaled events are read, for the head the outcome commits to. */
	journal: Pick<Journal, 'readVerification'>;
	/** What the media layer measured of the call; it may have to ask the store (another process's call). */
	callQuality: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;
	/** Personal fields sealed as the journal stores them; without it, records are signed as they are. */
	sealing?: RecordSealing;
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
		const outcome = buildOutcome(final, await this.#callQuality(final));
		const events = await this.#eventsBefore(record, decision.events);
		const recorded = {
			type: 'outcome.recorded',
			data: { at: final.endedAt, outcome, signedOutcome: await this.#sign(record.id, outcome, events) },
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
			const outcome = buildOutcome(record, await this.#callQuality(record));
			const signedOutcome = await this.#sign(record.id, outcome, await this.#eventsBefore(record, []));
			return { events: [{ type: 'outcome.recorded', data: { at: record.endedAt, outcome, signedOutcome } }], result: undefined };
		});
		await this.enqueueWebhook(after);
	}

	/**
	 * The head of the verification's events once the journal holds what it holds, the record's earlier
	 * events it does not hold yet (they are journaled first), and `change`'s events: what the journal
	 * will hold just before the outcome recorded after them.
	 */
	async #eventsBefore(record: VerificationRecord, change: readonly VerificationEvent[]): Promise<EventsHead> {
		const { sealing } = this.#deps;
		const journaled = await (sealing ? sealing.stored(record.id) : this.#deps.journal.readVerification(record.id));
		let head = eventsHeadOf(journaled);
		const pending = record.unjournaled;
		const alreadyJournaled = pending ? journaled.filter((stored) => stored.data.rev === pending.rev).length : 0;
		// As the journal will hold them: through a JSON round trip (a Date becomes its ISO string), sealed.
		const coming = [...(pending?.events.slice(alreadyJournaled) ?? []), ...change].map((event) => ({
			type: event.type,
			data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
		}));
		for (const event of sealing ? await sealing.events(record.id, coming) : coming) head = nextEventsHead(head, event);
		return head;
	}

	async #sign(verificationId: string, outcome: Outcome, events: EventsHead): Promise<string> {
		const { sealing } = this.#deps;
		return this.#deps.signOutcome(sealing ? await sealing.outcome(verificationId, outcome) : outcome, events);
	}

	/** What the media layer measured of the call; a call sent to review kept its own (buildOutcome reads it). */
	async #callQuality(record: VerificationRecord): Promise<CallQualitySummary | null> {
		return record.review ? null : await this.#deps.callQuality(record.id);
	}

	/** Tells the host a verification entered review: the agent's decision, without its note. Safe to repeat. */
	async enqueueReviewWebhook(record: VerificationRecord): Promise<void> {
		const review = record.review;
		if (!review) return;
		const { note: _note, ...agent } = agentDecisionOf(record, review);
		const payload: InReviewWebhookPayload = { purpose: record.purpose, since: review.since, agent };
		await this.#deps.outbox.enqueue({
			eventId: reviewWebhookEventId(record.id),
			type: 'verification.in_review',
			verificationId: record.id,
			occurredAt: review.since,
			payload,
		});
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

/** The id of the event that told the host a verification entered review. */
export function reviewWebhookEventId(verificationId: string): string {
	return `${verificationId}.in_review`;
}
