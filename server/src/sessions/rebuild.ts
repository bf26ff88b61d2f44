// The start-up rebuild: folds the journal into verification records and creates the live records that
// are missing. A live record that exists is never replaced: the live state is written before the
// journal, so it is at least as new, and another process sharing the live state (Redis) may be serving
// it right now. So only the records this process created are treated as having nobody connected (their
// grace periods start now). When the live state was rebuilt before (a marker names the journal head it
// saw), only verifications journaled after that head are checked. Every record is parsed, not trusted.
// A verification whose call is over that the journal shows without what it owes the host (a final one
// without its outcome or webhook, one that went to review without its review webhook) has its tail
// recorded as owed (FinalTail) and paid: the live state that recorded it may be new (embedded mode) or
// older than it. Records of escalations from before four-eyes review (state `escalated`) rebuild as
// they were journaled: final, with the outcome that was signed then.
import { isCallOver, isFinalState } from '@vidverify/shared';
import type { Logger } from '../logger.ts';
import type { AgentDesk } from './AgentDesk.ts';
import { isVerificationEventType, parseVerificationEvent } from './events.ts';
import type { FinalTail } from './FinalTail.ts';
import { reviewWebhookEventId, webhookEventId } from './Outcomes.ts';
import type { WaitEstimator } from './routing.ts';
import { applyEvent, type VerificationRecord } from './VerificationRecord.ts';
import type { VerificationRepository } from './VerificationRepository.ts';

export type RebuildDeps = {
	repository: VerificationRepository;
	desk: AgentDesk;
	tail: FinalTail;
	waits: WaitEstimator;
	logger: Logger;
	clock: () => Date;
};

/** Returns the live records it created, for the caller to arm their timers. */
export async function rebuildFromJournal(deps: RebuildDeps): Promise<VerificationRecord[]> {
	const { repository, logger } = deps;
	const marker = await repository.rebuiltUpTo();
	const builtUpTo = marker?.value.seq ?? 0;
	const records = new Map<string, VerificationRecord>();
	const journaledSince = new Set<string>();
	const enqueuedEvents = new Set<string>();
	let head = 0;
	for await (const entry of repository.journal.readAll()) {
		head = entry.seq;
		if (entry.type === 'webhook.enqueued' && typeof entry.data.eventId === 'string') enqueuedEvents.add(entry.data.eventId);
		// Other records (webhook deliveries) are not the verification's to fold.
		if (!entry.verificationId || !isVerificationEventType(entry.type)) continue;
		const parsed = parseVerificationEvent(entry.type, entry.data);
		if (!parsed.ok) {
			logger.error(
				{ seq: entry.seq, verificationId: entry.verificationId, error: parsed.error },
				'journal record skipped in rebuild',
			);
			continue;
		}
		if (entry.seq > builtUpTo) journaledSince.add(entry.verificationId);
		try {
			const next = applyEvent(records.get(entry.verificationId), parsed.event, entry.verificationId);
			next.revision += 1;
			records.set(entry.verificationId, next);
		} catch (error) {
			logger.error({ err: error, seq: entry.seq, verificationId: entry.verificationId }, 'journal record skipped in rebuild');
		}
	}
	const startedAt = deps.clock().toISOString();
	const accepted = [...records.values()]
		.filter((record) => record.consentedAt && record.acceptedAt)
		.sort((a, b) => Date.parse(a.acceptedAt ?? '') - Date.parse(b.acceptedAt ?? ''));
	for (const record of accepted) deps.waits.record(Date.parse(record.acceptedAt ?? '') - Date.parse(record.consentedAt ?? ''));

	const created: VerificationRecord[] = [];
	for (const record of records.values()) {
		if (!journaledSince.has(record.id)) continue;
		// Nobody is connected to a record nobody serves: whoever was in a live verification gets its grace period from now.
		if (!isCallOver(record.state)) {
			if (record.applicant.joinedAt) record.applicant.disconnectedAt = startedAt;
			if (record.agent) record.agent.disconnectedAt = startedAt;
			if (record.interpreter?.status === 'joined') record.interpreter.disconnectedAt = startedAt;
		}
		if (!(await repository.restore(record))) continue;
		created.push(record);
		if (record.state === 'in_call') await deps.desk.restoreAssignment(record);
	}
	for (const record of records.values()) {
		if (!isCallOver(record.state)) continue;
		// A crash between review or the final state and its webhook, or between the final state and its outcome.
		const reviewUntold = record.review && !enqueuedEvents.has(reviewWebhookEventId(record.id));
		const finalUntold = isFinalState(record.state) && (!record.outcome || !enqueuedEvents.has(webhookEventId(record)));
		if (reviewUntold || finalUntold) await deps.tail.owe(record);
	}
	await repository.markRebuilt(marker, head);
	logger.info(
		{
			verifications: records.size,
			checked: journaledSince.size,
			restored: created.length,
			live: created.filter((record) => !isCallOver(record.state)).length,
			journalHead: head,
		},
		'verifications rebuilt from the journal',
	);
	return created;
}
