// Signs outcomes and journal checkpoints as compact JWS (ES256) so a host platform can check them offline
// with the public key alone, without sharing any secret with us. The key id is the key's RFC 7638
// thumbprint. What the payloads say is defined with the offline verifier (@vidverify/verifier).
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
	CHECKPOINT_TYPE,
	type Checkpoint,
	type EventsHead,
	OUTCOME_ISSUER,
	type SignedCheckpointPayload,
	type SignedOutcomePayload,
} from '@vidverify/verifier';
import jwt from 'jsonwebtoken';

export { OUTCOME_ISSUER };

export type OutcomePublicKey = { alg: 'ES256'; kid: string; jwk: JsonWebKey; pem: string };

export class OutcomeSigner {
	readonly #privateKey: KeyObject;
	readonly publicKey: OutcomePublicKey;

	constructor(privateKeyPem: string) {
		this.#privateKey = createPrivateKey(privateKeyPem);
		const publicKey = createPublicKey(this.#privateKey);
		const jwk = publicKey.export({ format: 'jwk' });
		// RFC 7638: the required members, in lexicographic order, without whitespace.
		const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
		const kid = createHash('sha256').update(thumbprintInput).digest('base64url');
		this.publicKey = {
			alg: 'ES256',
			kid,
			jwk: { ...jwk, alg: 'ES256', use: 'sig', kid },
			pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		};
	}

	/**
	 * A compact JWS whose payload is `{ outcome, events }`: `events` is the count and digest of the
	 * verification's events before the outcome, so the signature covers them too. `sub` is the
	 * verification id when the outcome has one.
	 */
	sign(outcome: { verificationId?: string }, events: EventsHead): string {
		const payload: SignedOutcomePayload = { outcome, events };
		return jwt.sign(payload, this.#privateKey, {
			algorithm: 'ES256',
			keyid: this.publicKey.kid,
			issuer: OUTCOME_ISSUER,
			...(outcome.verificationId ? { subject: outcome.verificationId } : {}),
		});
	}

	/** A compact JWS of a checkpoint of the journal, typed so that it cannot pass for an outcome or back. */
	signCheckpoint(checkpoint: Checkpoint): string {
		const payload: SignedCheckpointPayload = { checkpoint };
		return jwt.sign(payload, this.#privateKey, {
			algorithm: 'ES256',
			keyid: this.publicKey.kid,
			issuer: OUTCOME_ISSUER,
			header: { alg: 'ES256', typ: CHECKPOINT_TYPE },
		});
	}
}
