// The one place in the client that takes a photo from the camera: when the agent asks for a sharp
// still (stillRequested), the applicant's browser takes one frame at the camera's highest resolution
// and hands it, in chunks, to the signalling connection, which the server relays to the agent only.
// The photo lives in this function's memory for the length of the transfer: it is not shown here,
// written to storage, uploaded anywhere else or kept afterwards.
//
// ImageCapture.takePhoto gives the camera's own photo where the browser has it (Chromium); elsewhere
// the track is asked for its largest size for a moment, one frame is drawn and encoded as JPEG, and the
// track goes back to what the call asked of it.
import { STILL_CHUNK_BYTES, type StillMediaType, type StillNotifications } from '@vidverify/shared';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export type Still = { bytes: Uint8Array; width: number; height: number; mediaType: StillMediaType };

/** Chunks sent before waiting for the server's answers: enough to keep the link busy, few enough to stop soon. */
const CHUNKS_IN_FLIGHT = 4;
const JPEG_QUALITIES = [0.92, 0.8, 0.6] as const;

type ImageCaptureLike = {
	getPhotoCapabilities(): Promise<{ imageWidth?: { max?: number }; imageHeight?: { max?: number } }>;
	takePhoto(settings?: { imageWidth?: number; imageHeight?: number }): Promise<Blob>;
};
type ImageCaptureConstructor = new (track: MediaStreamTrack) => ImageCaptureLike;

export class StillTooLarge extends Error {
	override name = 'StillTooLarge';
}

function encodeCanvas(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
	return new Promise((resolve, reject) =>
		canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the frame could not be encoded'))), 'image/jpeg', quality),
	);
}

async function stillOf(blob: Blob, width: number, height: number): Promise<Still> {
	const mediaType: StillMediaType = blob.type === 'image/png' ? 'image/png' : 'image/jpeg';
	return { bytes: new Uint8Array(await blob.arrayBuffer()), width, height, mediaType };
}

/** A picture drawn into a canvas, encoded as a JPEG under `maxBytes` (lower quality if need be). */
async function jpegOf(source: CanvasImageSource, width: number, height: number, maxBytes: number): Promise<Still> {
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	try {
		canvas.getContext('2d')?.drawImage(source, 0, 0, width, height);
		for (const quality of JPEG_QUALITIES) {
			const blob = await encodeCanvas(canvas, quality);
			if (blob.size <= maxBytes) return await stillOf(blob, width, height);
		}
		throw new StillTooLarge('even the lowest quality is too large');
	} finally {
		// A zero-size canvas holds no pixels.
		canvas.width = 0;
		canvas.height = 0;
	}
}

async function takePhoto(track: MediaStreamTrack, maxBytes: number): Promise<Still | undefined> {
	const ImageCaptureClass = (globalThis as { ImageCapture?: ImageCaptureConstructor }).ImageCapture;
	if (!ImageCaptureClass) return undefined;
	try {
		const capture = new ImageCaptureClass(track);
		const capabilities = await capture.getPhotoCapabilities();
		const blob = await capture.takePhoto({
			imageWidth: capabilities.imageWidth?.max,
			imageHeight: capabilities.imageHeight?.max,
		});
		const bitmap = await createImageBitmap(blob);
		try {
			if (blob.size <= maxBytes && (blob.type === 'image/jpeg' || blob.type === 'image/png')) {
				return await stillOf(blob, bitmap.width, bitmap.height);
			}
			return await jpegOf(bitmap, bitmap.width, bitmap.height, maxBytes);
		} finally {
			bitmap.close();
		}
	} catch (error) {
		if (error instanceof StillTooLarge) throw error;
		return undefined;
	}
}

/** The track at its largest size for one frame, then back to what it was. */
async function grabLargest(track: MediaStreamTrack, maxBytes: number): Promise<Still> {
	const before = track.getConstraints();
	const capabilities = track.getCapabilities?.() ?? {};
	const video = document.createElement('video');
	video.muted = true;
	video.playsInline = true;
	try {
		await track
			.applyConstraints({
				...before,
				width: { ideal: capabilities.width?.max ?? 4096 },
				height: { ideal: capabilities.height?.max ?? 2160 },
			})
			.catch(() => undefined);
		const wanted = track.getSettings();
		video.srcObject = new MediaStream([track]);
		await video.play();
		// The element reports the new size once a frame of it was decoded.
		for (let tries = 0; tries < 50 && wanted.width && video.videoWidth < wanted.width; tries += 1) {
			await new Promise((resolve) => setTimeout(resolve, 40));
		}
		if (video.videoWidth === 0) throw new Error('the camera gave no frame');
		return await jpegOf(video, video.videoWidth, video.videoHeight, maxBytes);
	} finally {
		video.srcObject = null;
		await track.applyConstraints(before).catch(() => undefined);
	}
}

/** One photo from the camera track, as large as the camera takes it. */
export async function captureStill(track: MediaStreamTrack, maxBytes: number): Promise<Still> {
	return (await takePhoto(track, maxBytes)) ?? (await grabLargest(track, maxBytes));
}

/** Base64 of one chunk, as the protocol carries it. */
export function base64Of(bytes: Uint8Array): string {
	let binary = '';
	for (let offset = 0; offset < bytes.length; offset += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
	}
	return btoa(binary);
}

/** Offers the still and sends its chunks in order, a few at a time; rejects on the first refusal. */
export async function sendStill(client: VerificationClient, stillId: string, still: Still, chunkBytes: number): Promise<void> {
	await client.request('offerStill', {
		stillId,
		bytes: still.bytes.length,
		width: still.width,
		height: still.height,
		mediaType: still.mediaType,
	});
	const size = Math.min(chunkBytes, STILL_CHUNK_BYTES);
	const pending = new Set<Promise<unknown>>();
	for (let index = 0; index * size < still.bytes.length; index += 1) {
		const data = base64Of(still.bytes.subarray(index * size, (index + 1) * size));
		const sent = client.request('sendStillChunk', { stillId, index, data });
		pending.add(sent);
		void sent.then(
			() => pending.delete(sent),
			() => pending.delete(sent),
		);
		if (pending.size >= CHUNKS_IN_FLIGHT) await Promise.race(pending);
	}
	await Promise.all(pending);
}

/**
 * Answers one stillRequested: takes the photo and sends it, or tells the server why it could not.
 * Resolves once the photo was taken (then `onTaken`) and sent, or refused.
 */
export async function answerStillRequest(
	client: VerificationClient,
	track: MediaStreamTrack | undefined,
	request: StillNotifications['stillRequested'],
	onTaken: () => void,
): Promise<void> {
	const { stillId } = request;
	if (track?.readyState !== 'live') {
		await client.request('failStill', { stillId, reason: 'camera_unavailable' }).catch(() => undefined);
		return;
	}
	let still: Still;
	try {
		still = await captureStill(track, request.maxBytes);
	} catch (error) {
		const reason = error instanceof StillTooLarge ? 'too_large' : 'capture_failed';
		await client.request('failStill', { stillId, reason }).catch(() => undefined);
		return;
	}
	onTaken();
	// A refusal ends the still on the server, which tells the agent why; nothing to add here.
	await sendStill(client, stillId, still, request.chunkBytes).catch(() => undefined);
}
