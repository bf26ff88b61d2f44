// One reading of what an operator watches: the live calls this process serves with their quality,
// the agents online and what they do, the queue, and this process's media workers with what they
// cost and carry. Plain data, read from the components that hold it; the metrics collectors export
// it, and an operator's page can show it as it is.
import type { CallQualitySummary, Purpose, Role } from '@vidverify/shared';
import type { CallRooms } from '../media/CallRooms.ts';
import type { WorkerPool } from '../media/WorkerPool.ts';
import type { AgentDesk } from '../sessions/AgentDesk.ts';
import type { VerificationRepository } from '../sessions/VerificationRepository.ts';
import type { MediaCensus, MediaCounts } from './MediaCensus.ts';
import { type WorkerUsage, workerUsage } from './workerUsage.ts';

export type OperatorSources = {
	calls: Pick<CallRooms, 'live'>;
	desk: Pick<AgentDesk, 'onlineAgents'>;
	repository: Pick<VerificationRepository, 'waiting'>;
	pool: Pick<WorkerPool, 'workers'>;
	census: MediaCensus;
	clock?: () => Date;
};

/** available: free to take a call; busy: in one; away: online but not taking calls. */
export type AgentState = 'available' | 'busy' | 'away';

export type OperatorSnapshot = {
	at: string;
	/** Calls whose media this process serves. */
	calls: { verificationId: string; participants: { participantId: string; role: Role }[]; quality: CallQualitySummary }[];
	/** Agents with an open connection, on any process. */
	agents: {
		agentId: string;
		displayName: string;
		state: AgentState;
		verificationId: string | null;
		connections: number;
	}[];
	/** The waiting verifications of the deployment, longest waiting first. */
	queue: {
		length: number;
		items: { verificationId: string; purpose: Purpose; locale: string; waitingSince: string; waitingSeconds: number }[];
	};
	/** This process's media workers; one that died a moment ago is left out. */
	workers: (WorkerUsage & { media: MediaCounts })[];
};

export async function operatorSnapshot(sources: OperatorSources): Promise<OperatorSnapshot> {
	const now = (sources.clock ?? (() => new Date()))();
	const [agents, waiting, workers] = await Promise.all([
		sources.desk.onlineAgents(),
		sources.repository.waiting(),
		Promise.all(
			sources.pool.workers.map((worker) =>
				workerUsage(worker).then(
					(usage) => ({ ...usage, media: sources.census.countsOf(worker) }),
					() => undefined,
				),
			),
		),
	]);
	return {
		at: now.toISOString(),
		calls: sources.calls.live.map((room) => ({
			verificationId: room.verificationId,
			participants: room.participantIds.flatMap((participantId) => {
				const role = room.roleOf(participantId);
				return role ? [{ participantId, role }] : [];
			}),
			quality: room.qualitySummary(),
		})),
		agents: agents.map((agent) => ({
			agentId: agent.agentId,
			displayName: agent.displayName,
			state: agent.verificationId !== null ? 'busy' : agent.availability === 'available' ? 'available' : 'away',
			verificationId: agent.verificationId,
			connections: agent.connections,
		})),
		queue: {
			length: waiting.length,
			items: waiting.map((record) => {
				const waitingSince = record.consentedAt ?? record.createdAt;
				return {
					verificationId: record.id,
					purpose: record.purpose,
					locale: record.locale,
					waitingSince,
					waitingSeconds: Math.max(0, (now.getTime() - Date.parse(waitingSince)) / 1000),
				};
			}),
		},
		workers: workers.flatMap((worker) => (worker ? [worker] : [])),
	};
}
