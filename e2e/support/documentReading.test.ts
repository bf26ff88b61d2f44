import { describe, expect, test } from 'vitest';
import { brightnessOf, DOCUMENT_LINES, documentFrame, documentLines, readLine } from './documentReading.ts';
import { Raster } from './raster.ts';
import { drawSpecimenCard } from './specimenCameras.ts';

/** The picture averaged over a square of (2 × radius + 1) pixels around each point: out of focus, or a coarse codec. */
function blurred(picture: Raster, radius: number): Raster {
	const out = new Raster(picture.width, picture.height);
	for (let y = 0; y < picture.height; y += 1) {
		for (let x = 0; x < picture.width; x += 1) {
			const sums = [0, 0, 0];
			let count = 0;
			for (let dy = -radius; dy <= radius; dy += 1) {
				for (let dx = -radius; dx <= radius; dx += 1) {
					const px = Math.min(picture.width - 1, Math.max(0, x + dx));
					const py = Math.min(picture.height - 1, Math.max(0, y + dy));
					const at = (py * picture.width + px) * 4;
					for (let channel = 0; channel < 3; channel += 1)
						sums[channel] = (sums[channel] ?? 0) + (picture.pixels[at + channel] ?? 0);
					count += 1;
				}
			}
			const at = (y * picture.width + x) * 4;
			for (let channel = 0; channel < 3; channel += 1) out.pixels[at + channel] = (sums[channel] ?? 0) / count;
			out.pixels[at + 3] = 255;
		}
	}
	return out;
}

describe('readLine()', () => {
	const frame = documentFrame(5);

	test("reads the three lines of the card's machine-readable zone off the camera's own picture", () => {
		expect(DOCUMENT_LINES.map((line) => readLine(brightnessOf(frame), line))).toEqual(DOCUMENT_LINES.map((line) => line.text));
	});

	test('still reads them a little out of focus', () => {
		const soft = brightnessOf(blurred(frame, 1));
		expect(DOCUMENT_LINES.map((line) => readLine(soft, line))).toEqual(DOCUMENT_LINES.map((line) => line.text));
	});

	test('reads something else when the print is blurred past its strokes', () => {
		const smeared = brightnessOf(blurred(frame, 4));
		const read = DOCUMENT_LINES.map((line) => readLine(smeared, line));
		expect(read).not.toEqual(DOCUMENT_LINES.map((line) => line.text));
	});

	test('reads a smaller card where documentLines() says its zone is (30 % of the frame wide)', () => {
		const lines = documentLines(384);
		const small = brightnessOf(documentFrame(5, drawSpecimenCard(384)));
		expect(lines.map((line) => readLine(small, line))).toEqual(lines.map((line) => line.text));
	});
});
