// The agent console (/agent#<token>): checks the agent link, keeps one signalling connection, and
// shows either the queue or the call the agent is in. Whatever the console shows comes from the
// server on every (re)connection (getQueue, then getState when the agent is in a call), so a dropped
// network or a reload returns to the same call while the server holds it.
import {
	type AgentQueueView,
	isFinalState,
	REASON_CODE_INFO,
	type ReasonCode,
	type VerificationSnapshot,
	type VerificationState,
} from '@vidverify/shared';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { useI18n } from '../../i18n/I18n.tsx';
import type { RequestError } from '../../signalling/request.ts';
import { tokenFromLocation } from '../../signalling/token.ts';
import { type ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { type AgentProfile, readAgentProfile } from './agentToken.ts';
import { CallView } from './CallView.tsx';
import {
	applyCallEvent,
	CALL_EVENT_NAMES,
	type CallEvent,
	type CallState,
	REFRESHING_EVENTS,
	withSnapshot,
} from './callState.ts';
import { codeOf, formatClock, formatDateTime, reasonOf } from './format.ts';
import { QueueView, type ReceivedQueue } from './QueueView.tsx';
import { queueChange } from './queue.ts';

type LastResult = {
	verificationId: string;
	state: VerificationState;
	reasonCodes: ReasonCode[];
	note: string | null;
	applicantDeparture: CallState['applicantDeparture'];
};

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
	const { t, tm, locale } = useI18n();
	const [client, setClient] = useState<VerificationClient | undefined>();
	const [connection, setConnection] = useState<ConnectionState>('connecting');
	const [refusal, setRefusal] = useState<RequestError | undefined>();
	const [queue, setQueue] = useState<ReceivedQueue | undefined>();
	const [call, setCall] = useState<CallState | undefined>();
	const [lastResult, setLastResult] = useState<LastResult | undefined>();
	const [syncError, setSyncError] = useState<string | undefined>();
	const [announcement, setAnnouncement] = useState('');
	// Notification handlers are registered once per connection; these refs give them the latest values.
	const previousQueue = useRef<AgentQueueView | undefined>(undefined);
	const currentCall = useRef<CallState | undefined>(undefined);
	currentCall.current = call;
	const decidedNotes = useRef(new Map<string, string | null>());
	const text = useRef({ t, tm, locale });
	text.current = { t, tm, locale };

	useEffect(() => {
		const opened = new VerificationClient(token);
		setClient(opened);
		const stopListening = opened.onState((state, error) => {
			setConnection(state);
			if (error) setRefusal(error);
		});
		return () => {
			stopListening();
			opened.close();
			setClient(undefined);
		};
	}, [token]);

	const receiveQueue = useCallback((view: AgentQueueView) => {
		const change = queueChange(previousQueue.current, view);
		previousQueue.current = view;
		setQueue({ view, receivedAt: Date.now() });
		// During a call the queue is not on screen; announcing it would talk over the call.
		if (change && !currentCall.current) {
			const { t: translate } = text.current;
			setAnnouncement(
				change.arrived > 0 || change.left > 0
					? translate('agent.queue.announce', { ...change })
					: translate('agent.queue.announce.first', { ...change }),
			);
		}
	}, []);

	const finish = useCallback((snapshot: VerificationSnapshot, note?: string | null) => {
		const ending = currentCall.current;
		setLastResult({
			verificationId: snapshot.verificationId,
			state: snapshot.state,
			reasonCodes: snapshot.decision?.reasonCodes ?? [],
			note: note ?? decidedNotes.current.get(snapshot.verificationId) ?? null,
			// A call this console still shows can only be interrupted from the applicant's side: a lost
			// connection is announced (participantLeft), a deliberate leave is not.
			applicantDeparture:
				ending?.snapshot.verificationId === snapshot.verificationId && snapshot.state === 'interrupted'
					? (ending.applicantDeparture ?? 'left')
					: null,
		});
		setCall(undefined);
		const { t: translate, tm: message } = text.current;
		setAnnouncement(translate('agent.call.ended', { state: message(`state.${snapshot.state}`) }));
	}, []);

	const receiveSnapshot = useCallback(
		(snapshot: VerificationSnapshot) => {
			if (isFinalState(snapshot.state)) finish(snapshot);
			else {
				setLastResult(undefined);
				setCall((previous) => withSnapshot(previous, snapshot));
			}
		},
		[finish],
	);

	const refreshState = useCallback(
		async (from: VerificationClient) => {
			try {
				receiveSnapshot(await from.request('getState', {}));
			} catch (error) {
				// No verification assigned any more: the call ended while we were away.
				if (codeOf(error) === 'INVALID_STATE') setCall(undefined);
				else setSyncError(reasonOf(error));
			}
		},
		[receiveSnapshot],
	);

	const sync = useCallback(
		async (from: VerificationClient) => {
			try {
				const view = await from.request('getQueue', {});
				setSyncError(undefined);
				receiveQueue(view);
				if (view.verificationId) await refreshState(from);
				else setCall(undefined);
			} catch (error) {
				setSyncError(reasonOf(error));
			}
		},
		[receiveQueue, refreshState],
	);

	useEffect(() => {
		if (client && connection === 'connected') void sync(client);
	}, [client, connection, sync]);

	useEffect(() => {
		if (call && isFinalState(call.snapshot.state)) finish(call.snapshot);
	}, [call, finish]);

	useEffect(() => {
		if (!client) return;
		let refreshTimer: ReturnType<typeof setTimeout> | undefined;
		const onCallEvent = (event: CallEvent) => {
			if (event.name === 'decided') decidedNotes.current.set(event.payload.verificationId, event.payload.note ?? null);
			setCall((previous) => (previous ? applyCallEvent(previous, event) : previous));
			const said = announcementFor(event, currentCall.current, text.current);
			if (said) setAnnouncement(said);
			if (REFRESHING_EVENTS.has(event.name)) {
				// Several of these arrive together (an interpreter joining changes the checklist too): ask once.
				clearTimeout(refreshTimer);
				refreshTimer = setTimeout(() => void refreshState(client), 150);
			}
		};
		const unsubscribe = [
			client.on('queueUpdated', (view) => {
				receiveQueue(view);
				// Taken in another tab of this agent: follow it here too.
				if (view.verificationId && !currentCall.current) void refreshState(client);
			}),
			...CALL_EVENT_NAMES.map((name) =>
				client.on(name, (payload: CallEvent['payload']) => onCallEvent({ name, payload } as CallEvent)),
			),
		];
		return () => {
			clearTimeout(refreshTimer);
			for (const stop of unsubscribe) stop();
		};
	}, [client, receiveQueue, refreshState]);

	const apply = useCallback((event: CallEvent) => {
		setCall((previous) => (previous ? applyCallEvent(previous, event) : previous));
	}, []);

	const refresh = useCallback(() => {
		if (client) void refreshState(client);
	}, [client, refreshState]);

	const onDecided = useCallback(
		(snapshot: VerificationSnapshot, note: string | undefined) => {
			finish(snapshot, note ?? null);
			if (client) void sync(client);
		},
		[client, finish, sync],
	);

	let body: ReactNode;
	if (connection === 'refused') {
		body = (
			<main>
				<p className="status" data-tone="error" role="alert" data-testid="agent-link-problem">
					{refusal?.code === 'PROTOCOL_MISMATCH'
						? t('agent.token.reload')
						: t('agent.token.refused', { reason: refusal ? reasonOf(refusal) : '' })}
				</p>
			</main>
		);
	} else if (client && call) {
		body = <CallView client={client} connection={connection} call={call} apply={apply} refresh={refresh} onDecided={onDecided} />;
	} else {
		body = (
			<div className="agent-queue-page">
				<ConnectionBanner connection={connection} />
				{connection === 'closed' ? (
					<p className="agent-row">
						<span>{t('agent.closed')}</span>{' '}
						<button type="button" onClick={() => window.location.reload()} data-testid="agent-reconnect">
							{t('agent.closed.reconnect')}
						</button>
					</p>
				) : null}
				{syncError ? (
					<p className="status" data-tone="error" role="alert">
						{t('agent.syncFailed', { reason: syncError })}
					</p>
				) : null}
				{lastResult ? <LastResultPanel result={lastResult} onDismiss={() => setLastResult(undefined)} /> : null}
				{client && queue ? (
					<QueueView client={client} profile={profile} queue={queue} onQueue={receiveQueue} onAccepted={receiveSnapshot} />
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
			{body}
			<div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
				{announcement}
			</div>
		</div>
	);
}

function LastResultPanel({ result, onDismiss }: { result: LastResult; onDismiss: () => void }) {
	const { t, tm } = useI18n();
	const heading = useRef<HTMLHeadingElement>(null);
	// The call view (and the button that ended it) is gone: put focus where the agent continues.
	useEffect(() => heading.current?.focus(), []);
	const tone = result.state === 'approved' ? 'ok' : result.state === 'escalated' ? 'info' : 'error';
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

type Text = {
	t: ReturnType<typeof useI18n>['t'];
	tm: ReturnType<typeof useI18n>['tm'];
	locale: ReturnType<typeof useI18n>['locale'];
};

/** The sentence a screen reader hears for a call notification, if any. */
function announcementFor(event: CallEvent, call: CallState | undefined, { t, tm, locale }: Text): string | undefined {
	const own = call?.snapshot.you.participantId;
	switch (event.name) {
		case 'stepPrompted':
			return t('agent.step.announce.prompted', { step: t(`agent.step.title.${event.payload.step.id}`) });
		case 'stepMarked':
			return t('agent.step.announce.marked', {
				step: t(`agent.step.title.${event.payload.step.id}`),
				status: t(`agent.step.status.${event.payload.step.status}`),
			});
		case 'challengeAnswered':
			return event.payload.matched ? t('agent.step.announce.typedMatched') : t('agent.step.announce.typedMismatch');
		case 'participantJoined': {
			const { participant, resumed } = event.payload;
			if (participant.participantId === own) return undefined;
			return t(resumed ? 'agent.call.announce.resumed' : 'agent.call.announce.joined', { role: t(`role.${participant.role}`) });
		}
		case 'participantLeft':
			if (event.payload.participantId === own) return undefined;
			return t(event.payload.reason === 'connection_lost' ? 'agent.call.announce.lost' : 'agent.call.announce.left', {
				role: t(`role.${event.payload.role}`),
			});
		case 'participantReconnecting':
			if (event.payload.participantId === own) return undefined;
			return t('agent.call.announce.reconnecting', {
				role: t(`role.${event.payload.role}`),
				time: formatClock(event.payload.graceEndsAt, locale),
			});
		case 'interpreterInvited':
			return t('agent.interpreter.announce.invited');
		case 'interpreterDeclared':
			return t('agent.interpreter.announce.declared', {
				name: event.payload.fullName,
				relation: tm(`relation.${event.payload.relation}`),
			});
		case 'interpreterRemoved':
			return t('agent.interpreter.announce.removed');
		default:
			return undefined;
	}
}
