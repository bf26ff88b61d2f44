import { describe, expect, it } from 'vitest';
import { levelFromSamples, smoothLevel } from './audioLevel.ts';

const wave = (amplitude: number, length = 1024) =>
	Uint8Array.from({ length }, (_, index) => 128 + Math.round(amplitude * 127 * Math.sin((index / length) * 2 * Math.PI * 20)));

describe('levelFromSamples()', () => {
	it('is 0 for silence and for no samples', () => {
		expect(levelFromSamples(new Uint8Array(512).fill(128))).toBe(0);
		expect(levelFromSamples([])).toBe(0);
	});

	it('is near 1 for a full-scale signal', () => {
		expect(levelFromSamples(wave(1))).toBeGreaterThan(0.9);
	});

	it('shows quiet speech (about -30 dB) at around half', () => {
		const level = levelFromSamples(wave(0.045));
		expect(level).toBeGreaterThan(0.35);
		expect(level).toBeLessThan(0.65);
	});

	it('grows with loudness', () => {
		expect(levelFromSamples(wave(0.5))).toBeGreaterThan(levelFromSamples(wave(0.05)));
	});
});

describe('smoothLevel()', () => {
	it('rises at once and falls by at most the fall step', () => {
		expect(smoothLevel(0.2, 0.8)).toBe(0.8);
		expect(smoothLevel(0.8, 0)).toBeCloseTo(0.65);
		expect(smoothLevel(0.1, 0)).toBe(0);
	});
});
