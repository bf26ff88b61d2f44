// Folds the periodic quality samples of a call into the summary kept in its outcome: average video
// bitrate, worst packet loss, average round trip, lowest resolution and score, per participant.
import type { CallQualitySummary, MediaQuality, Role } from '@vidverify/shared';

type Totals = {
	role: Role;
	videoKbpsSum: number;
	videoSamples: number;
	worstLoss: number | null;
	roundTripSum: number;
	roundTripSamples: number;
	lowestResolution: { width: number; height: number } | null;
	lowestScore: number | null;
};

export class QualityTracker {
	#samples = 0;
	readonly #byParticipant = new Map<string, Totals>();

	add(sample: MediaQuality): void {
		this.#samples += 1;
		let totals = this.#byParticipant.get(sample.participantId);
		if (!totals) {
			totals = {
				role: sample.role,
				videoKbpsSum: 0,
				videoSamples: 0,
				worstLoss: null,
				roundTripSum: 0,
				roundTripSamples: 0,
				lowestResolution: null,
				lowestScore: null,
			};
			this.#byParticipant.set(sample.participantId, totals);
		}
		if (sample.video) {
			totals.videoKbpsSum += sample.video.bitrateKbps;
			totals.videoSamples += 1;
			const { width, height } = sample.video;
			if (width !== null && height !== null && width > 0 && height > 0) {
				const lowest = totals.lowestResolution;
				if (!lowest || width * height < lowest.width * lowest.height) totals.lowestResolution = { width, height };
			}
		}
		const losses = [sample.video?.packetLossPercent, sample.audio?.packetLossPercent].filter((value) => value !== undefined);
		for (const loss of losses) totals.worstLoss = Math.max(totals.worstLoss ?? 0, loss);
		if (sample.roundTripMs !== null) {
			totals.roundTripSum += sample.roundTripMs;
			totals.roundTripSamples += 1;
		}
		if (sample.score !== null) totals.lowestScore = Math.min(totals.lowestScore ?? 10, sample.score);
	}

	summary(): CallQualitySummary {
		return {
			samples: this.#samples,
			participants: [...this.#byParticipant].map(([participantId, totals]) => ({
				participantId,
				role: totals.role,
				averageVideoKbps: totals.videoSamples > 0 ? Math.round(totals.videoKbpsSum / totals.videoSamples) : null,
				worstPacketLossPercent: totals.worstLoss,
				averageRoundTripMs: totals.roundTripSamples > 0 ? Math.round(totals.roundTripSum / totals.roundTripSamples) : null,
				lowestResolution: totals.lowestResolution,
				lowestScore: totals.lowestScore,
			})),
		};
	}
}
