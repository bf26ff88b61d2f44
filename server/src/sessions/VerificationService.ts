// The verification domain: every verification's state machine, the waiting queue, agents' presence
// and routing, checklist, challenges, interpreters, decisions and outcomes. It knows no transport:
// the signalling and HTTP layers call it and forward its notifications to the audiences it names.
//
// Consistency: each change to a verification runs under an in-process lock for that verification,
// writes the live record with compare-and-set (so a second process sharing the live state loses
// cleanly with CONFLICT) and then journals its events. The same compare-and-set keeps the events in the
// record until they are journaled, so a journal append that fails after it is repaired later instead of
// losing them (see #change). State is rebuilt from the journal at start.
import { createHash, randomInt as cryptoRandomInt, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
	type AgentQueueView,
	type Availability,
	type CallQualitySummary,
	CONSENT_VERSION,
	type CreateVerificationBody,
	checklistFor,
	DEFAULT_LOCALE,
	ELIGIBILITY_REFUSALS,
	ErrorCode,
	isFinalState,
	isInterpreterStep,
	type ListVerificationsQuery,
	MIN_AGE,
	mayRequest,
	type Outcome,
	pickSecurityFeatures,
	type QueueStatus,
	type ReasonCode,
	type Role,
	type VerificationNotifications,
	type VerificationRequestPayload,
	type VerificationResponses,
	type VerificationSnapshot,
	type VerificationState,
	type VerificationView,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Journal, JournalRecord } from '../store/Journal.ts';
import type { LiveState, SortedSetEffects, Versioned } from '../store/LiveState.ts';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import { ineligibilityOf, WaitEstimator } from './routing.ts';
import type { Actor, AgentProfile, Audience, DomainSettings, InterpreterInvitation, Notification, RequestName } from './types.ts';
import {
	applyEvent,
	interpreterChecklist,
	type UnjournaledEvents,
	VERIFICATION_EVENT_TYPES,
	type VerificationEvent,
	type VerificationRecord,
} from './VerificationRecord.ts';
import { buildOutcome, challengeView, participantsOf, snapshotFor, stepView, verificationView } from './views.ts';

export type VerificationServiceDeps = {
	journal: Journal;
	liveState: LiveState;
	outbox: Pick<WebhookOutbox, 'enqueue'>;
	logger: Logger;
	settings: DomainSettings;
	clock?: () => Date;
	randomInt?: (maxExclusive: number) => number;
	/** The outcome as a compact JWS, for the host to check offline. */
	signOutcome: (outcome: Outcome) => string;
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
	/**
	 * How often this process looks for deadlines and grace periods that are due, whichever process set
	 * them (one that died, say). Default 1000 ms.
	 */
	sweepIntervalMs?: number;
	/**
	 * Several processes share the live state (Redis): each connection is recorded under this process,
	 * which keeps itself known with a heartbeat; when a process stops beating (killed), another one ends
	 * its connections as if they had dropped, so their grace periods start.
	 */
	trackConnections?: boolean;
	/** How long a process may go without a heartbeat before it is taken for dead. Default 10 s. */
	processTtlMs?: number;
};

/** A connection as recorded under the process that holds it; handed back when it ends. */
export type ConnectionRef = { processId: string; member: string };

/** An agent as the live state keeps it: profile, availability, connections and current call. */
type AgentRecord = AgentProfile & {
	availability: Availability;
	/** The participant id of the agent's latest connection: where its own notifications go. */
	participantId: string | null;
	connections: number;
	verificationId: string | null;
};

type Change<T> = {
	events: VerificationEvent[];
	/** Changes to live-only fields, made after the events are folded in. */
	live?: (record: VerificationRecord) => void;
	effects?: SortedSetEffects;
	result: T;
};

const KEY = {
	verification: (id: string) => `verification:${id}`,
	agent: (agentId: string) => `agent:${agentId}`,
	document: (hash: string) => `document:${hash}`,
	invitationUse: (invitationId: string) => `invitation-used:${invitationId}`,
	/** Waiting verifications, scored by when they started waiting. */
	queue: 'queue:waiting',
	/** Every verification, scored by creation time: the host's listing. */
	index: 'verifications',
	/**
	 * The journal head the live state was last rebuilt up to: a process starting on a live state that
	 * others already serve checks only the verifications journaled after it.
	 */
	rebuilt: 'rebuilt',
	/**
	 * Every pending deadline and grace period of every verification, scored by when it is due; kept in
	 * step with the records in the same atomic update, and swept by every process.
	 */
	timers: 'timers',
	/** One process handles a due timer; the claim lapses so another retries if that one dies. */
	timerFiring: (member: string) => `timer-firing:${member}`,
	/**
	 * Verifications whose record holds events not known to be journaled, scored by when they were
	 * written; kept in step with the records in the same atomic update, and swept by every process.
	 */
	unjournaled: 'unjournaled',
	/** One process journals a record's unjournaled events; released when it fails, so another may retry. */
	repair: (verificationId: string, rev: string) => `repair:${verificationId}:${rev}`,
	/** Processes that record connections, scored by when they registered. */
	processes: 'processes',
	process: (processId: string) => `process:${processId}`,
	/** A process's heartbeat: gone when it has not beaten for processTtlMs. */
	alive: (processId: string) => `alive:${processId}`,
	reaping: (processId: string) => `reaping:${processId}`,
	/** The connections a process holds: `<connectionId>|<actor JSON>`. */
	connections: (processId: string) => `connections:${processId}`,
	/** Agents with at least one open connection. */
	onlineAgents: 'agents:online',
} as const;

const ALL_ROLES: Role[] = ['applicant', 'agent', 'interpreter'];
/** Long enough for a timer's handler to finish; a process that dies while handling one is retried after it. */
const TIMER_CLAIM_MS = 15_000;
/** Due timers handled per sweep; the rest wait for the next sweep. */
const SWEEP_BATCH = 100;
/**
 * A process that has not beaten for this long is taken for dead and its connections are ended. Long
 * enough that a busy event loop is not mistaken for a crash; it adds to the grace period of the
 * participants of a killed process, who usually reconnect to another process well before it.
 */
const DEFAULT_PROCESS_TTL_MS = 10_000;
/** How long one process may take to end a dead process's connections before another may try. */
const REAPING_CLAIM_MS = 30_000;
const DEFAULT_PAGE_SIZE = 50;
/**
 * Until its unjournaled events are this old, the process that wrote them may still be journaling them,
 * so no other process repairs them (a change of another process waits for them, up to UNJOURNALED_WAIT_MS).
 * Far longer than the few milliseconds journaling takes; a store that is away fails an append sooner.
 */
const UNJOURNALED_STALE_MS = 5_000;
const UNJOURNALED_WAIT_MS = 1_000;
const UNJOURNALED_POLL_MS = 20;
/** Long enough for a repair to append a change's events; released at once when it fails. */
const REPAIR_CLAIM_MS = 30_000;
// setTimeout fires at once for longer delays; a deadline further away is re-checked when this fires.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

type ProcessRecord = { registeredAt: string; reaped: boolean };

