// Always on screen above the figures: when they were last refreshed, a button to refresh now and one
// to change the key; and, when the latest attempt failed, why, in a live region so it is read out once
// when it starts (the time of each further try sits outside it, so retries are not read out again).
import { useI18n } from '../../i18n/useI18n.ts';
import { formatClock } from '../agent/format.ts';
import type { OverviewState } from './overviewState.ts';
import type { OverviewProblem } from './readOverview.ts';
import { REFRESH_INTERVAL_MS } from './useOverview.ts';

export function RefreshStatus({
	state,
	onRefresh,
	onChangeKey,
}: {
	state: OverviewState;
	onRefresh: () => void;
	onChangeKey: () => void;
}) {
	const { t, locale } = useI18n();
	const seconds = REFRESH_INTERVAL_MS / 1000;
	const { latest, problem } = state;
	return (
		<div className="operator-status" data-testid="operator-status">
			<div className="operator-status-row">
				<p className="operator-refreshed" data-testid="operator-refreshed" data-at={latest?.overview.at}>
					{latest ? (
						<time dateTime={latest.receivedAt.toISOString()}>
							{t('operator.refresh.last', { time: formatClock(latest.receivedAt, locale) })}
						</time>
					) : (
						t('operator.refresh.never')
					)}
				</p>
				<p className="hint">{t('operator.refresh.every', { seconds })}</p>
				<div className="operator-status-actions">
					<button type="button" onClick={onRefresh} data-testid="operator-refresh">
						{t('operator.refresh.now')}
					</button>
					<button type="button" className="operator-secondary" onClick={onChangeKey} data-testid="operator-change-key">
						{t('operator.key.change')}
					</button>
				</div>
			</div>
			<div aria-live="assertive">
				{problem ? (
					<p className="status" data-tone="error" data-testid="operator-problem" data-problem={problem.problem.kind}>
						{problemText(problem.problem, latest !== undefined, seconds, t)}
					</p>
				) : null}
			</div>
			{problem ? (
				<p className="hint" data-testid="operator-last-try">
					{t('operator.problem.lastTry', { time: formatClock(problem.at, locale) })}
				</p>
			) : null}
		</div>
	);
}

function problemText(problem: OverviewProblem, hasFigures: boolean, seconds: number, t: ReturnType<typeof useI18n>['t']): string {
	switch (problem.kind) {
		case 'unreachable':
			return t(hasFigures ? 'operator.problem.unreachable' : 'operator.problem.unreachableFirst', { seconds });
		case 'rateLimited':
			return t('operator.problem.rateLimited', { seconds });
		case 'server':
			return t('operator.problem.server', { seconds, status: problem.status });
		case 'unexpected':
			return t('operator.problem.unexpected');
		// A refused key or a server without an operator view sends the page back to the key form.
		case 'refused':
			return t('operator.key.refused');
		case 'absent':
			return t('operator.key.absent');
	}
}
