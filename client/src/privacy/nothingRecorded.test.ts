// The client keeps no audio, video or image: no recorder, no export of a frame, in the sources and in
// the built bundle that is served. (Frames drawn for the lighting hint and the freeze-frame stay in
// canvases in the page.) One module takes a photo: the agent's sharp still (stillCapture.ts), which
// goes to the signalling connection only; it may use the photo APIs and nothing that stores or uploads.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FORBIDDEN = ['MediaRecorder', 'captureStream', 'toDataURL', 'toBlob', 'ImageCapture', 'takePhoto', 'indexedDB'];
const STILL_CAPTURE = path.join('src', 'pages', 'applicant', 'stillCapture.ts');
/** What the still's capture needs, and only it. */
const STILL_CAPTURE_MAY_USE = ['toBlob', 'ImageCapture', 'takePhoto'];
/** Ways out of the page other than the signalling connection, or into storage. */
const STILL_CAPTURE_MUST_NOT_USE = [
	'fetch',
	'XMLHttpRequest',
	'sendBeacon',
	'WebSocket',
	'localStorage',
	'sessionStorage',
	'caches',
	'createObjectURL',
	'download',
	'postMessage',
];

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

describe('the web client', () => {
	test('has no code that records media or exports a frame, except the still capture’s photo APIs', () => {
		const offenders = sources(path.join(clientDir, 'src')).flatMap((file) => {
			const relative = path.relative(clientDir, file);
			const text = fs.readFileSync(file, 'utf8');
			const allowed = relative === STILL_CAPTURE ? STILL_CAPTURE_MAY_USE : [];
			return FORBIDDEN.filter((name) => text.includes(name) && !allowed.includes(name)).map((name) => `${relative}: ${name}`);
		});
		expect(offenders).toEqual([]);
	});

	test('the still capture hands the photo to the signalling connection only: it neither stores nor uploads it', () => {
		const text = fs.readFileSync(path.join(clientDir, STILL_CAPTURE), 'utf8');
		expect(STILL_CAPTURE_MUST_NOT_USE.filter((name) => new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
		expect(text).toContain("client.request('sendStillChunk'");
	});
});
