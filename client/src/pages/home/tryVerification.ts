// The landing page's side of the development try endpoint: whether this server offers it, and asking
// it for a demo verification. A production server has no such endpoint and answers 404, so the page
// learns from the same request that there is nothing to offer, with no configuration of its own.
import {
	ErrorCode,
	type Locale,
	TRY_VERIFICATION_PATH,
	type TryVariant,
	type TryVerificationAnswer,
	tryOfferSchema,
	tryVerificationAnswerSchema,
	type WireError,
} from '@vidverify/shared';
import { RequestError } from '../../signalling/request.ts';

/** The variants offered, or none when this server does not offer trying (or cannot be asked). */
export async function fetchTryOffer(): Promise<TryVariant[]> {
	try {
		const response = await fetch(TRY_VERIFICATION_PATH, { headers: { accept: 'application/json' } });
		if (!response.ok) return [];
		const offer = tryOfferSchema.safeParse(await response.json());
		return offer.success ? offer.data.variants : [];
	} catch {
		return [];
	}
}

/** Rejects with a RequestError carrying the server's reason when it refuses (too many tries, say). */
export async function createTryVerification(variant: TryVariant, locale: Locale): Promise<TryVerificationAnswer> {
	const response = await fetch(TRY_VERIFICATION_PATH, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify({ variant, locale }),
	});
	const body: unknown = await response.json().catch(() => undefined);
	if (!response.ok) {
		const refusal = (body as { error?: Partial<WireError> } | undefined)?.error;
		const known = typeof refusal?.code === 'string' && Object.hasOwn(ErrorCode, refusal.code);
		throw new RequestError({
			code: known ? (refusal.code as ErrorCode) : 'INTERNAL',
			message: refusal?.message ?? `the try endpoint answered ${response.status}`,
			reason: refusal?.reason,
			params: refusal?.params,
		});
	}
	return tryVerificationAnswerSchema.parse(body);
}
