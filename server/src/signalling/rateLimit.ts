// Per-connection flood control for socket requests: a token bucket (steady rate, burst capacity)
// decides each request; a socket that keeps sending into an empty bucket is told to go away.
import { AppError } from '../errors.ts';

export type RateLimitSettings = {
	ratePerSecond: number;
	burst: number;
	/** Refused requests in a row after which the connection is dropped. */
	disconnectAfter: number;
};

export class TokenBucket {
	readonly #ratePerMs: number;
	readonly #capacity: number;
	readonly #now: () => number;
	#tokens: number;
	#updatedAt: number;

	constructor(ratePerSecond: number, capacity: number, now: () => number = performance.now.bind(performance)) {
		this.#ratePerMs = ratePerSecond / 1000;
		this.#capacity = capacity;
		this.#now = now;
		this.#tokens = capacity;
		this.#updatedAt = now();
	}

	/** Takes one token if there is one. */
	take(): boolean {
		const now = this.#now();
		this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
		this.#updatedAt = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}

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
