// CORS for the host API: only the configured origins get the headers a browser needs to call it;
// with none configured, cross-origin browser calls are simply not allowed (server-to-server calls
// are unaffected). Preflights are answered here, before authentication.
import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function corsForOrigins(origins: readonly string[]): RequestHandler {
	const allowed = new Set(origins);
	return (request, response, next) => {
		const origin = request.get('origin');
		response.vary('Origin');
		if (origin === undefined || !allowed.has(origin)) {
			if (request.method === 'OPTIONS' && origin !== undefined) {
				response.status(204).end();
				return;
			}
			next();
			return;
		}
		response.setHeader('Access-Control-Allow-Origin', origin);
		if (request.method === 'OPTIONS') {
			response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
			response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
			response.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
			response.status(204).end();
			return;
		}
		next();
	};
}
