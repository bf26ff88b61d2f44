// Turns the server's call-quality samples into a verdict an agent can act on during the call: good,
// fair or poor, with what is wrong and what to ask of the person whose connection it is.
import type { MediaQuality } from '@vidverify/shared';

export type QualityLevel = 'good' | 'fair' | 'poor';
export type QualityIssue = 'packet_loss' | 'delay' | 'jitter' | 'low_bitrate' | 'low_resolution' | 'low_frame_rate';
export type QualityVerdict = { level: QualityLevel | 'no_video'; issues: QualityIssue[] };

type Limits = { fair: number; poor: number };

// Where reading a document or watching lips starts to suffer (fair) and where it fails (poor). A 720p
// picture is what small print needs; loss above a few percent shows as smearing at this bitrate.
const HIGHER_IS_WORSE: Record<'packet_loss' | 'delay' | 'jitter', Limits> = {
	packet_loss: { fair: 2, poor: 5 },
	delay: { fair: 250, poor: 400 },
	jitter: { fair: 40, poor: 100 },
};
const LOWER_IS_WORSE: Record<'low_bitrate' | 'low_resolution' | 'low_frame_rate', Limits> = {
	// A still picture needs few bits, so only a very low bitrate says the picture is starved.
	low_bitrate: { fair: 300, poor: 150 },
	low_resolution: { fair: 720, poor: 360 },
	low_frame_rate: { fair: 20, poor: 10 },
};

const RANK: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };

function levelOf(issue: QualityIssue, value: number | null | undefined): QualityLevel {
	if (value === null || value === undefined) return 'good';
	if (issue in HIGHER_IS_WORSE) {
		const limits = HIGHER_IS_WORSE[issue as keyof typeof HIGHER_IS_WORSE];
		return value >= limits.poor ? 'poor' : value >= limits.fair ? 'fair' : 'good';
	}
	const limits = LOWER_IS_WORSE[issue as keyof typeof LOWER_IS_WORSE];
	return value < limits.poor ? 'poor' : value < limits.fair ? 'fair' : 'good';
}

/** The verdict on one participant's sample; issues are listed worst first. */
export function assessQuality(sample: MediaQuality): QualityVerdict {
	const video = sample.video;
	if (!video) return { level: 'no_video', issues: [] };
	// Until the sender has reported its picture size the stream is still starting and its bitrate is
	// climbing: judging the bitrate then would call every new call poor. Judge what is known.
	const measured: [QualityIssue, number | null][] = [
		['packet_loss', video.packetLossPercent],
		['delay', sample.roundTripMs],
		['jitter', video.jitterMs],
		['low_bitrate', video.height === null ? null : video.bitrateKbps],
		['low_resolution', video.height],
		['low_frame_rate', video.framesPerSecond],
	];
	const found = measured
		.map(([issue, value]) => ({ issue, level: levelOf(issue, value) }))
		.filter((entry) => entry.level !== 'good')
		.sort((a, b) => RANK[b.level] - RANK[a.level]);
	const level = found[0]?.level ?? 'good';
	return { level, issues: found.map((entry) => entry.issue) };
}

export type QualityAdvice = 'network' | 'resolution' | 'frame_rate';

const ADVICE_OF: Record<QualityIssue, QualityAdvice> = {
	packet_loss: 'network',
	delay: 'network',
	jitter: 'network',
	// Too few bits with no loss means a soft picture rather than a bad network: ask for the sharpest one.
	low_bitrate: 'resolution',
	low_resolution: 'resolution',
	low_frame_rate: 'frame_rate',
};

/** What to ask of the participant, most important first, each once. */
export function adviceFor(verdict: QualityVerdict): QualityAdvice[] {
	return [...new Set(verdict.issues.map((issue) => ADVICE_OF[issue]))];
}
