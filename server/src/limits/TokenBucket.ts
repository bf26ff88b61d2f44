// A token bucket: a steady rate of tokens with a burst capacity, each request taking one, in this
// process's memory: the socket requests of one connection, and one address's connection checks and
// requests to endpoints without an API key, are limited by one.

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
