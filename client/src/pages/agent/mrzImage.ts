// The picture work of the MRZ reading aid, on plain pixel arrays so it runs and is tested anywhere:
// proposing where the zone is (the widest band of dense print, as a zone at the foot of a card is),
// and preparing the part the agent marked for OCR: levelled (a card held a little askew), scaled so
// its characters are the size OCR reads best, and split into ink and paper.

/** RGBA pixels row by row, as a canvas's ImageData holds them. */
export type Pixels = { width: number; height: number; data: Uint8ClampedArray };

/** A part of a picture in its own pixels. */
export type Region = { x: number; y: number; width: number; height: number };

/** Each pixel's brightness (0-255). */
export function brightnessOf(image: Pixels): Float32Array {
	const out = new Float32Array(image.width * image.height);
	for (let at = 0; at < out.length; at += 1) {
		const p = at * 4;
		out[at] = 0.299 * (image.data[p] ?? 0) + 0.587 * (image.data[p + 1] ?? 0) + 0.114 * (image.data[p + 2] ?? 0);
	}
	return out;
}

/** The threshold that best splits the values into two groups (Otsu's method), from a 256-bin histogram. */
export function otsuThreshold(values: Float32Array): number {
	const histogram = new Float64Array(256);
	for (const value of values) {
		const bin = Math.max(0, Math.min(255, Math.round(value)));
		histogram[bin] = (histogram[bin] ?? 0) + 1;
	}
	const total = values.length;
	let sum = 0;
	for (let level = 0; level < 256; level += 1) sum += level * (histogram[level] ?? 0);
	let below = 0;
	let belowSum = 0;
	let best = { threshold: 128, spread: -1 };
	for (let level = 0; level < 256; level += 1) {
		below += histogram[level] ?? 0;
		belowSum += level * (histogram[level] ?? 0);
		const above = total - below;
		if (below === 0 || above === 0) continue;
		const spread = below * above * (belowSum / below - (sum - belowSum) / above) ** 2;
		if (spread > best.spread) best = { threshold: level + 0.5, spread };
	}
	return best.threshold;
}

/**
 * Which pixels are ink: darker by `offset` than the mean of the square of side `window` around them.
 * Unlike one threshold for the whole picture, a wall or a shadow beside the card is not ink, nor is
 * a card's print lost where the light falls off.
 */
export function inkOf(brightness: Float32Array, width: number, height: number, window: number, offset = 40): Uint8Array {
	// Sums of the rectangle from the origin to each point (one row and column of zeros ahead).
	const stride = width + 1;
	const sums = new Float64Array(stride * (height + 1));
	for (let y = 0; y < height; y += 1) {
		let row = 0;
		for (let x = 0; x < width; x += 1) {
			row += brightness[y * width + x] ?? 0;
			sums[(y + 1) * stride + x + 1] = (sums[y * stride + x + 1] ?? 0) + row;
		}
	}
	const half = Math.max(1, Math.floor(window / 2));
	const ink = new Uint8Array(width * height);
	for (let y = 0; y < height; y += 1) {
		const top = Math.max(0, y - half);
		const bottom = Math.min(height, y + half + 1);
		for (let x = 0; x < width; x += 1) {
			const left = Math.max(0, x - half);
			const right = Math.min(width, x + half + 1);
			const total =
				(sums[bottom * stride + right] ?? 0) -
				(sums[top * stride + right] ?? 0) -
				(sums[bottom * stride + left] ?? 0) +
				(sums[top * stride + left] ?? 0);
			const mean = total / ((bottom - top) * (right - left));
			ink[y * width + x] = (brightness[y * width + x] ?? 255) < mean - offset ? 1 : 0;
		}
	}
	return ink;
}

/**
 * The angle (radians) that levels the print in a picture of text lines: the one at which the rows of
 * ink stack most sharply (the variance of the ink per row, turned by each candidate angle).
 */
export function skewOf(ink: Uint8Array, width: number, height: number, maxDegrees = 8): number {
	const points: [number, number][] = [];
	// Every other pixel along a row is plenty to see where the rows lie (every row: skipping rows would
	// favour the level angle, which alone puts all points in every other bin).
	for (let y = 0; y < height; y += 1) {
		for (let x = 0; x < width; x += 2) if (ink[y * width + x]) points.push([x, y]);
	}
	if (points.length === 0) return 0;
	let best = { angle: 0, score: Number.NEGATIVE_INFINITY };
	for (let degrees = -maxDegrees; degrees <= maxDegrees; degrees += 0.25) {
		const angle = (degrees * Math.PI) / 180;
		const sin = Math.sin(angle);
		const cos = Math.cos(angle);
		const reach = Math.ceil(height + width * Math.abs(sin)) + 2;
		const rows = new Float64Array(reach);
		const offset = width * Math.abs(sin) + 1;
		for (const [x, y] of points) {
			const bin = Math.floor(y * cos - x * sin + offset);
			rows[bin] = (rows[bin] ?? 0) + 1;
		}
		let score = 0;
		for (const count of rows) score += count * count;
		if (score > best.score) best = { angle, score };
	}
	return best.angle;
}

