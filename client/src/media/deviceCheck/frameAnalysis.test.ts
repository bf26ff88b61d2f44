import { describe, expect, it } from 'vitest';
import { FRAME_THRESHOLDS, HintSmoother, hintFor, laplacianVariance, luminance, measureFrame } from './frameAnalysis.ts';

const WIDTH = 320;
const HEIGHT = 180;

/** An RGBA image whose grey level at each pixel is given by `grey(x, y)`. */
function image(grey: (x: number, y: number) => number, width = WIDTH, height = HEIGHT): Uint8ClampedArray {
	const pixels = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y += 1) {
		for (let x = 0; x < width; x += 1) {
			const offset = (y * width + x) * 4;
			const value = grey(x, y);
			pixels[offset] = value;
			pixels[offset + 1] = value;
			pixels[offset + 2] = value;
			pixels[offset + 3] = 255;
		}
	}
	return pixels;
}

/** Black "print" on a light page: thin strokes every few pixels, like lines of small text. */
const printedPage = (x: number, y: number) => (y % 6 < 2 && x % 5 < 3 ? 30 : 200);

/**
 * The same page seen through an unfocused lens: three passes of a box blur, close to the Gaussian
 * spread of a defocused lens, with the picture's edge pixels repeated outwards.
 */
function blurred(source: (x: number, y: number) => number, radius: number) {
	let grey = Float32Array.from({ length: WIDTH * HEIGHT }, (_, index) => source(index % WIDTH, Math.floor(index / WIDTH)));
	const at = (values: Float32Array, x: number, y: number) =>
		values[Math.min(HEIGHT - 1, Math.max(0, y)) * WIDTH + Math.min(WIDTH - 1, Math.max(0, x))] ?? 0;
	for (let pass = 0; pass < 3; pass += 1) {
		for (const horizontal of [true, false]) {
			const previous = grey;
			grey = new Float32Array(WIDTH * HEIGHT);
			for (let y = 0; y < HEIGHT; y += 1) {
				for (let x = 0; x < WIDTH; x += 1) {
					let sum = 0;
					for (let d = -radius; d <= radius; d += 1) sum += horizontal ? at(previous, x + d, y) : at(previous, x, y + d);
					grey[y * WIDTH + x] = sum / (2 * radius + 1);
				}
			}
		}
	}
	const result = grey;
	return (x: number, y: number) => result[y * WIDTH + x] ?? 0;
}

describe('luminance()', () => {
	it('weighs green most and blue least, as the eye does', () => {
		const green = luminance(new Uint8ClampedArray([0, 255, 0, 255]), 1, 1)[0] ?? 0;
		const red = luminance(new Uint8ClampedArray([255, 0, 0, 255]), 1, 1)[0] ?? 0;
		const blue = luminance(new Uint8ClampedArray([0, 0, 255, 255]), 1, 1)[0] ?? 0;
		expect(green).toBeGreaterThan(red);
		expect(red).toBeGreaterThan(blue);
		expect(green + red + blue).toBeCloseTo(255, 5);
	});

	it('throws RangeError when the pixels do not cover the stated size', () => {
		expect(() => luminance(new Uint8ClampedArray(12), 2, 2)).toThrow(RangeError);
	});
});

describe('laplacianVariance()', () => {
	it('is zero for a flat image and for images too small to have an inside', () => {
		expect(
			laplacianVariance(
				luminance(
					image(() => 128),
					WIDTH,
					HEIGHT,
				),
				WIDTH,
				HEIGHT,
			),
		).toBe(0);
		expect(laplacianVariance(new Float32Array(4), 2, 2)).toBe(0);
	});
});

describe('measureFrame() and hintFor()', () => {
	it('calls a well-lit page with sharp print ok', () => {
		const measures = measureFrame(image(printedPage), WIDTH, HEIGHT);
		expect(measures.meanLuminance).toBeGreaterThan(FRAME_THRESHOLDS.darkMeanLuminance);
		expect(measures.sharpness).toBeGreaterThan(FRAME_THRESHOLDS.blurSharpness * 10);
		expect(hintFor(measures)).toBe('ok');
	});

	it('calls the same page out of focus blurred', () => {
		const measures = measureFrame(image(blurred(printedPage, 3)), WIDTH, HEIGHT);
		expect(measures.sharpness).toBeLessThan(FRAME_THRESHOLDS.blurSharpness);
		expect(hintFor(measures)).toBe('blurred');
	});

	it('calls a dim picture too dark even when it has sharp edges', () => {
		const dim = (x: number, y: number) => printedPage(x, y) / 5;
		const measures = measureFrame(image(dim), WIDTH, HEIGHT);
		expect(measures.meanLuminance).toBeLessThan(FRAME_THRESHOLDS.darkMeanLuminance);
		expect(hintFor(measures)).toBe('too_dark');
	});

	it('calls a page with a blown-out reflection over a tenth of it glare', () => {
		const withReflection = (x: number, y: number) => (x > 250 && y > 100 ? 255 : printedPage(x, y));
		const measures = measureFrame(image(withReflection), WIDTH, HEIGHT);
		expect(measures.glareShare).toBeGreaterThan(0.05);
		expect(hintFor(measures)).toBe('glare');
	});

	it('does not call a white page in good light glare when it is not blown out', () => {
		const whitePage = (x: number, y: number) => (y % 6 < 2 && x % 5 < 3 ? 40 : 235);
		expect(hintFor(measureFrame(image(whitePage), WIDTH, HEIGHT))).toBe('ok');
	});

	it('reads colour frames through their luminance', () => {
		const pixels = image(printedPage);
		// Tint the page yellow: luminance barely moves, so the verdict must not either.
		for (let offset = 0; offset < pixels.length; offset += 4) pixels[offset + 2] = Math.max(0, (pixels[offset + 2] ?? 0) - 60);
		expect(hintFor(measureFrame(pixels, WIDTH, HEIGHT))).toBe('ok');
	});
});

describe('HintSmoother', () => {
	it('shows the first hint at once', () => {
		expect(new HintSmoother().push('too_dark')).toBe('too_dark');
	});

	it('changes the shown hint only after the new one was seen twice in a row', () => {
		const smoother = new HintSmoother(2);
		smoother.push('ok');
		expect(smoother.push('blurred')).toBe('ok');
		expect(smoother.push('blurred')).toBe('blurred');
	});

	it('ignores a single odd frame between steady ones', () => {
		const smoother = new HintSmoother(2);
		smoother.push('ok');
		expect(smoother.push('glare')).toBe('ok');
		expect(smoother.push('ok')).toBe('ok');
		expect(smoother.push('glare')).toBe('ok');
	});

	it('starts over after reset()', () => {
		const smoother = new HintSmoother(3);
		smoother.push('ok');
		smoother.reset();
		expect(smoother.shown).toBeUndefined();
		expect(smoother.push('blurred')).toBe('blurred');
	});
});
