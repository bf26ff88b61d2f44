// Runs a call's media for as long as a call screen is shown (for the applicant, from the waiting room
// on), for every role: sends this participant's camera and microphone, receives the others through
// CallConnection, and closes the transports when the screen goes. What is sent is either the participant's LocalMedia (kept from the device check:
// a switched camera replaces the sent picture, and the agent's request for the sharpest picture is
// followed) or a plain stream (the agent's own camera, or nothing at all when it has none).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { VerificationClient } from '../signalling/VerificationClient.ts';
import { CallConnection, type MediaState, type RemoteTrack } from './CallConnection.ts';
import { LocalMedia } from './deviceCheck/LocalMedia.ts';

export type CallMedia = {
	state: MediaState;
	/** Why the media failed, when it did; translated where it is shown. */
	failure: unknown;
	remote: RemoteTrack[];
	/** The agent asked for the sharpest picture (to read a document). */
	highQualityRequested: boolean;
	retry: () => void;
};

export type CallMediaOptions = {
	/** Whether the call's media runs at all (default true): the applicant's starts in the waiting room. */
	enabled?: boolean;
	/** Before the call begins: joined and producing, but sending nothing until it turns false. */
	waiting?: boolean;
};

/**
 * `send`: what to send; undefined while it is not known yet (the camera is still opening), during
 * which the call is joined and received already, the sending following when it comes.
 */
export function useCallMedia(
	client: VerificationClient,
	send: LocalMedia | MediaStream | undefined,
	{ enabled = true, waiting = false }: CallMediaOptions = {},
): CallMedia {
	const [state, setState] = useState<{ state: MediaState; failure?: unknown }>({ state: 'idle' });
	const [remote, setRemote] = useState<RemoteTrack[]>([]);
	const [highQualityRequested, setHighQualityRequested] = useState(false);
	const [connection, setConnection] = useState<CallConnection | undefined>(undefined);
	const sending = useRef(send);
	sending.current = send;
	const waitingNow = useRef(waiting);
	waitingNow.current = waiting;

	useEffect(() => {
		if (!enabled) return;
		let stopped = false;
		const call = new CallConnection(client, {
			onRemoteTracks: (tracks) => {
				if (!stopped) setRemote(tracks);
			},
			onState: (next, failure) => {
				if (!stopped) setState({ state: next, failure });
			},
			onHighQualityRequested: () => {
				setHighQualityRequested(true);
				const current = sending.current;
				if (current instanceof LocalMedia) void current.setHighResolution(true);
			},
		});
		call.setWaiting(waitingNow.current);
		setConnection(call);
		call.start().catch(() => {
			// onState has reported the failure; the banner shows it with a retry.
		});
		return () => {
			stopped = true;
			call.close();
			setConnection(undefined);
			setRemote([]);
			setState({ state: 'idle' });
		};
	}, [client, enabled]);

	useEffect(() => connection?.setWaiting(waiting), [connection, waiting]);

	useEffect(() => {
		if (!connection || !send) return;
		let outgoing: MediaStream;
		if (send instanceof LocalMedia) {
			const { video, audio } = send.snapshot;
			if (!video || !audio) return;
			// CallConnection keeps and edits the stream it is given; a copy keeps LocalMedia's tracks its own.
			outgoing = new MediaStream([video, audio]);
		} else outgoing = send;
		connection.send(outgoing);
		if (!(send instanceof LocalMedia)) return;
		let sentVideo = outgoing.getVideoTracks()[0];
		return send.onChange((snapshot) => {
			if (snapshot.video && snapshot.video !== sentVideo) {
				sentVideo = snapshot.video;
				void connection.replaceVideoTrack(snapshot.video);
			}
		});
	}, [connection, send]);

	const retry = useCallback(() => {
		void connection?.rejoin().catch(() => undefined);
	}, [connection]);

	return { state: state.state, failure: state.failure, remote, highQualityRequested, retry };
}

export function trackOf(remote: RemoteTrack[], role: RemoteTrack['role'], source: RemoteTrack['source']) {
	return remote.find((candidate) => candidate.role === role && candidate.source === source)?.track;
}
