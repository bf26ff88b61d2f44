// Writes drawn frames as a Y4M clip (YUV 4:2:0, BT.601 full range as C420jpeg declares), the format
// Chromium plays as a fake camera with --use-file-for-fake-video-capture; it loops the clip.
import fs from 'node:fs';
import type { Raster } from './raster.ts';

export function writeY4m(file: string, frames: Iterable<Raster>, fps: number): string {
	const out = fs.openSync(file, 'w');
	try {
		let header = false;
		for (const frame of frames) {
			const { width, height, pixels } = frame;
			if (width % 2 !== 0 || height % 2 !== 0) throw new TypeError('4:2:0 frames need an even width and height');
			if (!header) {
				fs.writeSync(out, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
				header = true;
			}
			const luma = Buffer.alloc(width * height);
			const u = Buffer.alloc((width / 2) * (height / 2));
			const v = Buffer.alloc((width / 2) * (height / 2));
			for (let y = 0; y < height; y += 1) {
				for (let x = 0; x < width; x += 1) {
					const at = (y * width + x) * 4;
					luma[y * width + x] = 0.299 * (pixels[at] ?? 0) + 0.587 * (pixels[at + 1] ?? 0) + 0.114 * (pixels[at + 2] ?? 0);
				}
			}
			// Chroma of each 2×2 block from the block's mean colour.
			for (let y = 0; y < height; y += 2) {
				for (let x = 0; x < width; x += 2) {
					let r = 0;
					let g = 0;
					let b = 0;
					for (const [dx, dy] of [
						[0, 0],
						[1, 0],
						[0, 1],
						[1, 1],
					] as const) {
						const at = ((y + dy) * width + x + dx) * 4;
						r += (pixels[at] ?? 0) / 4;
						g += (pixels[at + 1] ?? 0) / 4;
						b += (pixels[at + 2] ?? 0) / 4;
					}
					const index = (y / 2) * (width / 2) + x / 2;
					u[index] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
					v[index] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
				}
			}
			fs.writeSync(out, 'FRAME\n');
			fs.writeSync(out, luma);
			fs.writeSync(out, u);
			fs.writeSync(out, v);
		}
	} finally {
		fs.closeSync(out);
	}
	return file;
}
