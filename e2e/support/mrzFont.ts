// A stroke font for the specimen card's machine-readable zone: the 37 characters an MRZ uses (A-Z,
// 0-9 and the filler <), each a few pen strokes in the manner of OCR-B, drawn anti-aliased at any size.
// The 5×7 camera font reads back cell by cell, but an OCR engine trained on printed type misreads its
// steps; this one it reads as type. Drawn here so the pictures need no font file.
import type { Colour, Raster } from './raster.ts';

/** A glyph's box: 4 units wide, 6 high, y down; the pen strokes go through these points. */
export const MRZ_GLYPH_WIDTH = 4;
export const MRZ_GLYPH_HEIGHT = 6;
/** From one glyph's left edge to the next one's, in units: an MRZ's wide, even pitch. */
export const MRZ_ADVANCE = 6;
/** The pen's width, in units. */
export const MRZ_STROKE = 0.62;

type Stroke = readonly (readonly [number, number])[];

const O: Stroke = [
	[1.1, 0],
	[2.9, 0],
	[3.8, 0.7],
	[4, 2],
	[4, 4],
	[3.8, 5.3],
	[2.9, 6],
	[1.1, 6],
	[0.2, 5.3],
	[0, 4],
	[0, 2],
	[0.2, 0.7],
	[1.1, 0],
];
const P: Stroke = [
	[0, 6],
	[0, 0],
	[2.9, 0],
	[3.8, 0.6],
	[4, 1.6],
	[3.8, 2.6],
	[2.9, 3.2],
	[0, 3.2],
];

const GLYPHS: Record<string, readonly Stroke[]> = {
	A: [
		[
			[0, 6],
			[2, 0],
			[4, 6],
		],
		[
			[0.7, 4],
			[3.3, 4],
		],
	],
	B: [
		[
			[0, 3],
			[2.8, 3],
			[3.7, 2.3],
			[3.7, 0.7],
			[2.8, 0],
			[0, 0],
			[0, 6],
			[3, 6],
			[4, 5.2],
			[4, 3.8],
			[3, 3],
		],
	],
	C: [
		[
			[4, 1],
			[3.1, 0],
			[1.1, 0],
			[0.1, 1],
			[0, 3],
			[0.1, 5],
			[1.1, 6],
			[3.1, 6],
			[4, 5],
		],
	],
	D: [
		[
			[0, 0],
			[0, 6],
			[2.3, 6],
			[3.6, 5.1],
			[4, 3],
			[3.6, 0.9],
			[2.3, 0],
			[0, 0],
		],
	],
	E: [
		[
			[4, 0],
			[0, 0],
			[0, 6],
			[4, 6],
		],
		[
			[0, 3],
			[3.2, 3],
		],
	],
	F: [
		[
			[4, 0],
			[0, 0],
			[0, 6],
		],
		[
			[0, 3],
			[3.2, 3],
		],
	],
	G: [
		[
			[4, 1],
			[3.1, 0],
			[1.1, 0],
			[0.1, 1],
			[0, 3],
			[0.1, 5],
			[1.1, 6],
			[3.1, 6],
			[4, 5],
			[4, 3.4],
			[2.2, 3.4],
		],
	],
	H: [
		[
			[0, 0],
			[0, 6],
		],
		[
			[4, 0],
			[4, 6],
		],
		[
			[0, 3],
			[4, 3],
		],
	],
	I: [
		[
			[2, 0],
			[2, 6],
		],
		[
			[0.8, 0],
			[3.2, 0],
		],
		[
			[0.8, 6],
			[3.2, 6],
		],
	],
	J: [
		[
			[1.6, 0],
			[4, 0],
			[4, 4.8],
			[3, 6],
			[1, 6],
			[0, 5],
		],
	],
	K: [
		[
			[0, 0],
			[0, 6],
		],
		[
			[4, 0],
			[0, 3.9],
		],
		[
			[1.4, 2.6],
			[4, 6],
		],
	],
	L: [
		[
			[0, 0],
			[0, 6],
			[4, 6],
		],
	],
	M: [
		[
			[0, 6],
			[0, 0],
			[2, 3.6],
			[4, 0],
			[4, 6],
		],
	],
	N: [
		[
			[0, 6],
			[0, 0],
			[4, 6],
			[4, 0],
		],
	],
	O: [O],
	P: [P],
	Q: [
		O,
		[
			[2.4, 4.4],
			[4.2, 6.4],
		],
	],
	R: [
		P,
		[
			[2, 3.2],
			[4, 6],
		],
	],
	S: [
		[
			[4, 0.9],
			[3, 0],
			[1, 0],
			[0, 0.8],
			[0, 2.1],
			[0.9, 2.8],
			[3.1, 3.2],
			[4, 3.9],
			[4, 5.2],
			[3, 6],
			[1, 6],
			[0, 5.1],
		],
	],
	T: [
		[
			[0, 0],
			[4, 0],
		],
		[
			[2, 0],
			[2, 6],
		],
	],
	U: [
		[
			[0, 0],
			[0, 4.8],
			[1, 6],
			[3, 6],
			[4, 4.8],
			[4, 0],
		],
	],
	V: [
		[
			[0, 0],
			[2, 6],
			[4, 0],
		],
	],
	W: [
		[
			[0, 0],
			[1, 6],
			[2, 2.4],
			[3, 6],
			[4, 0],
		],
	],
	X: [
		[
			[0, 0],
			[4, 6],
		],
		[
			[4, 0],
			[0, 6],
		],
	],
	Y: [
		[
			[0, 0],
			[2, 3],
			[4, 0],
		],
		[
			[2, 3],
			[2, 6],
		],
	],
	Z: [
		[
			[0, 0],
			[4, 0],
			[0, 6],
			[4, 6],
		],
	],
	// Digits: the nought narrower than the letter O, as OCR-B draws it.
	'0': [
		[
			[1.4, 0],
			[2.6, 0],
			[3.4, 0.8],
			[3.6, 3],
			[3.4, 5.2],
			[2.6, 6],
			[1.4, 6],
			[0.6, 5.2],
			[0.4, 3],
			[0.6, 0.8],
			[1.4, 0],
		],
	],
	'1': [
		[
			[0.7, 1.3],
			[2.3, 0],
			[2.3, 6],
		],
	],
	'2': [
		[
			[0.1, 1],
			[1.1, 0],
			[2.9, 0],
			[3.9, 0.9],
			[3.9, 2.2],
			[0, 6],
			[4, 6],
		],
	],
	'3': [
		[
			[0.2, 0],
			[3.8, 0],
			[1.8, 2.5],
			[3, 2.6],
			[4, 3.5],
			[4, 5],
			[3, 6],
			[1, 6],
			[0, 5.2],
		],
	],
	'4': [
		[
			[3, 6],
			[3, 0],
			[0, 4.2],
			[4, 4.2],
		],
	],
	'5': [
		[
			[3.8, 0],
			[0.4, 0],
			[0.2, 2.8],
			[1.2, 2.3],
			[3, 2.3],
			[4, 3.3],
			[4, 5],
			[3, 6],
			[1, 6],
			[0, 5.2],
		],
	],
	'6': [
		[
			[3.4, 0],
			[1.4, 0],
			[0.3, 1.2],
			[0, 3.2],
			[0.1, 5],
			[1.1, 6],
			[2.9, 6],
			[3.9, 5],
			[3.9, 3.8],
			[2.9, 2.8],
			[1.1, 2.8],
			[0.1, 3.7],
		],
	],
	'7': [
		[
			[0, 0],
			[4, 0],
			[1.4, 6],
		],
	],
	'8': [
		[
			[1, 2.9],
			[0.2, 2.2],
			[0.2, 0.8],
			[1, 0],
			[3, 0],
			[3.8, 0.8],
			[3.8, 2.2],
			[3, 2.9],
			[1, 2.9],
			[0, 3.8],
			[0, 5.2],
			[1, 6],
			[3, 6],
			[4, 5.2],
			[4, 3.8],
			[3, 2.9],
		],
	],
	'9': [
		[
			[0.6, 6],
			[2.6, 6],
			[3.7, 4.8],
			[4, 2.8],
			[3.9, 1],
			[2.9, 0],
			[1.1, 0],
			[0.1, 1],
			[0.1, 2.2],
			[1.1, 3.2],
			[2.9, 3.2],
			[3.9, 2.3],
		],
	],
	'<': [
		[
			[3.2, 1.3],
			[0.8, 3],
			[3.2, 4.7],
		],
	],
};

