// GET /metrics, the exposition Prometheus scrapes: on a port of its own (METRICS_PORT), for a network
// only Prometheus reaches, or on the service's own port; with METRICS_TOKEN set, wherever it is served
// it answers only a request bearing that token (compared in constant time), and refuses others with
// 401 in the project's error shape.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKeys } from '../auth/ApiKeys.ts';
import { AppError, toWireError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from './ServiceMetrics.ts';

export const METRICS_PATH = '/metrics';

function sendError(response: ServerResponse, error: AppError): void {
	response.statusCode = error.status;
	response.setHeader('Content-Type', 'application/json; charset=utf-8');
	response.end(JSON.stringify({ error: toWireError(error) }));
}

/** Serves the exposition to a request (the caller routes GET /metrics here). */
export function metricsHandler(metrics: ServiceMetrics, token: string | undefined, logger: Logger) {
	// The token is checked as API keys are: a Bearer header, compared in constant time.
	const tokens = token === undefined ? undefined : new ApiKeys([token]);
	return (request: IncomingMessage, response: ServerResponse): void => {
		if (tokens && !tokens.accepts(request.headers.authorization)) {
			response.setHeader('WWW-Authenticate', 'Bearer');
			sendError(response, AppError.unauthenticated('the metrics token is required in Authorization: Bearer <token>'));
			return;
		}
		metrics.exposition().then(
			({ contentType, body }) => {
				response.setHeader('Content-Type', contentType);
				response.setHeader('Cache-Control', 'no-store');
				response.end(body);
			},
			(error: unknown) => {
				logger.error({ err: error }, 'metrics: the exposition failed');
				sendError(response, new AppError('INTERNAL', 'the metrics could not be collected'));
			},
		);
	};
}

/** The metrics' own listener: GET /metrics and nothing else. */
export class MetricsServer {
	readonly #server: http.Server;

	static async listen(host: string, port: number, handle: ReturnType<typeof metricsHandler>): Promise<MetricsServer> {
		const server = new MetricsServer(handle);
		await new Promise<void>((resolve, reject) => {
			server.#server.once('error', reject);
			server.#server.listen(port, host, () => {
				server.#server.off('error', reject);
				resolve();
			});
		});
		return server;
	}

	private constructor(handle: ReturnType<typeof metricsHandler>) {
		this.#server = http.createServer((request, response) => {
			const path = new URL(request.url ?? '/', 'http://metrics').pathname;
			if (path !== METRICS_PATH)
				return sendError(response, AppError.notFound(`no endpoint ${path}; metrics are at ${METRICS_PATH}`));
			if (request.method !== 'GET' && request.method !== 'HEAD') {
				response.setHeader('Allow', 'GET, HEAD');
				return sendError(response, AppError.notFound(`${request.method} ${METRICS_PATH} is not served; use GET`));
			}
			handle(request, response);
		});
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	close(): Promise<void> {
		this.#server.closeAllConnections();
		return new Promise((resolve) => this.#server.close(() => resolve()));
	}
}