export class VerificationService extends EventEmitter<{
	notification: [Notification];
	/** Another process took this one for dead and ended its connections: its sockets must reconnect. */
	evicted: [];
}> {
	readonly #journal: Journal;
	readonly #live: LiveState;
	readonly #outbox: Pick<WebhookOutbox, 'enqueue'>;
	readonly #logger: Logger;
	readonly #settings: DomainSettings;
	readonly #clock: () => Date;
	readonly #randomInt: (maxExclusive: number) => number;
	readonly #signOutcome: (outcome: Outcome) => string;
	readonly #hashDocument: (type: string, number: string) => string;
	readonly #interpreterLink: (invitation: InterpreterInvitation) => string;
	readonly #callQuality: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;
	readonly #waits: WaitEstimator;
	readonly #locks = new Map<string, Promise<void>>();
	readonly #timers = new Map<string, NodeJS.Timeout>();
	/** Background work (timers firing, outcomes being recorded) that close() waits for. */
	readonly #background = new Set<Promise<void>>();
	readonly #storeReady: (() => Promise<void>) | undefined;
	readonly #sweepIntervalMs: number;
	#sweeper: NodeJS.Timeout | undefined;
	/** Its own timer: a slow sweep (many due timers, a dead process's connections) must not look like death. */
	#heartbeat: NodeJS.Timeout | undefined;
	readonly #trackConnections: boolean;
	readonly #processTtlMs: number;
	/** Under which this process records its connections; a new one after an eviction. */
	#processId = randomUUID();
	#registered = false;
	#sweeping: Promise<void> | undefined;
	#started = false;
	#starting: Promise<void> | undefined;
	#closed = false;

	/** Rebuilds every verification from the journal, then re-arms deadlines and grace periods. */
	static async create(deps: VerificationServiceDeps): Promise<VerificationService> {
		const service = new VerificationService(deps);
		await service.#rebuild();
		service.#started = true;
		service.#startSweeping();
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
				await this.#rebuild();
				// Known to the other processes before it records any connection, so that they can end its
				// connections should it die at once.
				if (this.#trackConnections) await this.#beat();
				this.#started = true;
				this.#startSweeping();
				return;
			} catch (error) {
				if (this.#closed) return;
				if (!(error instanceof AppError && error.code === ErrorCode.UNAVAILABLE)) throw error;
				this.#logger.warn({ err: error }, 'the store went away during the start-up rebuild; retrying when it is back');
				if (!this.#storeReady) throw error;
			}
		}
	}

	private constructor(deps: VerificationServiceDeps) {
		super();
		this.#journal = deps.journal;
		this.#live = deps.liveState;
		this.#outbox = deps.outbox;
		this.#logger = deps.logger.child({ component: 'verifications' });
		this.#settings = deps.settings;
		this.#clock = deps.clock ?? (() => new Date());
		this.#randomInt = deps.randomInt ?? ((maxExclusive) => cryptoRandomInt(maxExclusive));
		this.#signOutcome = deps.signOutcome;
		this.#hashDocument = deps.hashDocument;
		this.#interpreterLink = deps.interpreterLink;
		this.#callQuality = deps.callQuality ?? (() => null);
		this.#waits = new WaitEstimator(deps.settings.waitSamples, deps.settings.defaultWaitEstimateMs);
		this.#storeReady = deps.storeReady;
		this.#sweepIntervalMs = deps.sweepIntervalMs ?? 1000;
		this.#trackConnections = deps.trackConnections ?? false;
		this.#processTtlMs = deps.processTtlMs ?? DEFAULT_PROCESS_TTL_MS;
	}

	// ---- host API ----

	async createVerification(
		input: CreateVerificationBody,
	): Promise<{ verification: VerificationView; applicantParticipantId: string }> {
		this.#assertOpen();
		this.#checkEligibility(input);
		const now = this.#clock();
		const id = randomUUID();
		const applicantParticipantId = randomUUID();
		const accessibility = {
			interpreter: input.accessibility?.interpreter ?? false,
			textOnlyChallenge: input.accessibility?.textOnlyChallenge ?? false,
		};
		const event: VerificationEvent = {
			type: 'verification.created',
			data: {
				at: now.toISOString(),
				externalUserRef: input.externalUserRef,
				purpose: input.purpose,
				locale: input.locale ?? DEFAULT_LOCALE,
				accessibility,
				expiresAt: new Date(now.getTime() + this.#settings.joinWindowMs).toISOString(),
				applicantParticipantId,
				checklist: checklistFor(input.purpose, accessibility),
			},
		};
		const record = applyEvent(undefined, event, id);
		await this.#journal.append({ type: event.type, verificationId: id, data: event.data });
		await this.#live.create(KEY.verification(id), record, {
			add: [{ set: KEY.index, member: id, score: now.getTime() }, ...this.#timersOf(record)],
		});
		this.#logger.info({ verificationId: id, purpose: record.purpose, locale: record.locale }, 'verification created');
		this.#armDeadline(record);
		return { verification: verificationView(record), applicantParticipantId };
	}

	async getVerification(id: string): Promise<VerificationView> {
		return verificationView(await this.#load(id));
	}

	async listVerifications(query: ListVerificationsQuery): Promise<{ items: VerificationView[]; nextCursor: string | null }> {
		const limit = query.limit ?? DEFAULT_PAGE_SIZE;
		let after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
		const minScore = query.since === undefined ? undefined : Date.parse(query.since);
		const items: VerificationView[] = [];
		let more = false;
		// A state filter may skip many members, so pages of the index are read until the page is full.
		while (!more) {
			const batch = await this.#live.range(KEY.index, { minScore, after, limit: limit + 1 });
			for (const entry of batch) {
				const stored = await this.#live.get<VerificationRecord>(KEY.verification(entry.member));
				if (!stored || (query.state !== undefined && stored.value.state !== query.state)) {
					after = entry;
					continue;
				}
				if (items.length === limit) {
					more = true;
					break;
				}
				items.push(verificationView(stored.value));
				after = entry;
			}
			if (batch.length < limit + 1) break;
		}
		const last = items.at(-1);
		return {
			items,
			nextCursor: more && last ? encodeCursor({ score: Date.parse(last.createdAt), member: last.id }) : null,
		};
	}

	async getEvents(id: string): Promise<JournalRecord[]> {
		await this.#load(id);
		return this.#journal.readVerification(id);
	}

	// ---- socket requests ----

	handle<N extends RequestName>(
		name: N,
		actor: Actor,
		payload: VerificationRequestPayload<N>,
	): Promise<VerificationResponses[N]> {
		this.#assertOpen();
		// The transport enforces REQUEST_ROLES before calling; checking again keeps the domain safe on its own.
		if (!mayRequest(actor.role, name)) return Promise.reject(AppError.forbidden(`an ${actor.role} may not ${name}`));
		const handler = this.#handlers[name] as (
			actor: Actor,
			payload: VerificationRequestPayload<N>,
		) => Promise<VerificationResponses[N]>;
		return handler(actor, payload);
	}

	readonly #handlers: {
		[N in RequestName]: (actor: Actor, payload: VerificationRequestPayload<N>) => Promise<VerificationResponses[N]>;
	} = {
		consent: (actor, payload) => this.#consent(actor, payload.consentVersion),
		cancel: (actor) => this.#cancel(actor),
		leave: (actor) => this.#leave(actor),
		setAvailability: (actor, payload) => this.#setAvailability(actor, payload.availability),
		getQueue: (actor) => this.#getQueue(actor),
		accept: (actor, payload) => this.#accept(actor, payload.verificationId),
		promptStep: (actor, payload) => this.#promptStep(actor, payload.stepId),
		markStep: (actor, payload) => this.#markStep(actor, payload),
		answerChallenge: (actor, payload) => this.#answerChallenge(actor, payload.answer),
		inviteInterpreter: (actor) => this.#inviteInterpreter(actor),
		removeInterpreter: (actor) => this.#removeInterpreter(actor),
		declareInterpreter: (actor, payload) => this.#declareInterpreter(actor, payload),
		checkDocument: (actor, payload) => this.#checkDocument(actor, payload),
		decide: (actor, payload) => this.#decide(actor, payload),
		getState: (actor) => this.#getState(actor),
		sendChat: (actor, payload) => this.#sendChat(actor, payload.text),
	};

	async #consent(actor: Actor, consentVersion: string): Promise<VerificationSnapshot> {
		if (actor.role === 'interpreter') return this.#interpreterConsent(actor, consentVersion);
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const { after } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			if (record.state !== 'created') throw AppError.invalidState(`consent is given once; the verification is ${record.state}`);
			if (Date.parse(record.expiresAt) <= now.getTime()) throw AppError.invalidState('this verification link has expired');
			if (consentVersion !== CONSENT_VERSION) {
				throw AppError.invalidState(`the consent text has changed (now ${CONSENT_VERSION}); reload and read it again`);
			}
			return {
				events: [{ type: 'verification.consented', data: { at: now.toISOString(), consentVersion } }],
				effects: { add: [{ set: KEY.queue, member: id, score: now.getTime() }] },
				result: undefined,
			};
		});
		this.#logger.info({ verificationId: id, consentVersion }, 'consent given; waiting for an agent');
		this.#notifyStateChanged(after, 'created');
		this.#armDeadline(after);
		await this.#broadcastQueue();
		return this.#snapshot(after, actor);
	}

	/** The interpreter's own consent, given once per invitation; giving it again changes nothing. */
	async #interpreterConsent(actor: Actor, consentVersion: string): Promise<VerificationSnapshot> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const { after } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
			if (consentVersion !== CONSENT_VERSION) {
				throw AppError.invalidState(`the consent text has changed (now ${CONSENT_VERSION}); reload and read it again`);
			}
			if (record.interpreter?.consent) return { events: [], result: undefined };
			const data = { at: now.toISOString(), participantId: actor.participantId, consentVersion };
			return { events: [{ type: 'interpreter.consented', data }], result: undefined };
		});
		this.#logger.info({ verificationId: id, consentVersion }, 'interpreter consent given');
		return this.#snapshot(after, actor);
	}

	async #cancel(actor: Actor): Promise<VerificationSnapshot> {
		const id = await this.#verificationOf(actor);
		const record = await this.#load(id);
		this.#assertMember(record, actor);
		if (record.state === 'in_call') throw AppError.invalidState('the call has started: leave it instead');
		if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
		const after = await this.#end(id, 'abandoned', ['applicant_left'], ['created', 'waiting']);
		if (!after) throw AppError.conflict('the verification changed at the same time; try again');
		return this.#snapshot(after, actor);
	}

	async #leave(actor: Actor): Promise<Record<string, never>> {
		const id = await this.#verificationOf(actor);
		const record = await this.#load(id);
		this.#assertMember(record, actor);
		if (isFinalState(record.state)) return {};
		if (actor.role === 'interpreter') {
			await this.#interpreterGone(id, actor.participantId, 'left');
		} else if (record.state === 'in_call') {
			await this.#end(id, 'interrupted', ['applicant_left'], ['in_call']);
		} else {
			await this.#end(id, 'abandoned', ['applicant_left'], ['created', 'waiting']);
		}
		return {};
	}

	async #setAvailability(actor: Actor, availability: Availability): Promise<AgentQueueView> {
		const profile = requireAgent(actor);
		const agent = await this.#withLock(`agent:${profile.agentId}`, async () => {
			const stored = await this.#loadAgent(profile, actor.participantId);
			const next = { ...stored.value, availability };
			await this.#writeAgent(stored, next);
			return next;
		});
		this.#logger.info({ agentId: profile.agentId, availability }, 'agent availability changed');
		await this.#broadcastQueue();
		return this.#queueViewFor(agent);
	}

	async #getQueue(actor: Actor): Promise<AgentQueueView> {
		const profile = requireAgent(actor);
		const stored = await this.#loadAgent(profile, actor.participantId);
		return this.#queueViewFor(stored.value);
	}

	async #accept(actor: Actor, requested: string | undefined): Promise<VerificationSnapshot> {
		const profile = requireAgent(actor);
		const now = this.#clock();
		const after = await this.#withLock(`agent:${profile.agentId}`, async () => {
			const agent = await this.#loadAgent(profile, actor.participantId);
			if (agent.value.verificationId && !(await this.#isOver(agent.value.verificationId))) {
				throw AppError.invalidState('you are already in a call; decide it first');
			}
			if (agent.value.availability !== 'available') throw AppError.invalidState('set yourself available before accepting');
			const id = requested ?? (await this.#nextFor(agent.value));
			if (id === undefined) throw AppError.invalidState('no verification you may take is waiting');
			const { after } = await this.#change(id, (record) => {
				if (record.state === 'in_call' || record.agent !== null) {
					throw AppError.conflict('another agent has already taken this verification');
				}
				if (record.state !== 'waiting') throw AppError.invalidState(`the verification is ${record.state}, not waiting`);
				const reason = ineligibilityOf(agent.value, record);
				if (reason) throw AppError.forbidden(`you may not take this verification: ${reason}`);
				return {
					events: [
						{
							type: 'verification.accepted',
							data: {
								at: now.toISOString(),
								agentId: profile.agentId,
								agentName: profile.displayName,
								participantId: actor.participantId,
							},
						},
					],
					live: (next) => {
						if (next.agent) next.agent.connections = Math.max(1, agent.value.connections);
					},
					effects: { remove: [{ set: KEY.queue, member: id }] },
					result: undefined,
				};
			});
			await this.#writeAgent(agent, { ...agent.value, verificationId: id, participantId: actor.participantId });
			return after;
		});
		this.#clearTimer(`deadline:${after.id}`);
		if (after.consentedAt) this.#waits.record(now.getTime() - Date.parse(after.consentedAt));
		this.#logger.info({ verificationId: after.id, agentId: profile.agentId }, 'verification accepted');
		this.#notifyStateChanged(after, 'waiting');
		const [agentView] = participantsOf(after).filter((participant) => participant.role === 'agent');
		if (agentView) this.#notify({ verificationId: after.id }, 'participantJoined', { participant: agentView, resumed: false });
		await this.#broadcastQueue();
		return this.#snapshot(after, actor);
	}

	async #promptStep(
		actor: Actor,
		stepId: VerificationRequestPayload<'promptStep'>['stepId'],
	): Promise<VerificationResponses['promptStep']> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		let challengeValue: string | null = null;
		const { after } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			assertInCall(record);
			const step = record.checklist.find((candidate) => candidate.id === stepId);
			if (!step) throw AppError.invalidState(`this checklist has no step ${stepId}`);
			if (step.status === 'not_applicable') throw AppError.invalidState(`step ${stepId} no longer applies`);
			if (isInterpreterStep(step.id) && !interpreterPresent(record)) {
				throw AppError.invalidState('no interpreter is in the call for this step');
			}
			const events: VerificationEvent[] = [];
			// The features are drawn once; a re-prompt shows the same ones, so retrying cannot shop for easy ones.
			const securityFeatures =
				step.kind === 'security_features' && !step.securityFeatures
					? pickSecurityFeatures(this.#randomInt, this.#settings.securityFeatureCount)
					: null;
			events.push({ type: 'step.prompted', data: { at: now.toISOString(), stepId, securityFeatures } });
			if (step.kind === 'challenge') {
				// A new number on every prompt; the old one stops being valid with it.
				challengeValue = String(this.#randomInt(1_000_000)).padStart(6, '0');
				events.push({
					type: 'challenge.issued',
					data: {
						at: now.toISOString(),
						stepId,
						typed: record.accessibility.textOnlyChallenge,
						expiresAt: new Date(now.getTime() + this.#settings.challengeTtlMs).toISOString(),
					},
				});
			}
			return {
				events,
				live: (next) => {
					if (next.challenge && challengeValue !== null) next.challenge.value = challengeValue;
				},
				result: undefined,
			};
		});
		const step = after.checklist.find((candidate) => candidate.id === stepId);
		if (!step) throw new TypeError(`step ${stepId} vanished`);
		for (const role of ALL_ROLES) {
			this.#notify({ verificationId: id, roles: [role] }, 'stepPrompted', {
				step: stepView(step, role),
				challenge: step.kind === 'challenge' ? challengeView(after, role, now) : null,
			});
		}
		return {
			step: stepView(step, 'agent'),
			challenge: step.kind === 'challenge' ? challengeView(after, 'agent', now) : null,
		};
	}

	async #markStep(actor: Actor, payload: VerificationRequestPayload<'markStep'>): Promise<VerificationResponses['markStep']> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const { after } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			assertInCall(record);
			const step = record.checklist.find((candidate) => candidate.id === payload.stepId);
			if (!step) throw AppError.invalidState(`this checklist has no step ${payload.stepId}`);
			if (step.status === 'pending') throw AppError.invalidState(`prompt step ${step.id} before marking it`);
			if (step.status === 'not_applicable') throw AppError.invalidState(`step ${step.id} no longer applies`);
			if (payload.result === 'passed') {
				if (step.kind === 'interpreter_declaration' && !record.interpreter?.declaration) {
					throw AppError.invalidState('the interpreter has not declared a name and relation yet');
				}
				if (step.kind === 'challenge' && record.accessibility.textOnlyChallenge) {
					const challenge = record.challenge;
					if (!challenge || challenge.stepId !== step.id || challenge.matched !== true) {
						throw AppError.invalidState('the typed answer to the current number has not matched');
					}
				}
			}
			return {
				events: [
					{
						type: 'step.marked',
						data: { at: now.toISOString(), stepId: step.id, result: payload.result, note: payload.note ?? null },
					},
				],
				result: undefined,
			};
		});
		const step = after.checklist.find((candidate) => candidate.id === payload.stepId);
		if (!step) throw new TypeError(`step ${payload.stepId} vanished`);
		for (const role of ALL_ROLES)
			this.#notify({ verificationId: id, roles: [role] }, 'stepMarked', { step: stepView(step, role) });
		return { step: stepView(step, 'agent') };
	}

	async #answerChallenge(actor: Actor, answer: string): Promise<VerificationResponses['answerChallenge']> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const { after, result } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			assertInCall(record);
			const challenge = record.challenge;
			if (!challenge || challenge.value === null) throw AppError.invalidState('no number is waiting for an answer');
			if (!challenge.typed) throw AppError.invalidState('this call checks the number spoken aloud, not typed');
			if (challenge.answered) throw AppError.invalidState('this number was already answered; ask the agent for a new one');
			if (Date.parse(challenge.expiresAt) <= now.getTime()) {
				throw AppError.invalidState('this number has expired; ask the agent for a new one');
			}
			const matched = sameText(answer.replace(/\s+/g, ''), challenge.value);
			return {
				events: [{ type: 'challenge.answered', data: { at: now.toISOString(), stepId: challenge.stepId, matched } }],
				result: { matched, stepId: challenge.stepId },
			};
		});
		this.#notify({ verificationId: after.id, roles: ['agent'] }, 'challengeAnswered', {
			stepId: result.stepId,
			matched: result.matched,
			at: now.toISOString(),
		});
		return { matched: result.matched };
	}

	async #inviteInterpreter(actor: Actor): Promise<VerificationResponses['inviteInterpreter']> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const invitation: InterpreterInvitation = {
			invitationId: randomUUID(),
			verificationId: id,
			participantId: randomUUID(),
			expiresAt: new Date(now.getTime() + this.#settings.invitationTtlMs).toISOString(),
		};
		await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
			if (interpreterPresent(record)) throw AppError.invalidState('an interpreter is already taking part');
			return {
				events: [
					{
						type: 'interpreter.invited',
						data: {
							at: now.toISOString(),
							invitationId: invitation.invitationId,
							participantId: invitation.participantId,
							invitedBy: actor.role,
							expiresAt: invitation.expiresAt,
						},
					},
				],
				result: undefined,
			};
		});
		const url = this.#interpreterLink(invitation);
		this.#logger.info({ verificationId: id, invitationId: invitation.invitationId, by: actor.role }, 'interpreter invited');
		const notice = { invitationId: invitation.invitationId, invitedBy: actor.role, expiresAt: invitation.expiresAt };
		// The applicant hands the link to the interpreter, so only the applicant's copy carries it.
		this.#notify({ verificationId: id, roles: ['applicant'] }, 'interpreterInvited', { ...notice, url });
		this.#notify({ verificationId: id, roles: ['agent'] }, 'interpreterInvited', notice);
		await this.#broadcastQueueIfWaiting(id);
		return { invitationId: invitation.invitationId, expiresAt: invitation.expiresAt, url };
	}

	async #removeInterpreter(actor: Actor): Promise<Record<string, never>> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const { before, after } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			assertInCall(record);
			const interpreter = record.interpreter;
			if (!interpreter || !interpreterPresent(record)) throw AppError.invalidState('no interpreter is taking part');
			return {
				events: [{ type: 'interpreter.removed', data: { at: now.toISOString(), participantId: interpreter.participantId } }],
				result: undefined,
			};
		});
		const participantId = before.interpreter?.participantId;
		if (!participantId) throw new TypeError('interpreter vanished');
		this.#clearTimer(`grace:${participantId}`);
		this.#logger.info({ verificationId: id }, 'interpreter removed');
		this.#notify({ verificationId: id }, 'interpreterRemoved', { participantId });
		this.#notify({ verificationId: id }, 'participantLeft', { participantId, role: 'interpreter', reason: 'removed' });
		this.#notifyChecklist(after);
		return {};
	}

	async #declareInterpreter(
		actor: Actor,
		payload: VerificationRequestPayload<'declareInterpreter'>,
	): Promise<Record<string, never>> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
			return {
				events: [
					{
						type: 'interpreter.declared',
						data: { at: now.toISOString(), fullName: payload.fullName, relation: payload.relation },
					},
				],
				result: undefined,
			};
		});
		this.#notify({ verificationId: id }, 'interpreterDeclared', {
			participantId: actor.participantId,
			fullName: payload.fullName,
			relation: payload.relation,
		});
		return {};
	}

	async #checkDocument(
		actor: Actor,
		payload: VerificationRequestPayload<'checkDocument'>,
	): Promise<VerificationResponses['checkDocument']> {
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const documentHash = this.#hashDocument(payload.documentType, payload.documentNumber);
		const holders = await this.#live.range(KEY.document(documentHash));
		const { result } = await this.#change(id, (record) => {
			this.#assertMember(record, actor);
			assertInCall(record);
			const duplicate = holders.some((holder) => holder.member !== record.externalUserRef);
			return {
				events: [
					{
						type: 'document.checked',
						data: { at: now.toISOString(), documentType: payload.documentType, documentHash, duplicate },
					},
				],
				result: duplicate,
			};
		});
		this.#logger.info({ verificationId: id, duplicate: result }, 'document checked');
		return { duplicate: result };
	}

	async #decide(actor: Actor, payload: VerificationRequestPayload<'decide'>): Promise<VerificationSnapshot> {
		const profile = requireAgent(actor);
		const id = await this.#verificationOf(actor);
		const now = this.#clock();
		const after = await this.#withLock(`agent:${profile.agentId}`, async () => {
			const { after } = await this.#change(id, async (record) => {
				this.#assertMember(record, actor);
				assertInCall(record);
				const state = payload.decision === 'approve' ? 'approved' : payload.decision === 'reject' ? 'rejected' : 'escalated';
				if (state === 'approved') {
					const open = record.checklist.filter(
						(step) => step.required && step.status !== 'passed' && step.status !== 'not_applicable',
					);
					if (open.length > 0) {
						throw AppError.invalidState(
							`approval needs every required step passed; not passed: ${open.map((step) => step.id).join(', ')}`,
						);
					}
				}
				const reasonCodes = payload.decision === 'reject' ? [...new Set(payload.reasonCodes)] : [];
				const note = payload.decision === 'approve' ? null : (payload.note ?? null);
				return {
					events: await this.#withOutcome(record, {
						type: 'verification.decided',
						data: { at: now.toISOString(), state, reasonCodes, note, agentId: profile.agentId, agentName: profile.displayName },
					}),
					// An approved document becomes the one its user is known by, for later duplicate checks.
					effects:
						state === 'approved'
							? {
									add: record.documentHashes.map((hash) => ({
										set: KEY.document(hash),
										member: record.externalUserRef,
										score: 0,
									})),
								}
							: undefined,
					result: undefined,
				};
			});
			await this.#releaseAgent(profile.agentId, id);
			return after;
		});
		this.#logger.info({ verificationId: id, state: after.state, agentId: profile.agentId }, 'verification decided');
		this.#afterFinal(after, 'in_call');
		const decision = after.decision;
		if (decision && (after.state === 'approved' || after.state === 'rejected' || after.state === 'escalated')) {
			const notice = { verificationId: id, state: after.state, reasonCodes: decision.reasonCodes, at: now.toISOString() };
			this.#notify({ verificationId: id, roles: ['applicant', 'interpreter'] }, 'decided', notice);
			this.#notify({ verificationId: id, roles: ['agent'] }, 'decided', { ...notice, note: decision.note });
		}
		await this.#finalize(id);
		return this.#snapshot(await this.#load(id), actor);
	}

	async #getState(actor: Actor): Promise<VerificationSnapshot> {
		const id = await this.#verificationOf(actor);
		const record = await this.#load(id);
		this.#assertMember(record, actor);
		return this.#snapshot(record, actor);
	}

	async #sendChat(actor: Actor, text: string): Promise<Record<string, never>> {
		const id = await this.#verificationOf(actor);
		const record = await this.#load(id);
		this.#assertMember(record, actor);
		if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
		// Chat is relayed, never stored: no journal record and no log line with its text.
		this.#notify({ verificationId: id }, 'chatMessageSent', {
			from: { participantId: actor.participantId, role: actor.role },
			text,
			at: this.#clock().toISOString(),
		});
		return {};
	}

	// ---- presence ----

	/** First join, or a resume within the grace period. Returns the verification the participant is in. */
	async participantConnected(
		actor: Actor,
		connectionId?: string,
	): Promise<{ verificationId: string | undefined; connection: ConnectionRef | undefined }> {
		this.#assertOpen();
		const connection = this.#connectionRef(actor, connectionId);
		if (actor.role === 'agent') return { ...(await this.#agentConnected(actor, connection)), connection };
		const id = await this.#verificationOf(actor);
		if (!(await this.#live.get(KEY.verification(id)))) throw AppError.unauthenticated('this token names no known verification');
		const now = this.#clock();
		const recorded = connectionEffects('add', connection, now);
		const { before, after } = await this.#change(id, async (record) => {
			if (actor.role !== 'applicant') {
				const join = await this.#interpreterJoin(record, actor, now);
				return { ...join, effects: mergeEffects(join.effects, recorded) };
			}
			this.#assertMember(record, actor);
			if (record.state === 'created' && Date.parse(record.expiresAt) <= now.getTime()) {
				throw AppError.unauthenticated('this verification link has expired');
			}
			return {
				events:
					record.applicant.joinedAt === null
						? [
								{
									type: 'participant.joined',
									data: { at: now.toISOString(), participantId: actor.participantId, role: 'applicant' },
								},
							]
						: [],
				live: (next) => {
					next.applicant.connections += 1;
					next.applicant.disconnectedAt = null;
				},
				effects: recorded,
				result: undefined,
			};
		});
		const presence = actor.role === 'applicant' ? before.applicant : before.interpreter;
		const firstConnection = (presence?.connections ?? 0) === 0;
		this.#clearTimer(`grace:${actor.participantId}`);
		if (firstConnection && !isFinalState(after.state)) {
			const participant = participantsOf(after).find((candidate) => candidate.participantId === actor.participantId);
			if (participant) {
				const resumed = presence?.joinedAt != null;
				this.#notify({ verificationId: id }, 'participantJoined', { participant, resumed });
			}
		}
		if (actor.role === 'interpreter' && before.interpreter?.joinedAt === null) {
			this.#logger.info({ verificationId: id }, 'interpreter joined');
			this.#notifyChecklist(after);
			await this.#broadcastQueueIfWaiting(id);
		}
		if (after.state === 'waiting' && actor.role === 'applicant') await this.#broadcastQueue();
		return { verificationId: id, connection };
	}

	/** Ends one connection; when it was the participant's last, its grace period starts. */
	async participantDisconnected(actor: Actor, connection?: ConnectionRef): Promise<void> {
		if (this.#closed) return;
		const now = this.#clock();
		// Ended already: by another process that took this one for dead.
		if (connection && (await this.#live.rank(KEY.connections(connection.processId), connection.member)) === undefined) return;
		const recorded = connectionEffects('remove', connection, now);
		if (actor.role === 'agent') {
			await this.#agentDisconnected(actor, now, recorded);
			return;
		}
		const id = await this.#verificationOf(actor);
		const { after } = await this.#change(id, (record) => ({
			events: [],
			effects: recorded,
			live: (next) => {
				const presence = actor.role === 'applicant' ? next.applicant : next.interpreter;
				if (!presence || presence.participantId !== actor.participantId || presence.connections === 0) return;
				presence.connections -= 1;
				if (presence.connections === 0) presence.disconnectedAt = now.toISOString();
			},
			result: record.state,
		}));
		const presence = actor.role === 'applicant' ? after.applicant : after.interpreter;
		if (presence?.participantId === actor.participantId && presence.connections === 0 && presence.disconnectedAt) {
			this.#startGrace(after, actor.role, actor.participantId, presence.disconnectedAt);
		}
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#sweeper);
		clearInterval(this.#heartbeat);
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
		await Promise.allSettled([...this.#background]);
	}

	// ---- agents ----

	async #agentConnected(actor: Actor, connection: ConnectionRef | undefined): Promise<{ verificationId: string | undefined }> {
		const profile = requireAgent(actor);
		const agent = await this.#withLock(`agent:${profile.agentId}`, async () => {
			const stored = await this.#loadAgent(profile, actor.participantId);
			const next: AgentRecord = {
				...stored.value,
				...profile,
				participantId: actor.participantId,
				connections: stored.value.connections + 1,
			};
			await this.#writeAgent(
				stored,
				next,
				mergeEffects(
					{ add: [{ set: KEY.onlineAgents, member: profile.agentId, score: 0 }] },
					connectionEffects('add', connection, this.#clock()),
				),
			);
			return next;
		});
		const id = agent.verificationId;
		if (id) {
			const { before, after } = await this.#change(id, () => ({
				events: [],
				live: (next) => {
					if (!next.agent || next.agent.agentId !== profile.agentId) return;
					next.agent.participantId = actor.participantId;
					next.agent.connections += 1;
					next.agent.disconnectedAt = null;
				},
				result: undefined,
			}));
			this.#clearTimer(`grace:agent:${profile.agentId}`);
			const participant = participantsOf(after).find((candidate) => candidate.role === 'agent');
			if (participant && before.agent?.connections === 0) {
				this.#notify({ verificationId: id }, 'participantJoined', { participant, resumed: true });
			}
		}
		this.#notify({ participantId: actor.participantId }, 'queueUpdated', await this.#queueViewFor(agent));
		return { verificationId: id ?? undefined };
	}

	async #agentDisconnected(actor: Actor, now: Date, recorded: SortedSetEffects | undefined): Promise<void> {
		const profile = requireAgent(actor);
		const agent = await this.#withLock(`agent:${profile.agentId}`, async () => {
			const stored = await this.#live.get<AgentRecord>(KEY.agent(profile.agentId));
			if (!stored) return undefined;
			if (stored.value.connections === 0) {
				if (recorded) await this.#writeAgent(stored, stored.value, recorded);
				return undefined;
			}
			const next = { ...stored.value, connections: stored.value.connections - 1 };
			await this.#writeAgent(
				stored,
				next,
				mergeEffects(
					next.connections === 0 ? { remove: [{ set: KEY.onlineAgents, member: profile.agentId }] } : undefined,
					recorded,
				),
			);
			return next;
		});
		if (!agent || agent.connections > 0) return;
		if (agent.availability === 'available') await this.#broadcastQueue();
		const id = agent.verificationId;
		if (!id) return;
		const { after } = await this.#change(id, () => ({
			events: [],
			live: (next) => {
				if (!next.agent || next.agent.agentId !== profile.agentId) return;
				next.agent.connections = 0;
				next.agent.disconnectedAt = now.toISOString();
			},
			result: undefined,
		}));
		if (after.state === 'in_call' && after.agent?.disconnectedAt) {
			this.#startGrace(after, 'agent', after.agent.participantId, after.agent.disconnectedAt);
		}
	}

	async #loadAgent(profile: AgentProfile, participantId: string): Promise<Versioned<AgentRecord>> {
		const key = KEY.agent(profile.agentId);
		const existing = await this.#live.get<AgentRecord>(key);
		if (existing) return existing;
		const fresh: AgentRecord = { ...profile, availability: 'away', participantId, connections: 0, verificationId: null };
		await this.#live.create(key, fresh);
		const created = await this.#live.get<AgentRecord>(key);
		if (!created) throw new TypeError(`agent ${profile.agentId} vanished`);
		return created;
	}

	async #writeAgent(stored: Versioned<AgentRecord>, next: AgentRecord, effects?: SortedSetEffects): Promise<void> {
		if (!(await this.#live.update(KEY.agent(next.agentId), stored.version, next, effects))) {
			throw AppError.conflict('your agent state changed at the same time; try again');
		}
	}

	/** Frees an agent from a verification that ended (decided, or interrupted with the agent gone). */
	async #releaseAgent(agentId: string, verificationId: string): Promise<void> {
		const stored = await this.#live.get<AgentRecord>(KEY.agent(agentId));
		if (!stored || stored.value.verificationId !== verificationId) return;
		await this.#writeAgent(stored, { ...stored.value, verificationId: null });
	}

	async #onlineAgents(): Promise<AgentRecord[]> {
		const members = await this.#live.range(KEY.onlineAgents);
		const agents = await Promise.all(members.map((entry) => this.#live.get<AgentRecord>(KEY.agent(entry.member))));
		return agents.flatMap((agent) => (agent && agent.value.connections > 0 ? [agent.value] : []));
	}

	async #waitingRecords(): Promise<VerificationRecord[]> {
		const entries = await this.#live.range(KEY.queue);
		const records = await Promise.all(entries.map((entry) => this.#live.get<VerificationRecord>(KEY.verification(entry.member))));
		return records.flatMap((record) => (record && record.value.state === 'waiting' ? [record.value] : []));
	}

	async #nextFor(agent: AgentRecord): Promise<string | undefined> {
		const waiting = await this.#waitingRecords();
		return waiting.find((record) => ineligibilityOf(agent, record) === undefined)?.id;
	}

	async #queueViewFor(agent: AgentRecord, waiting?: VerificationRecord[]): Promise<AgentQueueView> {
		const now = this.#clock().getTime();
		let nextGiven = agent.verificationId !== null;
		const items = (waiting ?? (await this.#waitingRecords())).map((record) => {
			const eligible = ineligibilityOf(agent, record) === undefined;
			const next = eligible && !nextGiven;
			if (next) nextGiven = true;
			const waitingSince = record.consentedAt ?? record.createdAt;
			return {
				verificationId: record.id,
				purpose: record.purpose,
				locale: record.locale,
				interpreterNeeded: record.accessibility.interpreter || record.interpreter !== null,
				textOnlyChallenge: record.accessibility.textOnlyChallenge,
				waitingSince,
				waitingSeconds: Math.max(0, Math.floor((now - Date.parse(waitingSince)) / 1000)),
				eligible,
				next,
			};
		});
		return { availability: agent.availability, verificationId: agent.verificationId, items };
	}

	/** Tells every waiting applicant its place and every connected agent its view of the queue. */
	async #broadcastQueue(): Promise<void> {
		const [waiting, agents] = await Promise.all([this.#waitingRecords(), this.#onlineAgents()]);
		const available = agents.filter((agent) => agent.availability === 'available' && agent.verificationId === null).length;
		waiting.forEach((record, index) => {
			this.#notify(
				{ participantId: record.applicant.participantId },
				'queuePositionChanged',
				this.#queueStatus(index + 1, waiting.length, available),
			);
		});
		for (const agent of agents) {
			if (agent.participantId)
				this.#notify({ participantId: agent.participantId }, 'queueUpdated', await this.#queueViewFor(agent, waiting));
		}
	}

	async #broadcastQueueIfWaiting(id: string): Promise<void> {
		const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
		if (stored?.value.state === 'waiting') await this.#broadcastQueue();
	}

	#queueStatus(position: number, queueLength: number, availableAgents: number): QueueStatus {
		return { position, queueLength, estimatedWaitSeconds: this.#waits.estimateSeconds(position, availableAgents) };
	}

	// ---- interpreters ----

	async #interpreterJoin(record: VerificationRecord, actor: Actor, now: Date): Promise<Change<undefined>> {
		const interpreter = record.interpreter;
		if (!interpreter || interpreter.participantId !== actor.participantId) {
			throw AppError.unauthenticated('this invitation is no longer valid');
		}
		if (isFinalState(record.state)) throw AppError.invalidState(`the verification is already ${record.state}`);
		if (interpreter.removed) throw AppError.unauthenticated('you were removed from this call');
		if (interpreter.left) throw AppError.unauthenticated('invitation already used');
		const live = (next: VerificationRecord) => {
			if (!next.interpreter) return;
			next.interpreter.connections += 1;
			next.interpreter.disconnectedAt = null;
		};
		if (interpreter.joinedAt !== null) {
			// Only a dropped interpreter may come back, within its grace period; a second device may not.
			if (interpreter.connections > 0) throw AppError.unauthenticated('invitation already used');
			return { events: [], live, result: undefined };
		}
		const remainingMs = Date.parse(interpreter.expiresAt) - now.getTime();
		if (remainingMs <= 0) throw AppError.unauthenticated('this invitation has expired');
		if (!(await this.#live.claimOnce(KEY.invitationUse(interpreter.invitationId), remainingMs + this.#settings.graceMs))) {
			throw AppError.unauthenticated('invitation already used');
		}
		return {
			events: [
				{
					type: 'interpreter.joined',
					data: { at: now.toISOString(), participantId: actor.participantId, checklist: interpreterChecklist(record) },
				},
			],
			live,
			result: undefined,
		};
	}

	async #interpreterGone(id: string, participantId: string, reason: 'left' | 'connection_lost'): Promise<void> {
		const now = this.#clock();
		const { events } = await this.#change(id, (record) => {
			const interpreter = record.interpreter;
			if (interpreter?.participantId !== participantId || interpreter.removed || interpreter.left) {
				return { events: [], result: undefined };
			}
			if (reason === 'connection_lost' && interpreter.connections > 0) return { events: [], result: undefined };
			return { events: [{ type: 'interpreter.left', data: { at: now.toISOString(), participantId } }], result: undefined };
		});
		if (events === 0) return;
		this.#clearTimer(`grace:${participantId}`);
		this.#notify({ verificationId: id }, 'participantLeft', { participantId, role: 'interpreter', reason });
	}

	// ---- endings, outcomes, timers ----

	/** Moves a verification from one of `from` to an undecided final state; undefined when it was not in `from`. */
	async #end(
		id: string,
		state: 'abandoned' | 'interrupted' | 'expired',
		reasonCodes: ReasonCode[],
		from: VerificationState[],
	): Promise<VerificationRecord | undefined> {
		const now = this.#clock();
		const { before, after, events } = await this.#change(id, async (record) => {
			if (!from.includes(record.state)) return { events: [], result: undefined };
			return {
				events: await this.#withOutcome(record, {
					type: 'verification.ended',
					data: { at: now.toISOString(), state, reasonCodes },
				}),
				effects: { remove: [{ set: KEY.queue, member: id }] },
				result: undefined,
			};
		});
		if (events === 0) return undefined;
		if (after.agent)
			await this.#withLock(`agent:${after.agent.agentId}`, () => this.#releaseAgent(after.agent?.agentId ?? '', id));
		this.#logger.info({ verificationId: id, state, reasonCodes }, `verification ${state}`);
		this.#afterFinal(after, before.state);
		if (before.state === 'waiting') await this.#broadcastQueue();
		await this.#finalize(id);
		return this.#load(id);
	}

	#afterFinal(record: VerificationRecord, previousState: VerificationState): void {
		this.#clearTimer(`deadline:${record.id}`);
		this.#clearTimer(`grace:${record.applicant.participantId}`);
		if (record.interpreter) this.#clearTimer(`grace:${record.interpreter.participantId}`);
		if (record.agent) this.#clearTimer(`grace:agent:${record.agent.agentId}`);
		this.#notifyStateChanged(record, previousState);
	}

	/**
	 * The final event followed by the outcome it leads to, so both land in one change: nobody reads a
	 * final state without its outcome.
	 */
	async #withOutcome(record: VerificationRecord, final: VerificationEvent): Promise<VerificationEvent[]> {
		const outcome = buildOutcome(applyEvent(record, final, record.id), await this.#callQuality(record.id));
		return [final, { type: 'outcome.recorded', data: { at: final.data.at, outcome, signedOutcome: this.#signOutcome(outcome) } }];
	}

	/**
	 * Records the outcome of a verification in a final state if it is missing (a crash between the two
	 * journal appends) and queues its webhook; safe to repeat, as the outbox dedupes by event id.
	 */
	async #finalize(id: string): Promise<void> {
		const { after } = await this.#change(id, async (record) => {
			if (!isFinalState(record.state) || record.outcome || !record.endedAt) return { events: [], result: undefined };
			const outcome = buildOutcome(record, await this.#callQuality(record.id));
			return {
				events: [{ type: 'outcome.recorded', data: { at: record.endedAt, outcome, signedOutcome: this.#signOutcome(outcome) } }],
				result: undefined,
			};
		});
		await this.#enqueueWebhook(after);
	}

	async #enqueueWebhook(record: VerificationRecord): Promise<void> {
		if (!record.outcome || !record.signedOutcome || !record.endedAt) return;
		const decided = record.outcome.decision !== null;
		await this.#outbox.enqueue({
			eventId: webhookEventId(record),
			type: decided ? 'verification.decided' : `verification.${record.state}`,
			verificationId: record.id,
			occurredAt: record.endedAt,
			payload: { outcome: record.outcome, signedOutcome: record.signedOutcome },
		});
	}

	#deadlineOf(record: VerificationRecord): number | undefined {
		if (record.state === 'created') return Date.parse(record.expiresAt);
		if (record.state === 'waiting' && record.consentedAt) return Date.parse(record.consentedAt) + this.#settings.maxWaitMs;
		return undefined;
	}

	#armDeadline(record: VerificationRecord): void {
		const deadline = this.#deadlineOf(record);
		if (deadline === undefined || (record.state !== 'created' && record.state !== 'waiting')) return;
		const member = timerMember({ kind: 'deadline', verificationId: record.id, state: record.state });
		this.#arm(`deadline:${record.id}`, deadline, () => this.#fireTimer(member));
	}

	/** False when the deadline is not reached yet (a clock ahead of this one set it): the timer stays. */
	async #checkDeadline(id: string): Promise<boolean> {
		const record = await this.#load(id);
		const deadline = this.#deadlineOf(record);
		if (deadline === undefined) return true;
		if (deadline > this.#clock().getTime()) return false;
		await this.#end(id, 'expired', [], [record.state]);
		return true;
	}

	#startGrace(record: VerificationRecord, role: Role, participantId: string, disconnectedAt: string): void {
		if (isFinalState(record.state)) return;
		const graceEndsAt = Date.parse(disconnectedAt) + this.#settings.graceMs;
		this.#notify({ verificationId: record.id }, 'participantReconnecting', {
			participantId,
			role,
			graceEndsAt: new Date(graceEndsAt).toISOString(),
		});
		const key = role === 'agent' && record.agent ? `grace:agent:${record.agent.agentId}` : `grace:${participantId}`;
		const member = timerMember({ kind: 'grace', verificationId: record.id, role, participantId, since: disconnectedAt });
		this.#arm(key, graceEndsAt, () => this.#fireTimer(member));
	}

	/**
	 * The grace period that began at `since` has passed. A participant who came back, or dropped again
	 * later (a newer grace period), is left alone; false when the period has not passed by this clock.
	 */
	async #graceExpired(id: string, role: Role, participantId: string, since: string): Promise<boolean> {
		if (Date.parse(since) + this.#settings.graceMs > this.#clock().getTime()) return false;
		const record = await this.#load(id);
		if (role === 'interpreter') {
			if (record.interpreter?.participantId === participantId && record.interpreter.disconnectedAt === since) {
				await this.#interpreterGone(id, participantId, 'connection_lost');
			}
			return true;
		}
		const presence = role === 'applicant' ? record.applicant : record.agent;
		if (!presence || presence.connections > 0 || presence.disconnectedAt !== since || isFinalState(record.state)) return true;
		this.#notify({ verificationId: id }, 'participantLeft', {
			participantId: presence.participantId,
			role,
			reason: 'connection_lost',
		});
		if (record.state === 'in_call') {
			await this.#end(id, 'interrupted', role === 'applicant' ? ['applicant_left'] : [], ['in_call']);
		} else if (record.state === 'waiting' && role === 'applicant') {
			await this.#end(id, 'abandoned', ['applicant_left'], ['waiting']);
		}
		return true;
	}

	/**
	 * The deadlines and grace periods a record has pending, as members of the shared timer set. Every
	 * change writes the difference from the record before it in the same atomic update, so the set
	 * always matches the records, whichever process wrote them.
	 */
	#timersOf(record: VerificationRecord): { set: string; member: string; score: number }[] {
		if (isFinalState(record.state)) return [];
		const timers: { set: string; member: string; score: number }[] = [];
		const deadline = this.#deadlineOf(record);
		if (deadline !== undefined && (record.state === 'created' || record.state === 'waiting')) {
			timers.push({
				set: KEY.timers,
				member: timerMember({ kind: 'deadline', verificationId: record.id, state: record.state }),
				score: deadline,
			});
		}
		const grace = (role: Role, presence: { participantId: string; connections: number; disconnectedAt: string | null }) => {
			if (presence.connections > 0 || presence.disconnectedAt === null) return;
			timers.push({
				set: KEY.timers,
				member: timerMember({
					kind: 'grace',
					verificationId: record.id,
					role,
					participantId: presence.participantId,
					since: presence.disconnectedAt,
				}),
				score: Date.parse(presence.disconnectedAt) + this.#settings.graceMs,
			});
		};
		if (record.applicant.joinedAt) grace('applicant', record.applicant);
		if (record.agent) grace('agent', record.agent);
		if (interpreterPresent(record) && record.interpreter) grace('interpreter', record.interpreter);
		return timers;
	}

	/**
	 * Handles one due timer, from this process's own setTimeout or from the sweep of the shared set:
	 * first the claim, so that of the processes that find it due at once only one handles it; then the
	 * handler, which re-checks the record and changes it by compare-and-set; then the timer leaves the
	 * set (a record that ended already took it out).
	 */
	async #fireTimer(member: string): Promise<void> {
		const timer = parseTimerMember(member);
		if (!timer) {
			this.#logger.error({ member }, 'unreadable timer in the shared timer set');
			return;
		}
		if (!(await this.#live.claimOnce(KEY.timerFiring(member), TIMER_CLAIM_MS))) return;
		const done =
			timer.kind === 'deadline'
				? await this.#checkDeadline(timer.verificationId)
				: await this.#graceExpired(timer.verificationId, timer.role, timer.participantId, timer.since);
		if (!done) {
			// Not due by this clock: let the next sweep (of any process) try again.
			await this.#live.deleteExpiring(KEY.timerFiring(member));
			return;
		}
		await this.#change(timer.verificationId, () => ({
			events: [],
			effects: { remove: [{ set: KEY.timers, member }] },
			result: undefined,
		}));
	}

	#startSweeping(): void {
		if (this.#closed || this.#sweeper) return;
		if (this.#trackConnections) {
			this.#heartbeat = setInterval(
				() => {
					this.#live
						.setExpiring(KEY.alive(this.#processId), '1', this.#processTtlMs)
						.catch((error: unknown) => this.#logger.debug({ err: error }, 'heartbeat failed'));
				},
				Math.min(1000, this.#processTtlMs / 4),
			);
			this.#heartbeat.unref();
		}
		this.#sweeper = setInterval(() => {
			if (this.#sweeping || this.#closed) return;
			const sweep = this.#sweep()
				.catch((error: unknown) => this.#logger.warn({ err: error }, 'could not sweep the due timers'))
				.finally(() => {
					this.#sweeping = undefined;
					this.#background.delete(sweep);
				});
			this.#sweeping = sweep;
			this.#background.add(sweep);
		}, this.#sweepIntervalMs);
		this.#sweeper.unref();
	}

	async #sweep(): Promise<void> {
		if (this.#trackConnections) await this.#beat();
		await this.#repairUnjournaled();
		const now = this.#clock().getTime();
		for (const { member, score } of await this.#live.range(KEY.timers, { limit: SWEEP_BATCH })) {
			if (score > now || this.#closed) break;
			await this.#fireTimer(member).catch((error: unknown) => {
				this.#logger.warn({ err: error, member }, 'a due timer failed; the next sweep retries it');
			});
		}
	}

	#arm(key: string, at: number, task: () => Promise<void>): void {
		if (this.#closed) return;
		this.#clearTimer(key);
		const delay = Math.min(Math.max(0, at - this.#clock().getTime()), LONGEST_TIMER_MS);
		const timer = setTimeout(() => {
			this.#timers.delete(key);
			if (this.#closed) return;
			// setTimeout may fire a millisecond before the clock reaches `at`; the handlers compare with the clock.
			if (this.#clock().getTime() < at) {
				this.#arm(key, at, task);
				return;
			}
			const running = task()
				.catch((error: unknown) => this.#logger.error({ err: error, timer: key }, 'timed task failed'))
				.finally(() => this.#background.delete(running));
			this.#background.add(running);
		}, delay);
		timer.unref();
		this.#timers.set(key, timer);
	}

	#clearTimer(key: string): void {
		const timer = this.#timers.get(key);
		if (timer) clearTimeout(timer);
		this.#timers.delete(key);
	}

	// ---- processes sharing the live state ----

	#connectionRef(actor: Actor, connectionId: string | undefined): ConnectionRef | undefined {
		if (!this.#trackConnections || connectionId === undefined) return undefined;
		return { processId: this.#processId, member: `${connectionId}|${JSON.stringify(actor)}` };
	}

	/**
	 * Keeps this process known as alive, ends the connections of processes that stopped beating, and
	 * notices when another process took this one for dead (a stall longer than processTtlMs): its
	 * connections were ended, so it records new ones under a new id and has its sockets reconnect.
	 */
	async #beat(): Promise<void> {
		const now = this.#clock();
		await this.#live.setExpiring(KEY.alive(this.#processId), '1', this.#processTtlMs);
		if (!this.#registered) {
			const record: ProcessRecord = { registeredAt: now.toISOString(), reaped: false };
			await this.#live.create(KEY.process(this.#processId), record, {
				add: [{ set: KEY.processes, member: this.#processId, score: now.getTime() }],
			});
			this.#registered = true;
		} else if ((await this.#live.get<ProcessRecord>(KEY.process(this.#processId)))?.value.reaped) {
			this.#logger.warn({ processId: this.#processId }, 'another process took this one for dead; its sockets reconnect');
			this.#processId = randomUUID();
			this.#registered = false;
			this.emit('evicted');
			return;
		}
		for (const { member: processId } of await this.#live.range(KEY.processes)) {
			if (processId === this.#processId || this.#closed) continue;
			if ((await this.#live.getExpiring(KEY.alive(processId))) !== undefined) continue;
			if (!(await this.#live.claimOnce(KEY.reaping(processId), REAPING_CLAIM_MS))) continue;
			await this.#reap(processId);
		}
	}

	/** Ends every connection a dead process held, as if each had dropped, then forgets the process. */
	async #reap(processId: string): Promise<void> {
		const members = await this.#live.range(KEY.connections(processId));
		this.#logger.warn({ processId, connections: members.length }, 'a process stopped beating; ending its connections');
		for (const { member } of members) {
			const actor = JSON.parse(member.slice(member.indexOf('|') + 1)) as Actor;
			await this.participantDisconnected(actor, { processId, member });
		}
		const stored = await this.#live.get<ProcessRecord>(KEY.process(processId));
		if (stored) {
			await this.#live.update(KEY.process(processId), stored.version, { ...stored.value, reaped: true } satisfies ProcessRecord, {
				remove: [{ set: KEY.processes, member: processId }],
			});
		}
	}

	// ---- rebuild ----

	/**
	 * Folds the journal into verification records and creates the live records that are missing. A live
	 * record that exists is never replaced: the live state is written before the journal, so it is at
	 * least as new, and another process sharing the live state (Redis) may be serving it right now. So
	 * only the records this process created are treated as having nobody connected (their grace periods
	 * start now) and get their deadlines. When the live state was rebuilt before (the `rebuilt` marker
	 * names the journal head it saw), only verifications journaled after that head are checked.
	 */
	async #rebuild(): Promise<void> {
		const marker = await this.#live.get<{ seq: number }>(KEY.rebuilt);
		const builtUpTo = marker?.value.seq ?? 0;
		const records = new Map<string, VerificationRecord>();
		const journaledSince = new Set<string>();
		const enqueuedEvents = new Set<string>();
		let head = 0;
		for await (const entry of this.#journal.readAll()) {
			head = entry.seq;
			if (entry.type === 'webhook.enqueued' && typeof entry.data.eventId === 'string') enqueuedEvents.add(entry.data.eventId);
			if (!entry.verificationId || !VERIFICATION_EVENT_TYPES.has(entry.type)) continue;
			if (entry.seq > builtUpTo) journaledSince.add(entry.verificationId);
			const event = { type: entry.type, data: entry.data } as VerificationEvent;
			try {
				records.set(entry.verificationId, applyEvent(records.get(entry.verificationId), event, entry.verificationId));
			} catch (error) {
				this.#logger.error(
					{ err: error, seq: entry.seq, verificationId: entry.verificationId },
					'journal record skipped in rebuild',
				);
			}
		}
		const startedAt = this.#clock().toISOString();
		const accepted = [...records.values()]
			.filter((record) => record.consentedAt && record.acceptedAt)
			.sort((a, b) => Date.parse(a.acceptedAt ?? '') - Date.parse(b.acceptedAt ?? ''));
		for (const record of accepted) this.#waits.record(Date.parse(record.acceptedAt ?? '') - Date.parse(record.consentedAt ?? ''));

		const created: VerificationRecord[] = [];
		for (const record of records.values()) {
			if (!journaledSince.has(record.id)) continue;
			// Nobody is connected to a record nobody serves: whoever was in a live verification gets its grace period from now.
			const live = !isFinalState(record.state);
			if (live && record.applicant.joinedAt) record.applicant.disconnectedAt = startedAt;
			if (live && record.agent) record.agent.disconnectedAt = startedAt;
			if (live && record.interpreter?.joinedAt && !record.interpreter.removed && !record.interpreter.left) {
				record.interpreter.disconnectedAt = startedAt;
			}
			const add: NonNullable<SortedSetEffects['add']> = [
				{ set: KEY.index, member: record.id, score: Date.parse(record.createdAt) },
			];
			if (record.state === 'waiting' && record.consentedAt)
				add.push({ set: KEY.queue, member: record.id, score: Date.parse(record.consentedAt) });
			if (record.state === 'approved') {
				for (const hash of record.documentHashes) add.push({ set: KEY.document(hash), member: record.externalUserRef, score: 0 });
			}
			add.push(...this.#timersOf(record));
			if (!(await this.#live.create(KEY.verification(record.id), record, { add }))) continue;
			created.push(record);
			if (record.state === 'in_call' && record.agent) {
				const agent: AgentRecord = {
					agentId: record.agent.agentId,
					displayName: record.agent.displayName,
					languages: [],
					skills: [],
					availability: 'away',
					participantId: record.agent.participantId,
					connections: 0,
					verificationId: record.id,
				};
				await this.#live.create(KEY.agent(agent.agentId), agent);
			}
		}
		for (const record of records.values()) {
			if (!isFinalState(record.state)) continue;
			// A crash between the final state and its outcome, or between the outcome and its webhook.
			if (!record.outcome) await this.#finalize(record.id);
			else if (!enqueuedEvents.has(webhookEventId(record))) await this.#enqueueWebhook(record);
		}
		let resumed = 0;
		for (const record of created) {
			if (isFinalState(record.state)) continue;
			resumed += 1;
			this.#armDeadline(record);
			if (record.applicant.disconnectedAt) this.#startGrace(record, 'applicant', record.applicant.participantId, startedAt);
			if (record.agent?.disconnectedAt) this.#startGrace(record, 'agent', record.agent.participantId, startedAt);
			if (record.interpreter?.disconnectedAt)
				this.#startGrace(record, 'interpreter', record.interpreter.participantId, startedAt);
		}
		await this.#markRebuilt(marker, head);
		this.#logger.info(
			{ verifications: records.size, checked: journaledSince.size, restored: created.length, live: resumed, journalHead: head },
			'verifications rebuilt from the journal',
		);
	}

	/** Moves the marker forward; a process that lost the race to another one moving it leaves it be. */
	async #markRebuilt(marker: Versioned<{ seq: number }> | undefined, head: number): Promise<void> {
		if (!marker) await this.#live.create(KEY.rebuilt, { seq: head });
		else if (head > marker.value.seq) await this.#live.update(KEY.rebuilt, marker.version, { seq: head });
	}

	// ---- helpers ----

	/**
	 * Runs one change to a verification: under its lock, load, let `decide` check and compute the
	 * events, fold them, write the live record with compare-and-set, then journal the events.
	 *
	 * Write-ahead: the compare-and-set also keeps the events in the record (`unjournaled`) and lists the
	 * verification in the `unjournaled` set, and a second compare-and-set clears both once the events
	 * are journaled. When an append fails in between, the caller gets the error and the events stay in
	 * the record: the next change with events journals them before its own (so the journal keeps their
	 * order), and the sweep journals them otherwise (#repairUnjournaled). Each journaled event carries
	 * the change's `rev`, so no event is journaled twice.
	 */
	async #change<T>(
		id: string,
		decide: (record: VerificationRecord) => Change<T> | Promise<Change<T>>,
	): Promise<{ before: VerificationRecord; after: VerificationRecord; result: T; events: number }> {
		return this.#withLock(`verification:${id}`, async () => {
			const stored = await this.#loadForChange(id);
			const change = await decide(stored.value);
			if (change.events.length === 0 && !change.live && !change.effects) {
				return { before: stored.value, after: stored.value, result: change.result, events: 0 };
			}
			// A change without events keeps earlier unjournaled events as they are: it adds nothing the
			// journal must order after them, and it need not wait for a journal that is away.
			const pending = stored.value.unjournaled;
			if (pending && change.events.length > 0) await this.#journalUnjournaled(id, pending).catch(journalUnavailable);
			let after = stored.value;
			for (const event of change.events) after = applyEvent(after, event, id);
			if (change.live) {
				after = after === stored.value ? structuredClone(after) : after;
				change.live(after);
			}
			let effects = withTimerChanges(change.effects, this.#timersOf(stored.value), this.#timersOf(after));
			const now = this.#clock().getTime();
			const unjournaled: UnjournaledEvents | undefined =
				change.events.length === 0
					? undefined
					: {
							rev: `${stored.version + 1}.${randomBytes(6).toString('hex')}`,
							events: change.events,
							at: now,
							by: this.#processId,
						};
			if (unjournaled) {
				// applyEvent copied the earlier ones, journaled just above.
				after.unjournaled = unjournaled;
				effects = mergeEffects(effects, { add: [{ set: KEY.unjournaled, member: id, score: now }] });
			}
			if (!(await this.#live.update(KEY.verification(id), stored.version, after, effects))) {
				throw AppError.conflict('the verification changed at the same time; try again');
			}
			if (unjournaled) {
				try {
					await this.#appendUnjournaled(id, unjournaled, 0);
				} catch (error) {
					this.#logger.error(
						{ err: error, verificationId: id, rev: unjournaled.rev },
						'a change is applied but its events could not be journaled; they are journaled when the journal is back',
					);
					journalUnavailable(error);
				}
				await this.#clearUnjournaled(id, unjournaled.rev);
				// The caller sees its own change, not whatever the record became meanwhile.
				delete after.unjournaled;
			}
			return { before: stored.value, after, result: change.result, events: change.events.length };
		});
	}

	/**
	 * The record, once no other process is still journaling the events of its last change (it clears
	 * them within milliseconds), so that this change need not fail because of them.
	 */
	async #loadForChange(id: string): Promise<Versioned<VerificationRecord>> {
		for (let waited = 0; ; waited += UNJOURNALED_POLL_MS) {
			const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
			if (!stored) throw AppError.notFound(`no verification ${id}`);
			const pending = stored.value.unjournaled;
			if (!pending || this.#mayRepair(pending) || waited >= UNJOURNALED_WAIT_MS) return stored;
			await new Promise((resolve) => setTimeout(resolve, UNJOURNALED_POLL_MS));
		}
	}

	/**
	 * Whether nobody may still be journaling `pending`: this process's own are not (the verification's
	 * lock, held by the caller, is released only after the writer's appends); another's, until stale.
	 */
	#mayRepair(pending: UnjournaledEvents): boolean {
		return pending.by === this.#processId || this.#clock().getTime() - pending.at >= UNJOURNALED_STALE_MS;
	}

	/**
	 * Journals those of `pending`'s events the journal does not hold yet; called under the
	 * verification's lock. The claim keeps processes repairing at once from appending twice; it is kept
	 * after a success, so a repairer that read the journal before that success cannot claim it after.
	 */
	async #journalUnjournaled(id: string, pending: UnjournaledEvents): Promise<void> {
		if ((await this.#journaledCount(id, pending.rev)) === pending.events.length) return;
		const busy = () => AppError.conflict('another process is still recording a change to this verification; try again');
		if (!this.#mayRepair(pending)) throw busy();
		const claim = KEY.repair(id, pending.rev);
		if (!(await this.#live.claimOnce(claim, REPAIR_CLAIM_MS))) throw busy();
		try {
			const journaled = await this.#journaledCount(id, pending.rev);
			if (journaled < pending.events.length) {
				this.#logger.warn({ verificationId: id, rev: pending.rev, journaled }, 'journaling the events of an earlier change');
				await this.#appendUnjournaled(id, pending, journaled);
			}
		} catch (error) {
			await this.#live.deleteExpiring(claim).catch(() => {});
			throw error;
		}
	}

	/** How many events the journal holds of the change `rev` (they are appended in order, one at a time). */
	async #journaledCount(id: string, rev: string): Promise<number> {
		const records = await this.#journal.readVerification(id);
		return records.filter((record) => record.data.rev === rev).length;
	}

	async #appendUnjournaled(id: string, pending: UnjournaledEvents, from: number): Promise<void> {
		for (const event of pending.events.slice(from)) {
			await this.#journal.append({ type: event.type, verificationId: id, data: { ...event.data, rev: pending.rev } });
		}
	}

	/**
	 * Drops journaled events from the record and the set. A change made meanwhile without events keeps
	 * them, so this retries; a change with events replaced them, having found them journaled.
	 */
	async #clearUnjournaled(id: string, rev: string): Promise<void> {
		for (let attempt = 0; attempt < 5; attempt += 1) {
			const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
			if (!stored || stored.value.unjournaled?.rev !== rev) return;
			const next = { ...stored.value };
			delete next.unjournaled;
			if (
				await this.#live.update(KEY.verification(id), stored.version, next, { remove: [{ set: KEY.unjournaled, member: id }] })
			) {
				return;
			}
		}
		// Left for the sweep, which finds them journaled and clears them.
	}

	/**
	 * Journals the unjournaled events the sweep finds: this process's own at once, another process's once
	 * they are stale (it died or lost its store). A final state repaired this way still needs its
	 * outcome and webhook, which the failed request did not get to.
	 */
	async #repairUnjournaled(): Promise<void> {
		for (const { member: id } of await this.#live.range(KEY.unjournaled, { limit: SWEEP_BATCH })) {
			if (this.#closed) break;
			try {
				const repaired = await this.#withLock(`verification:${id}`, async () => {
					const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
					const pending = stored?.value.unjournaled;
					if (!stored || !pending || !this.#mayRepair(pending)) return undefined;
					await this.#journalUnjournaled(id, pending);
					await this.#clearUnjournaled(id, pending.rev);
					return stored.value;
				});
				if (repaired && isFinalState(repaired.state)) await this.#finalize(id);
			} catch (error) {
				this.#logger.warn({ err: error, verificationId: id }, "could not journal a change's events yet; the next sweep retries");
			}
		}
	}

	async #withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.#locks.get(key) ?? Promise.resolve();
		let release = () => {};
		const current = new Promise<void>((resolve) => {
			release = resolve;
		});
		const tail = previous.then(() => current);
		this.#locks.set(key, tail);
		await previous;
		try {
			return await task();
		} finally {
			release();
			if (this.#locks.get(key) === tail) this.#locks.delete(key);
		}
	}

	/** An assignment can outlive its verification for a moment: the agent is released just after it ends. */
	async #isOver(id: string): Promise<boolean> {
		const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
		return !stored || isFinalState(stored.value.state);
	}

	async #load(id: string): Promise<VerificationRecord> {
		const stored = await this.#live.get<VerificationRecord>(KEY.verification(id));
		if (!stored) throw AppError.notFound(`no verification ${id}`);
		return stored.value;
	}

	/** The verification an actor acts on: its token's for applicants and interpreters, its assignment for agents. */
	async #verificationOf(actor: Actor): Promise<string> {
		if (actor.role === 'agent') {
			const profile = requireAgent(actor);
			const agent = await this.#live.get<AgentRecord>(KEY.agent(profile.agentId));
			const assigned = agent?.value.verificationId;
			if (!assigned) throw AppError.invalidState('you have no verification in progress; accept one first');
			if (actor.verificationId !== undefined && actor.verificationId !== assigned) {
				throw AppError.forbidden('you may act only on the verification assigned to you');
			}
			return assigned;
		}
		if (!actor.verificationId) throw AppError.forbidden('this token is not tied to a verification');
		return actor.verificationId;
	}

	#assertMember(record: VerificationRecord, actor: Actor): void {
		const member =
			actor.role === 'applicant'
				? record.applicant.participantId === actor.participantId
				: actor.role === 'agent'
					? record.agent?.agentId === actor.agent?.agentId
					: record.interpreter?.participantId === actor.participantId &&
						record.interpreter.joinedAt !== null &&
						!record.interpreter.removed &&
						!record.interpreter.left;
		if (!member) throw AppError.forbidden('you are not a participant of this verification');
	}

	async #snapshot(record: VerificationRecord, actor: Actor): Promise<VerificationSnapshot> {
		let queue: QueueStatus | null = null;
		if (record.state === 'waiting') {
			const [rank, length, agents] = await Promise.all([
				this.#live.rank(KEY.queue, record.id),
				this.#live.size(KEY.queue),
				this.#onlineAgents(),
			]);
			const available = agents.filter((agent) => agent.availability === 'available' && agent.verificationId === null).length;
			if (rank !== undefined) queue = this.#queueStatus(rank + 1, length, available);
		}
		return snapshotFor(record, { participantId: actor.participantId, role: actor.role }, queue, this.#clock());
	}

	#checkEligibility(input: CreateVerificationBody): void {
		const facts = input.eligibility;
		if (!facts) return;
		const refuse = (reason: keyof typeof ELIGIBILITY_REFUSALS, path: string, message: string) => {
			throw new AppError(ErrorCode.INVALID_STATE, `not eligible: ${message}`, [{ path, message: ELIGIBILITY_REFUSALS[reason] }]);
		};
		if (facts.age !== undefined && facts.age < MIN_AGE)
			refuse('underage', 'eligibility.age', `applicants must be at least ${MIN_AGE}`);
		if (facts.region !== undefined && this.#settings.unsupportedRegions.includes(facts.region.toUpperCase())) {
			refuse('unsupported_region', 'eligibility.region', `the service is not offered in region ${facts.region.toUpperCase()}`);
		}
		if (facts.c2cFrozen === true) {
			refuse('c2c_frozen', 'eligibility.c2cFrozen', 'C2C trading is frozen on this account until the platform lifts it');
		}
	}

	#notifyStateChanged(record: VerificationRecord, previousState: VerificationState): void {
		this.#notify({ verificationId: record.id }, 'stateChanged', {
			verificationId: record.id,
			state: record.state,
			previousState,
			at: record.endedAt ?? this.#clock().toISOString(),
		});
	}

	#notifyChecklist(record: VerificationRecord): void {
		for (const role of ALL_ROLES) {
			this.#notify({ verificationId: record.id, roles: [role] }, 'checklistChanged', {
				checklist: record.checklist.map((step) => stepView(step, role)),
			});
		}
	}

	#notify<N extends keyof VerificationNotifications>(audience: Audience, name: N, payload: VerificationNotifications[N]): void {
		this.emit('notification', { audience, name, payload } as Notification);
	}

	#assertOpen(): void {
		if (this.#closed) throw AppError.unavailable('the service is shutting down');
		if (!this.#started)
			throw AppError.unavailable('the service is starting: it is waiting for its store (Redis); try again shortly');
	}
}

