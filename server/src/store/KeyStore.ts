// The keys personal data is sealed under (privacy/envelope.ts): one random 256-bit key per verification
// and kind, kept apart from the journal (embedded: DATA_DIR/keys.jsonl; Redis: one hash per
// verification), so destroying a key erases what was sealed under it while the journal, which holds
// only the sealed form, stays whole and verifiable. A destroyed key leaves a tombstone: it is never made
// again, not by a later append and not after a restart.
import type { KeyKind } from '../privacy/envelope.ts';

export type { KeyKind };

export type KeyDestruction = { verificationId: string; kinds: readonly KeyKind[] };

export interface KeyStore {
	/**
	 * The verification's key of this kind, made (and durable) on first use; undefined when it was
	 * destroyed. Two callers at once get the same key.
	 */
	obtain(verificationId: string, kind: KeyKind): Promise<Buffer | undefined>;
	/** The key if it lives; undefined when it was never made or was destroyed. */
	find(verificationId: string, kind: KeyKind): Promise<Buffer | undefined>;
	/** Whether the key was destroyed (as opposed to never made). */
	destroyed(verificationId: string, kind: KeyKind): Promise<boolean>;
	/** Destroys these keys for good; resolves once no copy is left in the store. Idempotent. */
	destroy(destructions: readonly KeyDestruction[]): Promise<void>;
	close(): Promise<void>;
}

export const KEY_BYTES = 32;
