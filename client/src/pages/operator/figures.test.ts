// The operator figures and the page's state between readings, without a browser or a server.
import type { OperatorCall, OperatorOverview, OperatorWorker } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { agentCounts, callParticipants, cpuPercent, formatWait, sortedAgents } from './figures.ts';
import { afterReading, NOTHING_READ } from './overviewState.ts';

const worker = (pid: number, userSeconds: number, systemSeconds: number): OperatorWorker => ({
	pid,
	cpu: { userSeconds, systemSeconds },
	memory: { residentBytes: 50_000_000, maxResidentBytes: 60_000_000 },
	media: { routers: 0, transports: 0, producers: { audio: 0, video: 0 }, consumers: { audio: 0, video: 0 } },
});

const reading = (at: string, workers: OperatorWorker[]): OperatorOverview => ({
	at,
	calls: [],
	agents: [],
	queue: { length: 0, items: [] },
	workers,
});

describe('cpuPercent', () => {
	it('is the share of one core used between two readings of the same worker', () => {
		const previous = reading('2025-01-01T10:00:00.000Z', [worker(7, 10, 2)]);
		const latest = reading('2025-01-01T10:00:04.000Z', [worker(7, 11.5, 2.5)]);
		expect(cpuPercent(worker(7, 11.5, 2.5), latest, previous)).toBe(50);
	});

	it('is unknown without a previous reading of that process (the first reading, or a replaced worker)', () => {
		const latest = reading('2025-01-01T10:00:04.000Z', [worker(8, 1, 0)]);
		expect(cpuPercent(worker(8, 1, 0), latest, undefined)).toBeNull();
		expect(cpuPercent(worker(8, 1, 0), latest, reading('2025-01-01T10:00:00.000Z', [worker(7, 1, 0)]))).toBeNull();
		expect(cpuPercent(worker(8, 1, 0), latest, latest)).toBeNull();
	});
});

describe('formatWait', () => {
	it('writes seconds as minutes and seconds, with hours past the hour', () => {
		expect(formatWait(0)).toBe('0:00');
		expect(formatWait(75.9)).toBe('1:15');
		expect(formatWait(3725)).toBe('1:02:05');
	});
});

describe('agents', () => {
	const agents = [
		{ agentId: 'c', displayName: 'Carol', state: 'away', verificationId: null, connections: 1 },
		{ agentId: 'b', displayName: 'Bob', state: 'available', verificationId: null, connections: 1 },
		{ agentId: 'd', displayName: 'Dan', state: 'busy', verificationId: 'v1', connections: 2 },
		{ agentId: 'a', displayName: 'Alice', state: 'available', verificationId: null, connections: 1 },
	] as const;

	it('are counted by state and listed busy, available, away, by name within each', () => {
		expect(agentCounts(agents)).toEqual({ available: 2, busy: 1, away: 1 });
		expect(sortedAgents(agents).map((agent) => agent.displayName)).toEqual(['Dan', 'Alice', 'Bob', 'Carol']);
	});
});

describe('callParticipants', () => {
	it('lists those in the call and those measured who left, the people being verified first, each with its quality', () => {
		const measured = {
			averageVideoKbps: 900,
			worstPacketLossPercent: 0.5,
			averageRoundTripMs: 12,
			lowestResolution: { width: 1280, height: 720 },
			lowestScore: 10,
		};
		const call: OperatorCall = {
			verificationId: 'v1',
			participants: [
				{ participantId: 'agent-1', role: 'agent' },
				{ participantId: 'applicant-1', role: 'applicant' },
			],
			quality: {
				samples: 3,
				participants: [
					{ participantId: 'applicant-1', role: 'applicant', ...measured },
					{ participantId: 'interpreter-1', role: 'interpreter', ...measured },
				],
			},
		};
		expect(callParticipants(call).map((row) => [row.participantId, row.quality?.averageVideoKbps])).toEqual([
			['applicant-1', 900],
			['interpreter-1', 900],
			['agent-1', undefined],
		]);
	});
});

describe('afterReading', () => {
	const first = reading('2025-01-01T10:00:00.000Z', []);
	const second = reading('2025-01-01T10:00:03.000Z', []);

	it('keeps the last figures and their time while the server is away, and clears the problem when it answers', () => {
		const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, seconds));
		const read = afterReading(NOTHING_READ, { ok: true, overview: first }, at(0));
		const away = afterReading(read, { ok: false, problem: { kind: 'unreachable' } }, at(3));
		expect(away.latest).toEqual({ overview: first, receivedAt: at(0) });
		expect(away.problem).toEqual({ problem: { kind: 'unreachable' }, at: at(3) });
		const back = afterReading(away, { ok: true, overview: second }, at(6));
		expect(back).toEqual({ latest: { overview: second, receivedAt: at(6) }, previous: first, problem: undefined });
	});
});
