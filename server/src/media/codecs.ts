// The codecs every call's router offers. VP8 first: every browser encodes it in software, and at the
// bitrates set here it keeps small document print legible. H264 (constrained baseline) is second for
// devices that only encode H264 in hardware. Opus for speech.
import type { types } from 'mediasoup';

export const ROUTER_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
	{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
	{
		kind: 'video',
		mimeType: 'video/VP8',
		clockRate: 90000,
		parameters: { 'x-google-start-bitrate': 1000 },
	},
	{
		kind: 'video',
		mimeType: 'video/H264',
		clockRate: 90000,
		parameters: {
			'packetization-mode': 1,
			'profile-level-id': '42e01f',
			'level-asymmetry-allowed': 1,
			'x-google-start-bitrate': 1000,
		},
	},
];
