// `npm start`, after setup: builds the web client if needed and runs the server in this process.
// npm puts node_modules/.bin first on PATH, so this runs on the project's Node 24.
import { buildClientIfStale } from './client-build.mjs';

buildClientIfStale();
await import('../server/bin/vidverify.mjs');
