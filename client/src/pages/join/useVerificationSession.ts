// One participant's live view of their verification: the connection state, the handshake refusal if
// any, and the snapshot, fetched on every (re)connect and kept current with notifications in between.
// A reload or a dropped network therefore redraws the same screen from the server's state.
import type { VerificationSnapshot } from '@vidverify/shared';
import { useCallback, useEffect, useState } from 'react';
import type { ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { refusalOf } from './joinClient.ts';
import { type LinkProblem, refusalProblem } from './linkProblem.ts';
import { applyNotification, type SessionNotification, SNAPSHOT_NOTIFICATIONS } from './sessionReducer.ts';

export type VerificationSession = {
	client: VerificationClient;
	connection: ConnectionState;
	refusal: LinkProblem | undefined;
	snapshot: VerificationSnapshot | undefined;
	/** The last getState failure, while there is no snapshot to show instead. */
	loadError: string | undefined;
	/** Replaces the snapshot with one a request answered with (consent, cancel). */
	setSnapshot: (snapshot: VerificationSnapshot) => void;
	refresh: () => Promise<void>;
};

/** Notifications whose full effect only a fresh snapshot shows (end reasons, the invitation's ids). */
const REFETCH_AFTER = new Set<string>(['stateChanged', 'interpreterInvited']);

export function useVerificationSession(client: VerificationClient): VerificationSession {
	const [connection, setConnection] = useState<ConnectionState>(client.state);
	const [refusal, setRefusal] = useState<LinkProblem | undefined>();
	const [snapshot, setSnapshotState] = useState<VerificationSnapshot | undefined>();
	const [loadError, setLoadError] = useState<string | undefined>();

	const refresh = useCallback(async () => {
		try {
			setSnapshotState(await client.request('getState', {}));
			setLoadError(undefined);
		} catch (error) {
			setLoadError(error instanceof Error ? error.message : String(error));
		}
	}, [client]);

	useEffect(() => {
		const offState = client.onState((state, error) => {
			setConnection(state);
			if (state === 'connected') void refresh();
			if (state === 'refused' && error) setRefusal(refusalProblem(error));
		});
		setConnection(client.state);
		if (client.state === 'connected') void refresh();
		const earlyRefusal = refusalOf(client);
		if (client.state === 'refused') setRefusal(earlyRefusal ? refusalProblem(earlyRefusal) : { kind: 'invalid' });
		const offNotifications = SNAPSHOT_NOTIFICATIONS.map((name) =>
			client.on(name, (payload) => {
				setSnapshotState((previous) => previous && applyNotification(previous, { name, payload } as SessionNotification));
				if (REFETCH_AFTER.has(name)) void refresh();
			}),
		);
		return () => {
			offState();
			for (const off of offNotifications) off();
		};
	}, [client, refresh]);

	return { client, connection, refusal, snapshot, loadError, setSnapshot: setSnapshotState, refresh };
}
