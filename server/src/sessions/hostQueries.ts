// What the host platform asks of the domain besides creating verifications: whether a new one may be
// created for the facts it states, and the listing by state and time, paged with an opaque cursor.
import {
	type CreateVerificationBody,
	ELIGIBILITY_REFUSALS,
	ErrorCode,
	type ListVerificationsQuery,
	MIN_AGE,
	type VerificationView,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { DomainSettings } from './types.ts';
import type { VerificationRepository } from './VerificationRepository.ts';
import { verificationView } from './views.ts';

const DEFAULT_PAGE_SIZE = 50;

/** Refuses a verification the host's own facts rule out (underage, unsupported region, C2C frozen). */
export function checkEligibility(input: CreateVerificationBody, settings: DomainSettings): void {
	const facts = input.eligibility;
	if (!facts) return;
	const refuse = (refusal: keyof typeof ELIGIBILITY_REFUSALS, path: string, message: string) => {
		throw new AppError(ErrorCode.INVALID_STATE, `not eligible: ${message}`, {
			reason: 'notEligible',
			params: { refusal: ELIGIBILITY_REFUSALS[refusal] },
			fields: [{ path, message: ELIGIBILITY_REFUSALS[refusal] }],
		});
	};
	if (facts.age !== undefined && facts.age < MIN_AGE)
		refuse('underage', 'eligibility.age', `applicants must be at least ${MIN_AGE}`);
	if (facts.region !== undefined && settings.unsupportedRegions.includes(facts.region.toUpperCase())) {
		refuse('unsupported_region', 'eligibility.region', `the service is not offered in region ${facts.region.toUpperCase()}`);
	}
	if (facts.c2cFrozen === true) {
		refuse('c2c_frozen', 'eligibility.c2cFrozen', 'C2C trading is frozen on this account until the platform lifts it');
	}
}

export async function listVerifications(
	repository: VerificationRepository,
	query: ListVerificationsQuery,
): Promise<{ items: VerificationView[]; nextCursor: string | null }> {
	const limit = query.limit ?? DEFAULT_PAGE_SIZE;
	let after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
	const minScore = query.since === undefined ? undefined : Date.parse(query.since);
	const items: VerificationView[] = [];
	let more = false;
	// A state filter may skip many members, so pages of the index are read until the page is full.
	while (!more) {
		const batch = await repository.index({ minScore, after, limit: limit + 1 });
		for (const entry of batch) {
			const record = await repository.find(entry.member);
			if (!record || (query.state !== undefined && record.state !== query.state)) {
				after = entry;
				continue;
			}
			if (items.length === limit) {
				more = true;
				break;
			}
			items.push(verificationView(record));
			after = entry;
		}
		if (batch.length < limit + 1) break;
	}
	const last = items.at(-1);
	return {
		items,
		nextCursor: more && last ? encodeCursor({ score: Date.parse(last.createdAt), member: last.id }) : null,
	};
}

function encodeCursor(position: { score: number; member: string }): string {
	return Buffer.from(`${position.score}:${position.member}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { score: number; member: string } {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	const separator = text.indexOf(':');
	const score = Number(text.slice(0, separator));
	if (separator <= 0 || !Number.isFinite(score)) {
		throw AppError.invalidPayload('invalid cursor', [{ path: 'cursor', message: 'not a cursor this service gave' }]);
	}
	return { score, member: text.slice(separator + 1) };
}
