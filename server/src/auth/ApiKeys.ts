// Host API keys. A presented key is compared with every configured key in constant time (over
// SHA-256 digests, so lengths do not leak either) and without stopping at the first match.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export class ApiKeys {
	readonly #digests: Buffer[];

	constructor(keys: readonly string[]) {
		if (keys.length === 0) throw new TypeError('at least one API key is required');
		this.#digests = keys.map(digest);
	}

	/** True when the Authorization header value is `Bearer <one of the keys>`. */
	accepts(authorization: string | undefined): boolean {
		const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
		const presented = digest(match?.[1] ?? '');
		let accepted = false;
		for (const known of this.#digests) {
			if (timingSafeEqual(presented, known) && match) accepted = true;
		}
		return accepted;
	}
}