/** The brightness at a point between pixels (bilinear), paper beyond the edges. */
function sample(brightness: Float32Array, width: number, height: number, x: number, y: number): number {
	if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return 255;
	const x0 = Math.floor(x);
	const y0 = Math.floor(y);
	const x1 = Math.min(width - 1, x0 + 1);
	const y1 = Math.min(height - 1, y0 + 1);
	const fx = x - x0;
	const fy = y - y0;
	const at = (px: number, py: number) => brightness[py * width + px] ?? 255;
	return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

/** How wide (in pixels) the prepared zone is made: about 20-30 pixels a character, which OCR reads best. */
export const PREPARED_WIDTH = 900;
/** Paper around the prepared zone: OCR finds lines badly that touch the edge. */
const MARGIN = 24;

/**
 * The marked part of a picture made ready for OCR: levelled by its own skew, scaled to
 * `preparedWidth` (PREPARED_WIDTH unless asked), split into ink (black) and paper (white) by each pixel's surroundings, with a margin
 * of paper.
 */
export function prepareZone(
	image: Pixels,
	region: Region,
	preparedWidth = PREPARED_WIDTH,
): Pixels & { skew: number; scale: number } {
	const x0 = Math.max(0, Math.floor(region.x));
	const y0 = Math.max(0, Math.floor(region.y));
	const width = Math.max(1, Math.min(image.width - x0, Math.round(region.width)));
	const height = Math.max(1, Math.min(image.height - y0, Math.round(region.height)));
	const part = new Float32Array(width * height);
	for (let y = 0; y < height; y += 1) {
		for (let x = 0; x < width; x += 1) {
			const p = ((y0 + y) * image.width + x0 + x) * 4;
			part[y * width + x] = 0.299 * (image.data[p] ?? 0) + 0.587 * (image.data[p + 1] ?? 0) + 0.114 * (image.data[p + 2] ?? 0);
		}
	}
	// The window: about a line of print high (a zone's lines are a sixth to a quarter of its height).
	const skew = skewOf(inkOf(part, width, height, Math.max(9, Math.round(height / 5))), width, height);
	const scale = preparedWidth / width;
	const outWidth = Math.round(width * scale) + 2 * MARGIN;
	const outHeight = Math.round(height * scale) + 2 * MARGIN;
	const levelled = new Float32Array(outWidth * outHeight);
	const cos = Math.cos(skew);
	const sin = Math.sin(skew);
	const cx = width / 2;
	const cy = height / 2;
	for (let y = 0; y < outHeight; y += 1) {
		for (let x = 0; x < outWidth; x += 1) {
			// The point of the part that lands here: unscaled, then turned back by the skew about the middle.
			const u = (x - MARGIN) / scale - cx;
			const v = (y - MARGIN) / scale - cy;
			levelled[y * outWidth + x] = sample(part, width, height, cx + u * cos - v * sin, cy + u * sin + v * cos);
		}
	}
	const ink = inkOf(levelled, outWidth, outHeight, Math.max(9, Math.round((height * scale) / 5)));
	const data = new Uint8ClampedArray(outWidth * outHeight * 4);
	for (let at = 0; at < levelled.length; at += 1) {
		const value = ink[at] ? 0 : 255;
		data.set([value, value, value, 255], at * 4);
	}
	return { width: outWidth, height: outHeight, data, skew, scale };
}

/** The side of the square cells the zone finder counts print in, in pixels of the scaled-down picture. */
const CELL = 6;
/** How much of a card's printed face (below its header) the zone takes at its foot, with some room: TD1 about 30 %. */
const ZONE_SHARE = 0.36;

/**
 * Where the zone probably is: along the foot of the card. The picture is looked at scaled down; cells
 * with many sharp changes of brightness along a row are print; neighbouring print cells are joined,
 * and the largest group that is wider than high and light on the whole (dark print on paper: not a
 * card's dark header) is taken for the card's face, whose lowest part (ZONE_SHARE) is proposed, with a
 * little room around it. Undefined when nothing looks like a card with print on it; the agent marks
 * the zone then, or moves the proposal.
 */
export function proposeZone(image: Pixels): Region | undefined {
	const factor = Math.max(1, image.width / 640);
	const width = Math.floor(image.width / factor);
	const height = Math.floor(image.height / factor);
	const full = brightnessOf(image);
	const small = new Float32Array(width * height);
	for (let y = 0; y < height; y += 1) {
		for (let x = 0; x < width; x += 1) {
			small[y * width + x] = full[Math.floor(y * factor) * image.width + Math.floor(x * factor)] ?? 0;
		}
	}
	const columns = Math.floor(width / CELL);
	const rows = Math.floor(height / CELL);
	const print = new Uint8Array(columns * rows);
	for (let row = 0; row < rows; row += 1) {
		for (let column = 0; column < columns; column += 1) {
			let changes = 0;
			for (let y = row * CELL; y < (row + 1) * CELL; y += 1) {
				for (let x = column * CELL; x < (column + 1) * CELL - 1; x += 1) {
					if (Math.abs((small[y * width + x + 1] ?? 0) - (small[y * width + x] ?? 0)) > 40) changes += 1;
				}
			}
			print[row * columns + column] = changes >= CELL ? 1 : 0;
		}
	}
	// Groups of print cells, a gap of up to two cells along a row (the space between characters) joined.
	const group = new Int32Array(columns * rows).fill(-1);
	const boxes: { left: number; right: number; top: number; bottom: number; cells: number }[] = [];
	for (let start = 0; start < print.length; start += 1) {
		if (!print[start] || (group[start] ?? -1) >= 0) continue;
		const box = { left: columns, right: 0, top: rows, bottom: 0, cells: 0 };
		const id = boxes.length;
		boxes.push(box);
		const stack = [start];
		group[start] = id;
		while (stack.length > 0) {
			const at = stack.pop() ?? 0;
			const column = at % columns;
			const row = Math.floor(at / columns);
			box.cells += 1;
			box.left = Math.min(box.left, column);
			box.right = Math.max(box.right, column);
			box.top = Math.min(box.top, row);
			box.bottom = Math.max(box.bottom, row);
			for (let dy = -1; dy <= 1; dy += 1) {
				for (let dx = -3; dx <= 3; dx += 1) {
					const c = column + dx;
					const r = row + dy;
					if (c < 0 || r < 0 || c >= columns || r >= rows) continue;
					const next = r * columns + c;
					if (print[next] && (group[next] ?? -1) < 0) {
						group[next] = id;
						stack.push(next);
					}
				}
			}
		}
	}
	// A zone is dark print on light paper: a band of light print on a dark stripe (a card's header) is not one.
	const lightPaper = (box: (typeof boxes)[number]) => {
		let sum = 0;
		let count = 0;
		for (let y = box.top * CELL; y < (box.bottom + 1) * CELL; y += 1) {
			for (let x = box.left * CELL; x < (box.right + 1) * CELL; x += 1) {
				sum += small[y * width + x] ?? 0;
				count += 1;
			}
		}
		return sum / count > 150;
	};
	// The card: the largest light group wider than high. Its zone is along its foot.
	const card = boxes
		.filter((box) => box.right - box.left >= 8 && box.right - box.left + 1 >= 1.2 * (box.bottom - box.top + 1) && lightPaper(box))
		.sort((a, b) => b.cells - a.cells)[0];
	const best = card && { ...card, top: Math.round(card.bottom - (card.bottom - card.top + 1) * ZONE_SHARE) };
	if (!best) return undefined;
	const room = CELL * factor;
	const x = Math.max(0, best.left * CELL * factor - room);
	const y = Math.max(0, best.top * CELL * factor - room);
	return {
		x,
		y,
		width: Math.min(image.width - x, (best.right - best.left + 1) * CELL * factor + 2 * room),
		height: Math.min(image.height - y, (best.bottom - best.top + 1) * CELL * factor + 2 * room),
	};
}

/**
 * The picture as an uncompressed 24-bit BMP file, in memory: the form tesseract's worker decodes. Made
 * here byte by byte, so the zone never passes through a canvas export, which the page
 * does not use for any frame.
 */
export function bmpOf(image: Pixels): Uint8Array {
	const rowBytes = Math.ceil((image.width * 3) / 4) * 4;
	const headerBytes = 54;
	const file = new Uint8Array(headerBytes + rowBytes * image.height);
	const view = new DataView(file.buffer);
	file.set([0x42, 0x4d]);
	view.setUint32(2, file.length, true);
	view.setUint32(10, headerBytes, true);
	view.setUint32(14, 40, true);
	view.setInt32(18, image.width, true);
	// Negative: rows top to bottom, as the pixels are.
	view.setInt32(22, -image.height, true);
	view.setUint16(26, 1, true);
	view.setUint16(28, 24, true);
	view.setUint32(34, rowBytes * image.height, true);
	for (let y = 0; y < image.height; y += 1) {
		for (let x = 0; x < image.width; x += 1) {
			const from = (y * image.width + x) * 4;
			const to = headerBytes + y * rowBytes + x * 3;
			// BMP keeps blue, green, red.
			file[to] = image.data[from + 2] ?? 0;
			file[to + 1] = image.data[from + 1] ?? 0;
			file[to + 2] = image.data[from] ?? 0;
		}
	}
	return file;
}
