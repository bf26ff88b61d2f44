// Vite builds the one web app (applicant, interpreter, agent console, connection check) into dist/,
// which the server serves. `vite` in dev proxies signalling and API calls to a server on :3000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.VIDVERIFY_DEV_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig(({ mode }) => ({
	plugins: [react()],
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
