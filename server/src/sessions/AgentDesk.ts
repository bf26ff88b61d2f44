// The agents' side of the service: each agent's availability, connections and current call, kept in
// the live state under the agent's own lock, and the queue as each agent and each waiting applicant is
// shown it. Routing (who may take what) is routing.ts's; the verification records are the repository's.
import type { AgentQueueView, Availability, QueueStatus } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { LiveState, SortedSetEffects, Versioned } from '../store/LiveState.ts';
import type { KeyedLocks } from './KeyedLocks.ts';
import { ineligibilityOf, type WaitEstimator } from './routing.ts';
import type { AgentProfile } from './types.ts';
import type { VerificationRecord } from './VerificationRecord.ts';
import type { QueueCandidate, VerificationRepository } from './VerificationRepository.ts';

/** An agent as the live state keeps it: profile, availability, connections and current call. */
export type AgentRecord = AgentProfile & {
	availability: Availability;
	/** The participant id of the agent's latest connection: where its own notifications go. */
	participantId: string | null;
	connections: number;
	verificationId: string | null;
};

const KEY = {
	agent: (agentId: string) => `agent:${agentId}`,
	/** Agents with at least one open connection. */
	onlineAgents: 'agents:online',
} as const;

export type QueueNotice =
	| { participantId: string; name: 'queuePositionChanged'; payload: QueueStatus }
	| { participantId: string; name: 'queueUpdated'; payload: AgentQueueView };

/** Who a queue update is for: the people connected to this process (see QueueUpdates). */
export type QueueAudience = {
	/** The applicant to tell of this waiting verification's place, if it is one of the audience. */
	applicantOf(verificationId: string): string | undefined;
	/** Participant ids of the agents in the audience. */
	agents: { has(participantId: string): boolean };
};

export class AgentDesk {
	readonly #live: LiveState;
	readonly #repository: VerificationRepository;
	readonly #waits: WaitEstimator;
	readonly #clock: () => Date;
	readonly #locks: Pick<KeyedLocks, 'run'>;

	constructor(options: {
		live: LiveState;
		repository: VerificationRepository;
		waits: WaitEstimator;
		clock: () => Date;
		locks: Pick<KeyedLocks, 'run'>;
	}) {
		this.#live = options.live;
		this.#repository = options.repository;
		this.#waits = options.waits;
		this.#clock = options.clock;
		this.#locks = options.locks;
	}

	/** Runs `task` under the agent's lock: one change to an agent at a time in this process. */
	withAgent<T>(agentId: string, task: () => Promise<T>): Promise<T> {
		return this.#locks.run(`agent:${agentId}`, task);
	}

	async find(agentId: string): Promise<Versioned<AgentRecord> | undefined> {
		return this.#live.get<AgentRecord>(KEY.agent(agentId));
	}

	/** The agent's record, created (away, unassigned) the first time it is seen. */
	async load(profile: AgentProfile, participantId: string): Promise<Versioned<AgentRecord>> {
		const key = KEY.agent(profile.agentId);
		const existing = await this.#live.get<AgentRecord>(key);
		if (existing) return existing;
		const fresh: AgentRecord = { ...profile, availability: 'away', participantId, connections: 0, verificationId: null };
		await this.#live.create(key, fresh);
		const created = await this.#live.get<AgentRecord>(key);
		if (!created) throw new TypeError(`agent ${profile.agentId} vanished`);
		return created;
	}

