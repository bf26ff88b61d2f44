import { describe, expect, it } from 'vitest';
import type { RangeOptions, SortedSetMember } from '../LiveState.ts';
import { SortedSet } from './SortedSet.ts';

/** The plain answer to compare with: the whole set sorted, as the live state once did per lookup. */
class Reference {
	readonly scores = new Map<string, number>();

	ordered(): SortedSetMember[] {
		return Array.from(this.scores, ([member, score]) => ({ member, score })).sort((a, b) =>
			a.score !== b.score ? a.score - b.score : a.member < b.member ? -1 : a.member > b.member ? 1 : 0,
		);
	}

	range({ minScore = Number.NEGATIVE_INFINITY, after, limit = Number.POSITIVE_INFINITY }: RangeOptions = {}): SortedSetMember[] {
		return this.ordered()
			.filter((entry) => entry.score >= minScore)
			.filter((entry) => !after || entry.score > after.score || (entry.score === after.score && entry.member > after.member))
			.slice(0, limit);
	}
}

/** A small deterministic generator, so that a failure can be run again as it was. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

describe('SortedSet', () => {
	it('orders by score, then breaks ties by member as Redis does', () => {
		const set = new SortedSet();
		set.set('late', 9);
		set.set('b-tie', 5);
		set.set('first', 1);
		set.set('a-tie', 5);
		set.set('c-tie', 5);
		expect(set.range().map((entry) => entry.member)).toEqual(['first', 'a-tie', 'b-tie', 'c-tie', 'late']);
		expect(['first', 'a-tie', 'b-tie', 'c-tie', 'late'].map((member) => set.rank(member))).toEqual([0, 1, 2, 3, 4]);
		expect(set.rank('absent')).toBeUndefined();
	});

	it('set() of a member already there moves it to its new score instead of adding it twice', () => {
		const set = new SortedSet();
		set.set('a', 1);
		set.set('b', 2);
		set.set('a', 3);
		set.set('b', 2);
		expect(set.size).toBe(2);
		expect(set.range()).toEqual([
			{ member: 'b', score: 2 },
			{ member: 'a', score: 3 },
		]);
		expect(set.rank('a')).toBe(1);
	});

	it('delete() removes a member and reports whether it was there', () => {
		const set = new SortedSet();
		for (const member of ['a', 'b', 'c']) set.set(member, 7);
		expect(set.delete('b')).toBe(true);
		expect(set.delete('b')).toBe(false);
		expect(set.range().map((entry) => entry.member)).toEqual(['a', 'c']);
		expect(set.rank('c')).toBe(1);
		expect(set.size).toBe(2);
	});

	it('range() starts after a cursor that sits between tied members, and at a minimum score', () => {
		const set = new SortedSet();
		for (const [member, score] of [
			['m1', 1],
			['m2', 2],
			['m3a', 3],
			['m3b', 3],
			['m3c', 3],
			['m4', 4],
		] as const) {
			set.set(member, score);
		}
		expect(set.range({ after: { member: 'm3a', score: 3 }, limit: 2 }).map((entry) => entry.member)).toEqual(['m3b', 'm3c']);
		// A cursor whose member has gone still places the page by its score and member.
		expect(set.range({ after: { member: 'm3aa', score: 3 } }).map((entry) => entry.member)).toEqual(['m3b', 'm3c', 'm4']);
		expect(set.range({ minScore: 3, limit: 1 })).toEqual([{ member: 'm3a', score: 3 }]);
		expect(set.range({ minScore: 2, after: { member: 'm3b', score: 3 } }).map((entry) => entry.member)).toEqual(['m3c', 'm4']);
		expect(set.range({ minScore: 5 })).toEqual([]);
		expect(set.range({ limit: 0 })).toEqual([]);
	});

	it('agrees with sorting the whole set after thousands of random adds, moves and deletes, ties included', () => {
		const random = seeded(12);
		const set = new SortedSet();
		const reference = new Reference();
		for (let step = 0; step < 4000; step += 1) {
			const member = `m${Math.floor(random() * 300)}`;
			// Few distinct scores: most members tie with others.
			const score = Math.floor(random() * 20);
			if (random() < 0.3) {
				expect(set.delete(member)).toBe(reference.scores.delete(member));
			} else {
				set.set(member, score);
				reference.scores.set(member, score);
			}
			if (step % 100 === 0) {
				const ordered = reference.ordered();
				expect(set.range()).toEqual(ordered);
				expect(set.size).toBe(ordered.length);
				for (const [index, entry] of ordered.entries()) expect(set.rank(entry.member)).toBe(index);
				const cursor = ordered[Math.floor(random() * ordered.length)];
				const options = { after: cursor, minScore: Math.floor(random() * 20), limit: 1 + Math.floor(random() * 40) };
				expect(set.range(options)).toEqual(reference.range(options));
			}
		}
	});

	it('ranks and pages a set of 100,000 members added in order, as the host listing grows', () => {
		const set = new SortedSet();
		for (let index = 0; index < 100_000; index += 1) set.set(`member-${index}`, index);
		expect(set.rank('member-99999')).toBe(99_999);
		expect(set.range({ after: { member: 'member-99997', score: 99_997 } })).toEqual([
			{ member: 'member-99998', score: 99_998 },
			{ member: 'member-99999', score: 99_999 },
		]);
	});
});
