// Turns what getUserMedia throws into the problem a person can fix, and tells which browser they use so
// the fix can name the right buttons. Browsers disagree on names (Firefox reports a busy camera as
// AbortError, Chrome as NotReadableError), so this is the one place that knows them.

export type MediaProblemKind =
	| 'permission_denied'
	| 'no_camera'
	| 'no_microphone'
	| 'device_busy'
	| 'no_rear_camera'
	| 'not_supported'
	| 'no_webrtc'
	| 'other';

export type MediaProblem = { kind: MediaProblemKind; detail: string };

/** What is known about the devices when the error came: lets "not found" say which one is missing. */
export type DeviceCounts = { cameras: number; microphones: number };

/** A browser without WebRTC (WebKitGTK without it, old or locked-down browsers) can open the camera but not call. */
export function webRtcMissing(scope: { RTCPeerConnection?: unknown } = globalThis): boolean {
	return typeof scope.RTCPeerConnection !== 'function';
}

export function classifyMediaError(error: unknown, devices?: DeviceCounts): MediaProblem {
	const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
	const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	switch (name) {
		case 'NotAllowedError':
		case 'PermissionDeniedError':
			return { kind: 'permission_denied', detail };
		case 'NotFoundError':
		case 'DevicesNotFoundError':
			// With both missing, the camera is the one to mention first: the call cannot go on without it.
			if (devices && devices.cameras > 0 && devices.microphones === 0) return { kind: 'no_microphone', detail };
			return { kind: 'no_camera', detail };
		case 'NotReadableError':
		case 'TrackStartError':
		case 'AbortError':
			return { kind: 'device_busy', detail };
		case 'SecurityError':
		case 'TypeError':
			// TypeError: no navigator.mediaDevices at all (a page not served over https, or an old browser).
			return { kind: 'not_supported', detail };
		default:
			return { kind: 'other', detail };
	}
}

export type BrowserFamily = 'chrome' | 'chrome_android' | 'edge' | 'firefox' | 'safari_mac' | 'safari_ios' | 'samsung' | 'other';

/** Only to word the instructions; nothing depends on it for behaviour. Order matters: Edge and Samsung say "Chrome" too. */
export function browserFamily(userAgent: string): BrowserFamily {
	if (/SamsungBrowser/i.test(userAgent)) return 'samsung';
	if (/Edg(e|A|iOS)?\//.test(userAgent)) return 'edge';
	if (/(iPhone|iPad|iPod)/.test(userAgent)) return 'safari_ios';
	if (/Firefox\//.test(userAgent)) return 'firefox';
	if (/(Chrome|Chromium)\//.test(userAgent)) return /Android/.test(userAgent) ? 'chrome_android' : 'chrome';
	if (/Safari\//.test(userAgent) && /Macintosh/.test(userAgent)) return 'safari_mac';
	return 'other';
}
