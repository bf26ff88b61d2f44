// A small RGBA picture to draw generated camera frames in: filled shapes with anti-aliased edges,
// gradients, the bitmap font's text, and one picture laid on another turned and scaled (a card held
// at a slant). Plain pixel arithmetic: no canvas, no image library, nothing downloaded.
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './bitmapFont.ts';

export type Colour = { r: number; g: number; b: number };

/** How a filled shape is coloured: one colour, or one per point from the shape's own coordinates. */
export type Paint = Colour | ((u: number, v: number) => Colour);

export type ShapeOptions = {
	alpha?: number;
	/** Only the points for which this holds are painted (frame coordinates). */
	clip?: (x: number, y: number) => boolean;
};

export function rgb(r: number, g: number, b: number): Colour {
	return { r, g, b };
}

/** The colour scaled towards black (factor < 1) or lighter (factor > 1). */
export function shade(colour: Colour, factor: number): Colour {
	return { r: colour.r * factor, g: colour.g * factor, b: colour.b * factor };
}

export function mix(a: Colour, b: Colour, t: number): Colour {
	return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t };
}

const clamp01 = (value: number) => (value < 0 ? 0 : value > 1 ? 1 : value);

export class Raster {
	readonly width: number;
	readonly height: number;
	/** RGBA, row by row; alpha says how much of a point a composite lays on what is below. */
	readonly pixels: Uint8ClampedArray;

	constructor(width: number, height: number) {
		this.width = width;
		this.height = height;
		this.pixels = new Uint8ClampedArray(width * height * 4);
	}

	clone(): Raster {
		const copy = new Raster(this.width, this.height);
		copy.pixels.set(this.pixels);
		return copy;
	}

	/** Lays `colour` over the point with the given coverage; the point becomes opaque where covered. */
	blend(x: number, y: number, colour: Colour, alpha: number): void {
		if (alpha <= 0 || x < 0 || y < 0 || x >= this.width || y >= this.height) return;
		const at = (y * this.width + x) * 4;
		const p = this.pixels;
		const a = alpha >= 1 ? 1 : alpha;
		const below = (p[at + 3] ?? 0) / 255;
		const out = a + below * (1 - a);
		if (out <= 0) return;
		p[at] = (colour.r * a + (p[at] ?? 0) * below * (1 - a)) / out;
		p[at + 1] = (colour.g * a + (p[at + 1] ?? 0) * below * (1 - a)) / out;
		p[at + 2] = (colour.b * a + (p[at + 2] ?? 0) * below * (1 - a)) / out;
		p[at + 3] = out * 255;
	}

	/** Every point painted by `paint(x, y)`: gradients, patterns. */
	paintEach(paint: (x: number, y: number) => Colour | undefined, options: ShapeOptions = {}): void {
		for (let y = 0; y < this.height; y += 1) {
			for (let x = 0; x < this.width; x += 1) {
				if (options.clip && !options.clip(x, y)) continue;
				const colour = paint(x, y);
				if (colour) this.blend(x, y, colour, options.alpha ?? 1);
			}
		}
	}

