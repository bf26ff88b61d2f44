// The agent's own camera and microphone, so the applicant sees who checks them: opened when the call
// view opens and stopped when it closes. Without a camera the agent can still see, hear and decide,
// so a failure gives an empty stream (the call joins receiving only) and says why.
import { useEffect, useState } from 'react';
import { classifyMediaError, type MediaProblemKind } from '../../media/deviceCheck/mediaErrors.ts';

export type AgentCamera = {
	/** The stream to send; undefined while the camera is still opening. */
	stream: MediaStream | undefined;
	/** Why the camera or microphone could not be opened, as the device check names it. */
	problem: MediaProblemKind | undefined;
};

export function useAgentCamera(): AgentCamera {
	const [camera, setCamera] = useState<AgentCamera>({ stream: undefined, problem: undefined });

	useEffect(() => {
		let stopped = false;
		let stream: MediaStream | undefined;
		void (async () => {
			let problem: MediaProblemKind | undefined;
			try {
				stream = await navigator.mediaDevices.getUserMedia({
					video: { width: { ideal: 1280 }, height: { ideal: 720 } },
					audio: true,
				});
			} catch (error) {
				stream = new MediaStream();
				problem = classifyMediaError(error).kind;
			}
			if (stopped) {
				for (const track of stream.getTracks()) track.stop();
				return;
			}
			setCamera({ stream, problem });
		})();
		return () => {
			stopped = true;
			for (const track of stream?.getTracks() ?? []) track.stop();
			setCamera({ stream: undefined, problem: undefined });
		};
	}, []);

	return camera;
}
