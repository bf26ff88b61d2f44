// Keeps an available agent's receive path ready while the console shows the queue (StandbyReceiver),
// so the call it accepts begins on a connected transport. Going away or leaving the console closes
// it; a call beginning leaves it for the call view to take over.
// Not mounted for now (see AgentConsole.tsx): a call accepted while an earlier, abandoned call was in its
// grace period got no picture through it.
import { useEffect, useRef } from 'react';
import type { VerificationClient } from '../signalling/VerificationClient.ts';
import { StandbyReceiver } from './StandbyReceiver.ts';

export function useStandbyMedia(client: VerificationClient | undefined, state: { available: boolean; inCall: boolean }): void {
	const wanted = state.available && !state.inCall;
	const inCall = useRef(state.inCall);
	inCall.current = state.inCall;

	useEffect(() => {
		if (!client || !wanted) return;
		let standby: StandbyReceiver | undefined;
		let stopped = false;
		StandbyReceiver.open(client).then(
			(opened) => {
				if (stopped) opened.release(inCall.current);
				else standby = opened;
			},
			() => {
				// No standby: the next call joins its media the usual way.
			},
		);
		return () => {
			stopped = true;
			standby?.release(inCall.current);
		};
	}, [client, wanted]);
}
