// The landing page's "try a verification on this machine": a development-only endpoint outside the
// host API, with no API key, that creates a demo verification and a demo agent and answers both links.
// A server without it (production, or TRY_PAGE=false) answers 404, which is how the page knows to
// offer nothing.
import { z } from 'zod';
import { localeSchema } from './verification.ts';

export const TRY_VERIFICATION_PATH = '/api/try-verification';

/** The kinds of call a person can try: the usual one, with a family interpreter, with a typed challenge. */
export const TRY_VARIANTS = ['standard', 'interpreter', 'typed_challenge'] as const;
export type TryVariant = (typeof TRY_VARIANTS)[number];
export const tryVariantSchema = z.enum(TRY_VARIANTS);

/** GET: the variants this server offers. */
export const tryOfferSchema = z.strictObject({ variants: z.array(tryVariantSchema) });
export type TryOffer = z.infer<typeof tryOfferSchema>;

/** POST: which variant, and the language the applicant's page starts in (the page's own, usually). */
export const tryVerificationBodySchema = z.strictObject({
	variant: tryVariantSchema,
	locale: localeSchema.optional(),
});
export type TryVerificationBody = z.infer<typeof tryVerificationBodySchema>;

export const tryVerificationAnswerSchema = z.strictObject({
	variant: tryVariantSchema,
	verificationId: z.string(),
	applicantUrl: z.string(),
	agentUrl: z.string(),
	/** The applicant must join before this time. */
	expiresAt: z.iso.datetime({ offset: true }),
});
export type TryVerificationAnswer = z.infer<typeof tryVerificationAnswerSchema>;
