// The agent console's session: one signalling connection per agent link, the queue and the call the
// agent is in, kept current by notifications. Whatever the console shows comes from the server on every
// (re)connection (getQueue, then getState when the agent is in a call), so a dropped network or a
// reload returns to the same call while the server holds it.
import {
	type AgentQueueView,
	isCallOver,
	type ReasonCode,
	type VerificationSnapshot,
	type VerificationState,
} from '@vidverify/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type I18n, useI18n } from '../../i18n/useI18n.ts';
import { type RefetchTimer, refetchLater } from '../../session/refetchLater.ts';
import { isOlderSnapshot, SNAPSHOT_NOTIFICATION_NAMES, type SnapshotAnswer } from '../../session/snapshotReducer.ts';
import { codeOf, type RequestError } from '../../signalling/request.ts';
import { type ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { announcementFor } from './announcements.ts';
import { applyCallAnswer, applyCallEvent, type CallEvent, type CallState, withSnapshot } from './callState.ts';
import type { ReceivedQueue } from './QueueView.tsx';
import { queueChange } from './queue.ts';

export type LastResult = {
	verificationId: string;
	state: VerificationState;
	reasonCodes: ReasonCode[];
	note: string | null;
	applicantDeparture: CallState['applicantDeparture'];
};

export type AgentSession = {
	client: VerificationClient | undefined;
	connection: ConnectionState;
	/** Why the server refused this agent link, once it has. */
	refusal: RequestError | undefined;
	queue: ReceivedQueue | undefined;
	call: CallState | undefined;
	lastResult: LastResult | undefined;
	dismissLastResult: () => void;
	/** The last failure to load the queue or the call, kept as the error so it is translated when shown. */
	syncError: unknown;
	/** The latest sentence for screen readers. */
	announcement: string;
	receiveQueue: (view: AgentQueueView) => void;
	receiveSnapshot: (snapshot: VerificationSnapshot) => void;
	/** The agent's own promptStep or markStep answer. */
	apply: (answer: SnapshotAnswer) => void;
	onDecided: (snapshot: VerificationSnapshot, note: string | undefined) => void;
};

export function useAgentSession(token: string): AgentSession {
	const { t, tm, locale } = useI18n();
	const [client, setClient] = useState<VerificationClient | undefined>();
	const [connection, setConnection] = useState<ConnectionState>('connecting');
	const [refusal, setRefusal] = useState<RequestError | undefined>();
	const [queue, setQueue] = useState<ReceivedQueue | undefined>();
	const [call, setCall] = useState<CallState | undefined>();
	const [lastResult, setLastResult] = useState<LastResult | undefined>();
	const [syncError, setSyncError] = useState<unknown>();
	const [announcement, setAnnouncement] = useState('');
	// Notification handlers are registered once per connection; these refs give them the latest values.
	const previousQueue = useRef<AgentQueueView | undefined>(undefined);
	const currentCall = useRef<CallState | undefined>(undefined);
	const refreshTimer: RefetchTimer = useRef(undefined);
	currentCall.current = call;
	const decidedNotes = useRef(new Map<string, string | null>());
	const text = useRef<Pick<I18n, 't' | 'tm' | 'locale'>>({ t, tm, locale });
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
			const counts = { count: change.waiting, eligible: change.eligible, arrived: change.arrived, left: change.left };
			setAnnouncement(
				change.arrived > 0 || change.left > 0
					? translate('agent.queue.announce', counts)
					: translate('agent.queue.announce.first', counts),
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
		(snapshot: VerificationSnapshot, fetchAgain?: () => void) => {
			if (isCallOver(snapshot.state)) finish(snapshot);
			else {
				setLastResult(undefined);
				setCall((previous) => {
					if (!isOlderSnapshot(previous?.snapshot, snapshot)) return withSnapshot(previous, snapshot);
					fetchAgain?.();
					return previous;
				});
			}
		},
		[finish],
	);

	const refreshState = useCallback(
		async (from: VerificationClient) => {
			try {
				const snapshot = await from.request('getState', {});
				receiveSnapshot(snapshot, () => refetchLater(refreshTimer, () => void refreshState(from)));
			} catch (error) {
				// No verification assigned any more: the call ended while we were away.
				if (codeOf(error) === 'INVALID_STATE') setCall(undefined);
				else setSyncError(error);
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
				setSyncError(error);
			}
		},
		[receiveQueue, refreshState],
	);

	useEffect(() => {
		if (client && connection === 'connected') void sync(client);
	}, [client, connection, sync]);

	useEffect(() => {
		if (call && isCallOver(call.snapshot.state)) finish(call.snapshot);
	}, [call, finish]);

	useEffect(() => {
		if (!client) return;
		// Several notices of one change arrive together: ask once.
		const refreshSoon = () => refetchLater(refreshTimer, () => void refreshState(client));
		const onCallEvent = (event: CallEvent) => {
			if (event.name === 'decided') decidedNotes.current.set(event.payload.verificationId, event.payload.note ?? null);
			const said = announcementFor(event, currentCall.current, text.current);
			setCall((previous) => {
				if (!previous) return previous;
				const { state, refetch } = applyCallEvent(previous, event);
				// An ended call leaves the screen at once (see finish); its snapshot is not fetched again.
				if (refetch && !isCallOver(state.snapshot.state)) refreshSoon();
				return state;
			});
			if (said) setAnnouncement(said);
		};
		const unsubscribe = [
			client.on('queueUpdated', (view) => {
				receiveQueue(view);
				// Taken in another tab of this agent: follow it here too.
				if (view.verificationId && !currentCall.current) void refreshState(client);
			}),
			...SNAPSHOT_NOTIFICATION_NAMES.map((name) =>
				client.on(name, (payload: CallEvent['payload']) => onCallEvent({ name, payload } as CallEvent)),
			),
		];
		return () => {
			clearTimeout(refreshTimer.current);
			for (const stop of unsubscribe) stop();
		};
	}, [client, receiveQueue, refreshState]);

	const apply = useCallback((answer: SnapshotAnswer) => {
		setCall((previous) => (previous ? applyCallAnswer(previous, answer) : previous));
	}, []);

	const onDecided = useCallback(
		(snapshot: VerificationSnapshot, note: string | undefined) => {
			finish(snapshot, note ?? null);
			if (client) void sync(client);
		},
		[client, finish, sync],
	);

	const dismissLastResult = useCallback(() => setLastResult(undefined), []);

	return {
		client,
		connection,
		refusal,
		queue,
		call,
		lastResult,
		dismissLastResult,
		syncError,
		announcement,
		receiveQueue,
		receiveSnapshot,
		apply,
		onDecided,
	};
}
