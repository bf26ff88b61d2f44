// The figures the operator tables show that the overview does not hold as such: a worker's CPU use
// between two readings, waits as clock durations, agents counted and ordered by state, and each call's
// participants with their quality.
import type { OperatorAgent, OperatorAgentState, OperatorCall, OperatorOverview, OperatorWorker, Role } from '@vidverify/shared';

type ParticipantQuality = OperatorCall['quality']['participants'][number];

/**
 * The share of one core the worker used between the previous reading and this one, in percent; null
 * without a previous reading of the same process (the first one, or a worker that was replaced).
 */
export function cpuPercent(
	worker: OperatorWorker,
	latest: OperatorOverview,
	previous: OperatorOverview | undefined,
): number | null {
	const before = previous?.workers.find((candidate) => candidate.pid === worker.pid);
	if (!previous || !before) return null;
	const elapsedSeconds = (Date.parse(latest.at) - Date.parse(previous.at)) / 1000;
	if (!(elapsedSeconds > 0)) return null;
	const used = totalCpuSeconds(worker) - totalCpuSeconds(before);
	return Math.max(0, (used / elapsedSeconds) * 100);
}

export function totalCpuSeconds(worker: OperatorWorker): number {
	return worker.cpu.userSeconds + worker.cpu.systemSeconds;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatWait(seconds: number): string {
	const whole = Math.max(0, Math.floor(seconds));
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = String(whole % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

const STATE_ORDER: readonly OperatorAgentState[] = ['busy', 'available', 'away'];

export function agentCounts(agents: readonly OperatorAgent[]): Record<OperatorAgentState, number> {
	const counts: Record<OperatorAgentState, number> = { available: 0, busy: 0, away: 0 };
	for (const agent of agents) counts[agent.state] += 1;
	return counts;
}

/** Busy agents first (with their calls), then available, then away; by name within each. */
export function sortedAgents(agents: readonly OperatorAgent[]): OperatorAgent[] {
	return [...agents].sort(
		(a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.displayName.localeCompare(b.displayName),
	);
}

const ROLE_ORDER: readonly Role[] = ['applicant', 'interpreter', 'agent'];

/**
 * Everyone of the call, the people being verified first: those in it now, and those measured earlier
 * who left; each with its quality when it has been measured.
 */
export function callParticipants(
	call: OperatorCall,
): { participantId: string; role: Role; quality: ParticipantQuality | undefined }[] {
	const rows = new Map<string, { participantId: string; role: Role; quality: ParticipantQuality | undefined }>();
	for (const participant of call.participants) rows.set(participant.participantId, { ...participant, quality: undefined });
	for (const quality of call.quality.participants) {
		rows.set(quality.participantId, { participantId: quality.participantId, role: quality.role, quality });
	}
	return [...rows.values()].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
}

/** A figure in the page's locale, with at most `digits` decimals. */
export function formatNumber(value: number, locale: string, digits = 0): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

export const MIB = 1024 * 1024;
