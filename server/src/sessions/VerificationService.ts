// The verification domain's front: what the host API and the signalling layer call. It knows no
// transport. Each request runs a pure command (commands/) inside one repository change, then the
// change's consequences, which are the same for every change: notifications sent with the revision
// written, local timers armed and disarmed to match the record, the queue told when it moved, and the
// tail every final state owes (agent released, outcome and webhook), recorded as owed by the final
// write itself and paid by FinalTail.
//
// Parts: lifecycle.ts (which state allows what), commands/ (the decisions), VerificationRepository
// (keys, locks, compare-and-set, journal), AgentDesk (agents and the queue), ProcessRegistry
// (connections across processes), timers.ts + VerificationTimers (deadlines and grace periods on the
// store's due-queue), FinalTail (what a final state owes, on its own due-queue),
// Outcomes, rebuild.ts, hostQueries.ts, ParticipantPresence (joins and drops).
import { randomInt as cryptoRandomInt, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
	type CreateVerificationBody,
	checklistFor,
	DEFAULT_LOCALE,
	ErrorCode,
	isCallOver,
	isFinalState,
	type ListVerificationsQuery,
	mayRequest,
	type ReviewRequestName,
	type ReviewRequestPayload,
	type ReviewResponses,
	type VerificationRequestPayload,
	type VerificationResponses,
	type VerificationSnapshot,
	type VerificationView,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecordSealing } from '../privacy/Sealer.ts';
import type { JournalRecord } from '../store/Journal.ts';
import type { SortedSetEffects } from '../store/LiveState.ts';
import { AgentDesk } from './AgentDesk.ts';
import type { CommandContext, Decision, Notice } from './commands/Decision.ts';
import { FinalTail } from './FinalTail.ts';
import { checkEligibility, listVerifications } from './hostQueries.ts';
import { KeyedLocks } from './KeyedLocks.ts';
import { owesTail } from './lifecycle.ts';
import { Outcomes } from './Outcomes.ts';
import { ParticipantPresence } from './ParticipantPresence.ts';
import { type ConnectionRef, ProcessRegistry } from './ProcessRegistry.ts';
import { QueueUpdates } from './QueueUpdates.ts';
import { rebuildFromJournal } from './rebuild.ts';
import { VerificationRequests } from './requests.ts';
import { ReviewRequests } from './reviews.ts';
import { WaitEstimator } from './routing.ts';
import type { DomainRuntime, VerificationServiceDeps } from './runtime.ts';
import { parseTimerMember } from './timers.ts';
import type { Actor, Audience, DomainNotifications, DomainSettings, Notification, RequestName } from './types.ts';
import type { EarlierRecord, VerificationRecord } from './VerificationRecord.ts';
import { type Changed, VerificationRepository } from './VerificationRepository.ts';
import { VerificationTimers } from './VerificationTimers.ts';
import { snapshotFor, verificationView } from './views.ts';

export type { ConnectionRef } from './ProcessRegistry.ts';
export type { DomainRuntime, VerificationServiceDeps } from './runtime.ts';

const DEFAULT_PROCESS_TTL_MS = 10_000;

