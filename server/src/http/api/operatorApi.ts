// The operator view's endpoint (OPERATOR_OVERVIEW_PATH in shared): GET answers what the service is
// doing now, the operator snapshot, to a request bearing the operator key. It is mounted only where an
// operator key is configured; without one the path answers 404 like any unknown API path. What goes
// out is parsed through the shared schema first, so a field added to the snapshot (personal data,
// say) is refused here until the schema names it, instead of reaching the page unnoticed.
import { type OperatorOverview, operatorOverviewSchema } from '@vidverify/shared';
import express, { type Request, type Response, type Router } from 'express';
import { ApiKeys } from '../../auth/ApiKeys.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { type ClientRateLimitSettings, clientRateLimit } from './clientRateLimit.ts';
import { errorHandler } from './hostApi.ts';

/**
 * A page refreshes every few seconds; several operators behind one address stay well within this,
 * while a script guessing keys from one address gets two tries a second.
 */
export const OPERATOR_RATE_LIMIT: ClientRateLimitSettings = { ratePerSecond: 2, burst: 20 };

export type OperatorApiOptions = {
	key: string;
	/** Reads the snapshot afresh (operatorSnapshot over the service's parts). */
	overview: () => Promise<OperatorOverview>;
	logger: Logger;
	rateLimit?: ClientRateLimitSettings;
	/** The rate limit's clock (tests hold it still). */
	now?: () => number;
};

export function createOperatorApi(options: OperatorApiOptions): Router {
	// Checked as API keys are: a Bearer header, compared in constant time.
	const keys = new ApiKeys([options.key]);
	const router = express.Router();
	router.get(
		'/',
		// Before the key is checked, so that guessing costs budget too.
		clientRateLimit(options.rateLimit ?? OPERATOR_RATE_LIMIT, options.now),
		async (request: Request, response: Response) => {
			if (!keys.accepts(request.get('authorization'))) {
				response.setHeader('WWW-Authenticate', 'Bearer');
				throw AppError.unauthenticated('the operator key is required in Authorization: Bearer <key>');
			}
			const overview = operatorOverviewSchema.parse(await options.overview());
			response.setHeader('Cache-Control', 'no-store');
			response.json(overview);
		},
	);
	router.use(errorHandler(options.logger, 'operator endpoint'));
	return router;
}