	/**
	 * A shape given by its bounding box and a signed distance (in pixels, negative inside) at each point;
	 * the edge is anti-aliased over one pixel. `paint` gets the point's place in the box, each in -1..1.
	 */
	#shape(
		box: { left: number; top: number; right: number; bottom: number },
		distance: (x: number, y: number) => number,
		paint: Paint,
		options: ShapeOptions,
	): void {
		const left = Math.max(0, Math.floor(box.left) - 1);
		const right = Math.min(this.width - 1, Math.ceil(box.right) + 1);
		const top = Math.max(0, Math.floor(box.top) - 1);
		const bottom = Math.min(this.height - 1, Math.ceil(box.bottom) + 1);
		const halfWidth = (box.right - box.left) / 2 || 1;
		const halfHeight = (box.bottom - box.top) / 2 || 1;
		const centreX = (box.left + box.right) / 2;
		const centreY = (box.top + box.bottom) / 2;
		const alpha = options.alpha ?? 1;
		for (let y = top; y <= bottom; y += 1) {
			for (let x = left; x <= right; x += 1) {
				const coverage = clamp01(0.5 - distance(x + 0.5, y + 0.5));
				if (coverage <= 0 || (options.clip && !options.clip(x, y))) continue;
				const colour =
					typeof paint === 'function' ? paint((x + 0.5 - centreX) / halfWidth, (y + 0.5 - centreY) / halfHeight) : paint;
				this.blend(x, y, colour, coverage * alpha);
			}
		}
	}

	ellipse(cx: number, cy: number, rx: number, ry: number, paint: Paint, options: ShapeOptions = {}): void {
		const radius = Math.min(rx, ry);
		this.#shape(
			{ left: cx - rx, top: cy - ry, right: cx + rx, bottom: cy + ry },
			// The normalised radius, scaled back to pixels near the edge: close enough for an edge one pixel wide.
			(x, y) => (Math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * radius,
			paint,
			options,
		);
	}

	/** An ellipse's outline of the given thickness (a headset band, a ring). */
	ring(cx: number, cy: number, rx: number, ry: number, thickness: number, paint: Paint, options: ShapeOptions = {}): void {
		const radius = Math.min(rx, ry);
		this.#shape(
			{ left: cx - rx, top: cy - ry, right: cx + rx, bottom: cy + ry },
			(x, y) => Math.abs((Math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * radius + thickness / 2) - thickness / 2,
			paint,
			options,
		);
	}

	roundedRect(
		x: number,
		y: number,
		width: number,
		height: number,
		radius: number,
		paint: Paint,
		options: ShapeOptions = {},
	): void {
		const r = Math.min(radius, width / 2, height / 2);
		const cx = x + width / 2;
		const cy = y + height / 2;
		this.#shape(
			{ left: x, top: y, right: x + width, bottom: y + height },
			(px, py) => {
				const qx = Math.abs(px - cx) - (width / 2 - r);
				const qy = Math.abs(py - cy) - (height / 2 - r);
				return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
			},
			paint,
			options,
		);
	}

	/** A stroke with round ends from (x0, y0) to (x1, y1). */
	line(x0: number, y0: number, x1: number, y1: number, width: number, paint: Paint, options: ShapeOptions = {}): void {
		const dx = x1 - x0;
		const dy = y1 - y0;
		const length2 = dx * dx + dy * dy || 1;
		const half = width / 2;
		this.#shape(
			{
				left: Math.min(x0, x1) - half,
				top: Math.min(y0, y1) - half,
				right: Math.max(x0, x1) + half,
				bottom: Math.max(y0, y1) + half,
			},
			(x, y) => {
				const t = clamp01(((x - x0) * dx + (y - y0) * dy) / length2);
				return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) - half;
			},
			paint,
			options,
		);
	}

	/** Text in the bitmap font, each cell `scale` pixels square; returns the width drawn. */
	text(x: number, y: number, text: string, scale: number, colour: Colour, options: { alpha?: number } = {}): number {
		for (const [index, character] of [...text].entries()) {
			const rows = glyph(character);
			const left = x + index * GLYPH_ADVANCE * scale;
			for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
				for (let column = 0; column < GLYPH_WIDTH; column += 1) {
					if (rows[row]?.[column] !== '#') continue;
					for (let dy = 0; dy < scale; dy += 1) {
						for (let dx = 0; dx < scale; dx += 1) {
							this.blend(Math.round(left + column * scale + dx), Math.round(y + row * scale + dy), colour, options.alpha ?? 1);
						}
					}
				}
			}
		}
		return text.length * GLYPH_ADVANCE * scale;
	}

	/**
	 * Lays `source` on this picture with its centre at (cx, cy), turned by `angle` radians and scaled,
	 * sampling bilinearly so the turned edges and text stay smooth.
	 */
	composite(source: Raster, cx: number, cy: number, angle: number, scale = 1): void {
		const cos = Math.cos(angle);
		const sin = Math.sin(angle);
		const halfW = (source.width * scale) / 2;
		const halfH = (source.height * scale) / 2;
		const reach = Math.hypot(halfW, halfH);
		const sourceCx = source.width / 2;
		const sourceCy = source.height / 2;
		for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(this.height - 1, Math.ceil(cy + reach)); y += 1) {
			for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(this.width - 1, Math.ceil(cx + reach)); x += 1) {
				// The point of the source that lands here: the inverse turn, then the inverse scale.
				const dx = x + 0.5 - cx;
				const dy = y + 0.5 - cy;
				const sx = (dx * cos + dy * sin) / scale + sourceCx - 0.5;
				const sy = (-dx * sin + dy * cos) / scale + sourceCy - 0.5;
				if (sx < -1 || sy < -1 || sx > source.width || sy > source.height) continue;
				const sample = source.#sample(sx, sy);
				if (sample.a > 0) this.blend(x, y, sample, sample.a);
			}
		}
	}

	#sample(x: number, y: number): Colour & { a: number } {
		const x0 = Math.floor(x);
		const y0 = Math.floor(y);
		const fx = x - x0;
		const fy = y - y0;
		let r = 0;
		let g = 0;
		let b = 0;
		let a = 0;
		for (const [px, py, weight] of [
			[x0, y0, (1 - fx) * (1 - fy)],
			[x0 + 1, y0, fx * (1 - fy)],
			[x0, y0 + 1, (1 - fx) * fy],
			[x0 + 1, y0 + 1, fx * fy],
		] as const) {
			if (px < 0 || py < 0 || px >= this.width || py >= this.height || weight === 0) continue;
			const at = (py * this.width + px) * 4;
			const pointAlpha = ((this.pixels[at + 3] ?? 0) / 255) * weight;
			r += (this.pixels[at] ?? 0) * pointAlpha;
			g += (this.pixels[at + 1] ?? 0) * pointAlpha;
			b += (this.pixels[at + 2] ?? 0) * pointAlpha;
			a += pointAlpha;
		}
		return a > 0 ? { r: r / a, g: g / a, b: b / a, a } : { r: 0, g: 0, b: 0, a: 0 };
	}
}
