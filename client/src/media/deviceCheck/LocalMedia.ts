// This participant's own camera and microphone for the whole visit: opened once in the device check,
// kept through the waiting room and the call, switched (front/back camera, another microphone) without
// dropping the other track. Listeners hear of every new track so a running call can replace what it
// sends. Tracks go only to <video> elements, the level meter, the in-memory frame analysis and the call.
import { audioConstraints, type CameraChoice, videoConstraints } from './constraints.ts';
import { classifyMediaError, type DeviceCounts, type MediaProblem, webRtcMissing } from './mediaErrors.ts';

export type LocalDevices = { cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] };

export type LocalMediaSnapshot = {
	video: MediaStreamTrack | undefined;
	audio: MediaStreamTrack | undefined;
	camera: CameraChoice;
	microphoneId: string | undefined;
};

export class MediaProblemError extends Error {
	override name = 'MediaProblemError';
	readonly problem: MediaProblem;

	constructor(problem: MediaProblem) {
		super(problem.detail);
		this.problem = problem;
	}
}

async function countDevices(): Promise<DeviceCounts | undefined> {
	try {
		const devices = await navigator.mediaDevices.enumerateDevices();
		return {
			cameras: devices.filter((device) => device.kind === 'videoinput').length,
			microphones: devices.filter((device) => device.kind === 'audioinput').length,
		};
	} catch {
		return undefined;
	}
}

async function problemOf(error: unknown): Promise<MediaProblemError> {
	return new MediaProblemError(classifyMediaError(error, await countDevices()));
}

export class LocalMedia {
	#video: MediaStreamTrack | undefined;
	#audio: MediaStreamTrack | undefined;
	#camera: CameraChoice;
	#microphoneId: string | undefined;
	#high = false;
	#stopped = false;
	readonly #listeners = new Set<(snapshot: LocalMediaSnapshot) => void>();

	constructor(preferences: { camera?: CameraChoice; microphoneId?: string } = {}) {
		this.#camera = preferences.camera ?? { any: true };
		this.#microphoneId = preferences.microphoneId;
	}

	get snapshot(): LocalMediaSnapshot {
		return { video: this.#video, audio: this.#audio, camera: this.#camera, microphoneId: this.#microphoneId };
	}

	get live(): boolean {
		return this.#video?.readyState === 'live' && this.#audio?.readyState === 'live';
	}

	onChange(listener: (snapshot: LocalMediaSnapshot) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Opens camera and microphone; throws MediaProblemError with what went wrong. */
	async start(): Promise<void> {
		// Checked first: a camera that opens is no use to a browser that cannot make the call.
		if (webRtcMissing()) throw new MediaProblemError({ kind: 'no_webrtc', detail: 'RTCPeerConnection is not available' });
		if (!navigator.mediaDevices?.getUserMedia) {
			throw new MediaProblemError({ kind: 'not_supported', detail: 'navigator.mediaDevices is not available' });
		}
		this.#stopped = false;
		this.#release();
		let stream: MediaStream;
		try {
			stream = await this.#open(this.#camera, this.#microphoneId);
		} catch (error) {
			// A remembered device may be unplugged (or renamed after a reload): fall back to any camera.
			if (!isConstraintError(error) || ('any' in this.#camera && this.#microphoneId === undefined)) throw await problemOf(error);
			this.#camera = { any: true };
			this.#microphoneId = undefined;
			try {
				stream = await this.#open(this.#camera, undefined);
			} catch (second) {
				throw await problemOf(second);
			}
		}
		if (this.#stopped) {
			for (const track of stream.getTracks()) track.stop();
			return;
		}
		this.#video = stream.getVideoTracks()[0];
		this.#audio = stream.getAudioTracks()[0];
		if (this.#video) this.#video.contentHint = 'detail';
		this.#emit();
	}

	/**
	 * Switches to another camera. The old one is closed first: many phones cannot open two cameras at
	 * once. If the new one fails, the old choice is reopened and the error is thrown.
	 */
	async switchCamera(choice: CameraChoice): Promise<void> {
		const previous = this.#camera;
		this.#video?.stop();
		try {
			this.#video = await this.#openVideo(choice);
			this.#camera = choice;
		} catch (error) {
			const problem =
				isConstraintError(error) && 'facingMode' in choice
					? new MediaProblemError({ kind: 'no_rear_camera', detail: String(error) })
					: await problemOf(error);
			try {
				this.#video = await this.#openVideo(previous);
			} catch {
				this.#video = undefined;
			}
			this.#emit();
			throw problem;
		}
		this.#emit();
	}

	async switchMicrophone(deviceId: string): Promise<void> {
		const stream = await navigator.mediaDevices
			.getUserMedia({ audio: audioConstraints(deviceId) })
			.catch(async (error: unknown) => {
				throw await problemOf(error);
			});
		this.#audio?.stop();
		this.#audio = stream.getAudioTracks()[0];
		this.#microphoneId = deviceId;
		this.#emit();
	}

	/** The agent wants to read a document: ask the camera for more pixels, keeping the same camera. */
	async setHighResolution(high: boolean): Promise<void> {
		this.#high = high;
		await this.#video?.applyConstraints(videoConstraints({ any: true }, high)).catch(() => {
			// A camera that cannot do more keeps what it has; the picture is still sent.
		});
		this.#emit();
	}

	async devices(): Promise<LocalDevices> {
		const devices = await navigator.mediaDevices.enumerateDevices();
		// Without permission, labels are empty and ids blank; such entries cannot be chosen meaningfully.
		const usable = devices.filter((device) => device.deviceId !== '');
		return {
			cameras: usable.filter((device) => device.kind === 'videoinput'),
			microphones: usable.filter((device) => device.kind === 'audioinput'),
		};
	}

	stop(): void {
		this.#stopped = true;
		this.#release();
		this.#emit();
	}

	#release(): void {
		this.#video?.stop();
		this.#audio?.stop();
		this.#video = undefined;
		this.#audio = undefined;
	}

	#open(camera: CameraChoice, microphoneId: string | undefined): Promise<MediaStream> {
		return navigator.mediaDevices.getUserMedia({
			video: videoConstraints(camera, this.#high),
			audio: audioConstraints(microphoneId),
		});
	}

	async #openVideo(choice: CameraChoice): Promise<MediaStreamTrack> {
		const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(choice, this.#high) });
		const track = stream.getVideoTracks()[0];
		if (!track) throw new DOMException('the camera gave no video track', 'NotReadableError');
		track.contentHint = 'detail';
		return track;
	}

	#emit(): void {
		const snapshot = this.snapshot;
		for (const listener of [...this.#listeners]) listener(snapshot);
	}
}

function isConstraintError(error: unknown): boolean {
	const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : '';
	return name === 'OverconstrainedError' || name === 'ConstraintNotSatisfiedError';
}
