// Erasing a verification's personal data (crypto-shredding): destroy its keys, then journal the
// erasure as an event the record folds (personal fields read ERASED everywhere, states, decision and
// reasons stay), then untie its documents from the duplicate check. Only a verification that is over,
// with its outcome recorded, is erased: a live one still needs its data, and its outcome must be signed
// first (the signature covers the sealed fields, never the clear ones). Repeating is safe and answers
// the same: the keys are destroyed again (a no-op), the event is journaled once. Keys go first, so
// whatever fails after it nothing stays readable; a repeated request finishes the rest.
import { isFinalState } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { VerificationRecord } from '../sessions/VerificationRecord.ts';
import type { VerificationRepository } from '../sessions/VerificationRepository.ts';
import type { Sealer } from './Sealer.ts';

export type ErasureReason = 'host_request' | 'retention';

export type ErasureAnswer = { verificationId: string; state: VerificationRecord['state']; erasedAt: string };

export type ErasureDeps = {
	repository: Pick<VerificationRepository, 'load' | 'change' | 'releaseDocuments'>;
	sealer: Pick<Sealer, 'erase' | 'forgetDocuments'>;
	clock: () => Date;
	logger: Logger;
};

export class PersonalDataErasure {
	readonly #deps: ErasureDeps;

	constructor(deps: ErasureDeps) {
		this.#deps = deps;
	}

	async erase(verificationId: string, reason: ErasureReason): Promise<ErasureAnswer> {
		const { repository, sealer } = this.#deps;
		const record = await repository.load(verificationId);
		if (!isFinalState(record.state) || !record.outcome) {
			throw AppError.invalidState(
				`verification ${verificationId} is ${record.state}${isFinalState(record.state) ? ' and its outcome is not recorded yet' : ''}: personal data is erased only once a verification is over`,
			);
		}
		await sealer.erase([verificationId]);
		const { before, after } = await repository.change(verificationId, (current) => {
			if (current.personalDataErasedAt) return { events: [], result: undefined };
			return {
				events: [{ type: 'personal_data.erased', data: { at: this.#deps.clock().toISOString(), reason } }],
				result: undefined,
			};
		});
		if (!before.personalDataErasedAt) {
			await repository.releaseDocuments(before.externalUserRef, before.applicantDocumentHashes);
			this.#deps.logger.info({ verificationId, reason }, 'personal data erased');
		}
		return { verificationId, state: after.state, erasedAt: after.personalDataErasedAt as string };
	}

	/** Forgets the verification's keyed document hashes alone (their retention ran out); its other data stays. */
	async forgetDocuments(verificationId: string): Promise<void> {
		const { repository, sealer } = this.#deps;
		const record = await repository.load(verificationId);
		if (!isFinalState(record.state) || record.documentHashesForgottenAt) return;
		await sealer.forgetDocuments([verificationId]);
		const { before } = await repository.change(verificationId, (current) => {
			if (current.documentHashesForgottenAt) return { events: [], result: undefined };
			return {
				events: [{ type: 'document_hashes.forgotten', data: { at: this.#deps.clock().toISOString() } }],
				result: undefined,
			};
		});
		if (!before.documentHashesForgottenAt)
			await repository.releaseDocuments(before.externalUserRef, before.applicantDocumentHashes);
	}
}
