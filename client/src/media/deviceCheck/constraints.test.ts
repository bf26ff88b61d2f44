import { describe, expect, it } from 'vitest';
import { audioConstraints, resolutionIsLow, shouldMirror, videoConstraints } from './constraints.ts';

describe('videoConstraints()', () => {
	it('asks for 1280×720 at up to 30 frames as the ideal, not the minimum', () => {
		expect(videoConstraints({ any: true })).toEqual({
			width: { ideal: 1280 },
			height: { ideal: 720 },
			frameRate: { ideal: 30, max: 30 },
		});
	});

	it('names a chosen device or facing mode exactly', () => {
		expect(videoConstraints({ deviceId: 'cam-2' }).deviceId).toEqual({ exact: 'cam-2' });
		expect(videoConstraints({ facingMode: 'environment' }).facingMode).toEqual({ exact: 'environment' });
	});

	it('asks for 1920×1080 when the agent wants the sharpest picture', () => {
		const high = videoConstraints({ any: true }, true);
		expect(high.width).toEqual({ ideal: 1920 });
		expect(high.height).toEqual({ ideal: 1080 });
	});
});

describe('audioConstraints()', () => {
	it('keeps echo cancellation on and names a chosen microphone', () => {
		expect(audioConstraints(undefined)).toEqual({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
		expect(audioConstraints('mic-1').deviceId).toEqual({ exact: 'mic-1' });
	});
});

describe('shouldMirror()', () => {
	it('mirrors a front or unknown camera and not a back camera', () => {
		expect(shouldMirror({ any: true }, {})).toBe(true);
		expect(shouldMirror({ facingMode: 'user' }, undefined)).toBe(true);
		expect(shouldMirror({ facingMode: 'environment' }, undefined)).toBe(false);
		expect(shouldMirror({ deviceId: 'x' }, { facingMode: 'environment' })).toBe(false);
	});
});

describe('resolutionIsLow()', () => {
	it('is true under 720 lines in either orientation', () => {
		expect(resolutionIsLow({ width: 640, height: 480 })).toBe(true);
		expect(resolutionIsLow({ width: 1280, height: 720 })).toBe(false);
		expect(resolutionIsLow({ width: 720, height: 1280 })).toBe(false);
		expect(resolutionIsLow({ width: 480, height: 640 })).toBe(true);
	});

	it('is false when the browser does not say', () => {
		expect(resolutionIsLow(undefined)).toBe(false);
		expect(resolutionIsLow({})).toBe(false);
	});
});
