// Compact JWS (RFC 7515) with ES256 only, checked with node:crypto: the outcome and the checkpoints of a
// bundle are signed that way with the service's outcome key. Anything but ES256 is refused, whatever
// the token's header says, so a token cannot choose a weaker check for itself.
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { isPlainObject } from './canonicalJson.ts';

export type VerifiedJws = { header: Record<string, unknown>; payload: Record<string, unknown> };

export type PublicKey = { key: KeyObject; kid: string };

/** The key's RFC 7638 thumbprint: what the service names it by (kid). */
export function thumbprint(jwk: JsonWebKey): string {
	// The required members of an EC key, in lexicographic order, without whitespace.
	const input = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
	return createHash('sha256').update(input).digest('base64url');
}

/** A P-256 public key from a JWK, or the reason it is not one. */
export function publicKeyOf(jwk: unknown): PublicKey | { error: string } {
	if (!isPlainObject(jwk)) return { error: 'the key is not a JWK object' };
	if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return { error: 'the key is not an EC P-256 key (ES256)' };
	if ('d' in jwk) return { error: 'the key is a private key; a bundle carries only the public one' };
	let key: KeyObject;
	try {
		key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
	} catch (error) {
		return { error: `the key is not a valid JWK: ${(error as Error).message}` };
	}
	const kid = thumbprint(jwk as JsonWebKey);
	if (jwk.kid !== undefined && jwk.kid !== kid) return { error: `the key's kid ${String(jwk.kid)} is not its thumbprint ${kid}` };
	return { key, kid };
}

/**
 * The key in a key file's text: a JWK, an object with a `jwk` member (the answer of GET
 * /api/v1/outcome-key), or PEM (a private key gives its public half, for the operator who holds it).
 */
export function publicKeyFromText(text: string): PublicKey | { error: string } {
	if (text.trimStart().startsWith('-----BEGIN')) {
		try {
			return publicKeyOf(createPublicKey(text).export({ format: 'jwk' }));
		} catch (error) {
			return { error: `not a key in PEM: ${(error as Error).message}` };
		}
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		return { error: `neither JSON nor PEM: ${(error as Error).message}` };
	}
	return publicKeyOf(isPlainObject(parsed) && 'jwk' in parsed ? parsed.jwk : parsed);
}

/** A compact JWS's payload, read without checking its signature (the audit reads what it then compares). */
export function unverifiedPayload(token: unknown): Record<string, unknown> | undefined {
	if (typeof token !== 'string') return undefined;
	const payload = decodeJson(token.split('.')[1] ?? '');
	return isPlainObject(payload) ? payload : undefined;
}

/** The header and payload of a compact JWS signed by `key` with ES256, or why it is not one. */
export function verifyEs256(token: unknown, key: KeyObject, kid: string): VerifiedJws | { error: string } {
	if (typeof token !== 'string') return { error: 'not a string' };
	const parts = token.split('.');
	if (parts.length !== 3) return { error: 'not a compact JWS (three dot-separated parts)' };
	const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
	const header = decodeJson(encodedHeader);
	if (!isPlainObject(header)) return { error: 'its header is not base64url JSON' };
	if (header.alg !== 'ES256') return { error: `its alg is ${JSON.stringify(header.alg)}, not ES256` };
	if (header.kid !== kid) return { error: `it names key ${JSON.stringify(header.kid)}, not ${kid}` };
	const signature = Buffer.from(encodedSignature, 'base64url');
	// ES256 in JWS is r and s as 32 bytes each (IEEE P1363), not DER.
	if (signature.length !== 64) return { error: 'its signature is not 64 bytes' };
	const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
	if (!verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
		return { error: 'its signature does not verify with the key' };
	}
	const payload = decodeJson(encodedPayload);
	if (!isPlainObject(payload)) return { error: 'its payload is not base64url JSON' };
	return { header, payload };
}

function decodeJson(part: string): unknown {
	if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
	try {
		return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
}
