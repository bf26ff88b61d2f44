// Whether the agent can still read the document: the applicant's camera shows the specimen card held
// flat and still beside the face (as agents ask for a document check), at a known place in the frame;
// at the agent, the machine-readable zone's two lines are read back from the <video> cell by cell in
// the camera font. What was printed coming back character for character is "legible" in a sense a
// test can check: a blurred or blocky picture reads wrong.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './bitmapFont.ts';
import type { Raster } from './raster.ts';
import { cameraFrame, drawSpecimenCard, SPECIMEN_CLIPS } from './specimenCameras.ts';
import { writeY4m } from './y4m.ts';

const CLIP = SPECIMEN_CLIPS.applicant;
/** Half the frame's width: a card held close to the camera, as the agent asks for a document step. */
const CARD_WIDTH = 640;
/** The card's top left corner in the frame. */
const CARD_AT = { x: 600, y: 200 };

/** The card's machine-readable zone, where drawSpecimenCard() prints it (frame coordinates). */
function machineReadableZone(): { text: string; x: number; y: number; scale: number }[] {
	const unit = CARD_WIDTH / 500;
	const height = Math.round((CARD_WIDTH * 54) / 85.6);
	return ['IDXXXX00000000<0<<<<<<<<<<<<<<', 'TESTWELL<<ROBIN<ALEX<<<<<<<<<<'].map((text, index) => ({
		text,
		x: CARD_AT.x + 22 * unit,
		y: CARD_AT.y + height - 50 * unit + index * 22 * unit,
		scale: Math.round(2 * unit),
	}));
}

export const DOCUMENT_LINES = machineReadableZone();

/** One frame of the applicant's document camera: the person, swaying and blinking, and the card held still. */
export function documentFrame(frame: number, card: Raster = drawSpecimenCard(CARD_WIDTH)): Raster {
	const picture = cameraFrame('applicant', frame, CLIP);
	picture.composite(card, CARD_AT.x + card.width / 2, CARD_AT.y + card.height / 2, 0);
	return picture;
}

let written: string | undefined;

/** The document camera as a Y4M clip for Chromium's fake camera (1280×720, 12 fps), written once per process. */
export function documentCamera(): string {
	if (written && fs.existsSync(written)) return written;
	const card = drawSpecimenCard(CARD_WIDTH);
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-document-')), 'applicant.y4m');
	function* frames() {
		for (let frame = 0; frame < CLIP.frames; frame += 1) yield documentFrame(frame, card);
	}
	writeY4m(file, frames(), CLIP.fps);
	written = file;
	return file;
}

/** A picture's brightness at a point given in the camera's own coordinates (bilinear in between). */
export type Brightness = (x: number, y: number) => number;

const CHARACTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<.-:/ '];

/**
 * Reads one printed line: each glyph's 5×7 cells sampled at their middles, split into ink and paper
 * at the line's own threshold (Otsu), and matched to the nearest glyph of the font.
 */
export function readLine(brightness: Brightness, line: (typeof DOCUMENT_LINES)[number]): string {
	const cells: number[][] = [];
	for (let index = 0; index < line.text.length; index += 1) {
		const left = line.x + index * GLYPH_ADVANCE * line.scale;
		const values: number[] = [];
		for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
			for (let column = 0; column < GLYPH_WIDTH; column += 1) {
				// The middle of the cell, a little around it: a codec's ringing at the edge is not the cell.
				let sum = 0;
				for (const offset of [0.3, 0.5, 0.7]) {
					for (const across of [0.3, 0.5, 0.7]) {
						sum += brightness(left + (column + across) * line.scale, line.y + (row + offset) * line.scale);
					}
				}
				values.push(sum / 9);
			}
		}
		cells.push(values);
	}
	const threshold = otsu(cells.flat());
	return cells
		.map((values) => {
			let best = '?';
			let fewest = Number.POSITIVE_INFINITY;
			for (const character of CHARACTERS) {
				const rows = glyph(character);
				let wrong = 0;
				for (const [at, value] of values.entries()) {
					const inked = rows[Math.floor(at / GLYPH_WIDTH)]?.[at % GLYPH_WIDTH] === '#';
					if (inked !== value < threshold) wrong += 1;
				}
				if (wrong < fewest) {
					fewest = wrong;
					best = character;
				}
			}
			return best;
		})
		.join('');
}

