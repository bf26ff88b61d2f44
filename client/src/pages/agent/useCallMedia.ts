// The agent's side of the call media: its own camera and microphone (so the applicant sees who checks
// them) and everyone else's tracks, through CallConnection. Lives exactly as long as the call view:
// leaving the call closes the transports and stops the camera. The call view is keyed by verification,
// so another call gets a fresh connection.
import { useCallback, useEffect, useRef, useState } from 'react';
import { CallConnection, type MediaState, type RemoteTrack } from '../../media/CallConnection.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export type CallMedia = {
	remote: RemoteTrack[];
	state: MediaState;
	detail: string | undefined;
	local: MediaStream | undefined;
	/** Why the agent's own camera or microphone could not be opened; the call goes on without them. */
	deviceProblem: string | undefined;
	retry: () => void;
};

function describeDeviceError(error: unknown): string {
	if (error instanceof DOMException) return `${error.name}: ${error.message}`;
	return error instanceof Error ? error.message : String(error);
}

export function useCallMedia(client: VerificationClient): CallMedia {
	const [remote, setRemote] = useState<RemoteTrack[]>([]);
	const [state, setState] = useState<{ state: MediaState; detail?: string }>({ state: 'idle' });
	const [local, setLocal] = useState<MediaStream | undefined>();
	const [deviceProblem, setDeviceProblem] = useState<string | undefined>();
	const connection = useRef<CallConnection | undefined>(undefined);

	useEffect(() => {
		let stopped = false;
		let stream: MediaStream | undefined;
		const current = new CallConnection(client, {
			onRemoteTracks: (tracks) => {
				if (!stopped) setRemote(tracks);
			},
			onState: (next, detail) => {
				if (!stopped) setState({ state: next, detail });
			},
		});
		connection.current = current;
		void (async () => {
			try {
				stream = await navigator.mediaDevices.getUserMedia({
					video: { width: { ideal: 1280 }, height: { ideal: 720 } },
					audio: true,
				});
				setDeviceProblem(undefined);
			} catch (error) {
				// Without a camera the agent can still see, hear and decide: join receiving only.
				stream = new MediaStream();
				if (!stopped) setDeviceProblem(describeDeviceError(error));
			}
			if (stopped) {
				for (const track of stream.getTracks()) track.stop();
				return;
			}
			setLocal(stream);
			// A failure is reported through onState; the agent can retry from the banner.
			await current.start(stream).catch(() => undefined);
		})();
		return () => {
			stopped = true;
			current.close();
			for (const track of stream?.getTracks() ?? []) track.stop();
			connection.current = undefined;
			setRemote([]);
			setLocal(undefined);
		};
	}, [client]);

	const retry = useCallback(() => {
		void connection.current?.rejoin().catch(() => undefined);
	}, []);

	return { remote, state: state.state, detail: state.detail, local, deviceProblem, retry };
}
