// The microphone level for the meter: the loudness of the latest audio samples, scaled so ordinary
// speech moves the bar well past the middle and silence leaves it at the bottom.

/** The floor of the meter: quieter than this (room noise) shows as nothing. */
const SILENCE_DB = -60;

/**
 * Level 0–1 from an AnalyserNode's byte time-domain data (128 is silence). Decibels, not raw RMS, so
 * a quiet voice still visibly moves the bar: that is what tells a person the microphone works.
 */
export function levelFromSamples(samples: ArrayLike<number>): number {
	if (samples.length === 0) return 0;
	let sumOfSquares = 0;
	for (let index = 0; index < samples.length; index += 1) {
		const centred = ((samples[index] ?? 128) - 128) / 128;
		sumOfSquares += centred * centred;
	}
	const rms = Math.sqrt(sumOfSquares / samples.length);
	if (rms === 0) return 0;
	const decibels = 20 * Math.log10(rms);
	return Math.min(1, Math.max(0, (decibels - SILENCE_DB) / -SILENCE_DB));
}

/** Falls slowly and rises at once, like a VU meter, so short syllables stay visible. */
export function smoothLevel(previous: number, next: number, fall = 0.15): number {
	return next >= previous ? next : Math.max(next, previous - fall);
}
