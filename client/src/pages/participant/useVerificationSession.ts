// One participant's live view of their verification: the connection state, the handshake refusal if
// any, and the snapshot, fetched on every (re)connect and kept current with notifications in between.
// A reload or a dropped network therefore redraws the same screen from the server's state.
import type { VerificationSnapshot } from '@vidverify/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type RefetchTimer, refetchLater } from '../../session/refetchLater.ts';
import {
	foldNotification,
	isOlderSnapshot,
	SNAPSHOT_NOTIFICATION_NAMES,
	type SnapshotNotification,
} from '../../session/snapshotReducer.ts';
import type { ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { refusalOf } from './joinClient.ts';
import { type LinkProblem, refusalProblem } from './linkProblem.ts';

export type VerificationSession = {
	client: VerificationClient;
	connection: ConnectionState;
	refusal: LinkProblem | undefined;
	snapshot: VerificationSnapshot | undefined;
	/** The last getState failure, while there is no snapshot to show instead; translated when shown. */
	loadError: unknown;
	/** Replaces the snapshot with one a request answered with (consent, cancel). */
	setSnapshot: (snapshot: VerificationSnapshot) => void;
	refresh: () => Promise<void>;
};

export function useVerificationSession(client: VerificationClient): VerificationSession {
	const [connection, setConnection] = useState<ConnectionState>(client.state);
	const [refusal, setRefusal] = useState<LinkProblem | undefined>();
	const [snapshot, setSnapshotState] = useState<VerificationSnapshot | undefined>();
	const [loadError, setLoadError] = useState<unknown>();
	const refetchTimer: RefetchTimer = useRef(undefined);

	const refresh = useCallback(async () => {
		try {
			const fetched = await client.request('getState', {});
			setSnapshotState((previous) => {
				if (!isOlderSnapshot(previous, fetched)) return fetched;
				refetchLater(refetchTimer, () => void refresh());
				return previous;
			});
			setLoadError(undefined);
		} catch (error) {
			setLoadError(error);
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
		// Whether to refetch is known only inside the state update; several notices of one change arrive
		// together, so the fetch waits a moment and happens once.
		const refetchSoon = () => refetchLater(refetchTimer, () => void refresh());
		const offNotifications = SNAPSHOT_NOTIFICATION_NAMES.map((name) =>
			client.on(name, (payload) => {
				setSnapshotState((previous) => {
					if (!previous) return previous;
					const folded = foldNotification(previous, { name, payload } as SnapshotNotification);
					if (folded.refetch) refetchSoon();
					return folded.snapshot;
				});
			}),
		);
		return () => {
			clearTimeout(refetchTimer.current);
			offState();
			for (const off of offNotifications) off();
		};
	}, [client, refresh]);

	return { client, connection, refusal, snapshot, loadError, setSnapshot: setSnapshotState, refresh };
}
