// Runs a call's media for as long as a call screen is shown, for every role: sends this participant's
// camera and microphone, receives the others through CallConnection, and closes the transports when
// the screen goes. What is sent is either the participant's LocalMedia (kept from the device check:
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

/** `send`: what to send; undefined holds the call back until it is known (the camera is still opening). */
export function useCallMedia(client: VerificationClient, send: LocalMedia | MediaStream | undefined): CallMedia {
	const [state, setState] = useState<{ state: MediaState; failure?: unknown }>({ state: 'idle' });
	const [remote, setRemote] = useState<RemoteTrack[]>([]);
	const [highQualityRequested, setHighQualityRequested] = useState(false);
	const connection = useRef<CallConnection | undefined>(undefined);

	useEffect(() => {
		if (!send) return;
		let outgoing: MediaStream;
		if (send instanceof LocalMedia) {
			const { video, audio } = send.snapshot;
			if (!video || !audio) return;
			// CallConnection keeps and edits the stream it is given; a copy keeps LocalMedia's tracks its own.
			outgoing = new MediaStream([video, audio]);
		} else outgoing = send;
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
				if (send instanceof LocalMedia) void send.setHighResolution(true);
			},
		});
		connection.current = call;
		call.start(outgoing).catch(() => {
			// onState has reported the failure; the banner shows it with a retry.
		});
		let sentVideo = outgoing.getVideoTracks()[0];
		const offChange =
			send instanceof LocalMedia
				? send.onChange((snapshot) => {
						if (snapshot.video && snapshot.video !== sentVideo) {
							sentVideo = snapshot.video;
							void call.replaceVideoTrack(snapshot.video);
						}
					})
				: () => undefined;
		return () => {
			stopped = true;
			offChange();
			call.close();
			connection.current = undefined;
			setRemote([]);
		};
	}, [client, send]);

	const retry = useCallback(() => {
		void connection.current?.rejoin().catch(() => undefined);
	}, []);

	return { state: state.state, failure: state.failure, remote, highQualityRequested, retry };
}

export function trackOf(remote: RemoteTrack[], role: RemoteTrack['role'], source: RemoteTrack['source']) {
	return remote.find((candidate) => candidate.role === role && candidate.source === source)?.track;
}
