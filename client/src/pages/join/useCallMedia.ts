// Runs the call's media for as long as the call screen is shown: sends this participant's camera and
// microphone (from LocalMedia), receives the others, swaps the sent picture when the camera is
// switched, and follows the agent's request for the sharpest picture.
import { useCallback, useEffect, useRef, useState } from 'react';
import { CallConnection, type MediaState, type RemoteTrack } from '../../media/CallConnection.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export type CallMedia = {
	state: MediaState;
	detail: string | undefined;
	remote: RemoteTrack[];
	/** The agent asked for the sharpest picture (to read a document). */
	highQualityRequested: boolean;
	retry: () => void;
};

export function useCallMedia(client: VerificationClient, media: LocalMedia, ready: boolean): CallMedia {
	const [state, setState] = useState<MediaState>('idle');
	const [detail, setDetail] = useState<string | undefined>();
	const [remote, setRemote] = useState<RemoteTrack[]>([]);
	const [highQualityRequested, setHighQualityRequested] = useState(false);
	const connection = useRef<CallConnection | undefined>(undefined);

	useEffect(() => {
		const { video, audio } = media.snapshot;
		if (!ready || !video || !audio) return;
		const call = new CallConnection(client, {
			onRemoteTracks: setRemote,
			onState: (next, reason) => {
				setState(next);
				setDetail(reason);
			},
			onHighQualityRequested: () => {
				setHighQualityRequested(true);
				void media.setHighResolution(true);
			},
		});
		connection.current = call;
		// CallConnection keeps and edits the stream it is given; a copy keeps LocalMedia's tracks its own.
		call.start(new MediaStream([video, audio])).catch(() => {
			// onState has reported the failure; the banner shows it with a retry.
		});
		let sentVideo = video;
		const offChange = media.onChange((snapshot) => {
			if (snapshot.video && snapshot.video !== sentVideo) {
				sentVideo = snapshot.video;
				void call.replaceVideoTrack(snapshot.video);
			}
		});
		return () => {
			offChange();
			call.close();
			connection.current = undefined;
			setRemote([]);
		};
	}, [client, media, ready]);

	const retry = useCallback(() => {
		void connection.current?.rejoin().catch(() => undefined);
	}, []);

	return { state, detail, remote, highQualityRequested, retry };
}

export function trackOf(remote: RemoteTrack[], role: RemoteTrack['role'], source: RemoteTrack['source']) {
	return remote.find((candidate) => candidate.role === role && candidate.source === source)?.track;
}
