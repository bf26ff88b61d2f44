// The client keeps no audio, video or image: no recorder, no export of a frame, in the sources and in
// the built bundle that is served. (Frames drawn for the lighting hint and the freeze-frame stay in
// canvases in the page.)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FORBIDDEN = ['MediaRecorder', 'captureStream', 'toDataURL', 'toBlob', 'ImageCapture', 'takePhoto', 'indexedDB'];

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

describe('the web client', () => {
	test('has no code that records media or exports a frame', () => {
		const offenders = sources(path.join(clientDir, 'src')).flatMap((file) => {
			const text = fs.readFileSync(file, 'utf8');
			return FORBIDDEN.filter((name) => text.includes(name)).map((name) => `${path.relative(clientDir, file)}: ${name}`);
		});
		expect(offenders).toEqual([]);
	});
});
