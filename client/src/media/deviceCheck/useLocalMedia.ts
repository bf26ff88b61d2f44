// React's view of a LocalMedia: its tracks, the devices to choose from, and the problem to show.
import { useCallback, useEffect, useState } from 'react';
import type { CameraChoice } from './constraints.ts';
import { type LocalDevices, type LocalMedia, type LocalMediaSnapshot, MediaProblemError } from './LocalMedia.ts';
import type { MediaProblem } from './mediaErrors.ts';

export type LocalMediaStatus = 'idle' | 'starting' | 'ready' | 'failed';

export type LocalMediaView = LocalMediaSnapshot & {
	status: LocalMediaStatus;
	problem: MediaProblem | undefined;
	devices: LocalDevices;
	start: () => Promise<void>;
	switchCamera: (choice: CameraChoice) => Promise<void>;
	switchMicrophone: (deviceId: string) => Promise<void>;
};

function toProblem(error: unknown): MediaProblem {
	if (error instanceof MediaProblemError) return error.problem;
	return { kind: 'other', detail: error instanceof Error ? error.message : String(error) };
}

export function useLocalMedia(media: LocalMedia, options: { autoStart: boolean }): LocalMediaView {
	const [snapshot, setSnapshot] = useState<LocalMediaSnapshot>(media.snapshot);
	const [status, setStatus] = useState<LocalMediaStatus>(media.live ? 'ready' : 'idle');
	const [problem, setProblem] = useState<MediaProblem | undefined>();
	const [devices, setDevices] = useState<LocalDevices>({ cameras: [], microphones: [] });

	const refreshDevices = useCallback(() => {
		media.devices().then(setDevices, () => undefined);
	}, [media]);

	useEffect(() => media.onChange(setSnapshot), [media]);

	useEffect(() => {
		// Plugging in a camera or headset updates the choices without a reload.
		refreshDevices();
		const devicesApi = navigator.mediaDevices;
		devicesApi?.addEventListener('devicechange', refreshDevices);
		return () => devicesApi?.removeEventListener('devicechange', refreshDevices);
	}, [refreshDevices]);

	const start = useCallback(async () => {
		setStatus('starting');
		setProblem(undefined);
		try {
			await media.start();
			setStatus('ready');
			// Labels only appear once permission is granted.
			refreshDevices();
		} catch (error) {
			setProblem(toProblem(error));
			setStatus('failed');
		}
	}, [media, refreshDevices]);

	useEffect(() => {
		if (options.autoStart && !media.live) void start();
	}, [media, options.autoStart, start]);

	const switchCamera = useCallback(
		async (choice: CameraChoice) => {
			setProblem(undefined);
			try {
				await media.switchCamera(choice);
			} catch (error) {
				setProblem(toProblem(error));
			}
		},
		[media],
	);

	const switchMicrophone = useCallback(
		async (deviceId: string) => {
			setProblem(undefined);
			try {
				await media.switchMicrophone(deviceId);
			} catch (error) {
				setProblem(toProblem(error));
			}
		},
		[media],
	);

	return { ...snapshot, status, problem, devices, start, switchCamera, switchMicrophone };
}
