import type { MediaQuality } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { adviceFor, assessQuality } from './quality.ts';

function sample(video: Partial<NonNullable<MediaQuality['video']>> | null, roundTripMs: number | null = 40): MediaQuality {
	return {
		participantId: 'p1',
		role: 'applicant',
		video:
			video === null
				? null
				: {
						bitrateKbps: 1400,
						packetLossPercent: 0,
						jitterMs: 5,
						width: 1280,
						height: 720,
						framesPerSecond: 30,
						...video,
					},
		audio: { bitrateKbps: 32, packetLossPercent: 0 },
		roundTripMs,
		score: 10,
	};
}

describe('assessQuality', () => {
	it('calls a 720p stream with little loss and delay good', () => {
		expect(assessQuality(sample({}))).toEqual({ level: 'good', issues: [] });
	});

	it('says there is no video when none arrives', () => {
		expect(assessQuality(sample(null))).toEqual({ level: 'no_video', issues: [] });
	});

	it('calls heavy loss poor, listing it before lesser issues', () => {
		expect(assessQuality(sample({ packetLossPercent: 8, framesPerSecond: 18 }))).toEqual({
			level: 'poor',
			issues: ['packet_loss', 'low_frame_rate'],
		});
	});

	it('calls a picture below 720p fair and below 360p poor', () => {
		expect(assessQuality(sample({ width: 640, height: 480 })).level).toBe('fair');
		expect(assessQuality(sample({ width: 320, height: 240 }))).toEqual({ level: 'poor', issues: ['low_resolution'] });
	});

	it('calls a long round trip fair or poor', () => {
		expect(assessQuality(sample({}, 300))).toEqual({ level: 'fair', issues: ['delay'] });
		expect(assessQuality(sample({}, 500)).level).toBe('poor');
	});

	it('does not judge the bitrate of a stream whose picture size is not reported yet', () => {
		expect(assessQuality(sample({ bitrateKbps: 12, width: null, height: null }))).toEqual({ level: 'good', issues: [] });
	});

	it('ignores what is not measured yet', () => {
		expect(assessQuality(sample({ width: null, height: null, framesPerSecond: null }, null))).toEqual({
			level: 'good',
			issues: [],
		});
	});
});

describe('adviceFor', () => {
	it('asks once about the network for any number of network issues, then about the picture', () => {
		const verdict = assessQuality(sample({ packetLossPercent: 6, height: 480, jitterMs: 50 }, 300));
		expect(adviceFor(verdict)).toEqual(['network', 'resolution']);
	});

	it('asks for a sharper picture, not a better network, when only the bitrate is low', () => {
		const verdict = assessQuality(sample({ bitrateKbps: 120 }));
		expect(verdict).toEqual({ level: 'poor', issues: ['low_bitrate'] });
		expect(adviceFor(verdict)).toEqual(['resolution']);
		expect(assessQuality(sample({ bitrateKbps: 440 })).level).toBe('good');
	});
});
