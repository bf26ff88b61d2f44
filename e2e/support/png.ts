// Small PNGs for the README: reads the screenshots Playwright takes (8-bit RGB or RGBA, not
// interlaced), reduces them to a palette of at most 256 colours by median cut, and writes an indexed
// PNG, which is several times smaller than the truecolour one for screens of flat colour and text.
import zlib from 'node:zlib';

export type Image = { width: number; height: number /** RGB, row by row */; rgb: Uint8Array };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(file: Buffer): Image {
	if (!file.subarray(0, 8).equals(SIGNATURE)) throw new TypeError('not a PNG file');
	let offset = 8;
	let width = 0;
	let height = 0;
	let channels = 0;
	const data: Buffer[] = [];
	while (offset < file.length) {
		const length = file.readUInt32BE(offset);
		const type = file.toString('latin1', offset + 4, offset + 8);
		const body = file.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') {
			width = body.readUInt32BE(0);
			height = body.readUInt32BE(4);
			const [bitDepth, colourType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
			if (bitDepth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6)) {
				throw new TypeError(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
			}
			channels = colourType === 6 ? 4 : 3;
		} else if (type === 'IDAT') data.push(body);
		else if (type === 'IEND') break;
		offset += 12 + length;
	}
	const raw = zlib.inflateSync(Buffer.concat(data));
	const stride = width * channels;
	const current = new Uint8Array(stride);
	const previous = new Uint8Array(stride);
	const rgb = new Uint8Array(width * height * 3);
	for (let y = 0; y < height; y += 1) {
		const filter = raw[y * (stride + 1)];
		const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i += 1) {
			const left = i >= channels ? (current[i - channels] ?? 0) : 0;
			const up = previous[i] ?? 0;
			const upLeft = i >= channels ? (previous[i - channels] ?? 0) : 0;
			const value = row[i] ?? 0;
			let predicted = 0;
			if (filter === 1) predicted = left;
			else if (filter === 2) predicted = up;
			else if (filter === 3) predicted = (left + up) >> 1;
			else if (filter === 4) predicted = paeth(left, up, upLeft);
			current[i] = (value + predicted) & 0xff;
		}
		for (let x = 0; x < width; x += 1) {
			for (let c = 0; c < 3; c += 1) rgb[(y * width + x) * 3 + c] = current[x * channels + c] ?? 0;
		}
		previous.set(current);
	}
	return { width, height, rgb };
}

function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

type Box = { keys: number[]; count: number };

const BITS = 5;
const LEVELS = 1 << BITS;
const keyOf = (r: number, g: number, b: number) => ((r >> 3) << (2 * BITS)) | ((g >> 3) << BITS) | (b >> 3);
const channelOf = (key: number, channel: number) => (key >> (BITS * (2 - channel))) & (LEVELS - 1);

/**
 * The palette by median cut over a 5-bit-per-channel histogram: the box with the most pixels is split
 * at the median of its widest channel until there are `size` boxes; each colour is its box's mean.
 */
function medianCut(image: Image, size: number): { palette: number[][]; indexOfKey: Int16Array } {
	const counts = new Uint32Array(LEVELS ** 3);
	const sums = new Float64Array(LEVELS ** 3 * 3);
	for (let i = 0; i < image.rgb.length; i += 3) {
		const [r, g, b] = [image.rgb[i] ?? 0, image.rgb[i + 1] ?? 0, image.rgb[i + 2] ?? 0];
		const key = keyOf(r, g, b);
		counts[key] = (counts[key] ?? 0) + 1;
		sums[key * 3] = (sums[key * 3] ?? 0) + r;
		sums[key * 3 + 1] = (sums[key * 3 + 1] ?? 0) + g;
		sums[key * 3 + 2] = (sums[key * 3 + 2] ?? 0) + b;
	}
	const used: number[] = [];
	for (let key = 0; key < counts.length; key += 1) if ((counts[key] ?? 0) > 0) used.push(key);
	const boxes: Box[] = [{ keys: used, count: image.width * image.height }];
	while (boxes.length < size) {
		boxes.sort((a, b) => b.count - a.count);
		const index = boxes.findIndex((box) => box.keys.length > 1);
		if (index < 0) break;
		const [box] = boxes.splice(index, 1);
		if (!box) break;
		let widest = 0;
		let widestRange = -1;
		for (let channel = 0; channel < 3; channel += 1) {
			const values = box.keys.map((key) => channelOf(key, channel));
			const range = Math.max(...values) - Math.min(...values);
			if (range > widestRange) [widest, widestRange] = [channel, range];
		}
		box.keys.sort((a, b) => channelOf(a, widest) - channelOf(b, widest));
		// The cut leaves at least one colour on each side, even when the last one holds most pixels.
		let seen = 0;
		let cut = 1;
		for (; cut < box.keys.length - 1; cut += 1) {
			seen += counts[box.keys[cut - 1] ?? 0] ?? 0;
			if (seen >= box.count / 2) break;
		}
		const low = box.keys.slice(0, cut);
		const high = box.keys.slice(cut);
		const total = (keys: number[]) => keys.reduce((sum, key) => sum + (counts[key] ?? 0), 0);
		boxes.push({ keys: low, count: total(low) }, { keys: high, count: total(high) });
	}
	const indexOfKey = new Int16Array(LEVELS ** 3).fill(-1);
	const palette = boxes.map((box, index) => {
		const mean = [0, 0, 0];
		for (const key of box.keys) {
			indexOfKey[key] = index;
			for (let c = 0; c < 3; c += 1) mean[c] = (mean[c] ?? 0) + (sums[key * 3 + c] ?? 0);
		}
		return mean.map((value) => Math.round(value / Math.max(1, box.count)));
	});
	return { palette, indexOfKey };
}

function chunk(type: string, body: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(body.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
	return Buffer.concat([head, body, crc]);
}

/** The image as an indexed PNG of at most `colours` colours (no dithering: flat areas stay flat). */
export function encodeIndexedPng(image: Image, colours = 256): Buffer {
	const { palette, indexOfKey } = medianCut(image, colours);
	const rows = Buffer.alloc((image.width + 1) * image.height);
	for (let y = 0; y < image.height; y += 1) {
		rows[y * (image.width + 1)] = 0;
		for (let x = 0; x < image.width; x += 1) {
			const i = (y * image.width + x) * 3;
			const key = keyOf(image.rgb[i] ?? 0, image.rgb[i + 1] ?? 0, image.rgb[i + 2] ?? 0);
			rows[y * (image.width + 1) + 1 + x] = indexOfKey[key] ?? 0;
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(image.width, 0);
	header.writeUInt32BE(image.height, 4);
	header.set([8, 3, 0, 0, 0], 8);
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', header),
		chunk('PLTE', Buffer.from(palette.flat())),
		chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** The image as a truecolour PNG (previews of generated frames). */
export function encodeRgbPng(image: Image): Buffer {
	const stride = image.width * 3;
	const rows = Buffer.alloc((stride + 1) * image.height);
	for (let y = 0; y < image.height; y += 1) rows.set(image.rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
	const header = Buffer.alloc(13);
	header.writeUInt32BE(image.width, 0);
	header.writeUInt32BE(image.height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
