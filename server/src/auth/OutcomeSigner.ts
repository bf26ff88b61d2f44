// Signs outcomes as compact JWS (ES256) so a host platform can check an outcome offline with the
// public key alone, without sharing any secret with us. The key id is the key's RFC 7638 thumbprint.
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const OUTCOME_ISSUER = 'vidverify';

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

	/** A compact JWS whose payload is `{ outcome }`; `sub` is the verification id when the outcome has one. */
	sign(outcome: { verificationId?: string }): string {
		return jwt.sign({ outcome }, this.#privateKey, {
			algorithm: 'ES256',
			keyid: this.publicKey.kid,
			issuer: OUTCOME_ISSUER,
			...(outcome.verificationId ? { subject: outcome.verificationId } : {}),
		});
	}
}
