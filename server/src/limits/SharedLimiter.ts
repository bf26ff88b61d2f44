// Request budgets that outlive a connection and, in Redis mode, are shared by every process: a
// participant or a client address that reconnects, or spreads its requests over several processes,
// draws from one budget. Each budget is `points` requests per `durationSeconds` window per key.
// Embedded mode keeps them in memory; Redis mode in Redis, falling back to memory while Redis is
// away (a store outage must not become a licence to flood).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type LimiterBudget = { points: number; durationSeconds: number };

export interface SharedLimiter {
	/** True when `key` may make one more request now; false when its budget is spent. */
	take(key: string): Promise<boolean>;
}

type Consumer = { consume(key: string, points?: number): Promise<RateLimiterRes> };

class RateLimiterBudget implements SharedLimiter {
	readonly #limiter: Consumer;

	constructor(limiter: Consumer) {
		this.#limiter = limiter;
	}

	async take(key: string): Promise<boolean> {
		try {
			await this.#limiter.consume(key);
			return true;
		} catch (refusal) {
			if (refusal instanceof RateLimiterRes) return false;
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
