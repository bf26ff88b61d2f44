// Whether the agent can still read the document: the applicant's camera shows the specimen card held
// flat and still beside the face (as agents ask for a document check), at a known place in the frame;
// at the agent, the machine-readable zone's three lines are read back from the <video> glyph by glyph:
// each glyph's box sampled on a grid and matched to the MRZ font's glyphs. What was printed coming
// back character for character is "legible" in a sense a test can check: a blurred or blocky picture
// reads wrong.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { inkDistance, MRZ_ADVANCE, MRZ_CHARACTERS, MRZ_GLYPH_HEIGHT, MRZ_GLYPH_WIDTH } from './mrzFont.ts';
import type { Raster } from './raster.ts';
import { cameraFrame, drawSpecimenCard, SPECIMEN_CLIPS, specimenZoneLayout } from './specimenCameras.ts';
import { writeY4m } from './y4m.ts';

const CLIP = SPECIMEN_CLIPS.applicant;
/** Half the frame's width: a card held close to the camera, as the agent asks for a document step. */
const CARD_WIDTH = 640;
/** The card's top left corner in the frame. */
const CARD_AT = { x: 600, y: 200 };

/**
 * The card's machine-readable zone (SPECIMEN_MRZ), where drawSpecimenCard() prints it on a card of
 * that width held at CARD_AT: each line's text and top left corner in frame coordinates, and `scale`,
 * the pixels of one unit of the MRZ font.
 */
export function documentLines(cardWidth = CARD_WIDTH): { text: string; x: number; y: number; scale: number }[] {
	return specimenZoneLayout(cardWidth).map((line) => ({
		text: line.text,
		x: CARD_AT.x + line.x,
		y: CARD_AT.y + line.y,
		scale: line.unit,
	}));
}

export const DOCUMENT_LINES = documentLines();

/** One frame of the applicant's document camera: the person, swaying and blinking, and the card held still. */
export function documentFrame(frame: number, card: Raster = drawSpecimenCard(CARD_WIDTH)): Raster {
	const picture = cameraFrame('applicant', frame, CLIP);
	picture.composite(card, CARD_AT.x + card.width / 2, CARD_AT.y + card.height / 2, 0);
	return picture;
}

const written = new Map<number, string>();

/**
 * The document camera as a Y4M clip for Chromium's fake camera (1280×720, 12 fps), the card `cardWidth`
 * pixels wide (half the frame unless given), written once per process.
 */
export function documentCamera(cardWidth = CARD_WIDTH): string {
	const existing = written.get(cardWidth);
	if (existing && fs.existsSync(existing)) return existing;
	const card = drawSpecimenCard(cardWidth);
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-document-')), 'applicant.y4m');
	function* frames() {
		for (let frame = 0; frame < CLIP.frames; frame += 1) yield documentFrame(frame, card);
	}
	writeY4m(file, frames(), CLIP.fps);
	written.set(cardWidth, file);
	return file;
}

/** A picture's brightness at a point given in the camera's own coordinates (bilinear in between). */
export type Brightness = (x: number, y: number) => number;

/**
 * Where each glyph's box is sampled, in font units: every half unit, on the pen's lines where most
 * strokes run (whole units) and between them, and half a unit past the box for strokes that reach out.
 */
const SAMPLES = (() => {
	const points: { u: number; v: number }[] = [];
	for (let v = -0.5; v <= MRZ_GLYPH_HEIGHT + 0.5; v += 0.5) {
		for (let u = -0.5; u <= MRZ_GLYPH_WIDTH + 0.5; u += 0.5) points.push({ u, v });
	}
	return points;
})();

/**
 * Each character's ink at the sample points, from 1 (on the pen's line) to 0 (paper), with a soft
 * edge of about half the pen's width: how a faithful picture of it looks, a little out of focus.
 */
const TEMPLATES = new Map(
	MRZ_CHARACTERS.map((character) => [
		character,
		SAMPLES.map(({ u, v }) => Math.min(1, Math.max(0, 0.5 - inkDistance(character, u, v) / 0.3))),
	]),
);

/** How alike two series are, from -1 to 1 (Pearson's correlation); 0 when either is flat. */
function correlation(a: readonly number[], b: readonly number[]): number {
	const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const meanA = mean(a);
	const meanB = mean(b);
	let product = 0;
	let squaresA = 0;
	let squaresB = 0;
	for (const [index, value] of a.entries()) {
		const da = value - meanA;
		const db = (b[index] ?? 0) - meanB;
		product += da * db;
		squaresA += da * da;
		squaresB += db * db;
	}
	return squaresA === 0 || squaresB === 0 ? 0 : product / Math.sqrt(squaresA * squaresB);
}

/**
 * Reads one printed line: each glyph's box sampled on the grid (a little around each point: a
 * codec's ringing at a stroke's edge is not the stroke) and matched to the glyph of the MRZ font whose
 * ink its darkness follows most closely (correlation, so neither the print's contrast nor the light
 * matters).
 */
export function readLine(brightness: Brightness, line: (typeof DOCUMENT_LINES)[number]): string {
	const near = 0.12 * line.scale;
	let text = '';
	for (let index = 0; index < line.text.length; index += 1) {
		const left = line.x + index * MRZ_ADVANCE * line.scale;
		const darkness = SAMPLES.map(({ u, v }) => {
			const x = left + u * line.scale;
			const y = line.y + v * line.scale;
			const around = brightness(x - near, y) + brightness(x + near, y) + brightness(x, y - near) + brightness(x, y + near);
			return -(brightness(x, y) * 2 + around) / 6;
		});
		let best = '?';
		let closest = Number.NEGATIVE_INFINITY;
		for (const [character, template] of TEMPLATES) {
			const likeness = correlation(darkness, template);
			if (likeness > closest) {
				closest = likeness;
				best = character;
			}
		}
		text += best;
	}
	return text;
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
 * Reads the document's machine-readable zone from what a <video> shows now (or an <img>: the sharp
 * photo). The picture is drawn into a canvas in the page (its brightness is all that leaves it, and
 * only of the zone), scaled back to the camera's coordinates when it is smaller or larger than sent.
 */
export async function readDocumentIn(video: Locator, lines = DOCUMENT_LINES): Promise<DocumentReading> {
	const top = Math.floor(Math.min(...lines.map((line) => line.y)) - 4);
	const bottom = Math.ceil(Math.max(...lines.map((line) => line.y + (MRZ_GLYPH_HEIGHT + 1) * line.scale)) + 4);
	const band = await video.evaluate(
		(element, { top, bottom, sentWidth }) => {
			const media = element as HTMLVideoElement | HTMLImageElement;
			const still = media instanceof HTMLImageElement;
			const width = still ? media.naturalWidth : media.videoWidth;
			const height = still ? media.naturalHeight : media.videoHeight;
			const framesDecoded = still ? 0 : (media.getVideoPlaybackQuality?.().totalVideoFrames ?? 0);
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
	const read = lines.map((line) => readLine(brightness, line));
	return {
		lines: read,
		legible: read.every((text, index) => text === lines[index]?.text),
		width: band.width,
		height: band.height,
		framesDecoded: band.framesDecoded,
	};
}
