// Reads what a <video> element shows: the average colour of a patch in its middle (away from the
// moving square at the top), drawn into a canvas inside the page and never leaving it.
import type { Locator } from '@playwright/test';
import type { Rgb } from './fakeVideo.ts';

export type CentreColour = Rgb & { width: number; height: number; framesDecoded: number };

export function centreColour(video: Locator): Promise<CentreColour> {
	return video.evaluate(readCentreColour);
}

/**
 * Runs inside the page (self-contained, so any driver can pass it in: Playwright, or puppeteer for
 * Firefox): the colour of the patch of the given <video> element and how many frames it has shown.
 */
export function readCentreColour(element: Element): CentreColour {
	const media = element as HTMLVideoElement;
	const width = media.videoWidth;
	const height = media.videoHeight;
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const context = canvas.getContext('2d');
	if (!context || width === 0) return { r: -1, g: -1, b: -1, width, height, framesDecoded: 0 };
	context.drawImage(media, 0, 0, width, height);
	const size = Math.max(4, Math.floor(Math.min(width, height) / 10));
	const pixels = context.getImageData(Math.floor(width / 2 - size / 2), Math.floor((height * 2) / 3 - size / 2), size, size).data;
	let r = 0;
	let g = 0;
	let b = 0;
	for (let index = 0; index < pixels.length; index += 4) {
		r += pixels[index] ?? 0;
		g += pixels[index + 1] ?? 0;
		b += pixels[index + 2] ?? 0;
	}
	const count = pixels.length / 4;
	const quality = media.getVideoPlaybackQuality?.();
	return {
		r: Math.round(r / count),
		g: Math.round(g / count),
		b: Math.round(b / count),
		width,
		height,
		framesDecoded: quality ? quality.totalVideoFrames : 0,
	};
}

/** True when two colours are within `tolerance` in every channel (codecs shift colours a little). */
export function sameColour(actual: Rgb, expected: Rgb, tolerance = 40): boolean {
	return (
		Math.abs(actual.r - expected.r) <= tolerance &&
		Math.abs(actual.g - expected.g) <= tolerance &&
		Math.abs(actual.b - expected.b) <= tolerance
	);
}
