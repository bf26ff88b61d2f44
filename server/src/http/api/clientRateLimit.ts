// Flood control for an endpoint that takes no API key: one token bucket per client address, in this
// process's memory. (The host API's budgets are per API key and shared by the processes, see
// hostRateLimit.ts.) Buckets of clients that went quiet are dropped, and the number kept is bounded.
// The client address is request.ip: the peer itself, or what a proxy named in TRUST_PROXY forwarded
// (see http/app.ts).
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors.ts';
import { TokenBucket } from '../../limits/TokenBucket.ts';

export type ClientRateLimitSettings = { ratePerSecond: number; burst: number };

/** More distinct clients than this at once and the oldest buckets are forgotten. */
const MAX_CLIENTS = 10_000;
/** A bucket untouched this long is full again anyway: forget it. */
const IDLE_MS = 60_000;

export function clientRateLimit(settings: ClientRateLimitSettings, now: () => number = () => performance.now()) {
	const buckets = new Map<string, { bucket: TokenBucket; usedAt: number }>();
	return (request: Request, response: Response, next: NextFunction) => {
		const client = request.ip ?? request.socket.remoteAddress ?? 'unknown';
		const at = now();
		let entry = buckets.get(client);
		if (!entry) {
			if (buckets.size >= MAX_CLIENTS) {
				for (const [key, value] of buckets) if (at - value.usedAt > IDLE_MS || buckets.size >= MAX_CLIENTS) buckets.delete(key);
			}
			entry = { bucket: new TokenBucket(settings.ratePerSecond, settings.burst, now), usedAt: at };
			buckets.set(client, entry);
		}
		entry.usedAt = at;
		if (entry.bucket.take()) return next();
		response.setHeader('Retry-After', String(Math.max(1, Math.ceil(1 / settings.ratePerSecond))));
		next(AppError.rateLimited('too many requests from this client; retry after the time in Retry-After'));
	};
}
