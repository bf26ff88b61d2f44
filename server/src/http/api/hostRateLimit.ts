// Flood control for the host API, in two kinds of budget. A request with a valid API key draws on
// that key's budget (its own rate, or the default for keys), wherever it comes from: a host platform
// that calls from one egress address on behalf of all its users is limited as one customer, not as
// one address. A request without a valid key draws on its client address's budget, checked before
// it is refused for the key, so that neither guessing keys nor a misconfigured integration can swamp
// the service. The client address is request.ip: the peer, or what a proxy named in TRUST_PROXY
// forwarded (see http/app.ts). Budgets are the stores' shared limiters, so in Redis mode every process
// of a deployment draws from the same ones.
import type { NextFunction, Request, Response } from 'express';
import type { ApiKeyIdentity, ApiKeys } from '../../auth/ApiKeys.ts';
import { AppError } from '../../errors.ts';
import { budgetOf, type LimiterBudget, type RequestRate, type SharedLimiter } from '../../limits/SharedLimiter.ts';

export type HostRateLimitSettings = {
	/** The rate of an API key configured without one of its own. */
	keyRate: RequestRate;
	/** The rate of one client address, for requests without a valid API key. */
	addressRate: RequestRate;
	/** Makes a budget kept where every process draws from it (Stores.limiter). */
	limiter: (name: string, budget: LimiterBudget) => SharedLimiter;
};

/** Reads the API key once per request, for the rate limit and the authentication after it. */
export function identifyApiKey(apiKeys: ApiKeys) {
	return (request: Request, response: Response, next: NextFunction) => {
		response.locals.apiKey = apiKeys.identify(request.get('authorization'));
		next();
	};
}

/** The key identifyApiKey found for this request; undefined when it has none that is valid. */
export function apiKeyOf(response: Response): ApiKeyIdentity | undefined {
	return response.locals.apiKey as ApiKeyIdentity | undefined;
}

export function hostRateLimit(settings: HostRateLimitSettings) {
	const addresses = settings.limiter('http-address', budgetOf(settings.addressRate));
	const defaultKeys = settings.limiter('api-key', budgetOf(settings.keyRate));
	// Keys with a rate of their own get a limiter of their own; there are as many as configured keys.
	const ownRates = new Map<string, SharedLimiter>();
	const limiterOf = (key: ApiKeyIdentity) => {
		if (!key.rate) return defaultKeys;
		let limiter = ownRates.get(key.id);
		if (!limiter) {
			limiter = settings.limiter('api-key', budgetOf(key.rate));
			ownRates.set(key.id, limiter);
		}
		return limiter;
	};

	return async (request: Request, response: Response, next: NextFunction) => {
		const key = apiKeyOf(response);
		try {
			const answer = key
				? await limiterOf(key).consume(key.id)
				: await addresses.consume(request.ip ?? request.socket.remoteAddress ?? 'unknown');
			if (answer.allowed) return next();
			response.setHeader('Retry-After', String(Math.max(1, Math.ceil(answer.retryAfterMs / 1000))));
			next(
				AppError.rateLimited(
					key
						? 'too many requests with this API key; retry after the time in Retry-After'
						: 'too many requests without a valid API key from this client; retry after the time in Retry-After',
				),
			);
		} catch (error) {
			next(error);
		}
	};
}
