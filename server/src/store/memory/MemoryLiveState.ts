// The in-process live state of the embedded mode. Each operation runs to completion without awaiting,
// so it is as atomic as the Redis scripts it stands in for; values are stored and handed out as JSON
// copies so a caller cannot change a record without going through update.
import type { LiveState, RangeOptions, SortedSetEffects, SortedSetMember, Versioned } from '../LiveState.ts';
import { SortedSet } from './SortedSet.ts';

type Expiring = { value: string; expiresAt: number };

export class MemoryLiveState implements LiveState {
	readonly #records = new Map<string, { json: string; version: number }>();
	readonly #expiring = new Map<string, Expiring>();
	readonly #sets = new Map<string, SortedSet>();
	readonly #now: () => number;

	constructor(options: { now?: () => number } = {}) {
		this.#now = options.now ?? Date.now;
	}

	async get<T>(key: string): Promise<Versioned<T> | undefined> {
		const record = this.#records.get(key);
		return record ? { value: JSON.parse(record.json) as T, version: record.version } : undefined;
	}

	async versionOf(key: string): Promise<number | undefined> {
		return this.#records.get(key)?.version;
	}

	async create<T>(key: string, value: T, effects?: SortedSetEffects): Promise<boolean> {
		if (this.#records.has(key)) return false;
		this.#records.set(key, { json: JSON.stringify(value), version: 1 });
		this.#apply(effects);
		return true;
	}

	async update<T>(key: string, expectedVersion: number, next: T, effects?: SortedSetEffects): Promise<boolean> {
		const record = this.#records.get(key);
		if (!record || record.version !== expectedVersion) return false;
		this.#records.set(key, { json: JSON.stringify(next), version: expectedVersion + 1 });
		this.#apply(effects);
		return true;
	}

	async applyEffects(effects: SortedSetEffects): Promise<void> {
		this.#apply(effects);
	}

	async claimOnce(key: string, ttlMs: number): Promise<boolean> {
		if (this.#live(key) !== undefined) return false;
		this.#expiring.set(key, { value: '1', expiresAt: this.#now() + ttlMs });
		return true;
	}

	async setExpiring(key: string, value: string, ttlMs: number): Promise<void> {
		this.#expiring.set(key, { value, expiresAt: this.#now() + ttlMs });
	}

	async getExpiring(key: string): Promise<string | undefined> {
		return this.#live(key)?.value;
	}

	async deleteExpiring(key: string): Promise<boolean> {
		const present = this.#live(key) !== undefined;
		this.#expiring.delete(key);
		return present;
	}

	async range(set: string, options: RangeOptions = {}): Promise<SortedSetMember[]> {
		return this.#sets.get(set)?.range(options) ?? [];
	}

	async rank(set: string, member: string): Promise<number | undefined> {
		return this.#sets.get(set)?.rank(member);
	}

	async size(set: string): Promise<number> {
		return this.#sets.get(set)?.size ?? 0;
	}

	async close(): Promise<void> {
		this.#records.clear();
		this.#expiring.clear();
		this.#sets.clear();
	}

	#live(key: string): Expiring | undefined {
		const entry = this.#expiring.get(key);
		if (entry && entry.expiresAt <= this.#now()) {
			this.#expiring.delete(key);
			return undefined;
		}
		return entry;
	}

	#apply(effects: SortedSetEffects | undefined): void {
		for (const { set, member, score } of effects?.add ?? []) {
			let members = this.#sets.get(set);
			if (!members) {
				members = new SortedSet();
				this.#sets.set(set, members);
			}
			members.set(member, score);
		}
		for (const { set, member } of effects?.remove ?? []) {
			const members = this.#sets.get(set);
			members?.delete(member);
			if (members?.size === 0) this.#sets.delete(set);
		}
	}
}