export class VerificationService
	extends EventEmitter<{
		notification: [Notification];
		/** Another process took this one for dead and ended its connections: its sockets must reconnect. */
		evicted: [];
		/** The queue moved here and this process is about to tell its people: other processes should tell theirs. */
		queueMoved: [];
		/**
		 * A participant is no longer part of a verification (an interpreter removed or gone, or everyone
		 * once it is over), after it was told: its connections must stop receiving the verification's news.
		 */
		membershipEnded: [{ verificationId: string; participantId?: string }];
		/**
		 * A verification entered a state by a change this process made (`before` is undefined for one
		 * just created): for watchers such as metrics, which count what happened without asking the store.
		 */
		stateEntered: [{ before: VerificationRecord | undefined; after: VerificationRecord }];
	}>
	implements DomainRuntime
{
	readonly repository: VerificationRepository;
	readonly desk: AgentDesk;
	readonly registry: ProcessRegistry;
	readonly logger: Logger;
	readonly settings: DomainSettings;
	readonly #clock: () => Date;
	readonly #randomInt: (maxExclusive: number) => number;
	readonly #outcomes: Outcomes;
	readonly #waits: WaitEstimator;
	readonly #timers: VerificationTimers;
	readonly #tail: FinalTail;
	readonly #requests: VerificationRequests;
	readonly #reviews: ReviewRequests;
	readonly #presence: ParticipantPresence;
	readonly #queue: QueueUpdates;
	readonly #storeReady: (() => Promise<void>) | undefined;
	readonly #sealing: RecordSealing | undefined;
	#started = false;
	#starting: Promise<void> | undefined;
	#closed = false;

	/** Rebuilds every verification from the journal, then re-arms deadlines and grace periods. */
	static async create(deps: VerificationServiceDeps): Promise<VerificationService> {
		const service = new VerificationService(deps);
		await service.#start();
		return service;
	}

	/**
	 * Returns at once and rebuilds in the background as soon as the store is reachable, retrying when
	 * the store goes away during the rebuild: a process whose Redis is down starts, answers UNAVAILABLE
	 * (and reports not started) until Redis is back, and then serves without a restart.
	 */
	static open(deps: VerificationServiceDeps): VerificationService {
		const service = new VerificationService(deps);
		service.#starting = service.#startWhenStoreIsReady();
		// Handled by whoever awaits whenStarted() (the process entry stops on a damaged journal); a
		// failure is not also an unhandled rejection.
		service.#starting.catch(() => {});
		return service;
	}

	private constructor(deps: VerificationServiceDeps) {
		super();
		this.logger = deps.logger.child({ component: 'verifications' });
		this.settings = deps.settings;
		this.#clock = deps.clock ?? (() => new Date());
		this.#randomInt = deps.randomInt ?? ((maxExclusive) => cryptoRandomInt(maxExclusive));
		this.#storeReady = deps.storeReady;
		this.#sealing = deps.sealing;
		this.#waits = new WaitEstimator(deps.settings.waitSamples, deps.settings.defaultWaitEstimateMs);
		this.#outcomes = new Outcomes({
			outbox: deps.outbox,
			signOutcome: deps.signOutcome,
			journal: deps.journal,
			callQuality: deps.callQuality ?? (() => null),
			sealing: deps.sealing,
		});
		this.registry = new ProcessRegistry({
			live: deps.liveState,
			logger: this.logger,
			clock: this.#clock,
			enabled: deps.trackConnections ?? false,
			ttlMs: deps.processTtlMs ?? DEFAULT_PROCESS_TTL_MS,
			// Another process's connections: never counted among this process's own (see #queue).
			endConnection: (actor, connection) => (this.#closed ? Promise.resolve() : this.#presence.disconnected(actor, connection)),
			onEvicted: () => this.emit('evicted'),
		});
		this.#timers = new VerificationTimers({
			live: deps.liveState,
			logger: this.logger,
			clock: this.#clock,
			settings: this.settings,
			sweepIntervalMs: deps.sweepIntervalMs,
			handle: (member) => this.#fireTimer(member),
			beforeSweep: () => this.#beforeSweep(),
		});
		const locks = new KeyedLocks();
		this.repository = new VerificationRepository({
			journal: deps.journal,
			live: deps.liveState,
			logger: this.logger,
			clock: this.#clock,
			processId: () => this.registry.processId,
			timersOf: (record) => this.#timers.entriesOf(record),
			owedOnFinal: (record, writtenAt) => this.#tail.owedBy(record, writtenAt),
		});
		this.desk = new AgentDesk({
			live: deps.liveState,
			repository: this.repository,
			waits: this.#waits,
			clock: this.#clock,
			locks,
		});
		this.#queue = new QueueUpdates({
			desk: this.desk,
			notify: ({ participantId, name, payload }) => this.notify({ participantId }, name, payload),
			announce: () => this.emit('queueMoved'),
			logger: this.logger,
			tickMs: deps.queueTickMs,
		});
		this.#tail = new FinalTail({
			live: deps.liveState,
			repository: this.repository,
			desk: this.desk,
			outcomes: this.#outcomes,
			logger: this.logger,
			clock: this.#clock,
			sweepIntervalMs: deps.sweepIntervalMs,
		});
		this.#reviews = new ReviewRequests(this);
		this.#requests = new VerificationRequests(this, {
			waits: this.#waits,
			hashDocument: deps.hashDocument,
			interpreterLink: deps.interpreterLink,
			callQuality: deps.callQuality ?? (() => null),
		});
		this.#presence = new ParticipantPresence(this);
	}

	/** True once the start-up rebuild is done: for the readiness probe. */
	get started(): boolean {
		return this.#started;
	}

	/** Resolves when the start-up rebuild is done (at once for create()). */
	whenStarted(): Promise<void> {
		return this.#starting ?? Promise.resolve();
	}

	async #startWhenStoreIsReady(): Promise<void> {
		while (!this.#closed) {
			try {
				await this.#storeReady?.();
				if (this.#closed) return;
				await this.#start();
				return;
			} catch (error) {
				if (this.#closed) return;
				if (!(error instanceof AppError && error.code === ErrorCode.UNAVAILABLE)) throw error;
				this.logger.warn({ err: error }, 'the store went away during the start-up rebuild; retrying when it is back');
				if (!this.#storeReady) throw error;
			}
		}
	}

	async #start(): Promise<void> {
		const restored = await rebuildFromJournal({
			repository: this.repository,
			desk: this.desk,
			tail: this.#tail,
			waits: this.#waits,
			logger: this.logger,
			clock: this.#clock,
		});
		// Known to the other processes before it records any connection, so that they can end its
		// connections should it die at once.
		await this.registry.beat();
		this.#started = true;
		for (const record of restored) this.#consequences(undefined, record);
		this.registry.startHeartbeat();
		this.#timers.start();
		this.#tail.start();
	}

	// ---- host API ----

	async createVerification(
		input: CreateVerificationBody,
	): Promise<{ verification: VerificationView; applicantParticipantId: string }> {
		this.#assertOpen();
		checkEligibility(input, this.settings);
		const earlier = input.earlierVerificationId === undefined ? undefined : await this.#earlierRecordFor(input);
		const now = this.#clock();
		const id = randomUUID();
		const applicantParticipantId = randomUUID();
		const accessibility = {
			interpreter: input.accessibility?.interpreter ?? false,
			textOnlyChallenge: input.accessibility?.textOnlyChallenge ?? false,
		};
		const record = await this.repository.create(
			{
				type: 'verification.created',
				data: {
					at: now.toISOString(),
					externalUserRef: input.externalUserRef,
					purpose: input.purpose,
					locale: input.locale ?? DEFAULT_LOCALE,
					accessibility,
					expiresAt: new Date(now.getTime() + this.settings.joinWindowMs).toISOString(),
					applicantParticipantId,
					checklist: checklistFor(input.purpose, accessibility),
					...(earlier ? { earlier } : {}),
					...(input.declared && Object.keys(input.declared).length > 0 ? { declared: input.declared } : {}),
				},
			},
			id,
		);
		this.logger.info({ verificationId: id, purpose: record.purpose, locale: record.locale }, 'verification created');
		this.#timers.follow(undefined, record);
		this.emit('stateEntered', { before: undefined, after: record });
		return { verification: verificationView(record), applicantParticipantId };
	}

	/**
	 * The summary of the earlier verification an identity reset names, for the agent to compare with:
	 * it must be this user's and over. Only read: the earlier record is never changed by the reset.
	 */
	async #earlierRecordFor(input: CreateVerificationBody): Promise<EarlierRecord> {
		const id = input.earlierVerificationId ?? '';
		if (input.purpose !== 'identity_reset') {
			throw AppError.invalidState(
				`earlierVerificationId is for identity_reset only, not ${input.purpose}`,
				'earlierVerificationNotReset',
			);
		}
		const earlier = await this.repository.find(id);
		if (!earlier || earlier.externalUserRef !== input.externalUserRef) {
			throw AppError.invalidState(
				earlier ? `verification ${id} belongs to another user` : `no verification ${id}`,
				earlier ? 'earlierVerificationOtherUser' : 'earlierVerificationUnknown',
				{ verificationId: id },
			);
		}
		if (!isFinalState(earlier.state) || !earlier.endedAt) {
			throw AppError.invalidState(`verification ${id} is not over (${earlier.state})`, 'earlierVerificationNotOver', {
				verificationId: id,
				state: earlier.state,
			});
		}
		const hash = earlier.applicantDocumentHashes[0] ?? null;
		const check = hash === null ? undefined : earlier.documentChecks.find((candidate) => candidate.documentHash === hash);
		return {
			verificationId: earlier.id,
			state: earlier.state,
			decidedAt: earlier.endedAt,
			reasonCodes: earlier.decision?.reasonCodes ?? earlier.endReasonCodes,
			documentType: check?.documentType ?? null,
			documentHash: hash,
		};
	}

	async getVerification(id: string): Promise<VerificationView> {
		return verificationView(await this.repository.load(id));
	}

	listVerifications(query: ListVerificationsQuery): Promise<{ items: VerificationView[]; nextCursor: string | null }> {
		return listVerifications(this.repository, query);
	}

	/** The verification's records as the journal stores them (personal fields sealed), so their hashes can be checked. */
	async getEvents(id: string): Promise<JournalRecord[]> {
		await this.repository.load(id);
		return this.#sealing ? this.#sealing.stored(id) : this.repository.readVerification(id);
	}

	// ---- socket requests and connections ----

	handle<N extends RequestName>(
		name: N,
		actor: Actor,
		payload: VerificationRequestPayload<N>,
	): Promise<VerificationResponses[N]> {
		this.#assertOpen();
		// The transport enforces REQUEST_ROLES before calling; checking again keeps the domain safe on its own.
		if (!mayRequest(actor.role, name)) {
			return Promise.reject(
				AppError.forbidden(`an ${actor.role} may not ${name}`, 'roleMayNotSend', { role: actor.role, request: name }),
			);
		}
		return this.#requests.handle(name, actor, payload);
	}

	/** A reviewer's request (four-eyes review); the transport enforces REVIEW_REQUEST_ROLES before calling. */
	handleReview<N extends ReviewRequestName>(
		name: N,
		actor: Actor,
		payload: ReviewRequestPayload<N>,
	): Promise<ReviewResponses[N]> {
		this.#assertOpen();
		return this.#reviews.handle(name, actor, payload);
	}

	/** First join, or a resume within the grace period. Returns the verification the participant is in. */
	async participantConnected(
		actor: Actor,
		connectionId?: string,
	): Promise<{ verificationId: string | undefined; connection: ConnectionRef | undefined }> {
		this.#assertOpen();
		const admitted = await this.#presence.connected(actor, connectionId);
		this.#queue.connected(actor);
		return admitted;
	}

	/** Ends one connection; when it was the participant's last, its grace period starts. */
	async participantDisconnected(actor: Actor, connection?: ConnectionRef): Promise<void> {
		this.#queue.disconnected(actor);
		if (this.#closed) return;
		await this.#presence.disconnected(actor, connection);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#queue.close();
		this.registry.close();
		await this.#timers.close();
		await this.#tail.close();
	}

	// ---- the runtime the parts share ----

	context(): CommandContext {
		return { now: this.#clock(), randomInt: this.#randomInt, settings: this.settings };
	}

	async apply<T>(
		id: string,
		decide: (record: VerificationRecord) => Decision<T> | Promise<Decision<T>>,
		also?: SortedSetEffects,
		afterWrite?: () => Promise<void>,
	): Promise<Changed<T>> {
		let decided: Decision<T> | undefined;
		const changed = await this.repository.change(
			id,
			async (record) => {
				decided = await this.#outcomes.withOutcome(record, await decide(record));
				return decided;
			},
			also,
		);
		await afterWrite?.();
		const notices = decided?.notices ?? [];
		this.#emitNotices(notices, changed.after.revision);
		this.#consequences(changed.before, changed.after);
		this.#membershipChanges(changed.before, changed.after);
		if (changed.before.state !== changed.after.state) this.emit('stateEntered', changed);
		const queueMoved = decided?.queue === 'join' || (decided?.queue === 'leave' && changed.before.state === 'waiting');
		if (queueMoved) this.queueMoved();
		if (owesTail(changed.before.state, changed.after.state)) {
			this.logger.info({ verificationId: id, state: changed.after.state }, `verification ${changed.after.state}`);
			await this.#tail.pay(changed.after);
		}
		return changed;
	}

	notify<N extends keyof DomainNotifications>(audience: Audience, name: N, payload: DomainNotifications[N]): void {
		this.emit('notification', { audience, name, payload } as Notification);
	}

	#emitNotices(notices: readonly Notice[], revision: number): void {
		for (const { audience, name, payload } of notices) {
			const revised = 'verificationId' in audience && name !== 'chatMessageSent' ? { ...payload, revision } : payload;
			this.emit('notification', { audience, name, payload: revised } as Notification);
		}
	}

	queueMoved(): void {
		this.#queue.moved();
	}

	/** Another process moved the queue (Redis mode): this one tells the people connected to it. */
	queueMovedElsewhere(): void {
		this.#queue.movedElsewhere();
	}

	/** Resolves once every queue movement so far has been told to the people connected here. */
	whenQueueTold(): Promise<void> {
		return this.#queue.whenTold();
	}

	async snapshot(record: VerificationRecord, actor: Actor): Promise<VerificationSnapshot> {
		let queue = null;
		if (record.state === 'waiting') {
			const since = this.#queue.flushesStarted;
			queue = await this.desk.queueStatusOf(record.id);
			// The applicant's place is in this snapshot: the queue's updates need not tell it again.
			if (queue && actor.role === 'applicant') this.#queue.shown(actor.participantId, queue, since);
		}
		return snapshotFor(record, { participantId: actor.participantId, role: actor.role }, queue, this.#clock());
	}

	/** The verification an actor acts on: its token's for applicants and interpreters, its assignment for agents. */
	async verificationOf(actor: Actor): Promise<string> {
		if (actor.role === 'agent') {
			const agentId = actor.agent?.agentId;
			const assigned = agentId === undefined ? null : await this.desk.assignment(agentId);
			if (!assigned) {
				throw AppError.invalidState('you have no verification in progress; accept one first', 'noVerificationAssigned');
			}
			if (actor.verificationId !== undefined && actor.verificationId !== assigned) {
				throw AppError.forbidden('you may act only on the verification assigned to you', 'notYourVerification');
			}
			return assigned;
		}
		if (!actor.verificationId) throw AppError.forbidden('this token is not tied to a verification', 'notAParticipant');
		return actor.verificationId;
	}

	// ---- consequences, timers, endings ----

	/**
	 * What follows every write of a record: local timers to match its pending ones, and for each grace
	 * period that began with it, the others told that its participant is reconnecting.
	 */
	#consequences(before: VerificationRecord | undefined, after: VerificationRecord): void {
		const began = this.#timers.follow(before, after);
		for (const member of began) {
			const timer = parseTimerMember(member);
			if (timer?.kind !== 'grace') continue;
			this.notify({ verificationId: after.id }, 'participantReconnecting', {
				participantId: timer.participantId,
				role: timer.role,
				graceEndsAt: new Date(Date.parse(timer.since) + this.settings.graceMs).toISOString(),
				revision: after.revision,
			});
		}
	}

	#membershipChanges(before: VerificationRecord, after: VerificationRecord): void {
		if (!isCallOver(before.state) && isCallOver(after.state)) {
			this.emit('membershipEnded', { verificationId: after.id });
			return;
		}
		const interpreter = before.interpreter;
		if (interpreter?.status === 'joined' && after.interpreter?.status !== 'joined') {
			this.emit('membershipEnded', { verificationId: after.id, participantId: interpreter.participantId });
		}
	}

	/** A due deadline or grace period; 'retry' while it is not due by this clock (another clock set it). */
	async #fireTimer(member: string): Promise<'done' | 'retry'> {
		const timer = parseTimerMember(member);
		if (!timer) {
			this.logger.error({ member }, 'unreadable timer in the due-queue');
			return 'done';
		}
		const record = await this.repository.find(timer.verificationId);
		if (!record) return 'done';
		return this.#requests.timerDue(record, timer);
	}

	async #beforeSweep(): Promise<void> {
		await this.registry.beat();
		for (const record of await this.repository.repairUnjournaled(() => this.#closed)) {
			// Its tail waited for these events; paid now rather than at the tail queue's next sweep.
			if (isCallOver(record.state)) await this.#tail.pay(record);
		}
	}

	#assertOpen(): void {
		if (this.#closed) throw AppError.unavailable('the service is shutting down', 'serviceShuttingDown');
		if (!this.#started) {
			throw AppError.unavailable(
				'the service is starting: it is waiting for its store (Redis); try again shortly',
				'serviceStarting',
			);
		}
	}
}
