import { describe, expect, it } from 'vitest';
import { loadProgress, saveProgress } from './progress.ts';

function memoryStorage() {
	const items = new Map<string, string>();
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
	};
}

describe('loadProgress() and saveProgress()', () => {
	it('round-trips progress per participant', () => {
		const storage = memoryStorage();
		saveProgress('p1', { deviceChecked: true, camera: { facingMode: 'environment' } }, storage);
		expect(loadProgress('p1', storage)).toEqual({ deviceChecked: true, camera: { facingMode: 'environment' } });
		expect(loadProgress('p2', storage)).toEqual({});
	});

	it('starts afresh on unreadable or unavailable storage', () => {
		expect(loadProgress('p1', { getItem: () => '{not json' })).toEqual({});
		expect(loadProgress('p1', undefined)).toEqual({});
		expect(() =>
			saveProgress(
				'p1',
				{},
				{
					setItem: () => {
						throw new Error('quota');
					},
				},
			),
		).not.toThrow();
	});
});
