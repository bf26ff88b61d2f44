// What the operator page knows after each attempt to read the overview: the last reading that
// succeeded (kept while the server is away, so the figures stay on screen with their time), the one
// before it (what changed between the two), and what went wrong with the latest attempt, if it did.
import type { OperatorOverview } from '@vidverify/shared';
import type { OverviewProblem, OverviewReading } from './readOverview.ts';

export type OverviewState = {
	latest: { overview: OperatorOverview; receivedAt: Date } | undefined;
	previous: OperatorOverview | undefined;
	problem: { problem: OverviewProblem; at: Date } | undefined;
};

export const NOTHING_READ: OverviewState = { latest: undefined, previous: undefined, problem: undefined };

export function afterReading(state: OverviewState, reading: OverviewReading, at: Date): OverviewState {
	if (!reading.ok) return { ...state, problem: { problem: reading.problem, at } };
	return { latest: { overview: reading.overview, receivedAt: at }, previous: state.latest?.overview, problem: undefined };
}
