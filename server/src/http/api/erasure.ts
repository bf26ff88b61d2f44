// DELETE /api/v1/verifications/:id/personal-data: the host's erasure request (GDPR Art. 17, or its own
// retention rule) for one verification that is over. Mounted by the host API after its API-key and
// rate-limit middleware, so it is authenticated and limited like every other endpoint; errors leave
// through the host API's one mapper. Answers 200 with the same body every time it is asked again.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { ErasureAnswer } from '../../privacy/PersonalDataErasure.ts';
import { apiKeyOf } from './hostRateLimit.ts';

export const ERASURE_PATH = '/verifications/:id/personal-data';

const paramsSchema = z.strictObject({ id: z.string().min(1).max(100) });

export const erasureAnswerSchema = z.strictObject({
	verificationId: z.string(),
	state: z.string(),
	/** When the verification's keys were destroyed; the same on every later request. */
	erasedAt: z.iso.datetime({ offset: true }),
});

export function createErasureApi(options: { erase: (verificationId: string) => Promise<ErasureAnswer> }): Router {
	const router = express.Router();
	router.delete(ERASURE_PATH, async (request: Request, response: Response, next: NextFunction) => {
		if (!apiKeyOf(response)) {
			response.setHeader('WWW-Authenticate', 'Bearer');
			return next(AppError.unauthenticated('a valid API key is required in Authorization: Bearer <key>'));
		}
		const params = paramsSchema.safeParse(request.params);
		if (!params.success) return next(AppError.fromZod(params.error, 'path'));
		const answer = erasureAnswerSchema.parse(await options.erase(params.data.id));
		response.status(200).json(answer);
	});
	return router;
}
