// The express application: health and readiness, the host API (built by http/api) under /api/v1,
// the development try endpoint when it is on, /metrics when it is served on this port, the operator
// view's endpoint when there is an operator key, and the built web client.
import fs from 'node:fs';
import path from 'node:path';
import { OPERATOR_OVERVIEW_PATH, TRY_VERIFICATION_PATH } from '@vidverify/shared';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger.ts';
import { corsForOrigins } from './api/cors.ts';
import { API_PREFIX } from './api/endpoints.ts';

export type ReadinessProbe = { name: string; check: () => Promise<boolean> | boolean };

export type HttpAppOptions = {
	clientDistDir: string;
	readiness: ReadinessProbe[];
	logger: Logger;
	/** Production refuses source maps even when a build left some in clientDistDir. */
	environment?: 'development' | 'production' | 'test';
	/** The host API router; mounted under /api/v1. */
	api?: express.Router;
	/** The try endpoint (development only); absent, its path answers 404 like any unknown API path. */
	tryVerification?: express.Router;
	/** The operator view's endpoint (it checks the operator key); absent, its path answers 404. */
	operator?: express.Router;
	/** GET /metrics on this port (it checks its own token); absent when metrics are off or on a port of their own. */
	metrics?: (request: express.Request, response: express.Response) => void;
	/**
	 * Whether pages ask the browser to fetch over https what they name over http: only when the service
	 * is served over https (PUBLIC_URL). Over plain http (development, loopback) it would break the page
	 * in browsers that apply it there too (WebKit).
	 */
	upgradeInsecureRequests?: boolean;
	/** Browser origins allowed to call the host API. */
	corsOrigins?: readonly string[];
	/**
	 * express's 'trust proxy': which peers' X-Forwarded-For decides request.ip, the address the host
	 * API's rate limit counts. False (the default) ignores the header.
	 */
	trustProxy?: false | number | readonly string[];
	/**
	 * The origins the web client may connect to (its signalling and the processes serving calls' media):
	 * read at each answer, because this process's own URL is known only once it listens.
	 */
	connectOrigins?: () => readonly string[];
};

/** Each origin as the client reaches it: over HTTP (socket.io's polling) and as a WebSocket. */
export function connectSources(origins: readonly string[]): string[] {
	const sources = new Set<string>();
	for (const origin of origins) {
		if (!URL.canParse(origin)) continue;
		const url = new URL(origin);
		sources.add(url.origin);
		sources.add(`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`);
	}
	return [...sources];
}

/** Where the built client serves the MRZ reader's tesseract files (client/vite.config.ts). */
export const MRZ_READER_PATH = '/tesseract/';

export function createHttpApp(options: HttpAppOptions): Express {
	const app = express();
	app.disable('x-powered-by');
	// Only a proxy the operator named may say who the client is; from anyone else the header is a lie
	// that would let a client pick a fresh rate-limit bucket for every request.
	const trustProxy = options.trustProxy ?? false;
	app.set('trust proxy', Array.isArray(trustProxy) ? [...trustProxy] : trustProxy);
	const connectOrigins = options.connectOrigins ?? (() => []);
	const headers = (directives: { scriptSrc: string[] }) =>
		helmet({
			contentSecurityPolicy: {
				directives: {
					// mediasoup-client and React need nothing beyond self; media flows over WebRTC (and TURN),
					// which connect-src does not govern. Connections go to this origin and the listed ones only,
					// named with ws:/wss: too since not every browser counts a WebSocket to itself as 'self'.
					'default-src': ["'self'"],
					'script-src': directives.scriptSrc,
					'connect-src': ["'self'", () => connectSources(connectOrigins()).join(' ')],
					'img-src': ["'self'", 'data:', 'blob:'],
					'media-src': ["'self'", 'blob:'],
					'style-src': ["'self'", "'unsafe-inline'"],
					'upgrade-insecure-requests': options.upgradeInsecureRequests ? [] : null,
				},
			},
			crossOriginEmbedderPolicy: false,
		});
	const pageHeaders = headers({ scriptSrc: ["'self'"] });
	// The agent's MRZ reader runs tesseract in a worker of its own script (/tesseract/worker.min.js),
	// which compiles the wasm core it imports: a worker is held to the policy of its own script's
	// response, so only the reader's files allow compiling WebAssembly ('wasm-unsafe-eval', which allows
	// no eval of JavaScript). The pages themselves keep script-src 'self' alone.
	const readerHeaders = headers({ scriptSrc: ["'self'", "'wasm-unsafe-eval'"] });
	app.use((request, response, next) =>
		(request.path.startsWith(MRZ_READER_PATH) ? readerHeaders : pageHeaders)(request, response, next),
	);

	app.get('/healthz', (_request, response) => {
		response.json({ status: 'ok' });
	});

	app.get('/readyz', async (_request, response) => {
		const checks: Record<string, boolean> = {};
		await Promise.all(
			options.readiness.map(async (probe) => {
				try {
					checks[probe.name] = await probe.check();
				} catch {
					checks[probe.name] = false;
				}
			}),
		);
		const ready = Object.values(checks).every(Boolean);
		response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
	});

	if (options.api) app.use(API_PREFIX, corsForOrigins(options.corsOrigins ?? []), options.api);
	if (options.metrics) app.get('/metrics', options.metrics);
	if (options.tryVerification) app.use(TRY_VERIFICATION_PATH, options.tryVerification);
	if (options.operator) app.use(OPERATOR_OVERVIEW_PATH, options.operator);

	const indexFile = path.join(options.clientDistDir, 'index.html');
	if (fs.existsSync(indexFile)) {
		if (options.environment === 'production') {
			app.use((request, response, next) => {
				if (request.path.toLowerCase().endsWith('.map')) response.status(404).end();
				else next();
			});
		}
		app.use(express.static(options.clientDistDir, { index: false, maxAge: '1h' }));
		// The web app routes on the client; any other GET that is not an API or asset gets the app.
		app.get(/^\/(?!api\/|socket\.io\/|assets\/).*/, (_request, response) => {
			response.setHeader('Cache-Control', 'no-cache');
			response.sendFile(indexFile);
		});
	} else {
		options.logger.warn({ clientDistDir: options.clientDistDir }, 'no built web client found; run `npm run build`');
	}
	return app;
}