/** A journal that failed is told as UNAVAILABLE (a store away is that already): the change is kept and retried. */
function journalUnavailable(error: unknown): never {
	if (error instanceof AppError) throw error;
	throw AppError.unavailable('the journal could not record this change; it is recorded as soon as the journal works again');
}

function requireAgent(actor: Actor): AgentProfile {
	if (actor.role !== 'agent' || !actor.agent) throw AppError.forbidden('only an agent may do this');
	return actor.agent;
}

function assertInCall(record: VerificationRecord): void {
	if (record.state !== 'in_call') throw AppError.invalidState(`the verification is ${record.state}, not in a call`);
}

function interpreterPresent(record: VerificationRecord): boolean {
	const interpreter = record.interpreter;
	return interpreter !== null && interpreter.joinedAt !== null && !interpreter.removed && !interpreter.left;
}

/** Constant-time comparison that does not reveal the expected length either. */
function sameText(given: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}

type Timer =
	| { kind: 'deadline'; verificationId: string; state: 'created' | 'waiting' }
	| { kind: 'grace'; verificationId: string; role: Role; participantId: string; since: string };

/** A timer as a member of the shared set: its fields joined by '|', which no id or ISO time contains. */
function timerMember(timer: Timer): string {
	return timer.kind === 'deadline'
		? `deadline|${timer.verificationId}|${timer.state}`
		: `grace|${timer.verificationId}|${timer.role}|${timer.participantId}|${timer.since}`;
}

