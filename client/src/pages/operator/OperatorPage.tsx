// The operator view (/operator): after the operator key is entered, what the service is doing now —
// a summary, the live calls with their quality, the agents, the queue and the media workers —
// refreshed every few seconds, with the time of the last refresh always in sight and a plain message
// when the server cannot be reached. A refused key, or a server without an operator view, brings the
// key form back with the reason.
import type { OperatorOverview } from '@vidverify/shared';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { AgentsTable } from './AgentsTable.tsx';
import { CallsTable } from './CallsTable.tsx';
import { KeyForm, type KeyRefusal } from './KeyForm.tsx';
import type { OverviewState } from './overviewState.ts';
import { QueueTable } from './QueueTable.tsx';
import { RefreshStatus } from './RefreshStatus.tsx';
import { useOverview } from './useOverview.ts';
import { WorkersTable } from './WorkersTable.tsx';
import './operator.css';

export function OperatorPage() {
	const { t } = useI18n();
	const [key, setKey] = useState<string | undefined>(undefined);
	const [refusal, setRefusal] = useState<KeyRefusal | undefined>(undefined);
	const view = useOverview(key);
	const problem = view.problem?.problem.kind;

	useEffect(() => {
		if (key !== undefined && (problem === 'refused' || problem === 'absent')) {
			setRefusal(problem);
			setKey(undefined);
		}
	}, [key, problem]);

	return (
		<>
			<header className="app-header">
				<span className="applicant-brand">{t('app.name')}</span>
				<LanguageSwitcher />
			</header>
			<main className="operator" data-testid="operator-page">
				<h1>{t('operator.title')}</h1>
				{key === undefined ? (
					<KeyForm
						refusal={refusal}
						onKey={(entered) => {
							setRefusal(undefined);
							setKey(entered);
						}}
					/>
				) : (
					<LiveOverview state={view} onRefresh={view.refresh} onChangeKey={() => setKey(undefined)} />
				)}
			</main>
		</>
	);
}

function LiveOverview({
	state,
	onRefresh,
	onChangeKey,
}: {
	state: OverviewState;
	onRefresh: () => void;
	onChangeKey: () => void;
}) {
	const { t } = useI18n();
	const overview = state.latest?.overview;
	const summary = useRef<HTMLHeadingElement>(null);
	const shown = overview !== undefined;

	// Once the first figures are in, a keyboard or screen reader user is taken to them.
	useEffect(() => {
		if (shown) summary.current?.focus();
	}, [shown]);

	return (
		<div className="operator-live" data-testid="operator-live">
			<RefreshStatus state={state} onRefresh={onRefresh} onChangeKey={onChangeKey} />
			{overview ? (
				<>
					<Summary overview={overview} heading={summary} />
					<CallsTable calls={overview.calls} agents={overview.agents} />
					<AgentsTable agents={overview.agents} />
					<QueueTable queue={overview.queue} />
					<WorkersTable latest={overview} previous={state.previous} />
				</>
			) : state.problem ? null : (
				<p aria-busy="true">{t('operator.loading')}</p>
			)}
		</div>
	);
}

function Summary({ overview, heading }: { overview: OperatorOverview; heading: RefObject<HTMLHeadingElement | null> }) {
	const { t } = useI18n();
	const figures = [
		['calls', overview.calls.length],
		['agents', overview.agents.length],
		['waiting', overview.queue.length],
		['workers', overview.workers.length],
	] as const;
	return (
		<section className="operator-section" aria-labelledby="operator-summary-title">
			<h2 id="operator-summary-title" ref={heading} tabIndex={-1}>
				{t('operator.summary.title')}
			</h2>
			<dl className="operator-summary" data-testid="operator-summary">
				{figures.map(([name, value]) => (
					<div key={name} data-testid={`operator-summary-${name}`}>
						<dt>{t(`operator.summary.${name}`)}</dt>
						<dd>{value}</dd>
					</div>
				))}
			</dl>
		</section>
	);
}
