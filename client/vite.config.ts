// Vite builds the one web app (applicant, interpreter, agent console, connection check) into dist/,
// which the server serves. `vite` in dev proxies signalling and API calls to a server on :3000.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const backend = process.env.VIDVERIFY_DEV_BACKEND ?? 'http://127.0.0.1:3000';
const require = createRequire(import.meta.url);

/**
 * The files the agent's MRZ reader (tesseract.js) loads at run time, served from this app under
 * /tesseract/ (TESSERACT_PATHS in src/pages/agent/mrzOcr.ts), so that nothing is fetched from a CDN:
 * the worker script, the three LSTM-only cores (the worker picks one by the browser's SIMD support;
 * each embeds its wasm) and the English traineddata of the registry package (gzipped, integer model).
 */
function tesseractFiles(): Record<string, string> {
	const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
	const core = packageDir('tesseract.js-core');
	return {
		'tesseract/worker.min.js': path.join(packageDir('tesseract.js'), 'dist', 'worker.min.js'),
		...Object.fromEntries(
			['tesseract-core-lstm.wasm.js', 'tesseract-core-simd-lstm.wasm.js', 'tesseract-core-relaxedsimd-lstm.wasm.js'].map(
				(file) => [`tesseract/core/${file}`, path.join(core, file)],
			),
		),
		'tesseract/lang/eng.traineddata.gz': path.join(packageDir('@tesseract.js-data/eng'), '4.0.0_best_int', 'eng.traineddata.gz'),
	};
}

function serveTesseract(): Plugin {
	const files = tesseractFiles();
	return {
		name: 'vidverify-tesseract-files',
		generateBundle() {
			for (const [fileName, source] of Object.entries(files)) {
				this.emitFile({ type: 'asset', fileName, source: fs.readFileSync(source) });
			}
		},
		configureServer(server) {
			server.middlewares.use((request, response, next) => {
				const source = files[(request.url ?? '').split('?')[0]?.slice(1) ?? ''];
				if (!source) return next();
				response.setHeader('Content-Type', source.endsWith('.js') ? 'text/javascript' : 'application/octet-stream');
				fs.createReadStream(source).pipe(response);
			});
		},
	};
}

export default defineConfig(({ mode }) => ({
	plugins: [react(), serveTesseract()],
	// Source maps would hand anyone the client's full source: only a development build
	// (`vite build --mode development`) writes them; `vite` serves its own while developing.
	build: { outDir: 'dist', emptyOutDir: true, sourcemap: mode === 'development' },
	server: {
		proxy: {
			'/socket.io': { target: backend, ws: true },
			'/api': backend,
		},
	},
}));