function parseTimerMember(member: string): Timer | undefined {
	const [kind, verificationId, third, participantId, since] = member.split('|');
	if (!verificationId || !third) return undefined;
	if (kind === 'deadline' && (third === 'created' || third === 'waiting')) return { kind, verificationId, state: third };
	if (kind === 'grace' && ALL_ROLES.includes(third as Role) && participantId && since) {
		return { kind, verificationId, role: third as Role, participantId, since };
	}
	return undefined;
}

type SetMember = { set: string; member: string; score: number };

function connectionEffects(
	kind: 'add' | 'remove',
	connection: ConnectionRef | undefined,
	now: Date,
): SortedSetEffects | undefined {
	if (!connection) return undefined;
	const set = KEY.connections(connection.processId);
	return kind === 'add'
		? { add: [{ set, member: connection.member, score: now.getTime() }] }
		: { remove: [{ set, member: connection.member }] };
}

function mergeEffects(first: SortedSetEffects | undefined, second: SortedSetEffects | undefined): SortedSetEffects | undefined {
	if (!first) return second;
	if (!second) return first;
	return { add: [...(first.add ?? []), ...(second.add ?? [])], remove: [...(first.remove ?? []), ...(second.remove ?? [])] };
}

/** A change's own effects plus the timers that appear (added) and disappear (removed) with it. */
function withTimerChanges(
	effects: SortedSetEffects | undefined,
	before: SetMember[],
	after: SetMember[],
): SortedSetEffects | undefined {
	const key = (timer: SetMember) => `${timer.member}@${timer.score}`;
	const had = new Set(before.map(key));
	const added = after.filter((timer) => !had.has(key(timer)));
	const kept = new Set(after.map((timer) => timer.member));
	const removed = before.filter((timer) => !kept.has(timer.member)).map(({ set, member }) => ({ set, member }));
	if (added.length === 0 && removed.length === 0) return effects;
	return { add: [...(effects?.add ?? []), ...added], remove: [...(effects?.remove ?? []), ...removed] };
}

function webhookEventId(record: VerificationRecord): string {
	return `${record.id}.${record.state}`;
}

function encodeCursor(position: { score: number; member: string }): string {
	return Buffer.from(`${position.score}:${position.member}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { score: number; member: string } {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	const separator = text.indexOf(':');
	const score = Number(text.slice(0, separator));
	if (separator <= 0 || !Number.isFinite(score))
		throw AppError.invalidPayload('invalid cursor', [{ path: 'cursor', message: 'not a cursor this service gave' }]);
	return { score, member: text.slice(separator + 1) };
}