/** The threshold that best splits the values into two groups (Otsu's method). */
function otsu(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const total = sorted.reduce((sum, value) => sum + value, 0);
	let below = 0;
	let best = { threshold: 128, spread: -1 };
	for (let index = 1; index < sorted.length; index += 1) {
		below += sorted[index - 1] ?? 0;
		const low = below / index;
		const high = (total - below) / (sorted.length - index);
		const spread = index * (sorted.length - index) * (high - low) ** 2;
		if (spread > best.spread) best = { threshold: ((sorted[index - 1] ?? 0) + (sorted[index] ?? 0)) / 2, spread };
	}
	return best.threshold;
}

/** The brightness of a drawn frame (the camera's own picture), for checking the reader itself. */
export function brightnessOf(picture: Raster): Brightness {
	return bilinear(picture.width, picture.height, (x, y) => {
		const at = (y * picture.width + x) * 4;
		const p = picture.pixels;
		return 0.299 * (p[at] ?? 0) + 0.587 * (p[at + 1] ?? 0) + 0.114 * (p[at + 2] ?? 0);
	});
}

function bilinear(width: number, height: number, at: (x: number, y: number) => number, scale = 1): Brightness {
	return (x, y) => {
		const px = Math.min(width - 1, Math.max(0, x * scale - 0.5));
		const py = Math.min(height - 1, Math.max(0, y * scale - 0.5));
		const x0 = Math.floor(px);
		const y0 = Math.floor(py);
		const x1 = Math.min(width - 1, x0 + 1);
		const y1 = Math.min(height - 1, y0 + 1);
		const fx = px - x0;
		const fy = py - y0;
		return at(x0, y0) * (1 - fx) * (1 - fy) + at(x1, y0) * fx * (1 - fy) + at(x0, y1) * (1 - fx) * fy + at(x1, y1) * fx * fy;
	};
}

export type DocumentReading = { lines: string[]; legible: boolean; width: number; height: number; framesDecoded: number };

/**
 * Reads the document's machine-readable zone from what a <video> shows now. The frame is drawn into a
 * canvas in the page (its brightness is all that leaves it, and only of the zone), scaled back to the
 * camera's coordinates when the picture arrives smaller than it was sent.
 */
export async function readDocumentIn(video: Locator): Promise<DocumentReading> {
	const top = Math.floor(Math.min(...DOCUMENT_LINES.map((line) => line.y)) - 4);
	const bottom = Math.ceil(Math.max(...DOCUMENT_LINES.map((line) => line.y + GLYPH_HEIGHT * line.scale)) + 4);
	const band = await video.evaluate(
		(element, { top, bottom, sentWidth }) => {
			const media = element as HTMLVideoElement;
			const width = media.videoWidth;
			const height = media.videoHeight;
			const framesDecoded = media.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
			if (width === 0) return { width, height, framesDecoded, first: 0, rows: 0, luma: [] as number[] };
			const canvas = document.createElement('canvas');
			canvas.width = width;
			canvas.height = height;
			const context = canvas.getContext('2d', { willReadFrequently: true });
			if (!context) return { width, height, framesDecoded, first: 0, rows: 0, luma: [] as number[] };
			context.drawImage(media, 0, 0, width, height);
			const scale = width / sentWidth;
			const first = Math.max(0, Math.floor(top * scale));
			const rows = Math.min(height, Math.ceil(bottom * scale)) - first;
			const pixels = context.getImageData(0, first, width, rows).data;
			const luma: number[] = [];
			for (let at = 0; at < pixels.length; at += 4) {
				luma.push(Math.round(0.299 * (pixels[at] ?? 0) + 0.587 * (pixels[at + 1] ?? 0) + 0.114 * (pixels[at + 2] ?? 0)));
			}
			return { width, height, framesDecoded, first, rows, luma };
		},
		{ top, bottom, sentWidth: CLIP.width },
	);
	if (band.width === 0) return { lines: [], legible: false, width: 0, height: 0, framesDecoded: band.framesDecoded };
	const scale = band.width / CLIP.width;
	const brightness = bilinear(
		band.width,
		band.first + band.rows,
		(x, y) => band.luma[(Math.max(band.first, y) - band.first) * band.width + x] ?? 0,
		scale,
	);
	const lines = DOCUMENT_LINES.map((line) => readLine(brightness, line));
	return {
		lines,
		legible: lines.every((text, index) => text === DOCUMENT_LINES[index]?.text),
		width: band.width,
		height: band.height,
		framesDecoded: band.framesDecoded,
	};
}
