// OCR of a prepared zone in the agent's browser with tesseract.js, loaded only when the agent first
// asks to read one (a dynamic import: the call's bundle does not carry it). Its worker script, wasm
// core and English traineddata are files of this app (vite.config.ts copies them from the registry
// packages to /tesseract/): tesseract.js would otherwise fetch them from a CDN, which must never happen.
// The picture goes to a worker of this page and nowhere else.
import type { Worker as TesseractWorker } from 'tesseract.js';
import { MRZ_ALPHABET } from './mrzReading.ts';

/** Where the app serves tesseract's files (see serveTesseract() in client/vite.config.ts). */
export const TESSERACT_PATHS = {
	workerPath: '/tesseract/worker.min.js',
	corePath: '/tesseract/core',
	langPath: '/tesseract/lang',
} as const;

export type ZoneOcr = {
	/** The text read off a prepared zone: an image file in memory (bmpOf), the zone black on white. */
	read: (picture: Uint8Array) => Promise<string>;
	close: () => Promise<void>;
};

/** Starts a tesseract worker for zones: LSTM only, the MRZ's characters only, no dictionary. */
export async function startZoneOcr(): Promise<ZoneOcr> {
	const { createWorker, OEM, PSM } = await import('tesseract.js');
	const origin = window.location.origin;
	const worker: TesseractWorker = await createWorker(
		'eng',
		OEM.LSTM_ONLY,
		{
			workerPath: `${origin}${TESSERACT_PATHS.workerPath}`,
			corePath: `${origin}${TESSERACT_PATHS.corePath}`,
			langPath: `${origin}${TESSERACT_PATHS.langPath}`,
			// A worker of the script itself, not of a blob: URL, so the page's CSP need not allow blob: workers.
			workerBlobURL: false,
			// Nothing of it is kept in the browser's storage either: the traineddata comes from our server each call.
			cacheMethod: 'none',
			gzip: true,
		},
		// Dictionaries only push a zone's text towards English words.
		{ load_system_dawg: '0', load_freq_dawg: '0' },
	);
	await worker.setParameters({ tessedit_char_whitelist: MRZ_ALPHABET, tessedit_pageseg_mode: PSM.SINGLE_BLOCK });
	return {
		// An image file's bytes are one of the inputs its browser build takes (its types name Node's Buffer only).
		read: async (picture) => (await worker.recognize(picture as unknown as Buffer)).data.text,
		close: async () => {
			await worker.terminate();
		},
	};
}
