// The development-only try endpoint (TRY_VERIFICATION_PATH in shared): GET says which variants this
// server offers, POST creates one demo verification and the demo agent's token through the host API's
// own calls and answers both links. It takes no API key — a newcomer has none — so it is only ever
// mounted where TRY_PAGE is on, which the configuration refuses in production.
import { TRY_VARIANTS, type TryOffer, tryVerificationBodySchema } from '@vidverify/shared';
import express, { type Request, type Response, type Router } from 'express';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { type ClientRateLimitSettings, clientRateLimit } from './clientRateLimit.ts';
import { createDemo } from './demoVerification.ts';
import { errorHandler } from './hostApi.ts';
import type { HostCalls } from './hostCalls.ts';

/**
 * A person presses Try a few times; a script in a loop gets ten and then one every five seconds, so a
 * stray page or tool cannot fill the journal with demo verifications.
 */
export const TRY_RATE_LIMIT: ClientRateLimitSettings = { ratePerSecond: 0.2, burst: 10 };

export type TryVerificationApiOptions = {
	calls: HostCalls;
	logger: Logger;
	rateLimit?: ClientRateLimitSettings;
	/** The rate limit's clock (tests hold it still). */
	now?: () => number;
};

export function createTryVerificationApi(options: TryVerificationApiOptions): Router {
	const router = express.Router();
	router.get('/', (_request: Request, response: Response) => {
		const offer: TryOffer = { variants: [...TRY_VARIANTS] };
		response.json(offer);
	});
	router.post(
		'/',
		clientRateLimit(options.rateLimit ?? TRY_RATE_LIMIT, options.now),
		// Only a JSON body is read, and one is required: a page on another site can send a form or plain
		// text without asking, but a JSON POST needs a CORS preflight this endpoint never grants.
		express.json({ limit: '1kb', strict: true }),
		async (request: Request, response: Response) => {
			const parsed = tryVerificationBodySchema.safeParse(request.body ?? {});
			if (!parsed.success) throw AppError.fromZod(parsed.error, 'body');
			const demo = await createDemo(options.calls, parsed.data);
			options.logger.info({ verificationId: demo.verificationId, variant: demo.variant }, 'demo verification created');
			response.status(201).json(demo);
		},
	);
	router.use(errorHandler(options.logger, 'try endpoint'));
	return router;
}
