// Request budgets that outlive a connection and, in Redis mode, are shared by every process: a
// participant or a client address that reconnects, or spreads its requests over several processes,
// draws from one budget. Each budget is `points` requests per `durationSeconds` window per key.
// Embedded mode keeps them in memory; Redis mode in Redis, falling back to memory while Redis is
// away (a store outage must not become a licence to flood).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type LimiterBudget = { points: number; durationSeconds: number };

/** A steady rate with bursts, as operators configure it (requests per second, and how many at once). */
export type RequestRate = { ratePerSecond: number; burst: number };

/** Whether a request may go ahead, and if not, how long until its budget has room again. */
export type LimiterAnswer = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface SharedLimiter {
	/** True when `key` may make one more request now; false when its budget is spent. */
	take(key: string): Promise<boolean>;
	/** As take(), with the wait a refused caller should be told (HTTP's Retry-After). */
	consume(key: string): Promise<LimiterAnswer>;
}

/**
 * The window budget of a rate: `burst` requests per window of burst ÷ rate seconds (whole seconds, as
 * the windows are kept), so a caller averages at most its rate and may spend its burst at once.
 */
export function budgetOf(rate: RequestRate): LimiterBudget {
	return { points: rate.burst, durationSeconds: Math.max(1, Math.ceil(rate.burst / rate.ratePerSecond)) };
}

type Consumer = { consume(key: string, points?: number): Promise<RateLimiterRes> };

class RateLimiterBudget implements SharedLimiter {
	readonly #limiter: Consumer;

	constructor(limiter: Consumer) {
		this.#limiter = limiter;
	}

	async take(key: string): Promise<boolean> {
		return (await this.consume(key)).allowed;
	}

	async consume(key: string): Promise<LimiterAnswer> {
		try {
			await this.#limiter.consume(key);
			return { allowed: true };
		} catch (refusal) {
			if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterMs: refusal.msBeforeNext };
			throw refusal;
		}
	}
}

export function memoryLimiter(name: string, budget: LimiterBudget): SharedLimiter {
	return new RateLimiterBudget(
		new RateLimiterMemory({ keyPrefix: name, points: budget.points, duration: budget.durationSeconds }),
	);
}

export function redisLimiter(client: Redis, keyPrefix: string, name: string, budget: LimiterBudget): SharedLimiter {
	return new RateLimiterBudget(
		new RateLimiterRedis({
			storeClient: client,
			keyPrefix: `${keyPrefix}limit:${name}`,
			points: budget.points,
			duration: budget.durationSeconds,
			insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: budget.points, duration: budget.durationSeconds }),
		}),
	);
}
