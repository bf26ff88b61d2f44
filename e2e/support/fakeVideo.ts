// Generates the Y4M files Chromium plays as each role's fake camera (--use-file-for-fake-video-capture):
// a known colour per role with a small square moving along the top edge, so a test can check that the
// picture arriving at the other side is the picture that was sent, not just that a video plays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Rgb = { r: number; g: number; b: number };

/** Colours far apart in every channel, so codec loss cannot turn one into another. */
export const ROLE_COLOURS = {
	applicant: { r: 230, g: 120, b: 20 },
	agent: { r: 30, g: 70, b: 200 },
	interpreter: { r: 40, g: 170, b: 60 },
} as const satisfies Record<string, Rgb>;

function toYuv({ r, g, b }: Rgb): { y: number; u: number; v: number } {
	// BT.601 full range, as the C420jpeg tag declares.
	const y = 0.299 * r + 0.587 * g + 0.114 * b;
	const u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
	const v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
	const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
	return { y: clamp(y), u: clamp(u), v: clamp(v) };
}

export function writeFakeVideo(options: {
	colour: Rgb;
	width: number;
	height: number;
	frames?: number;
	fps?: number;
	file?: string;
}): string {
	const { colour, width, height } = options;
	const frames = options.frames ?? 15;
	const fps = options.fps ?? 15;
	const file = options.file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-y4m-')), 'camera.y4m');
	const { y, u, v } = toYuv(colour);
	const square = Math.max(8, Math.floor(height / 12));
	const chromaWidth = width / 2;
	const chromaHeight = height / 2;
	const out = fs.openSync(file, 'w');
	try {
		fs.writeSync(out, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
		for (let frame = 0; frame < frames; frame += 1) {
			const luma = Buffer.alloc(width * height, y);
			const left = Math.floor(((width - square) * frame) / Math.max(1, frames - 1));
			for (let row = 0; row < square; row += 1) luma.fill(235, row * width + left, row * width + left + square);
			fs.writeSync(out, 'FRAME\n');
			fs.writeSync(out, luma);
			fs.writeSync(out, Buffer.alloc(chromaWidth * chromaHeight, u));
			fs.writeSync(out, Buffer.alloc(chromaWidth * chromaHeight, v));
		}
	} finally {
		fs.closeSync(out);
	}
	return file;
}
