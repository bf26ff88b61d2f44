import { describe, expect, it } from 'vitest';
import { decodedVideoFrames } from './connectionCheck.ts';

describe('decodedVideoFrames', () => {
	it('takes the inbound video stream that decoded frames, whatever the order, not the bandwidth probe', () => {
		const real = { type: 'inbound-rtp', kind: 'video', mid: '0', framesDecoded: 612 };
		const probe = { type: 'inbound-rtp', kind: 'video', mid: 'probator', framesDecoded: 0 };
		const audio = { type: 'inbound-rtp', kind: 'audio', mid: '1' };
		// As Firefox listed them in the runs where the check falsely said no video came back: the probe last.
		expect(decodedVideoFrames(new Map(Object.entries({ a: real, b: audio, c: probe })))).toBe(612);
		expect(decodedVideoFrames([probe, real])).toBe(612);
		expect(decodedVideoFrames([probe, audio, { type: 'candidate-pair' }])).toBe(0);
	});
});
