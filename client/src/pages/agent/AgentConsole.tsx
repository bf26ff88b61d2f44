// The agent console (/agent#<token>): checks the agent link and shows either the queue or the call the
// agent is in, with the outcome of the last call. The session behind it (connection, queue, call state,
// announcements) is useAgentSession's; this file only draws it.
import { REASON_CODE_INFO } from '@vidverify/shared';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { tokenFromLocation } from '../../signalling/token.ts';
import { ReviewView } from '../review/ReviewView.tsx';
import { type AgentProfile, readAgentProfile } from './agentToken.ts';
import { CallView } from './CallView.tsx';
import { formatDateTime } from './format.ts';
import { QueueView } from './QueueView.tsx';
import { type LastResult, useAgentSession } from './useAgentSession.ts';
import { useTokenRefresh } from './useTokenRefresh.ts';

function Header({ profile }: { profile?: AgentProfile | undefined }) {
	const { t } = useI18n();
	return (
		<header className="app-header agent-header">
			<div>
				<h1>{t('agent.title')}</h1>
				{profile ? (
					<p className="agent-signed-in" data-testid="agent-name">
						{t('agent.signedInAs', { name: profile.displayName })}
					</p>
				) : null}
			</div>
			<LanguageSwitcher />
		</header>
	);
}

export function AgentConsole() {
	const { t, locale } = useI18n();
	const [token, setToken] = useState(() => tokenFromLocation());
	// Opening another agent link in this tab changes only the fragment, which reloads nothing: follow it.
	useEffect(() => {
		const onHashChange = () => setToken(tokenFromLocation());
		window.addEventListener('hashchange', onHashChange);
		return () => window.removeEventListener('hashchange', onHashChange);
	}, []);
	const profile = useMemo(() => (token ? readAgentProfile(token) : undefined), [token]);
	let problem: string | undefined;
	if (!token) problem = t('agent.token.missing');
	else if (!profile) problem = t('agent.token.notAgent');
	else if (profile.expiresAt && profile.expiresAt.getTime() <= Date.now()) {
		problem = t('agent.token.expired', { time: formatDateTime(profile.expiresAt, locale) });
	}
	if (problem !== undefined || !token || !profile) {
		return (
			<div className="agent">
				<Header />
				<main>
					<p className="status" data-tone="error" role="alert" data-testid="agent-link-problem">
						{problem}
					</p>
				</main>
			</div>
		);
	}
	return <AgentSession key={token} token={token} profile={profile} />;
}

