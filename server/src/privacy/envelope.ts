// The sealed form of one personal field: AES-256-GCM under its verification's key, with the
// verification id and the field's place (event type and path) as associated data, so a sealed value
// cannot be moved to another field or another verification and still open. The form is a string, so a
// sealed field keeps its place and type in the record, and it names its version and key kind:
//
//   vvseal1.<kind>.<iv, base64url>.<ciphertext and 16-byte tag, base64url>
//
// Sealing is deterministic: the IV is an HMAC of the associated data and the plaintext under a key of
// its own derived from the verification's key (a synthetic IV), so the same field sealed twice gives the
// same string. The signed outcome commits to the sealed form of events before they are journaled, and
// the journal seals them again when it appends them; both must agree. It reveals only that a field of
// the same place in the same verification holds the same value, which the chain shows anyway.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

export const ENVELOPE_VERSION = 'vvseal1';
/** What a personal field reads as once its key is destroyed (or for a reader without it). */
export const ERASED = '[erased]';

export type KeyKind = 'personal' | 'document';
export const KEY_KINDS: readonly KeyKind[] = ['personal', 'document'];

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_PATTERN = /^vvseal1\.(personal|document)\.([\w-]{16})\.([\w-]{22,})$/;

type DerivedKeys = { encryption: KeyObject; iv: KeyObject };

/** Per key buffer: a reader of many records holds the same buffer for each verification's fields. */
const derivedOf = new WeakMap<Buffer, DerivedKeys>();

function derive(key: Buffer): DerivedKeys {
	const known = derivedOf.get(key);
	if (known) return known;
	if (key.length !== 32) throw new TypeError('a verification key is 32 bytes');
	const expand = (info: string) => createSecretKey(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32)));
	const derived = { encryption: expand('vidverify seal v1 encryption'), iv: expand('vidverify seal v1 iv') };
	derivedOf.set(key, derived);
	return derived;
}

/** The associated data of a field: which verification, which event type, which path. */
export function associatedData(verificationId: string, eventType: string, path: string): Buffer {
	return Buffer.from(`${ENVELOPE_VERSION}\n${verificationId}\n${eventType}\n${path}`, 'utf8');
}

export function isEnvelope(value: unknown): value is string {
	return typeof value === 'string' && ENVELOPE_PATTERN.test(value);
}

/** The kind of key an envelope was sealed with, or undefined for a value that is not one. */
export function envelopeKind(value: unknown): KeyKind | undefined {
	if (typeof value !== 'string') return undefined;
	return ENVELOPE_PATTERN.exec(value)?.[1] as KeyKind | undefined;
}

export function seal(key: Buffer, kind: KeyKind, aad: Buffer, value: unknown): string {
	const keys = derive(key);
	const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
	const iv = createHmac('sha256', keys.iv).update(aad).update(Buffer.of(0)).update(plaintext).digest().subarray(0, IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(aad);
	const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
	return `${ENVELOPE_VERSION}.${kind}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

export class EnvelopeError extends Error {
	override name = 'EnvelopeError';
}

/** The value sealed in `envelope`; EnvelopeError when it is not one, or does not open with this key and place. */
export function open(key: Buffer, aad: Buffer, envelope: string): unknown {
	const match = ENVELOPE_PATTERN.exec(envelope);
	if (!match) throw new EnvelopeError('not a sealed value');
	const iv = Buffer.from(match[2] as string, 'base64url');
	const sealed = Buffer.from(match[3] as string, 'base64url');
	if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new EnvelopeError('a sealed value of the wrong length');
	const decipher = createDecipheriv('aes-256-gcm', derive(key).encryption, iv, { authTagLength: TAG_BYTES });
	decipher.setAAD(aad);
	decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
	let plaintext: Buffer;
	try {
		plaintext = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
	} catch {
		throw new EnvelopeError('the sealed value does not open with its verification key and place');
	}
	return JSON.parse(plaintext.toString('utf8'));
}
