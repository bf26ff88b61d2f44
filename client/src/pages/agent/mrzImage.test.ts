import { describe, expect, it } from 'vitest';
import { bmpOf, inkOf, type Pixels, prepareZone, proposeZone, skewOf } from './mrzImage.ts';

/** A grey picture with dark bars: `lines` rows of short strokes, as print looks, turned by `angle`. */
function printed(width: number, height: number, options: { angle?: number; paper?: Region; lines?: number } = {}): Pixels {
	const angle = options.angle ?? 0;
	const paper = options.paper ?? { x: 0, y: 0, width, height };
	const data = new Uint8ClampedArray(width * height * 4);
	const lines = options.lines ?? 3;
	for (let y = 0; y < height; y += 1) {
		for (let x = 0; x < width; x += 1) {
			const onPaper = x >= paper.x && x < paper.x + paper.width && y >= paper.y && y < paper.y + paper.height;
			// Where the point lies in the paper's own, level frame.
			const u = (x - paper.x) * Math.cos(angle) + (y - paper.y) * Math.sin(angle);
			const v = -(x - paper.x) * Math.sin(angle) + (y - paper.y) * Math.cos(angle);
			const line = Math.floor((v - paper.height * 0.55) / 14);
			const inPrint = line >= 0 && line < lines && (v - paper.height * 0.55) % 14 < 9 && u > 10 && u < paper.width - 10;
			const ink = onPaper && inPrint && Math.floor(u / 3) % 3 === 0;
			const value = !onPaper ? 200 : ink ? 30 : 245;
			data.set([value, value, value, 255], (y * width + x) * 4);
		}
	}
	return { width, height, data };
}
type Region = { x: number; y: number; width: number; height: number };

describe('skewOf()', () => {
	it('finds the angle of print held askew, and none of level print', () => {
		for (const degrees of [0, 3, -4.5]) {
			const image = printed(300, 120, { angle: (degrees * Math.PI) / 180, paper: { x: 0, y: -60, width: 300, height: 200 } });
			const brightness = new Float32Array(image.width * image.height).map((_, at) => image.data[at * 4] ?? 0);
			const found = (skewOf(inkOf(brightness, image.width, image.height, 25), image.width, image.height) * 180) / Math.PI;
			expect(Math.abs(found - degrees)).toBeLessThanOrEqual(0.5);
		}
	});
});

describe('prepareZone()', () => {
	it('gives a black and white picture of the prepared width with paper around', () => {
		const prepared = prepareZone(printed(300, 120), { x: 0, y: 40, width: 300, height: 80 });
		expect(prepared.width).toBe(900 + 48);
		expect(new Set(prepared.data)).toEqual(new Set([0, 255]));
		// The margin is paper.
		expect([...prepared.data.slice(0, 24 * 4)].every((value) => value === 255)).toBe(true);
		expect(prepared.data.some((value) => value === 0)).toBe(true);
	});

	it('does not take a soft wall beside the card for ink', () => {
		const image = printed(300, 200, { paper: { x: 50, y: 20, width: 200, height: 160 }, lines: 0 });
		const prepared = prepareZone(image, { x: 0, y: 0, width: 300, height: 200 });
		const inked = prepared.data.filter((value, at) => at % 4 === 0 && value === 0).length;
		expect(inked / (prepared.width * prepared.height)).toBeLessThan(0.02);
	});
});

describe('proposeZone()', () => {
	it('proposes the foot of a light card with print, not the wall around it', () => {
		const paper = { x: 300, y: 150, width: 320, height: 200 };
		const zone = proposeZone(printed(960, 540, { paper }));
		expect(zone).toBeDefined();
		if (!zone) return;
		// Within the card, around its lower part where the lines are.
		expect(zone.x).toBeGreaterThanOrEqual(paper.x - 20);
		expect(zone.x + zone.width).toBeLessThanOrEqual(paper.x + paper.width + 20);
		expect(zone.y).toBeGreaterThan(paper.y + paper.height * 0.4);
		expect(zone.y + zone.height).toBeGreaterThanOrEqual(paper.y + paper.height * 0.9);
	});

	it('proposes nothing on a picture without print', () => {
		const blank = { width: 200, height: 100, data: new Uint8ClampedArray(200 * 100 * 4).fill(200) };
		expect(proposeZone(blank)).toBeUndefined();
	});
});

describe('bmpOf()', () => {
	it('writes a 24-bit BMP of the pixels, rows top down, each padded to four bytes', () => {
		const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]);
		const file = bmpOf({ width: 1, height: 2, data });
		const view = new DataView(file.buffer);
		expect(String.fromCharCode(file[0] ?? 0, file[1] ?? 0)).toBe('BM');
		expect(view.getUint32(2, true)).toBe(54 + 2 * 4);
		expect(view.getInt32(22, true)).toBe(-2);
		expect([...file.slice(54)]).toEqual([0, 0, 255, 0, 255, 0, 0, 0]);
	});
});
