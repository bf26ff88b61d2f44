// What the page asks the camera and microphone for. Documents need resolution: 1280×720 is asked as
// the ideal (not the minimum, which would refuse an older camera outright); the page then says when
// the camera gives less, and the agent can ask for more.

/** Which camera: a device from enumerateDevices, or on phones front/back by facing mode. */
export type CameraChoice = { deviceId: string } | { facingMode: 'user' | 'environment' } | { any: true };

export const VIDEO_IDEAL = { width: 1280, height: 720, frameRate: 30 } as const;
export const VIDEO_HIGH = { width: 1920, height: 1080 } as const;

export function videoConstraints(choice: CameraChoice, high = false): MediaTrackConstraints {
	const size = high ? VIDEO_HIGH : VIDEO_IDEAL;
	const constraints: MediaTrackConstraints = {
		width: { ideal: size.width },
		height: { ideal: size.height },
		frameRate: { ideal: VIDEO_IDEAL.frameRate, max: VIDEO_IDEAL.frameRate },
	};
	// exact: asking for the back camera must not silently give the front one (the label would lie).
	if ('deviceId' in choice) constraints.deviceId = { exact: choice.deviceId };
	else if ('facingMode' in choice) constraints.facingMode = { exact: choice.facingMode };
	return constraints;
}

export function audioConstraints(deviceId: string | undefined): MediaTrackConstraints {
	const constraints: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
	if (deviceId) constraints.deviceId = { exact: deviceId };
	return constraints;
}

/** A front camera is shown mirrored (as in a mirror); a back camera or a document camera is not. */
export function shouldMirror(choice: CameraChoice, settings: Pick<MediaTrackSettings, 'facingMode'> | undefined): boolean {
	const facing = settings?.facingMode ?? ('facingMode' in choice ? choice.facingMode : undefined);
	return facing !== 'environment';
}

/** Whether what the camera delivers is enough to read a document's small print. */
export function resolutionIsLow(settings: Pick<MediaTrackSettings, 'width' | 'height'> | undefined): boolean {
	if (!settings?.width || !settings.height) return false;
	// Either orientation: a phone held upright reports 720×1280.
	return Math.min(settings.width, settings.height) < VIDEO_IDEAL.height;
}
