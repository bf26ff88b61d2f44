// Per-connection flood control for socket requests: a token bucket (steady rate, burst capacity)
// decides each request; a socket that keeps sending into an empty bucket is told to go away.
import { AppError } from '../errors.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';

export type RateLimitSettings = {
	ratePerSecond: number;
	burst: number;
	/** Refused requests in a row after which the connection is dropped. */
	disconnectAfter: number;
};

/**
 * Returns the dispatch `admit` hook of one connection: it throws RATE_LIMITED while the bucket is
 * empty, and calls onFlood once when refusals pile up without the client backing off.
 */
export function requestAdmission(settings: RateLimitSettings, onFlood: () => void): () => void {
	const bucket = new TokenBucket(settings.ratePerSecond, settings.burst);
	let refusedInARow = 0;
	let flooded = false;
	return () => {
		if (bucket.take()) {
			refusedInARow = 0;
			return;
		}
		refusedInARow += 1;
		if (refusedInARow >= settings.disconnectAfter && !flooded) {
			flooded = true;
			onFlood();
		}
		throw AppError.rateLimited();
	};
}
