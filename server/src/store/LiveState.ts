// The live-state port: what the verification domain keeps while calls run (verification and agent
// records, the waiting queue, one-time claims, short-lived markers). Nothing here is durable; the
// journal is. Every operation that can race is one call, so a Redis implementation can run each as a
// single Lua script: compare-and-set updates with their sorted-set side effects, first-caller-wins
// claims, and keys that expire. Values are JSON; callers get copies, never shared objects.

export type Versioned<T> = { value: T; version: number };

export type SortedSetMember = { member: string; score: number };

/** Sorted-set changes applied in the same atomic step as a record update. */
export type SortedSetEffects = {
	add?: { set: string; member: string; score: number }[];
	remove?: { set: string; member: string }[];
};

export type RangeOptions = {
	/** Lowest score included. */
	minScore?: number;
	/** Members after this one (in score, then member order) only: a cursor for pagination. */
	after?: SortedSetMember;
	limit?: number;
};

export interface LiveState {
	/** The record and its version, or undefined when there is none. */
	get<T>(key: string): Promise<Versioned<T> | undefined>;
	/** The record's version alone: for a caller that keeps what it last read and reads again only what changed. */
	versionOf(key: string): Promise<number | undefined>;
	/** Creates a record at version 1 (with its side effects); false, changing nothing, when the key exists. */
	create<T>(key: string, value: T, effects?: SortedSetEffects): Promise<boolean>;
	/**
	 * Replaces the record if it is still at expectedVersion, bumping the version by one and applying the
	 * side effects; false, changing nothing, when another writer got there first (or the key is gone).
	 */
	update<T>(key: string, expectedVersion: number, next: T, effects?: SortedSetEffects): Promise<boolean>;
	/** Applies sorted-set changes on their own, all in one atomic step: for sets that no record write carries. */
	applyEffects(effects: SortedSetEffects): Promise<void>;

	/** True for the first caller of a key while it lives; false for every later one. */
	claimOnce(key: string, ttlMs: number): Promise<boolean>;

	/** A plain value that disappears after ttlMs (presence, grace markers). */
	setExpiring(key: string, value: string, ttlMs: number): Promise<void>;
	getExpiring(key: string): Promise<string | undefined>;
	/** True when the key was there (and unexpired) and is now removed. */
	deleteExpiring(key: string): Promise<boolean>;

	/** Ordered by score, then member (as Redis orders ties). */
	range(set: string, options?: RangeOptions): Promise<SortedSetMember[]>;
	/** 0-based position in score order, or undefined when not a member. */
	rank(set: string, member: string): Promise<number | undefined>;
	size(set: string): Promise<number>;

	/** Releases connections and timers; idempotent. */
	close(): Promise<void>;
}
