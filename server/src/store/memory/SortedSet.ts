// One sorted set of the embedded live state: members each held once, ordered by score and then by
// member, as Redis orders a sorted set. It is a skip list that keeps the width of every link, the
// structure Redis itself uses, so that adding, removing, a member's rank and the start of a range are
// O(log n) and reading on from there is O(1) a member. The waiting queue is ranked on every snapshot of
// a waiting applicant and ranged on every queue update; sorting the whole set for each of those made
// their cost grow with the queue.
import type { RangeOptions, SortedSetMember } from '../LiveState.ts';

/** Enough levels for far more members than a process holds, at a quarter of the nodes per level up. */
const MAX_LEVEL = 32;
const LEVEL_UP_PROBABILITY = 0.25;

type SkipNode = {
	member: string;
	score: number;
	/** The next node at each level of this node. */
	next: (SkipNode | undefined)[];
	/** How many nodes each of those links passes, the one it lands on included: what rank() adds up. */
	span: number[];
};

export class SortedSet {
	readonly #head: SkipNode = { member: '', score: Number.NEGATIVE_INFINITY, next: [], span: [] };
	readonly #scores = new Map<string, number>();
	#level = 1;

	constructor() {
		this.#head.next[0] = undefined;
		this.#head.span[0] = 0;
	}

	get size(): number {
		return this.#scores.size;
	}

	/** Adds the member, or moves it to its new score. */
	set(member: string, score: number): void {
		const current = this.#scores.get(member);
		if (current === score) return;
		if (current !== undefined) this.#unlink(member, current);
		this.#insert(member, score);
		this.#scores.set(member, score);
	}

	/** True when the member was there. */
	delete(member: string): boolean {
		const score = this.#scores.get(member);
		if (score === undefined) return false;
		this.#unlink(member, score);
		this.#scores.delete(member);
		return true;
	}

	/** 0-based position in order, or undefined when not a member. */
	rank(member: string): number | undefined {
		const score = this.#scores.get(member);
		if (score === undefined) return undefined;
		let node = this.#head;
		let rank = 0;
		for (let level = this.#level - 1; level >= 0; level -= 1) {
			for (let next = node.next[level]; next && compare(next, score, member) <= 0; next = node.next[level]) {
				rank += node.span[level] ?? 0;
				node = next;
			}
		}
		return rank - 1;
	}

	/** The members in order from the first one the options admit (see RangeOptions). */
	range(options: RangeOptions = {}): SortedSetMember[] {
		const { minScore = Number.NEGATIVE_INFINITY, after, limit = Number.POSITIVE_INFINITY } = options;
		// Both bounds exclude a prefix of the order, so one descent finds where what they admit begins.
		const excluded = (node: SkipNode) =>
			node.score < minScore || (after !== undefined && compare(node, after.score, after.member) <= 0);
		let node = this.#head;
		for (let level = this.#level - 1; level >= 0; level -= 1) {
			for (let next = node.next[level]; next && excluded(next); next = node.next[level]) node = next;
		}
		const result: SortedSetMember[] = [];
		for (let next = node.next[0]; next && result.length < limit; next = next.next[0]) {
			result.push({ member: next.member, score: next.score });
		}
		return result;
	}

	#insert(member: string, score: number): void {
		const { before, rankOf } = this.#pathTo(member, score);
		const level = randomLevel();
		if (level > this.#level) {
			for (let index = this.#level; index < level; index += 1) {
				before[index] = this.#head;
				rankOf[index] = 0;
				this.#head.next[index] = undefined;
				this.#head.span[index] = this.size;
			}
			this.#level = level;
		}
		const node: SkipNode = { member, score, next: [], span: [] };
		const rankBefore = rankOf[0] ?? 0;
		for (let index = 0; index < level; index += 1) {
			const previous = before[index] ?? this.#head;
			const passed = rankBefore - (rankOf[index] ?? 0);
			node.next[index] = previous.next[index];
			previous.next[index] = node;
			node.span[index] = (previous.span[index] ?? 0) - passed;
			previous.span[index] = passed + 1;
		}
		// Links above the new node's top now pass one more node.
		for (let index = level; index < this.#level; index += 1) {
			const previous = before[index] ?? this.#head;
			previous.span[index] = (previous.span[index] ?? 0) + 1;
		}
	}

	#unlink(member: string, score: number): void {
		const { before } = this.#pathTo(member, score);
		const node = before[0]?.next[0];
		if (!node || node.member !== member) throw new TypeError(`sorted set lost track of ${member}`);
		for (let index = 0; index < this.#level; index += 1) {
			const previous = before[index] ?? this.#head;
			if (previous.next[index] === node) {
				previous.span[index] = (previous.span[index] ?? 0) + (node.span[index] ?? 0) - 1;
				previous.next[index] = node.next[index];
			} else {
				previous.span[index] = (previous.span[index] ?? 0) - 1;
			}
		}
		while (this.#level > 1 && this.#head.next[this.#level - 1] === undefined) this.#level -= 1;
	}

	/** At each level, the last node ordered before (score, member), and its rank (1-based, head 0). */
	#pathTo(member: string, score: number): { before: SkipNode[]; rankOf: number[] } {
		const before: SkipNode[] = [];
		const rankOf: number[] = [];
		let node = this.#head;
		for (let level = this.#level - 1; level >= 0; level -= 1) {
			rankOf[level] = level === this.#level - 1 ? 0 : (rankOf[level + 1] ?? 0);
			for (let next = node.next[level]; next && compare(next, score, member) < 0; next = node.next[level]) {
				rankOf[level] = (rankOf[level] ?? 0) + (node.span[level] ?? 0);
				node = next;
			}
			before[level] = node;
		}
		return { before, rankOf };
	}
}

/** Order of a node against (score, member): by score, then by member, as Redis breaks ties. */
function compare(node: SkipNode, score: number, member: string): number {
	if (node.score !== score) return node.score < score ? -1 : 1;
	return node.member < member ? -1 : node.member > member ? 1 : 0;
}

function randomLevel(): number {
	let level = 1;
	while (level < MAX_LEVEL && Math.random() < LEVEL_UP_PROBABILITY) level += 1;
	return level;
}
