// The behaviour every LiveState implementation must show, as a Vitest suite each implementation runs
// against a harness of its own (memory now, Redis next). Only the LiveState interface is used.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveState } from './LiveState.ts';

export type LiveStateHarness = {
	/** A fresh, empty live state. */
	open(): Promise<LiveState>;
	/** Removes whatever the harness created; every state it opened is closed by then. */
	cleanup(): Promise<void>;
};

/** Resolves after ms of real time; TTLs are tested with short real ones. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeLiveStateContract(name: string, harness: () => Promise<LiveStateHarness>): void {
	describe(`${name} keeps the LiveState contract`, () => {
		let store: LiveStateHarness;
		let state: LiveState;

		beforeEach(async () => {
			store = await harness();
			state = await store.open();
		});

		afterEach(async () => {
			await state.close();
			await store.cleanup();
		});

		it('create() stores a record at version 1 and refuses a second create of the same key', async () => {
			expect(await state.create('record', { n: 1 })).toBe(true);
			expect(await state.create('record', { n: 2 })).toBe(false);
			expect(await state.get('record')).toEqual({ value: { n: 1 }, version: 1 });
		});

		it('versionOf() gives the version a record is at, without its value, and undefined for none', async () => {
			await state.create('record', { n: 1 });
			await state.update('record', 1, { n: 2 });
			expect(await state.versionOf('record')).toBe(2);
			expect(await state.versionOf('missing')).toBeUndefined();
		});

		it('get() returns undefined for a key never written', async () => {
			expect(await state.get('missing')).toBeUndefined();
		});

		it('get() hands out copies: changing one does not change the stored record', async () => {
			await state.create('record', { list: [1] });
			const copy = await state.get<{ list: number[] }>('record');
			copy?.value.list.push(2);
			expect((await state.get('record'))?.value).toEqual({ list: [1] });
		});

		it('update() at the current version replaces the record and bumps the version', async () => {
			await state.create('record', { n: 1 });
			expect(await state.update('record', 1, { n: 2 })).toBe(true);
			expect(await state.get('record')).toEqual({ value: { n: 2 }, version: 2 });
		});

		it('update() at a stale version changes nothing and returns false', async () => {
			await state.create('record', { n: 1 });
			await state.update('record', 1, { n: 2 });
			expect(await state.update('record', 1, { n: 3 })).toBe(false);
			expect(await state.get('record')).toEqual({ value: { n: 2 }, version: 2 });
		});

		it('update() of a missing key returns false', async () => {
			expect(await state.update('missing', 1, { n: 1 })).toBe(false);
			expect(await state.get('missing')).toBeUndefined();
		});

		it('many concurrent update()s of one version: exactly one wins', async () => {
			await state.create('record', { winner: null });
			const results = await Promise.all(Array.from({ length: 25 }, (_, index) => state.update('record', 1, { winner: index })));
			expect(results.filter(Boolean)).toHaveLength(1);
			const winner = results.indexOf(true);
			expect(await state.get('record')).toEqual({ value: { winner }, version: 2 });
		});

		it('update() applies its sorted-set effects only when it wins', async () => {
			await state.create('record', { n: 1 }, { add: [{ set: 'queue', member: 'a', score: 1 }] });
			expect(await state.update('record', 1, { n: 2 }, { remove: [{ set: 'queue', member: 'a' }] })).toBe(true);
			expect(await state.update('record', 1, { n: 3 }, { add: [{ set: 'queue', member: 'b', score: 2 }] })).toBe(false);
			expect(await state.range('queue')).toEqual([]);
		});

		it('create() that finds the key taken applies none of its effects', async () => {
			await state.create('record', { n: 1 });
			expect(await state.create('record', { n: 2 }, { add: [{ set: 'queue', member: 'a', score: 1 }] })).toBe(false);
			expect(await state.size('queue')).toBe(0);
		});

		it('applyEffects() adds, moves and removes members of several sets with no record', async () => {
			await state.applyEffects({
				add: [
					{ set: 'due', member: 'a', score: 2 },
					{ set: 'due', member: 'b', score: 1 },
					{ set: 'other', member: 'c', score: 5 },
				],
			});
			await state.applyEffects({
				add: [{ set: 'due', member: 'b', score: 3 }],
				remove: [
					{ set: 'other', member: 'c' },
					{ set: 'due', member: 'absent' },
				],
			});
			expect(await state.range('due')).toEqual([
				{ member: 'a', score: 2 },
				{ member: 'b', score: 3 },
			]);
			expect(await state.size('other')).toBe(0);
			expect(await state.get('due')).toBeUndefined();
		});

		it('applyEffects() applies its adds before its removes, as a record write does', async () => {
			await state.applyEffects({ add: [{ set: 'due', member: 'a', score: 1 }], remove: [{ set: 'due', member: 'a' }] });
			expect(await state.size('due')).toBe(0);
			await state.applyEffects({});
			expect(await state.range('due')).toEqual([]);
		});

		it('claimOnce() lets the first of many concurrent callers win', async () => {
			const results = await Promise.all(Array.from({ length: 20 }, () => state.claimOnce('invitation', 60_000)));
			expect(results.filter(Boolean)).toHaveLength(1);
			expect(await state.claimOnce('invitation', 60_000)).toBe(false);
			expect(await state.claimOnce('another', 60_000)).toBe(true);
		});

		it('claimOnce() can be claimed again once its time to live has passed', async () => {
			expect(await state.claimOnce('short', 30)).toBe(true);
			await sleep(80);
			expect(await state.claimOnce('short', 30)).toBe(true);
		});

		it('an expiring value is readable until its time to live passes, then gone', async () => {
			await state.setExpiring('presence', 'here', 60_000);
			await state.setExpiring('grace', 'soon', 30);
			expect(await state.getExpiring('presence')).toBe('here');
			await sleep(80);
			expect(await state.getExpiring('grace')).toBeUndefined();
			expect(await state.getExpiring('presence')).toBe('here');
		});

		it('deleteExpiring() says whether the value was still there', async () => {
			await state.setExpiring('grace', 'x', 60_000);
			expect(await state.deleteExpiring('grace')).toBe(true);
			expect(await state.deleteExpiring('grace')).toBe(false);
			expect(await state.getExpiring('grace')).toBeUndefined();
		});

		it('range() orders by score, then member, and rank() gives the 0-based position', async () => {
			await state.create(
				'r',
				{},
				{
					add: [
						{ set: 'queue', member: 'late', score: 30 },
						{ set: 'queue', member: 'b-tie', score: 10 },
						{ set: 'queue', member: 'a-tie', score: 10 },
						{ set: 'queue', member: 'first', score: 5 },
					],
				},
			);
			expect((await state.range('queue')).map((entry) => entry.member)).toEqual(['first', 'a-tie', 'b-tie', 'late']);
			expect(await state.rank('queue', 'b-tie')).toBe(2);
			expect(await state.rank('queue', 'absent')).toBeUndefined();
			expect(await state.size('queue')).toBe(4);
		});

		it('range() pages with minScore, after and limit', async () => {
			await state.create('r', {}, { add: [1, 2, 3, 4, 5].map((score) => ({ set: 'index', member: `m${score}`, score })) });
			expect(await state.range('index', { minScore: 2, limit: 2 })).toEqual([
				{ member: 'm2', score: 2 },
				{ member: 'm3', score: 3 },
			]);
			expect((await state.range('index', { after: { member: 'm3', score: 3 } })).map((entry) => entry.member)).toEqual([
				'm4',
				'm5',
			]);
		});

		it('adding a member again moves it to its new score instead of duplicating it', async () => {
			await state.create(
				'r',
				{},
				{
					add: [
						{ set: 'queue', member: 'a', score: 1 },
						{ set: 'queue', member: 'b', score: 2 },
					],
				},
			);
			await state.update('r', 1, {}, { add: [{ set: 'queue', member: 'a', score: 3 }] });
			expect(await state.range('queue')).toEqual([
				{ member: 'b', score: 2 },
				{ member: 'a', score: 3 },
			]);
		});
	});
}
