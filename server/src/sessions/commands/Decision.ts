// What a command decides: the events a change appends, the notifications it sends once written, the
// live-only fields it sets and how it moves the verification in the queue, or an AppError thrown. A
// command is a pure function of (record, input, context); the service runs it inside the repository's
// change, which writes the record and journals the events.
import { ErrorCode, type RevisedNotificationName, type VerificationRequestName } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import { assertState, type VerificationScopedRequest } from '../lifecycle.ts';
import type { Actor, AgentProfile, Audience, DomainNotifications, DomainSettings } from '../types.ts';
import { applyEvents, interpreterPresent, type VerificationEvent, type VerificationRecord } from '../VerificationRecord.ts';

export type CommandContext = {
	now: Date;
	randomInt: (maxExclusive: number) => number;
	settings: DomainSettings;
};

/** A notification as a command decides it; the revision it carries is added once the change is written. */
export type Notice = {
	[N in keyof DomainNotifications]: {
		audience: Audience;
		name: N;
		payload: N extends RevisedNotificationName ? Omit<DomainNotifications[N], 'revision'> : DomainNotifications[N];
	};
}[keyof DomainNotifications];

export type Decision<T = undefined> = {
	events: VerificationEvent[];
	notices?: Notice[];
	/** Live-only fields (connections, the challenge number), set after the events are folded in. */
	live?: (record: VerificationRecord) => void;
	/** Joins or leaves the waiting queue in the same write. */
	queue?: 'join' | 'leave';
	/**
	 * On approval: the keyed hashes of the documents that become the ones this user is known by (for
	 * later duplicate checks) — only what the agent recorded as the applicant's own.
	 */
	approvesDocuments?: readonly string[];
	result: T;
};

export function notice<N extends keyof DomainNotifications>(
	audience: Audience,
	name: N,
	payload: Extract<Notice, { name: N }>['payload'],
): Notice {
	return { audience, name, payload } as Notice;
}

/** Nothing to change. */
export function unchanged<T>(result: T): Decision<T> {
	return { events: [], result };
}

/** The record as the decision leaves it: its events folded in, then its live fields set. */
export function after(record: VerificationRecord, decision: Pick<Decision<unknown>, 'events' | 'live'>): VerificationRecord {
	const next = applyEvents(record, decision.events);
	decision.live?.(next);
	return next;
}

/** The request is the actor's to make on this record in its state: a member, and a state the table allows. */
export function assertMayAct(record: VerificationRecord, actor: Actor, request: VerificationScopedRequest): void {
	assertMember(record, actor);
	assertState(request, actor.role, record.state);
}

export function assertMember(record: VerificationRecord, actor: Actor): void {
	const member =
		actor.role === 'applicant'
			? record.applicant.participantId === actor.participantId
			: actor.role === 'agent'
				? record.agent?.agentId === actor.agent?.agentId
				: record.interpreter?.participantId === actor.participantId && interpreterPresent(record);
	if (!member) throw AppError.forbidden('you are not a participant of this verification', 'notAParticipant');
}

/**
 * The most events a verification may record. A whole call, interpreter included, records well under a
 * hundred; past this bound, requests that only add to the record (prompts, marks, answers, invitations,
 * declarations, document checks) are refused, so no participant can grow the permanent record without
 * limit. Endings and the decision are never refused by it.
 */
export const MAX_EVENTS_PER_VERIFICATION = 400;

export function assertWithinBound(record: VerificationRecord, adding = 2): void {
	if (record.eventCount + adding <= MAX_EVENTS_PER_VERIFICATION) return;
	throw new AppError(ErrorCode.RATE_LIMITED, `this verification has recorded ${record.eventCount} events, the most it may`, {
		reason: 'tooManyChanges',
	});
}

export function requireAgent(actor: Actor, request?: VerificationRequestName): AgentProfile {
	if (actor.role !== 'agent' || !actor.agent) {
		throw AppError.forbidden('only an agent may do this', 'roleMayNotSend', { role: actor.role, request: request ?? '' });
	}
	return actor.agent;
}
