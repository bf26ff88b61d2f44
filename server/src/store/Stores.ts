// What a store mode gives the service: the journal (personal fields sealed on the way in and opened
// on the way out, and what proofs read of it: the journal itself, sealed, and the signed checkpoints
// kept beside it), the keys personal data is sealed under, the live state, the webhook outbox over both, and,
// when other processes share the store (Redis mode), whether it is reachable and socket.io's adapter
// over it. Each mode is set up by a module of its own: openEmbeddedStores and openRedisStores.
import type { createAdapter } from '@socket.io/redis-streams-adapter';
import type { LimiterBudget, SharedLimiter } from '../limits/SharedLimiter.ts';
import type { Sealer } from '../privacy/Sealer.ts';
import type { WebhookOutbox, WebhookOutboxOptions } from '../webhooks/WebhookOutbox.ts';
import type { CheckpointLog } from './CheckpointLog.ts';
import type { Journal, ProvableJournal } from './Journal.ts';
import type { LiveState } from './LiveState.ts';

export type Stores = {
	/** The journal through the sealer: personal fields sealed as appended, opened (or ERASED) as read. */
	journal: Journal;
	/** The same journal, unwrapped and sealed as stored, for what proofs read of it (head, ranges, bundles). */
	provable: ProvableJournal;
	/** Seals and opens personal fields under each verification's keys; erases them by destroying the keys. */
	sealer: Sealer;
	checkpoints: CheckpointLog;
	liveState: LiveState;
	outbox: WebhookOutbox;
	/** Only when other processes share the store. */
	shared: SharedStore | undefined;
	/** A request budget per key, kept where every process of the deployment draws from it. */
	limiter(name: string, budget: LimiterBudget): SharedLimiter;
	/** Closes the outbox, then the stores it writes to and their connections; idempotent. */
	close(): Promise<void>;
};

export type SharedStore = {
	/** Whether the store is reachable now: for the readiness probe. */
	readonly ready: boolean;
	/** Resolves when the store is reachable (again). */
	whenReady(): Promise<void>;
	/** Carries notifications emitted on this process to the sockets of the others. */
	adapter: ReturnType<typeof createAdapter>;
};

/** Where webhooks go and how they are retried, the same in both modes. */
export type WebhookSettings = Pick<WebhookOutboxOptions, 'url' | 'secret' | 'retry'>;
