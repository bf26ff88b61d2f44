// Host API keys. A presented key is compared with every configured key in constant time (over
// SHA-256 digests, so lengths do not leak either) and without stopping at the first match. Each key
// may carry a request rate of its own (API_KEYS entries `KEY:RATE/BURST`), and is known elsewhere by
// an id derived from its digest, so that logs and the shared rate-limit counters never hold the key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestRate } from '../limits/SharedLimiter.ts';

/** A configured key, with the rate it is allowed when it differs from the default. */
export type ApiKeySetting = { key: string; rate?: RequestRate };

/** Who a request authenticated as: the key's id, and its own rate if it has one. */
export type ApiKeyIdentity = { id: string; rate: RequestRate | undefined };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Enough of the digest to tell keys apart, far too little to search for the key. */
const ID_HEX_LENGTH = 16;

const ENTRY = /^([^\s:,]+)(?::(\d+)\/(\d+))?$/;

/**
 * One API_KEYS entry: `KEY` or `KEY:RATE/BURST` (requests per second, and how many at once). Keys
 * hold no `:`, `,` or white space, so the rate can never be read out of a key.
 */
export function parseApiKeySetting(entry: string): ApiKeySetting | { error: string } {
	const match = ENTRY.exec(entry);
	if (!match) return { error: 'must be KEY or KEY:RATE/BURST (a key holds no ":", "," or space)' };
	const [, key = '', rate, burst] = match;
	if (rate === undefined || burst === undefined) return { key };
	const ratePerSecond = Number(rate);
	const burstSize = Number(burst);
	if (ratePerSecond < 1 || burstSize < 1) return { error: 'RATE and BURST of a key must be at least 1' };
	return { key, rate: { ratePerSecond, burst: burstSize } };
}

export class ApiKeys {
	readonly #keys: { digest: Buffer; identity: ApiKeyIdentity }[];

	constructor(keys: readonly (string | ApiKeySetting)[]) {
		if (keys.length === 0) throw new TypeError('at least one API key is required');
		this.#keys = keys.map((entry) => {
			const setting = typeof entry === 'string' ? { key: entry } : entry;
			const keyDigest = digest(setting.key);
			return { digest: keyDigest, identity: { id: keyDigest.toString('hex').slice(0, ID_HEX_LENGTH), rate: setting.rate } };
		});
	}

	/** The key an Authorization header value `Bearer <key>` names, or undefined for anything else. */
	identify(authorization: string | undefined): ApiKeyIdentity | undefined {
		const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
		const presented = digest(match?.[1] ?? '');
		let found: ApiKeyIdentity | undefined;
		for (const known of this.#keys) {
			if (timingSafeEqual(presented, known.digest) && match) found = known.identity;
		}
		return found;
	}

	/** True when the Authorization header value is `Bearer <one of the keys>`. */
	accepts(authorization: string | undefined): boolean {
		return this.identify(authorization) !== undefined;
	}
}
