import { describe, expect, it } from 'vitest';
import { findSecurityFeature, pickSecurityFeatures, SECURITY_FEATURE_CATEGORIES } from './securityFeatures.ts';

/** A seeded generator (mulberry32) standing in for crypto.randomInt. */
function seededRandomInt(seed: number): (maxExclusive: number) => number {
	let state = seed >>> 0;
	return (maxExclusive) => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
		return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32) * maxExclusive);
	};
}

const featureCount = SECURITY_FEATURE_CATEGORIES.reduce((sum, category) => sum + category.features.length, 0);
const keyOf = (pick: { categoryId: string; featureId: string }) => `${pick.categoryId}/${pick.featureId}`;

describe('SECURITY_FEATURE_CATEGORIES', () => {
	it('covers optically variable features, personalisation, substrate and security print with unique ids', () => {
		expect(SECURITY_FEATURE_CATEGORIES.map((category) => category.id)).toEqual([
			'optically_variable',
			'personalisation',
			'substrate',
			'security_print',
		]);
		const featureIds = SECURITY_FEATURE_CATEGORIES.flatMap((category) => category.features.map((feature) => feature.id));
		expect(new Set(featureIds).size).toBe(featureIds.length);
		for (const category of SECURITY_FEATURE_CATEGORIES) expect(category.features.length).toBeGreaterThanOrEqual(3);
	});
});

describe('pickSecurityFeatures()', () => {
	it('picks three features from three different categories by default', () => {
		const picks = pickSecurityFeatures(seededRandomInt(1));
		expect(picks).toHaveLength(3);
		expect(new Set(picks.map((pick) => pick.categoryId)).size).toBe(3);
	});

	it('returns the same pick for the same sequence of random numbers', () => {
		expect(pickSecurityFeatures(seededRandomInt(42), 5)).toEqual(pickSecurityFeatures(seededRandomInt(42), 5));
	});

	it('gives different picks for different random sequences', () => {
		const picks = new Set(Array.from({ length: 20 }, (_, seed) => pickSecurityFeatures(seededRandomInt(seed)).map(keyOf).join()));
		expect(picks.size).toBeGreaterThan(10);
	});

	it('only picks features that exist in the catalogue, never the same one twice', () => {
		for (let seed = 0; seed < 50; seed++) {
			const picks = pickSecurityFeatures(seededRandomInt(seed), 7);
			expect(new Set(picks.map(keyOf)).size).toBe(7);
			for (const pick of picks) expect(findSecurityFeature(pick)).toBeDefined();
		}
	});

	it('spreads picks over every category before taking a second feature from any', () => {
		const categories = SECURITY_FEATURE_CATEGORIES.length;
		for (let seed = 0; seed < 50; seed++) {
			const picks = pickSecurityFeatures(seededRandomInt(seed), categories + 1);
			expect(new Set(picks.slice(0, categories).map((pick) => pick.categoryId)).size).toBe(categories);
		}
	});

	it('caps a count larger than the catalogue at every feature once', () => {
		const picks = pickSecurityFeatures(seededRandomInt(7), featureCount + 10);
		expect(picks).toHaveLength(featureCount);
		expect(new Set(picks.map(keyOf)).size).toBe(featureCount);
	});

	it('returns nothing for a count of zero or less', () => {
		expect(pickSecurityFeatures(seededRandomInt(3), 0)).toEqual([]);
		expect(pickSecurityFeatures(seededRandomInt(3), -2)).toEqual([]);
	});

	it('uses nothing but the injected randomInt, always within its bound', () => {
		const bounds: number[] = [];
		pickSecurityFeatures((maxExclusive) => {
			bounds.push(maxExclusive);
			return maxExclusive - 1;
		}, featureCount);
		expect(bounds.length).toBeGreaterThan(0);
		expect(bounds.every((bound) => Number.isInteger(bound) && bound >= 1)).toBe(true);
	});

	it('throws a RangeError when randomInt breaks its contract', () => {
		expect(() => pickSecurityFeatures((maxExclusive) => maxExclusive)).toThrow(RangeError);
		expect(() => pickSecurityFeatures(() => 0.5)).toThrow(RangeError);
	});
});

describe('findSecurityFeature()', () => {
	it('finds the entries of a known pick and nothing for an unknown one', () => {
		expect(findSecurityFeature({ categoryId: 'security_print', featureId: 'microprint' })?.feature.labelKey).toBe(
			'securityFeature.microprint.label',
		);
		expect(findSecurityFeature({ categoryId: 'security_print', featureId: 'hologram' })).toBeUndefined();
	});
});
