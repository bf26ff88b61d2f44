// Document numbers are never stored: only a keyed hash (HMAC-SHA256 with DOCUMENT_HASH_SECRET) of the
// document type and the normalised number, enough to spot the same document used twice.
import { createHmac } from 'node:crypto';

/** Spaces, hyphens and letter case vary between how a number is printed and how an agent types it. */
function normalise(number: string): string {
	return number.replace(/[\s-]+/g, '').toUpperCase();
}

export function documentHasher(secret: string): (type: string, number: string) => string {
	return (type, number) =>
		createHmac('sha256', secret)
			.update(`${type.trim().toLowerCase()}\u0000${normalise(number)}`, 'utf8')
			.digest('hex');
}