function AgentSession({ token, profile }: { token: string; profile: AgentProfile }) {
	const { t, describeError, locale } = useI18n();
	const session = useAgentSession(token);
	const { client, connection, refusal, queue, call, lastResult, syncError } = session;
	const signInEndsAt = useTokenRefresh(client, profile.expiresAt);
	// A reviewer's token opens the same console with a second view: the review queue.
	const [view, setView] = useState<'calls' | 'review'>('calls');
	const [reviewSaid, setReviewSaid] = useState('');
	// The agent's standby receive path (useStandbyMedia) is not mounted: with it, a call accepted while an
	// earlier call that ended by its browsers closing was still in its grace period showed the agent no
	// picture of the applicant (variants and interpreter journeys, after a dropped or interrupted call).
	// Until that is found, the agent joins the call's media at the accept; the applicant stays pre-connected.

	let body: ReactNode;
	if (connection === 'refused') {
		body = (
			<main>
				<p className="status" data-tone="error" role="alert" data-testid="agent-link-problem">
					{refusal?.code === 'PROTOCOL_MISMATCH'
						? t('agent.token.reload')
						: t('agent.token.refused', { reason: refusal ? describeError(refusal) : '' })}
				</p>
			</main>
		);
	} else if (client && call) {
		body = <CallView client={client} connection={connection} call={call} apply={session.apply} onDecided={session.onDecided} />;
	} else if (client && profile.reviewer && view === 'review') {
		body = (
			<div className="agent-queue-page">
				<ConnectionBanner connection={connection} />
				<ReviewView client={client} connection={connection} profile={profile} announce={setReviewSaid} />
			</div>
		);
	} else {
		body = (
			<div className="agent-queue-page">
				<ConnectionBanner connection={connection} />
				{connection === 'signedOut' ? <p className="agent-row">{t('agent.signedOut')}</p> : null}
				{connection === 'closed' || connection === 'replaced' ? (
					<p className="agent-row">
						<span>{t('agent.closed')}</span>{' '}
						<button type="button" onClick={() => window.location.reload()} data-testid="agent-reconnect">
							{t('agent.closed.reconnect')}
						</button>
					</p>
				) : null}
				{syncError !== undefined ? (
					<p className="status" data-tone="error" role="alert">
						{t('agent.syncFailed', { reason: describeError(syncError) })}
					</p>
				) : null}
				{lastResult ? <LastResultPanel result={lastResult} onDismiss={session.dismissLastResult} /> : null}
				{client && queue ? (
					<QueueView
						client={client}
						profile={profile}
						queue={queue}
						onQueue={session.receiveQueue}
						onAccepted={session.receiveSnapshot}
					/>
				) : (
					<main aria-busy="true">
						<p className="hint">{t('agent.loading')}</p>
					</main>
				)}
			</div>
		);
	}

	return (
		<div className="agent">
			<Header profile={profile} />
			{signInEndsAt && connection !== 'signedOut' ? (
				<p className="status agent-sign-in-ends" data-tone="info" role="status" data-testid="sign-in-ends">
					{t('agent.signInEnds', { time: formatDateTime(signInEndsAt, locale) })}
				</p>
			) : null}
			{profile.reviewer && !call && connection !== 'refused' ? (
				<nav className="agent-row" aria-label={t('review.tabs.label')} data-testid="console-views">
					{(['calls', 'review'] as const).map((name) => (
						<button
							key={name}
							type="button"
							className="agent-secondary"
							aria-pressed={view === name}
							onClick={() => setView(name)}
							data-testid={`view-${name}`}
						>
							{t(`review.tabs.${name}`)}
						</button>
					))}
				</nav>
			) : null}
			{body}
			<div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
				{session.announcement}
			</div>
			<div className="visually-hidden" role="status" aria-live="polite" data-testid="review-announcer">
				{reviewSaid}
			</div>
		</div>
	);
}

function LastResultPanel({ result, onDismiss }: { result: LastResult; onDismiss: () => void }) {
	const { t, tm } = useI18n();
	const heading = useRef<HTMLHeadingElement>(null);
	// The call view (and the button that ended it) is gone: put focus where the agent continues.
	useEffect(() => heading.current?.focus(), []);
	const tone = result.state === 'approved' ? 'ok' : result.state === 'in_review' ? 'info' : 'error';
	return (
		<section
			className="agent-panel agent-result"
			aria-labelledby="agent-result-title"
			data-testid="last-result"
			data-state={result.state}
		>
			<h2 id="agent-result-title" ref={heading} tabIndex={-1} className="agent-focus-target">
				{t('agent.result.title')}
			</h2>
			<p className="status" data-tone={tone}>
				{t('agent.result.outcome', { id: result.verificationId, state: tm(`state.${result.state}`) })}
			</p>
			{result.reasonCodes.length > 0 ? (
				<p>
					{t('agent.result.reasons', {
						reasons: result.reasonCodes.map((code) => tm(REASON_CODE_INFO[code].labelKey)).join('; '),
					})}
				</p>
			) : null}
			{result.applicantDeparture ? <p>{t(`agent.result.departure.${result.applicantDeparture}`)}</p> : null}
			{result.note ? <p>{t('agent.result.note', { note: result.note })}</p> : null}
			<button type="button" className="agent-secondary" onClick={onDismiss}>
				{t('agent.result.dismiss')}
			</button>
		</section>
	);
}
