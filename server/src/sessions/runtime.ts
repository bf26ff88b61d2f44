// What the verification domain is given (its dependencies) and what its parts share with the service
// that composes them (the runtime): the repository, the agents' desk, the process registry, the clock
// and randomness, and the one way to apply a decision.
import type { CallQualitySummary, Outcome, VerificationSnapshot } from '@vidverify/shared';
import type { EventsHead } from '@vidverify/verifier';
import type { Logger } from '../logger.ts';
import type { RecordSealing } from '../privacy/Sealer.ts';
import type { Journal } from '../store/Journal.ts';
import type { LiveState, SortedSetEffects } from '../store/LiveState.ts';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import type { AgentDesk } from './AgentDesk.ts';
import type { CommandContext, Decision } from './commands/Decision.ts';
import type { ProcessRegistry } from './ProcessRegistry.ts';
import type { Actor, Audience, DomainNotifications, DomainSettings, InterpreterInvitation } from './types.ts';
import type { VerificationRecord } from './VerificationRecord.ts';
import type { Changed, VerificationRepository } from './VerificationRepository.ts';

export type VerificationServiceDeps = {
	journal: Journal;
	liveState: LiveState;
	outbox: Pick<WebhookOutbox, 'enqueue'>;
	logger: Logger;
	settings: DomainSettings;
	clock?: () => Date;
	randomInt?: (maxExclusive: number) => number;
	/**
	 * The outcome as a compact JWS, for the host to check offline; `events` (count and digest of the
	 * verification's events before the outcome) is signed with it.
	 */
	signOutcome: (outcome: Outcome, events: EventsHead) => string;
	/** How the journal seals personal fields, for what the signed outcome commits to (Outcomes.ts). */
	sealing?: RecordSealing;
	/** Keyed hash of a document; the number itself is never kept. */
	hashDocument: (type: string, number: string) => string;
	/** Mints the interpreter's one-time token for an invitation and returns the link that carries it. */
	interpreterLink: (invitation: InterpreterInvitation) => string;
	/**
	 * What the media layer measured of a call, for its outcome; null when it had no media. It may have to
	 * ask the store, when the call's media was served by another process.
	 */
	callQuality?: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;
	/**
	 * For a store that can be away (Redis): resolves when it is reachable again. open() waits on it
	 * before the start-up rebuild and again after every rebuild that failed because the store went away.
	 */
	storeReady?: () => Promise<void>;
	/** How often at most this process tells the queue's movements (QueueUpdates). Default 200 ms. */
	queueTickMs?: number;
	/** How often this process sweeps for due deadlines and grace periods, whichever process set them. Default 1000 ms. */
	sweepIntervalMs?: number;
	/** Several processes share the live state (Redis): connections are recorded per process (ProcessRegistry). */
	trackConnections?: boolean;
	/** How long a process may go without a heartbeat before it is taken for dead. Default 10 s. */
	processTtlMs?: number;
};

/** What the parts of the domain share with the service that composes them. */
export type DomainRuntime = {
	readonly repository: VerificationRepository;
	readonly desk: AgentDesk;
	readonly registry: ProcessRegistry;
	readonly logger: Logger;
	readonly settings: DomainSettings;
	context(): CommandContext;
	/**
	 * Runs a decision as one change, then its consequences. `also` are another owner's effects in the
	 * same write; `afterWrite` runs once the record is written, before anyone is told (the agent's own
	 * record, say, which the queue views it is told next must already show).
	 */
	apply<T>(
		id: string,
		decide: (record: VerificationRecord) => Decision<T> | Promise<Decision<T>>,
		also?: SortedSetEffects,
		afterWrite?: () => Promise<void>,
	): Promise<Changed<T>>;
	notify<N extends keyof DomainNotifications>(audience: Audience, name: N, payload: DomainNotifications[N]): void;
	/** The queue changed (who waits, or what agents or applicants are shown of it): told at the next tick. */
	queueMoved(): void;
	snapshot(record: VerificationRecord, actor: Actor): Promise<VerificationSnapshot>;
	verificationOf(actor: Actor): Promise<string>;
};