	async write(stored: Versioned<AgentRecord>, next: AgentRecord, effects?: SortedSetEffects): Promise<void> {
		if (!(await this.#live.update(KEY.agent(next.agentId), stored.version, next, effects))) {
			throw AppError.conflict('your agent state changed at the same time; try again', 'changedConcurrently');
		}
	}

	/** Side effects of an agent's connection count going from 0 to 1 (online) or back (offline). */
	onlineEffects(agentId: string, online: boolean): SortedSetEffects {
		return online
			? { add: [{ set: KEY.onlineAgents, member: agentId, score: 0 }] }
			: { remove: [{ set: KEY.onlineAgents, member: agentId }] };
	}

	/** An agent restored from the journal with the call it was in: away and unconnected until it returns. */
	async restoreAssignment(record: VerificationRecord): Promise<void> {
		if (!record.agent) return;
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

	/**
	 * Frees an agent from a verification that ended (decided, or interrupted with the agent gone). Safe
	 * to repeat (FinalTail does, until it succeeds): an agent no longer assigned to it is left as it is.
	 */
	async release(agentId: string, verificationId: string): Promise<void> {
		await this.withAgent(agentId, async () => {
			const stored = await this.find(agentId);
			if (!stored || stored.value.verificationId !== verificationId) return;
			await this.write(stored, { ...stored.value, verificationId: null });
		});
	}

	/** The verification an agent is assigned to now, if any. */
	async assignment(agentId: string): Promise<string | null> {
		return (await this.find(agentId))?.value.verificationId ?? null;
	}

	async onlineAgents(): Promise<AgentRecord[]> {
		const members = await this.#live.range(KEY.onlineAgents);
		const agents = await Promise.all(members.map((entry) => this.find(entry.member)));
		return agents.flatMap((agent) => (agent && agent.value.connections > 0 ? [agent.value] : []));
	}

	/** The verification `accept` without an id gives this agent: the longest waiting it may take. */
	async nextFor(agent: AgentRecord): Promise<string | undefined> {
		const waiting = await this.#repository.waitingCandidates();
		return waiting.find((record) => ineligibilityOf(agent, record) === undefined)?.id;
	}

	async queueViewFor(agent: AgentRecord, waiting?: QueueCandidate[]): Promise<AgentQueueView> {
		const now = this.#clock().getTime();
		let nextGiven = agent.verificationId !== null;
		const items = (waiting ?? (await this.#repository.waitingCandidates())).map((record) => {
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

	/**
	 * What the queue tells the given audience now: each waiting applicant in it its place, each online
	 * agent in it its own view. The places take the queue's order alone; only agents need the records.
	 */
	async queueNotices(audience: QueueAudience): Promise<QueueNotice[]> {
		const [order, agents] = await Promise.all([this.#repository.queueOrder(), this.onlineAgents()]);
		const available = availableCount(agents);
		const notices: QueueNotice[] = [];
		for (const [index, verificationId] of order.entries()) {
			const participantId = audience.applicantOf(verificationId);
			if (participantId === undefined) continue;
			notices.push({
				participantId,
				name: 'queuePositionChanged',
				payload: this.#queueStatus(index + 1, order.length, available),
			});
		}
		const agentsHere = agents.flatMap(({ participantId, ...agent }) =>
			participantId !== null && audience.agents.has(participantId) ? [{ ...agent, participantId }] : [],
		);
		if (agentsHere.length === 0) return notices;
		const waiting = await this.#repository.waitingCandidates();
		for (const agent of agentsHere) {
			notices.push({
				participantId: agent.participantId,
				name: 'queueUpdated',
				payload: await this.queueViewFor(agent, waiting),
			});
		}
		return notices;
	}

	/** A waiting verification's place, as its applicant's snapshot shows it. */
	async queueStatusOf(id: string): Promise<QueueStatus | null> {
		const [position, agents] = await Promise.all([this.#repository.queuePosition(id), this.onlineAgents()]);
		return position ? this.#queueStatus(position.position, position.length, availableCount(agents)) : null;
	}

	#queueStatus(position: number, queueLength: number, availableAgents: number): QueueStatus {
		return { position, queueLength, estimatedWaitSeconds: this.#waits.estimateSeconds(position, availableAgents) };
	}
}

function availableCount(agents: AgentRecord[]): number {
	return agents.filter((agent) => agent.availability === 'available' && agent.verificationId === null).length;
}