/** The characters an MRZ may hold, each drawn by this font. */
export const MRZ_CHARACTERS = Object.keys(GLYPHS);

function strokesOf(character: string): readonly Stroke[] {
	const strokes = GLYPHS[character];
	if (!strokes) throw new TypeError(`the MRZ font has no glyph for ${JSON.stringify(character)}`);
	return strokes;
}

/** How far a point (in glyph units) is from the glyph's pen line, less half the pen: below 0 is ink. */
export function inkDistance(character: string, u: number, v: number): number {
	let nearest = Number.POSITIVE_INFINITY;
	for (const stroke of strokesOf(character)) {
		for (let index = 1; index < stroke.length; index += 1) {
			const [x0, y0] = stroke[index - 1] ?? [0, 0];
			const [x1, y1] = stroke[index] ?? [0, 0];
			const dx = x1 - x0;
			const dy = y1 - y0;
			const t = Math.min(1, Math.max(0, ((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy || 1)));
			nearest = Math.min(nearest, Math.hypot(u - (x0 + t * dx), v - (y0 + t * dy)));
		}
	}
	return nearest - MRZ_STROKE / 2;
}

/** Width in pixels of a line of MRZ text at `unit` pixels per glyph unit, without the trailing gap. */
export function mrzTextWidth(text: string, unit: number): number {
	return text.length === 0 ? 0 : ((text.length - 1) * MRZ_ADVANCE + MRZ_GLYPH_WIDTH) * unit;
}

/**
 * Prints a line of MRZ text with its first glyph's top left corner at (x, y), `unit` pixels per glyph
 * unit (a glyph is 6 units high), each pixel inked by how much of it the pen covers.
 */
export function drawMrzText(picture: Raster, x: number, y: number, text: string, unit: number, colour: Colour): void {
	const margin = MRZ_STROKE;
	for (const [index, character] of [...text].entries()) {
		strokesOf(character);
		const left = x + index * MRZ_ADVANCE * unit;
		const x0 = Math.floor(left - margin * unit);
		const x1 = Math.ceil(left + (MRZ_GLYPH_WIDTH + margin) * unit);
		const y0 = Math.floor(y - margin * unit);
		const y1 = Math.ceil(y + (MRZ_GLYPH_HEIGHT + 1 + margin) * unit);
		for (let py = y0; py <= y1; py += 1) {
			for (let px = x0; px <= x1; px += 1) {
				const distance = inkDistance(character, (px + 0.5 - left) / unit, (py + 0.5 - y) / unit) * unit;
				const coverage = Math.min(1, Math.max(0, 0.5 - distance));
				if (coverage > 0) picture.blend(px, py, colour, coverage);
			}
		}
	}
}
